"""Indicator charts drawn on the server as SVG geometry (no JavaScript, no external library).

One period gives a horizontal bar chart (one bar per area); several give a line chart (one line
per area). Areas differ by marker shape and dash pattern as well as colour, each line is labelled
with its area's name, and the baseline and target are labelled lines of their own, so nothing
depends on colour alone. The template `programme/includes/indicator_chart.html` draws the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _

from .choices import IndicatorUnit

if TYPE_CHECKING:
    from .models import Indicator

WIDTH = 640
PALETTE = ["#1d4e89", "#a63d14", "#2e6b30", "#6a1b9a", "#5d4037", "#00606b"]
DASHES = ["", "8 4", "3 3", "10 3 2 3", "1 4", "6 2 6 6"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "circle"]
UNIT_SUFFIX = {IndicatorUnit.PERCENT: "\u00a0%"}


def format_number(value: Decimal | float | None, *, decimals: int) -> str:
    """`value` the reader's way: «64,6» and «2 950» in Norwegian, «2,950» in English."""
    if value is None:
        return ""
    return formats.number_format(Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_value(value: Decimal | None, *, decimals: int, unit: str) -> str:
    """A value with its unit: «64,6 %», «2 950 personer». Empty when the value is unknown."""
    if value is None:
        return ""
    number = format_number(value, decimals=decimals)
    if unit in UNIT_SUFFIX:
        return number + UNIT_SUFFIX[unit]
    label = IndicatorUnit(unit).label if unit in IndicatorUnit.values else unit
    return f"{number}\u00a0{label}" if unit != IndicatorUnit.COUNT else number


def marker_path(shape: str, x: float, y: float, size: float = 5) -> str:
    """An SVG path for a data point; every shape is filled, so the marker itself tells the areas apart."""
    r = size
    if shape == "square":
        r *= 0.85
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y + r * 0.8:.1f}L{x - r:.1f},{y + r * 0.8:.1f}z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y:.1f}L{x:.1f},{y + r:.1f}L{x - r:.1f},{y:.1f}z"
    if shape == "cross":
        a, b = r, r * 0.35
        points = [(-a, -a + b), (-a + b, -a), (0, -b), (a - b, -a), (a, -a + b), (b, 0)]
        points += [(a, a - b), (a - b, a), (0, b), (-a + b, a), (-a, a - b), (-b, 0)]
        return "M" + "L".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in points) + "z"
    r *= 0.8
    return f"M{x - r:.1f},{y:.1f}a{r:.1f},{r:.1f} 0 1,0 {2 * r:.1f},0a{r:.1f},{r:.1f} 0 1,0 {-2 * r:.1f},0z"


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Reference:
    """The baseline or the target, drawn as a labelled line."""

    kind: str
    label: str
    position: float
    dash: str
    label_x: float = 0
    label_y: float = 0
    anchor: str = "start"


@dataclass
class Bar:
    label: str
    value_text: str
    y: float
    width: float
    colour: str
    text_x: float = 0


@dataclass
class Point:
    x: float
    y: float
    text: str
    marker: str


@dataclass
class Series:
    label: str
    colour: str
    dash: str
    marker: str
    segments: list[str] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    label_x: float = 0
    label_y: float = 0

    @property
    def legend_marker(self) -> str:
        return marker_path(self.marker, 17, 7)


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    width: int
    height: int
    title: str
    description: str
    unit_label: str
    periods: list[str]
    rows: list[tuple[str, list[str]]]
    plot_left: float = 0
    plot_right: float = 0
    plot_top: float = 0
    plot_bottom: float = 0
    ticks: list[Tick] = field(default_factory=list)
    period_ticks: list[Tick] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _nice_step(span: float, steps: int = 5) -> float:
    raw = span / steps if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _scale(low: float, high: float, *, from_zero: bool) -> tuple[float, float, float]:
    if from_zero:
        low = min(0.0, low)
    if high == low:
        high, low = high + 1, low - (0 if from_zero else 1)
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _tick_values(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1)]


def indicator_chart(indicator: Indicator) -> Chart:
    """The chart and its table for `indicator`, from its prefetched observations."""
    observations = list(indicator.observations.all())
    periods = sorted({obs.period for obs in observations})
    areas = sorted({obs.area for obs in observations}, key=lambda area: (area.sort_order, area.name))
    by_key = {(obs.area_id, obs.period): obs.value for obs in observations}
    fmt = indicator.format
    rows = [(area.name, [fmt(by_key.get((area.pk, period))) for period in periods]) for area in areas]
    unit_label = IndicatorUnit(indicator.unit).label if indicator.unit in IndicatorUnit.values else ""
    chart = Chart(
        kind="bar" if len(periods) == 1 else "line",
        width=WIDTH,
        height=0,
        title=indicator.name,
        description="",
        unit_label=unit_label,
        periods=periods,
        rows=rows,
    )
    if not observations:
        return chart
    references = _references(indicator)
    values = [float(obs.value) for obs in observations] + [
        value for _kind, _label, value, _dash in references
    ]
    if chart.kind == "bar":
        _bar_chart(chart, areas, periods[0], by_key, references, values, fmt)
    else:
        _line_chart(chart, areas, periods, by_key, references, values, fmt)
    return chart


