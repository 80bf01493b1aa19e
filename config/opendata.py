"""Open data: every public dataset as JSON (list with filters, and detail), CSV and XLSX.

An app names its datasets in its AppConfig (`open_datasets = "app.opendata.DATASETS"`); each
dataset says which rows are public, which columns it has (with Norwegian headings) and which
filters it accepts. The views here serve them all alike under /api/data/ (never page-cached:
config/pagecache.py leaves /api/ out), so that the public pages, the admin and reusers read the
same figures. Rows a dataset's `rows()` does not return (drafts, committee-only, exempt) are
absent from every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, wraps
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.urls import path, re_path, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.params import MAX_ID, id_param, year_param

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
INVALID_FILTER = gettext_lazy("Ugyldig verdi for «{name}»: «{value}». {hint}")
INVALID_PAGING = gettext_lazy(
    "«limit» og «offset» må være hele tall (limit høyst {max}, offset høyst {max_offset})."
)
UNKNOWN_PARAMETER = gettext_lazy("Ukjent parameter «{name}». Tillatt: {allowed}.")
NOT_FOUND = gettext_lazy("Finnes ikke: {path}. Datasettene står på {index}.")
LICENCE = "NLOD-2.0"
LICENCE_URL = "https://data.norge.no/nlod/no/2.0"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    value: Callable[[Any], Any]
    # A site-relative URL, given to reusers as an absolute one.
    absolute: bool = False


@dataclass(frozen=True)
class Filter:
    """A query parameter: `?status=forslag`. `parse` turns the text into the lookup's value and
    raises ValueError, whose text tells the reader what to write instead."""

    name: str
    lookup: str
    parse: Callable[[str], Any] = str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = field(default_factory=tuple)
    example: str = ""

    def headings(self) -> list[str]:
        return [str(column.heading) for column in self.columns]


def choice(choices) -> Callable[[str], str]:
    """A filter parser that accepts the values of a TextChoices class."""

    def parse(value: str) -> str:
        if value not in choices.values:
            raise ValueError(_("Gyldige verdier: %(values)s.") % {"values": ", ".join(choices.values)})
        return value

    return parse


def year(value: str) -> int:
    number = year_param(value)
    if number is None:
        raise ValueError(_("Skriv et årstall, for eksempel 2021."))
    return number


def whole_number(value: str) -> int:
    number = id_param(value)
    if number is None:
        raise ValueError(_("Skriv et helt tall fra 1 til %(max)s.") % {"max": MAX_ID})
    return number


def boolean(value: str) -> bool:
    if value.lower() in {"true", "1", "ja"}:
        return True
    if value.lower() in {"false", "0", "nei"}:
        return False
    raise ValueError(_("Skriv ja eller nei."))


@cache
def datasets() -> dict[str, Dataset]:
    found: dict[str, Dataset] = {}
    for config in apps.get_app_configs():
        name = getattr(config, "open_datasets", None)
        if name:
            for dataset in import_string(name):
                found[dataset.slug] = dataset
    return found


def _dataset(slug: str) -> Dataset:
    try:
        return datasets()[slug]
    except KeyError:
        raise NotFound from None


class NotFound(Exception):
    """An address under /api/data/ that names no dataset or no row: a JSON 404, as a program
    reading the API expects, not the site's HTML page."""


class BadRequest(Exception):
    pass


def filtered_rows(dataset: Dataset, params) -> QuerySet:
    """The dataset's public rows narrowed by the filters in `params` (a QueryDict)."""
    known = {item.name: item for item in dataset.filters}
    allowed = set(known) | {"limit", "offset"}
    for name in params:
        if name not in allowed:
            raise BadRequest(UNKNOWN_PARAMETER.format(name=name, allowed=", ".join(sorted(allowed))))
    rows = dataset.rows()
    for name, item in known.items():
        raw = params.get(name)
        if raw is None or raw == "":
            continue
        try:
            rows = rows.filter(**{item.lookup: item.parse(raw)})
        except ValueError as error:
            raise BadRequest(INVALID_FILTER.format(name=name, value=raw[:80], hint=error)) from None
    return rows


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def text_value(value) -> str:
    """A cell as Norwegian spreadsheets read it: decimal comma, ISO dates, lists on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, float):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(text_value(item) for item in value)
    return str(value)


def _cell(request, column: Column, row):
    value = column.value(row)
    if column.absolute and isinstance(value, str) and value.startswith("/"):
        return request.build_absolute_uri(value)
    return value


def _record(request, dataset: Dataset, row) -> dict:
    return {column.key: _json_value(_cell(request, column, row)) for column in dataset.columns}


def _error(message) -> JsonResponse:
    return JsonResponse({"feil": str(message)}, status=400, json_dumps_params={"ensure_ascii": False})


def _not_found(request) -> JsonResponse:
    message = NOT_FOUND.format(path=request.path, index=request.build_absolute_uri(reverse("opendata:index")))
    return JsonResponse({"feil": message}, status=404, json_dumps_params={"ensure_ascii": False})


def not_found_view(request, rest: str = ""):
    return _not_found(request)


def answers_not_found(view):
    """`view`, answering a JSON 404 for `NotFound`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return _not_found(request)

    return wrapper


