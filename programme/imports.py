"""Importing indicator observations from CSV or XLSX files, for `manage.py import_indicators`
and the admin upload (Program → Importer indikatorer).

Two layouts are read (see README, "Indikatorimport"):

- the **long format**: one observation per row, columns `indikator; område; periode; verdi`
  (semicolon or comma separated, or an XLSX sheet);
- **SSB's Statistikkbanken** export ("semikolonseparert med overskrift", or XLSX): optional title
  lines, then a header `"region";"statistikkvariabel";"2019";"2020"` with one column per period,
  decimal comma, and "." / ".." / "..." / ":" for values that are missing (those cells are
  skipped). Other dimension columns (e.g. «kjønn», «alder») may be present if they hold a single
  value. "-" is SSB's symbol for zero.

Areas and indicators are never created by an import: an unknown one is an error, so that a typo
cannot start a new series. Every error names its row and column; one error and nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import Area, Indicator, Observation
from .models.indicators import PERIOD_PATTERN

LONG_COLUMNS = ("indikator", "område", "periode", "verdi")
SSB_REQUIRED = ("region", "statistikkvariabel")
SSB_MISSING = {"", ".", "..", "...", ":"}
SSB_ZERO = "-"
MAX_DECIMALS = 3
MAX_ERRORS = 25
HEADER_SEARCH_ROWS = 10

# Error messages (the tests assert them).
EMPTY_FILE = gettext_noop("Filen er tom.")
NO_DATA_ROWS = gettext_noop("Filen har en overskriftsrad, men ingen datarader.")
UNSUPPORTED_FILE = gettext_noop(
    "Filtypen «{suffix}» kan ikke leses. Last opp en CSV-fil (.csv) eller et Excel-ark (.xlsx)."
)
NOT_XLSX = gettext_noop("Filen heter .xlsx, men er ikke et Excel-ark som kan leses.")
NOT_CSV = gettext_noop("Filen ser ikke ut som en CSV-fil (den inneholder binære data).")
WRONG_ENCODING = gettext_noop(
    "Rad {row}: filen er ikke UTF-8-kodet. Lagre den som «CSV UTF-8» og prøv igjen."
)
CSV_FIELD_COUNT = gettext_noop("Rad {row}: har {found} kolonner, men overskriften har {expected}.")
NO_HEADER = gettext_noop(
    "Fant ingen overskriftsrad. Langt format trenger kolonnene indikator, område, periode og verdi; "
    "SSB-format trenger region, statistikkvariabel og én kolonne per periode (f.eks. 2019)."
)
MISSING_COLUMNS = gettext_noop("Rad {row}: mangler kolonnen/kolonnene {columns}.")
UNKNOWN_COLUMN = gettext_noop("Rad {row}, kolonne «{column}»: ukjent kolonne (gyldige: {allowed}).")
DUPLICATE_COLUMN = gettext_noop("Rad {row}, kolonne «{column}»: kolonnen står to ganger.")
NO_PERIOD_COLUMNS = gettext_noop(
    "Rad {row}: SSB-filen har ingen periodekolonner (f.eks. «2019» eller «2019K4»)."
)
EMPTY_CELL = gettext_noop("Rad {row}, kolonne «{column}»: mangler verdi.")
UNKNOWN_INDICATOR = gettext_noop("Rad {row}, kolonne «{column}»: ukjent indikator «{value}».")
UNKNOWN_AREA = gettext_noop(
    "Rad {row}, kolonne «{column}»: ukjent område «{value}». Områder legges inn under Program → Områder."
)
BAD_PERIOD = gettext_noop(
    "Rad {row}, kolonne «{column}»: «{value}» er ikke en periode (skriv 2019, 2019H1, 2019K4 eller 2019M01)."
)
BAD_NUMBER = gettext_noop("Rad {row}, kolonne «{column}»: «{value}» er ikke et tall.")
TOO_MANY_DECIMALS = gettext_noop(
    "Rad {row}, kolonne «{column}»: «{value}» har flere enn {decimals} desimaler."
)
TOO_LARGE = gettext_noop("Rad {row}, kolonne «{column}»: «{value}» er for stort.")
DUPLICATE_ROW = gettext_noop(
    "Rad {row}, kolonne «{column}»: {indicator}, {area}, {period} står allerede i rad {first}; "
    "hver observasjon kan bare stå én gang."
)
SEVERAL_VALUES = gettext_noop(
    "Kolonne «{column}»: har flere verdier ({values}). Velg én verdi for denne dimensjonen når du tar ut "
    "tabellen fra Statistikkbanken."
)
INDICATOR_MISMATCH = gettext_noop(
    "Rad {row}, kolonne «{column}»: «{value}» er ikke den valgte indikatoren «{indicator}»."
)
TOO_MANY_ERRORS = gettext_noop("… og {count} feil til.")

NOTHING_CHANGED = gettext_noop("Ingen endringer: alle {unchanged} observasjoner i filen var allerede lagret.")
SUMMARY = gettext_noop("{created} nye, {changed} endret, {unchanged} uendret.")
SKIPPED_MISSING = gettext_noop("{count} celler uten tall (., .., ..., :) ble hoppet over.")


class IndicatorImportError(Exception):
    """The file cannot be imported; `messages` says why, each naming its row and column."""

    def __init__(self, messages: list[str]):
        self.messages = messages[:MAX_ERRORS]
        if len(messages) > MAX_ERRORS:
            self.messages.append(_(TOO_MANY_ERRORS).format(count=len(messages) - MAX_ERRORS))
        super().__init__("\n".join(self.messages))


@dataclass
class ImportResult:
    layout: str  # "long" or "ssb"
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped_missing: int = 0
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.changed)

    def summary(self) -> str:
        if not self.has_changes:
            text = _(NOTHING_CHANGED).format(unchanged=self.unchanged)
        else:
            text = _(SUMMARY).format(created=self.created, changed=self.changed, unchanged=self.unchanged)
        if self.skipped_missing:
            text += " " + _(SKIPPED_MISSING).format(count=self.skipped_missing)
        return text


@dataclass(frozen=True)
class _Row:
    number: int  # the row as the reader sees it in a spreadsheet or text editor, from 1
    cells: dict[str, str]


@dataclass(frozen=True)
class _Value:
    row: int
    column: str
    indicator: Indicator
    area: Area
    period: str
    value: Decimal


def import_indicator_file(
    *, content: bytes, filename: str, indicator: Indicator | None = None, user=None
) -> ImportResult:
    """Read `content` (a CSV or XLSX file called `filename`) and save its observations in one
    transaction. `indicator`, when given, is the indicator an SSB file's rows belong to."""
    layout, header_row, columns, rows = _read_table(content=content, filename=filename)
    lookups = _Lookups()
    if layout == "long":
        values, skipped = _long_values(rows, lookups, indicator), 0
    else:
        values, skipped = _ssb_values(header_row, columns, rows, lookups, indicator)
    _check_duplicates(values)
    result = ImportResult(layout=layout, skipped_missing=skipped)
    _save(values, result, user=user)
    return result