def _references(indicator: Indicator) -> list[tuple[str, str, float, str]]:
    references = []
    if indicator.baseline_value is not None:
        where = ", ".join(
            part
            for part in (
                indicator.baseline_area.name if indicator.baseline_area else "",
                indicator.baseline_period,
            )
            if part
        )
        label = _("Utgangspunkt (%(where)s): %(value)s") % {"where": where, "value": indicator.baseline_text}
        references.append(("baseline", label, float(indicator.baseline_value), "6 3"))
    if indicator.target_value is not None:
        label = _("Mål (%(period)s): %(value)s") % {
            "period": indicator.target_period,
            "value": indicator.target_text,
        }
        references.append(("target", label, float(indicator.target_value), "2 2"))
    return references


def _bar_chart(chart, areas, period, by_key, references, values, fmt) -> None:
    row_height, bar_height, label_width = 36, 22, 200
    top = 12 + 18 * len(references)
    # Room on the right for the longest value printed after its bar (about 7.5 px a character).
    longest = max(
        (len(fmt(by_key[(area.pk, period)])) for area in areas if (area.pk, period) in by_key), default=0
    )
    chart.plot_left, chart.plot_right = label_width, WIDTH - max(60, round(longest * 7.5) + 14)
    chart.plot_top = top
    chart.plot_bottom = top + row_height * len(areas)
    chart.height = int(chart.plot_bottom + 34)
    low, high, step = _scale(min(values), max(values), from_zero=True)
    span = chart.plot_right - chart.plot_left

    def x(value: float) -> float:
        return round(chart.plot_left + (value - low) / (high - low) * span, 1)

    chart.ticks = [
        Tick(x(value), format_number(value, decimals=_tick_decimals(step)))
        for value in _tick_values(low, high, step)
    ]
    described = []
    for i, area in enumerate(areas):
        value = by_key.get((area.pk, period))
        if value is None:
            continue
        bar = Bar(
            label=area.name,
            value_text=fmt(value),
            y=top + i * row_height + (row_height - bar_height) / 2,
            width=max(0.0, x(float(value)) - chart.plot_left),
            colour=PALETTE[i % len(PALETTE)],
        )
        bar.text_x = chart.plot_left + bar.width + 6
        chart.bars.append(bar)
        described.append(f"{area.name} {bar.value_text}")
    for i, (kind, label, value, dash) in enumerate(references):
        position = x(value)
        anchor = "end" if position > (chart.plot_left + chart.plot_right) / 2 else "start"
        chart.references.append(
            Reference(kind, label, position, dash, label_x=position, label_y=12 + 18 * i + 4, anchor=anchor)
        )
    chart.description = _("Stolpediagram for %(period)s: %(values)s.") % {
        "period": period,
        "values": "; ".join(described),
    } + "".join(f" {reference.label}." for reference in chart.references)


def _line_chart(chart, areas, periods, by_key, references, values, fmt) -> None:
    chart.plot_left, chart.plot_right = 64, WIDTH - 160
    chart.plot_top, chart.plot_bottom = 16, 276
    chart.height = 320
    low, high, step = _scale(min(values), max(values), from_zero=False)
    width = chart.plot_right - chart.plot_left
    height = chart.plot_bottom - chart.plot_top

    def x(index: int) -> float:
        return round(chart.plot_left + (index / max(1, len(periods) - 1)) * width, 1)

    def y(value: float) -> float:
        return round(chart.plot_bottom - (value - low) / (high - low) * height, 1)

    chart.ticks = [
        Tick(y(value), format_number(value, decimals=_tick_decimals(step)))
        for value in _tick_values(low, high, step)
    ]
    every = max(1, math.ceil(len(periods) / 10))
    chart.period_ticks = [
        Tick(x(i), period) for i, period in enumerate(periods) if i % every == 0 or i == len(periods) - 1
    ]
    for i, area in enumerate(areas):
        series = Series(
            label=area.name,
            colour=PALETTE[i % len(PALETTE)],
            dash=DASHES[i % len(DASHES)],
            marker=MARKERS[i % len(MARKERS)],
        )
        current: list[str] = []
        for index, period in enumerate(periods):
            value = by_key.get((area.pk, period))
            if value is None:
                if len(current) > 1:
                    series.segments.append(" ".join(current))
                current = []
                continue
            px, py = x(index), y(float(value))
            series.points.append(
                Point(px, py, f"{area.name}, {period}: {fmt(value)}", marker_path(series.marker, px, py))
            )
            current.append(f"{px},{py}")
        if len(current) > 1:
            series.segments.append(" ".join(current))
        if series.points:
            series.label_x = series.points[-1].x + 10
            series.label_y = series.points[-1].y + 4
            chart.series.append(series)
    _spread_labels(chart.series, minimum=14)
    for kind, label, value, dash in references:
        position = y(value)
        chart.references.append(
            Reference(kind, label, position, dash, label_x=chart.plot_left + 4, label_y=position - 4)
        )
    last = periods[-1]
    latest = [f"{area.name} {fmt(by_key[(area.pk, last)])}" for area in areas if (area.pk, last) in by_key]
    chart.description = _(
        "Linjediagram %(first)s–%(last)s for %(areas)s. Siste periode (%(last)s): %(values)s."
    ) % {
        "first": periods[0],
        "last": last,
        "areas": ", ".join(series.label for series in chart.series),
        "values": "; ".join(latest),
    } + "".join(f" {reference.label}." for reference in chart.references)


def _spread_labels(series: list[Series], *, minimum: float) -> None:
    """Move the line-end labels apart vertically so that none overlap."""
    ordered = sorted(series, key=lambda s: s.label_y)
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if current.label_y - previous.label_y < minimum:
            current.label_y = previous.label_y + minimum


def _tick_decimals(step: float) -> int:
    exponent = Decimal(repr(float(step))).normalize().as_tuple().exponent
    return max(0, -int(exponent))