def _json(data, **kwargs) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1}, **kwargs)


def index_view(request):
    return _json(
        {
            "lisens": LICENCE,
            "lisens_url": LICENCE_URL,
            "datasett": [
                {
                    "id": dataset.slug,
                    "tittel": str(dataset.title),
                    "beskrivelse": str(dataset.description),
                    "filtre": [item.name for item in dataset.filters],
                    "json": request.build_absolute_uri(reverse("opendata:list", args=[dataset.slug])),
                    "csv": request.build_absolute_uri(reverse("opendata:csv", args=[dataset.slug])),
                    "xlsx": request.build_absolute_uri(reverse("opendata:xlsx", args=[dataset.slug])),
                }
                for dataset in datasets().values()
            ],
        }
    )


def _paging(params) -> tuple[int, int]:
    try:
        limit = int(params.get("limit", DEFAULT_LIMIT))
        offset = int(params.get("offset", 0))
    except ValueError:
        raise BadRequest(INVALID_PAGING.format(max=MAX_LIMIT, max_offset=MAX_ID)) from None
    if not (0 < limit <= MAX_LIMIT) or not (0 <= offset <= MAX_ID):
        raise BadRequest(INVALID_PAGING.format(max=MAX_LIMIT, max_offset=MAX_ID))
    return limit, offset


def list_view(request, slug: str):
    dataset = _dataset(slug)
    try:
        rows = filtered_rows(dataset, request.GET)
        limit, offset = _paging(request.GET)
    except BadRequest as error:
        return _error(error)
    count = rows.count()
    page = list(rows[offset : offset + limit])

    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return _json(
        {
            "antall": count,
            "neste": link(offset + limit) if offset + limit < count else None,
            "forrige": link(max(0, offset - limit)) if offset else None,
            "lisens": LICENCE,
            "resultater": [_record(request, dataset, row) for row in page],
        }
    )


def detail_view(request, slug: str, pk: int):
    dataset = _dataset(slug)
    row = dataset.rows().filter(pk=pk).first()
    if row is None:
        raise NotFound
    return _json(_record(request, dataset, row))


def table(request, dataset: Dataset, rows: Iterable) -> list[list]:
    return [[_cell(request, column, row) for column in dataset.columns] for row in rows]


def csv_response(request, dataset: Dataset, rows: Iterable, *, filename: str) -> HttpResponse:
    """UTF-8 with a byte order mark and semicolons: what Excel in Norwegian opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(dataset.headings())
    for values in table(request, dataset, rows):
        writer.writerow([text_value(value) for value in values])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(request, dataset: Dataset, rows: Iterable, *, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    # Excel's sheet names: at most 31 characters, none of []:*?/\
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", str(dataset.title)).strip()[:31] or dataset.slug[:31]
    sheet.append(dataset.headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table(request, dataset, rows):
        sheet.append([_xlsx_value(value) for value in values])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_value(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return text_value(value)
    return value


def _export(render):
    def view(request, slug: str):
        dataset = _dataset(slug)
        try:
            rows = filtered_rows(dataset, request.GET)
        except BadRequest as error:
            return _error(error)
        return render(request, dataset, rows, filename=dataset.slug)

    return view


app_name = "opendata"
urlpatterns = [
    path("", index_view, name="index"),
    path("<slug:slug>.csv", answers_not_found(_export(csv_response)), name="csv"),
    path("<slug:slug>.xlsx", answers_not_found(_export(xlsx_response)), name="xlsx"),
    path("<slug:slug>/", answers_not_found(list_view), name="list"),
    path("<slug:slug>/<int:pk>/", answers_not_found(detail_view), name="detail"),
    # Only addresses ending in «/»: CommonMiddleware first adds the slash a dataset's address
    # may lack («/api/data/milepaeler» → «/api/data/milepaeler/»).
    re_path(r"^(?P<rest>(?:.*/)?)$", not_found_view),
]
