"""Whole numbers read from a reader's query string, checked before they reach the database: a
value that is not plain digits, or is out of range, is no value (the filter is not applied)."""

from __future__ import annotations

# PostgreSQL's integer, the widest id column here; a larger number overflows the query.
MAX_ID = 2_147_483_647
# Years a date filter may name: datetimes near year 1 or 9999 overflow in time zone arithmetic.
FIRST_YEAR, LAST_YEAR = 1000, 9000


def _digits(value) -> str:
    # «2 020» (a year printed with a thousands separator) reads as 2020.
    text = "".join(str(value or "").split())
    return text if text.isascii() and text.isdigit() else ""


def id_param(value) -> int | None:
    """A row's id, or None."""
    digits = _digits(value)
    if not digits or len(digits) > len(str(MAX_ID)):
        return None
    number = int(digits)
    return number if 0 < number <= MAX_ID else None


def year_param(value) -> int | None:
    """A four-digit year, or None."""
    digits = _digits(value)
    if len(digits) != 4:
        return None
    number = int(digits)
    return number if FIRST_YEAR <= number <= LAST_YEAR else None
