"""The geometry of the timeline chart (a server-rendered SVG Gantt chart) and its table equivalent.

Everything is computed here, from the phases, their rows and the milestones, so the template only
places what it is given and issues no queries.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .terms import Term, span_label, term_columns

if TYPE_CHECKING:
    from .models import Milestone, Phase, PhaseRow

WIDTH = 1000
CHART_X = 360
CHART_WIDTH = 620
HEADER_HEIGHT = 36
LINE_HEIGHT = 16
PADDING = 6
WRAP_AT = 48


@dataclass(frozen=True)
class Column:
    term: Term
    x: float
    width: float

    @property
    def label(self) -> str:
        return self.term.label

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Line:
    """One line of the chart: a phase, one of its rows, or a milestone."""

    kind: str
    y: float
    height: float
    texts: list[tuple[float, str]]
    title: str
    bar_x: float = 0
    bar_width: float = 0
    marker_x: float = 0
    milestone: Milestone | None = None
    overdue: bool = False

    @property
    def middle(self) -> float:
        return round(self.y + self.height / 2, 1)

    @property
    def bar_y(self) -> float:
        return round(self.middle - 6, 1)

    @property
    def marker_points(self) -> str:
        x, y, r = self.marker_x, self.middle, 7
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"

    @property
    def glyph_x(self) -> float:
        # Right of the marker, or left of it at the chart's right edge.
        return round(
            self.marker_x + 10 if self.marker_x < CHART_X + CHART_WIDTH - 12 else self.marker_x - 22, 1
        )

    @property
    def bottom(self) -> float:
        return round(self.y + self.height, 1)


@dataclass
class MatrixRow:
    phase: Phase
    row: PhaseRow
    cells: list[bool]
    span: str


@dataclass
class Timeline:
    columns: list[Column] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    phase_spans: dict[int, str] = field(default_factory=dict)
    height: float = HEADER_HEIGHT
    today_x: float | None = None
    width: int = WIDTH
    chart_x: int = CHART_X
    chart_end: int = CHART_X + CHART_WIDTH

    @property
    def is_empty(self) -> bool:
        return not self.columns


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP_AT) or [""]


def build_timeline(*, phases: list[Phase], milestones: list[Milestone], today: dt.date) -> Timeline:
    """Lay out the phases (with their rows) and the milestones under their phase, across the
    terms from the first phase's start to the last phase's end."""
    if not phases:
        return Timeline()
    start = min(phase.starts_on for phase in phases)
    end = max(phase.ends_on for phase in phases)
    terms = term_columns(start, end)
    total_days = (end - start).days + 1

    def x_of(day: dt.date) -> float:
        offset = min(max((day - start).days, 0), total_days)
        return round(CHART_X + offset / total_days * CHART_WIDTH, 1)

    timeline = Timeline(
        columns=[
            Column(
                term,
                x_of(term.starts_on),
                round(x_of(term.ends_on + dt.timedelta(days=1)) - x_of(term.starts_on), 1),
            )
            for term in terms
        ]
    )
    if start <= today <= end:
        timeline.today_x = x_of(today)
    y = float(HEADER_HEIGHT)
    by_phase: dict[int, list[Milestone]] = {}
    for milestone in milestones:
        by_phase.setdefault(milestone.phase_id, []).append(milestone)

    def add(kind: str, text: str, title: str, **values) -> Line:
        nonlocal y
        wrapped = _wrap(text)
        height = len(wrapped) * LINE_HEIGHT + 2 * PADDING
        texts = [(round(y + PADDING + (i + 1) * LINE_HEIGHT - 4, 1), part) for i, part in enumerate(wrapped)]
        line = Line(kind=kind, y=round(y, 1), height=height, texts=texts, title=title, **values)
        timeline.lines.append(line)
        y += height
        return line

    for phase in phases:
        span = span_label(phase.starts_on, phase.ends_on, terms)
        timeline.phase_spans[phase.pk] = span
        bar_x = x_of(phase.starts_on)
        add(
            "phase",
            str(phase),
            f"{phase} ({span})",
            bar_x=bar_x,
            bar_width=round(x_of(phase.ends_on + dt.timedelta(days=1)) - bar_x, 1),
        )
        for row in phase.rows.all():
            row_span = span_label(row.starts_on, row.ends_on, terms)
            row_x = x_of(row.starts_on)
            add(
                "row",
                row.activity,
                f"{row.activity} ({row_span})",
                bar_x=row_x,
                bar_width=round(x_of(row.ends_on + dt.timedelta(days=1)) - row_x, 1),
            )
            timeline.matrix.append(
                MatrixRow(
                    phase=phase,
                    row=row,
                    cells=[row.starts_on <= term.ends_on and row.ends_on >= term.starts_on for term in terms],
                    span=row_span,
                )
            )
        for milestone in by_phase.get(phase.pk, []):
            overdue = milestone.is_overdue(today=today)
            state = str(milestone.get_status_display())
            if overdue:
                state = _("%(status)s, fristen er passert") % {"status": state}
            add(
                "milestone",
                f"◆ {milestone.title} ({state})",
                f"{milestone.title}: {milestone.get_status_display()}, {milestone.due_date:%d.%m.%Y}",
                marker_x=x_of(milestone.due_date + dt.timedelta(days=1)),
                milestone=milestone,
                overdue=overdue,
            )
    timeline.height = round(y + PADDING, 1)
    return timeline
