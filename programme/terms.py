"""Terms (Vår 21, Høst 21, 2022 …): how the programme names its periods.

The programme stores real dates and shows them as the seed's "Overordnet framdrift" table heads
them: the first and the last year of the programme in halves (vår = January–June, høst =
July–December), the years between as whole years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

TERM_PATTERN = re.compile(r"^\s*(?:(?P<half>Vår|Høst)\s+(?P<yy>\d{2})|(?P<year>\d{4}))\s*$", re.IGNORECASE)
UNKNOWN_TERM = "ukjent termin {value!r}: skriv «Vår 21», «Høst 21» eller et årstall som «2022»"


@dataclass(frozen=True)
class Term:
    kind: str  # "spring", "autumn" or "year"
    year: int
    starts_on: dt.date
    ends_on: dt.date

    @property
    def label(self) -> str:
        short = f"{self.year % 100:02d}"
        if self.kind == "spring":
            return _("Vår %(year)s") % {"year": short}
        if self.kind == "autumn":
            return _("Høst %(year)s") % {"year": short}
        return str(self.year)

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def __contains__(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def spring(year: int) -> Term:
    return Term("spring", year, dt.date(year, 1, 1), dt.date(year, 6, 30))


def autumn(year: int) -> Term:
    return Term("autumn", year, dt.date(year, 7, 1), dt.date(year, 12, 31))


def whole_year(year: int) -> Term:
    return Term("year", year, dt.date(year, 1, 1), dt.date(year, 12, 31))


def parse_term(value: str) -> Term:
    """«Vår 21», «Høst 21» or «2022» as a Term; ValueError (Norwegian message) otherwise."""
    match = TERM_PATTERN.match(str(value))
    if not match:
        raise ValueError(UNKNOWN_TERM.format(value=value))
    if match["year"]:
        return whole_year(int(match["year"]))
    year = 2000 + int(match["yy"])
    return spring(year) if match["half"].lower() == "vår" else autumn(year)


def term_columns(start: dt.date, end: dt.date) -> list[Term]:
    """The terms covering `start`–`end`: halves in the first and last year, whole years between."""
    if end < start:
        return []
    columns = []
    for year in range(start.year, end.year + 1):
        if start.year < year < end.year:
            columns.append(whole_year(year))
            continue
        columns.extend(
            term for term in (spring(year), autumn(year)) if term.ends_on >= start and term.starts_on <= end
        )
    return columns


def term_of(day: dt.date, columns: list[Term]) -> Term | None:
    return next((term for term in columns if day in term), None)


def span_label(start: dt.date, end: dt.date, columns: list[Term]) -> str:
    """«Vår 21 – Høst 21» for a span, in the terms of `columns`; dates when outside them."""
    first, last = term_of(start, columns), term_of(end, columns)
    if first is None or last is None:
        return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"
    return first.label if first == last else f"{first.label} – {last.label}"