# --- reading the table ---------------------------------------------------------------------


def _normalise(header: str) -> str:
    return header.replace("\ufeff", "").strip().strip('"').strip().lower()


def _column_name(header: str) -> str:
    """Known column names in lower case, periods as SSB writes them (2019K4), others as given."""
    name = _normalise(header)
    return name.upper() if PERIOD_PATTERN.match(name.upper()) else name


def _read_table(*, content: bytes, filename: str) -> tuple[str, int, list[str], list[_Row]]:
    if not content.strip():
        raise IndicatorImportError([_(EMPTY_FILE)])
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        grid, first_row = _xlsx_grid(content)
    elif suffix in {".csv", ".txt"}:
        return _csv_table(content)
    else:
        raise IndicatorImportError([_(UNSUPPORTED_FILE).format(suffix=suffix or filename)])
    header_index = _header_index(grid)
    header_row = first_row + header_index
    layout, columns = _columns(grid[header_index], header_row)
    rows = [
        _Row(first_row + i, dict(zip(columns, cells, strict=False)))
        for i, cells in enumerate(grid[header_index + 1 :], start=header_index + 1)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise IndicatorImportError([_(NO_DATA_ROWS)])
    return layout, header_row, columns, rows


def _xlsx_grid(content: bytes) -> tuple[list[list[str]], int]:
    if not content.startswith(b"PK\x03\x04"):
        raise IndicatorImportError([_(NOT_XLSX)])
    try:
        frame = pd.read_excel(io.BytesIO(content), header=None, dtype=str, sheet_name=0, engine="openpyxl")
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise IndicatorImportError([_(NOT_XLSX)]) from None
    frame = frame.fillna("")
    return [[str(cell) for cell in row] for row in frame.itertuples(index=False)], 1


def _csv_table(content: bytes) -> tuple[str, int, list[str], list[_Row]]:
    if b"\x00" in content or content.startswith(b"PK\x03\x04"):
        raise IndicatorImportError([_(NOT_CSV)])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = content[: error.start].count(b"\n") + 1
        raise IndicatorImportError([_(WRONG_ENCODING).format(row=row)]) from None
    lines = text.splitlines()
    header_index, delimiter = _csv_header(lines)
    header_row = header_index + 1
    layout, columns = _columns(next(csv.reader([lines[header_index]], delimiter=delimiter)), header_row)
    body = "\n".join(lines[header_index + 1 :])
    rows: list[_Row] = []
    if body.strip():
        try:
            frame = pd.read_csv(
                io.StringIO(body),
                sep=delimiter,
                header=None,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="python",
            )
        except pd.errors.ParserError as error:
            match = re.search(r"line (\d+), saw (\d+)", str(error))
            if match:
                row = header_row + int(match.group(1))
                raise IndicatorImportError(
                    [_(CSV_FIELD_COUNT).format(row=row, found=match.group(2), expected=len(columns))]
                ) from None
            raise IndicatorImportError([_(NO_HEADER)]) from None
        frame = frame.fillna("")
        if frame.shape[1] > len(columns):
            extra = frame.iloc[:, len(columns) :].ne("").any(axis=1)
            if extra.any():
                offset = int(extra.to_numpy().nonzero()[0][0])
                raise IndicatorImportError(
                    [
                        _(CSV_FIELD_COUNT).format(
                            row=header_row + 1 + offset, found=frame.shape[1], expected=len(columns)
                        )
                    ]
                )
        for offset, cells in enumerate(frame.itertuples(index=False)):
            values = ["" if cell is None else str(cell) for cell in cells]
            if any(value.strip() for value in values):
                rows.append(_Row(header_row + 1 + offset, dict(zip(columns, values, strict=False))))
    if not rows:
        raise IndicatorImportError([_(NO_DATA_ROWS)])
    return layout, header_row, columns, rows


def _csv_header(lines: list[str]) -> tuple[int, str]:
    """The first line that reads as a header with two or more cells, and its delimiter."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for delimiter in (";", ",", "\t"):
            cells = [_normalise(cell) for cell in next(csv.reader([line], delimiter=delimiter), [])]
            if sum(1 for cell in cells if cell) >= 2 and _looks_like_header(cells):
                return index, delimiter
    raise IndicatorImportError([_(NO_HEADER)])


def _header_index(grid: list[list[str]]) -> int:
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        normalised = [_normalise(cell) for cell in cells]
        if sum(1 for cell in normalised if cell) >= 2 and _looks_like_header(normalised):
            return index
    raise IndicatorImportError([_(NO_HEADER)])


def _looks_like_header(cells: list[str]) -> bool:
    known = set(LONG_COLUMNS) | set(SSB_REQUIRED)
    return any(cell in known for cell in cells)


def _columns(cells: list[str], row: int) -> tuple[str, list[str]]:
    columns = [_column_name(cell) for cell in cells]
    while columns and not columns[-1]:
        columns.pop()
    seen = set()
    for column in columns:
        if column in seen:
            raise IndicatorImportError([_(DUPLICATE_COLUMN).format(row=row, column=column)])
        seen.add(column)
    if set(SSB_REQUIRED) <= seen:
        if not any(PERIOD_PATTERN.match(column) for column in columns):
            raise IndicatorImportError([_(NO_PERIOD_COLUMNS).format(row=row)])
        return "ssb", columns
    missing = [column for column in LONG_COLUMNS if column not in seen]
    if any(column in seen for column in SSB_REQUIRED) and not any(c in seen for c in LONG_COLUMNS):
        missing = [column for column in SSB_REQUIRED if column not in seen]
    if missing:
        raise IndicatorImportError(
            [_(MISSING_COLUMNS).format(row=row, columns=", ".join(f"«{column}»" for column in missing))]
        )
    errors = [
        _(UNKNOWN_COLUMN).format(row=row, column=column or "(tom)", allowed=", ".join(LONG_COLUMNS))
        for column in columns
        if column not in LONG_COLUMNS
    ]
    if errors:
        raise IndicatorImportError(errors)
    return "long", columns


# --- interpreting the rows -----------------------------------------------------------------


class _Lookups:
    """Indicators and areas by the names an import may use for them, read once."""

    def __init__(self):
        self.indicators: dict[str, Indicator] = {}
        for indicator in Indicator.objects.all():
            for key in (indicator.slug, indicator.name, indicator.ssb_variable):
                if key:
                    self.indicators.setdefault(key.strip().lower(), indicator)
        self.areas: dict[str, Area] = {}
        self.area_codes: dict[str, Area] = {}
        for area in Area.objects.all():
            self.areas[area.name.strip().lower()] = area
            if area.code:
                self.area_codes[area.code.strip().lower()] = area

    def indicator(self, value: str) -> Indicator | None:
        return self.indicators.get(value.strip().lower())

    def area(self, value: str) -> Area | None:
        key = value.strip().lower()
        if key in self.areas:
            return self.areas[key]
        if key in self.area_codes:
            return self.area_codes[key]
        # SSB writes a region as its code and name: "4204 Kristiansand", "0 Hele landet".
        match = re.match(r"^(\S*\d\S*)\s+(.+)$", key)
        if match:
            return self.area_codes.get(match.group(1)) or self.areas.get(match.group(2).strip())
        return None


def _number(raw: str, *, row: int, column: str, errors: list[str]) -> Decimal | None:
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if "," in text and "." in text:
        errors.append(_(BAD_NUMBER).format(row=row, column=column, value=raw.strip()))
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        errors.append(_(BAD_NUMBER).format(row=row, column=column, value=raw.strip()))
        return None
    if not value.is_finite():
        errors.append(_(BAD_NUMBER).format(row=row, column=column, value=raw.strip()))
        return None
    if -value.as_tuple().exponent > MAX_DECIMALS and value != value.quantize(
        Decimal(1).scaleb(-MAX_DECIMALS)
    ):
        errors.append(
            _(TOO_MANY_DECIMALS).format(row=row, column=column, value=raw.strip(), decimals=MAX_DECIMALS)
        )
        return None
    if abs(value) >= Decimal(10) ** 12:
        errors.append(_(TOO_LARGE).format(row=row, column=column, value=raw.strip()))
        return None
    return value


def _long_values(rows: list[_Row], lookups: _Lookups, chosen: Indicator | None) -> list[_Value]:
    errors: list[str] = []
    values: list[_Value] = []
    for row in rows:
        cells = {column: row.cells.get(column, "").strip() for column in LONG_COLUMNS}
        empty = [column for column, value in cells.items() if not value]
        for column in empty:
            errors.append(_(EMPTY_CELL).format(row=row.number, column=column))
        if empty:
            continue
        indicator = lookups.indicator(cells["indikator"])
        if indicator is None:
            errors.append(
                _(UNKNOWN_INDICATOR).format(row=row.number, column="indikator", value=cells["indikator"])
            )
        elif chosen is not None and indicator != chosen:
            errors.append(
                _(INDICATOR_MISMATCH).format(
                    row=row.number, column="indikator", value=cells["indikator"], indicator=chosen.name
                )
            )
        area = lookups.area(cells["område"])
        if area is None:
            errors.append(_(UNKNOWN_AREA).format(row=row.number, column="område", value=cells["område"]))
        period = cells["periode"]
        if not PERIOD_PATTERN.match(period):
            errors.append(_(BAD_PERIOD).format(row=row.number, column="periode", value=period))
        number = _number(cells["verdi"], row=row.number, column="verdi", errors=errors)
        if indicator and area and number is not None and PERIOD_PATTERN.match(period):
            values.append(_Value(row.number, "verdi", indicator, area, period, number))
    if errors:
        raise IndicatorImportError(errors)
    return values


def _ssb_values(
    header_row: int, columns: list[str], rows: list[_Row], lookups: _Lookups, chosen: Indicator | None
) -> tuple[list[_Value], int]:
    errors: list[str] = []
    periods = [column for column in columns if PERIOD_PATTERN.match(column)]
    dimensions = [column for column in columns if column not in periods and column not in SSB_REQUIRED]
    for column in dimensions:
        distinct = sorted({row.cells.get(column, "").strip() for row in rows})
        if len(distinct) > 1:
            errors.append(
                _(SEVERAL_VALUES).format(column=column, values=", ".join(f"«{v}»" for v in distinct))
            )
    if chosen is not None:
        variables = sorted({row.cells.get("statistikkvariabel", "").strip() for row in rows})
        if len(variables) > 1:
            errors.append(
                _(SEVERAL_VALUES).format(
                    column="statistikkvariabel", values=", ".join(f"«{v}»" for v in variables)
                )
            )
    if errors:
        raise IndicatorImportError(errors)
    values: list[_Value] = []
    skipped = 0
    for row in rows:
        region = row.cells.get("region", "").strip()
        variable = row.cells.get("statistikkvariabel", "").strip()
        area = indicator = None
        if not region:
            errors.append(_(EMPTY_CELL).format(row=row.number, column="region"))
        else:
            area = lookups.area(region)
            if area is None:
                errors.append(_(UNKNOWN_AREA).format(row=row.number, column="region", value=region))
        if chosen is not None:
            indicator = chosen
        elif not variable:
            errors.append(_(EMPTY_CELL).format(row=row.number, column="statistikkvariabel"))
        else:
            indicator = lookups.indicator(variable)
            if indicator is None:
                errors.append(
                    _(UNKNOWN_INDICATOR).format(row=row.number, column="statistikkvariabel", value=variable)
                )
        for period in periods:
            raw = row.cells.get(period, "").strip()
            if raw in SSB_MISSING:
                skipped += 1
                continue
            number = (
                Decimal(0) if raw == SSB_ZERO else _number(raw, row=row.number, column=period, errors=errors)
            )
            if number is not None and area and indicator:
                values.append(_Value(row.number, period, indicator, area, period, number))
    if errors:
        raise IndicatorImportError(errors)
    return values, skipped


def _check_duplicates(values: list[_Value]) -> None:
    first: dict[tuple[int, int, str], _Value] = {}
    errors = []
    for value in values:
        key = (value.indicator.pk, value.area.pk, value.period)
        if key in first:
            errors.append(
                _(DUPLICATE_ROW).format(
                    row=value.row,
                    column=value.column,
                    indicator=value.indicator.name,
                    area=value.area.name,
                    period=value.period,
                    first=first[key].row,
                )
            )
        else:
            first[key] = value
    if errors:
        raise IndicatorImportError(errors)


# --- writing -------------------------------------------------------------------------------


def _save(values: list[_Value], result: ImportResult, *, user=None) -> None:
    indicators = {value.indicator.pk: value.indicator for value in values}
    with transaction.atomic():
        existing = {
            (obs.indicator_id, obs.area_id, obs.period): obs
            for obs in Observation.objects.filter(indicator__in=list(indicators)).select_for_update()
        }
        new, changed = [], []
        changed_indicators = set()
        for value in values:
            obs = existing.get((value.indicator.pk, value.area.pk, value.period))
            if obs is None:
                new.append(
                    Observation(
                        indicator=value.indicator, area=value.area, period=value.period, value=value.value
                    )
                )
                changed_indicators.add(value.indicator.pk)
            elif obs.value.normalize() != value.value.normalize():
                obs.value = value.value
                changed.append(obs)
                changed_indicators.add(value.indicator.pk)
            else:
                result.unchanged += 1
        Observation.objects.bulk_create(new)
        Observation.objects.bulk_update(changed, ["value"])
        result.created, result.changed = len(new), len(changed)
        result.indicators = list(indicators.values())
        if changed_indicators:
            _after_change([indicators[pk] for pk in changed_indicators], user=user)


def _after_change(indicators: list[Indicator], *, user=None) -> None:
    """Bulk writes send no signals: log the change and purge the public page ourselves."""
    from wagtail.log_actions import log

    for indicator in indicators:
        log(instance=indicator, action="wagtail.edit", user=user)
    if settings.PAGE_CACHE_ENABLED:
        from config.purges import purge_for_object

        transaction.on_commit(lambda: purge_for_object(indicators[0]))
