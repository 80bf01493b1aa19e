"""The framework behind `manage.py load_programme`.

Each app keeps its starting content in YAML files under `<app>/data/` and a `loaders.load(ctx)`
function that writes it. Loaders are idempotent: they look rows up by a natural key and write
only what differs, so a second run changes nothing. Errors name the file and the entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import CommandError
from django.db import models
from django.utils.module_loading import import_string
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import Page

_MISSING = object()


class ContentError(CommandError):
    """A data file is missing, malformed or contradicts itself."""


@dataclass(frozen=True)
class Entry:
    """A value read from a data file, with where it came from for error messages."""

    source: str
    where: str
    data: Any

    def error(self, message: str) -> ContentError:
        where = f", {self.where}" if self.where else ""
        return ContentError(f"{self.source}{where}: {message}")

    def _child_where(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.where}[{key}]"
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, default: Any = None) -> Any:
        if not isinstance(self.data, dict):
            raise self.error("forventet en tabell med nøkler")
        return self.data.get(key, default)

    def __getitem__(self, key: str) -> Entry:
        value = self.get(key, _MISSING)
        if value is _MISSING or value is None:
            raise self.error(f"mangler feltet «{key}»")
        return Entry(self.source, self._child_where(key), value)

    def optional(self, key: str) -> Entry | None:
        value = self.get(key)
        return None if value is None else Entry(self.source, self._child_where(key), value)

    def text(self, key: str, *, required: bool = True) -> str:
        if not required and self.get(key) is None:
            return ""
        value = self[key].data
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.error(f"«{key}» må være tekst")
        return str(value).strip()

    def integer(self, key: str, *, required: bool = True) -> int | None:
        if not required and self.get(key) is None:
            return None
        value = self[key].data
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"«{key}» må være et heltall, fikk {value!r}")
        return value

    def decimal(self, key: str, *, required: bool = True) -> Decimal | None:
        if not required and self.get(key) is None:
            return None
        value = self[key].data
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            return Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise self.error(f"«{key}» må være et tall, fikk {value!r}") from None

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        if not required and self.get(key) is None:
            return None
        value = self[key].data
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.error(f"«{key}» må være en dato (ÅÅÅÅ-MM-DD), fikk {value!r}") from None

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(f"«{key}» må være true eller false, fikk {value!r}")
        return value

    def choice(self, key: str, choices: type[models.Choices], *, default: str | None = None) -> str:
        value = self.get(key, default) if default is not None else self.text(key)
        if value not in choices.values:
            allowed = ", ".join(str(v) for v in choices.values)
            raise self.error(f"«{key}» har ukjent verdi {value!r} (gyldige: {allowed})")
        return value

    def items(self, key: str, *, required: bool = True) -> list[Entry]:
        if not required and self.get(key) is None:
            return []
        entry = self[key]
        if not isinstance(entry.data, list):
            raise self.error(f"«{key}» må være en liste")
        return [Entry(self.source, entry._child_where(i), item) for i, item in enumerate(entry.data)]

    def strings(self, key: str, *, required: bool = True) -> list[str]:
        values = []
        for item in self.items(key, required=required):
            if not isinstance(item.data, str | int | float) or isinstance(item.data, bool):
                raise item.error("forventet tekst")
            values.append(str(item.data).strip())
        return values


@dataclass
class LoadContext:
    """What a loader gets: where the data is, a progress reporter and counters."""

    data_dir: Path | None = None
    report: Callable[[str], None] = lambda message: None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    state: dict[str, Any] = field(default_factory=dict)

    def path(self, app_label: str, name: str) -> Path:
        if self.data_dir is not None:
            return self.data_dir / app_label / name
        return Path(apps.get_app_config(app_label).path) / "data" / name

    def read(self, app_label: str, name: str) -> Entry:
        path = self.path(app_label, name)
        try:
            source = str(path.relative_to(settings.BASE_DIR))
        except ValueError:
            source = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ContentError(f"{source}: filen finnes ikke") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" (linje {mark.line + 1})" if mark else ""
            raise ContentError(f"{source}{line}: ugyldig YAML: {getattr(exc, 'problem', exc)}") from None
        if not isinstance(data, dict):
            raise ContentError(f"{source}: forventet en tabell med nøkler øverst i filen")
        self.report(f"  {source}")
        return Entry(source, "", data)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def content_loaders() -> Iterable[tuple[str, Callable[[LoadContext], None]]]:
    for config in apps.get_app_configs():
        dotted = getattr(config, "content_loader", None)
        if dotted:
            yield config.label, import_string(dotted)


# --- writing -------------------------------------------------------------------------------


def _comparable(model_field: models.Field | None, value: Any) -> Any:
    if isinstance(model_field, StreamField) or isinstance(value, StreamValue):
        raw = model_field.get_prep_value(value) if model_field else value.get_prep_value()
        if isinstance(raw, str):
            raw = json.loads(raw)
        return _strip_block_ids(raw)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _strip_block_ids(value: Any) -> Any:
    if isinstance(value, list):
        return [_strip_block_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _strip_block_ids(item) for key, item in value.items() if key != "id"}
    return value


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set `values` on `obj`; return whether anything differed."""
    changed = False
    for name, value in values.items():
        model_field = _model_field(obj, name)
        current = getattr(obj, name)
        if isinstance(model_field, StreamField):
            setattr(obj, name, value)
            if _comparable(model_field, current) != _comparable(model_field, getattr(obj, name)):
                changed = True
            continue
        if _comparable(model_field, current) != _comparable(model_field, value):
            setattr(obj, name, value)
            changed = True
    return changed


def _model_field(obj: models.Model, name: str) -> models.Field | None:
    try:
        return obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _children_differ(page: models.Model, relation: str, rows: list[dict[str, Any]]) -> bool:
    existing = list(getattr(page, relation).all())
    if len(existing) != len(rows):
        return True
    for obj, row in zip(existing, rows, strict=True):
        for name, value in row.items():
            model_field = obj._meta.get_field(name)
            if _comparable(model_field, getattr(obj, name)) != _comparable(model_field, value):
                return True
    return False


def _match_rows(model, existing: list, rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list:
    """Objects for `rows`: an existing one (updated) where a key field matches, else a new one."""
    unused = list(existing)
    result = []
    for row in rows:
        found = None
        for key in keys:
            if row.get(key):
                found = next((obj for obj in unused if getattr(obj, key) == row[key]), None)
                break
        if found is None:
            result.append(model(**row))
            continue
        unused.remove(found)
        for name, value in row.items():
            setattr(found, name, value)
        result.append(found)
    return result


def upsert_page(
    ctx: LoadContext,
    *,
    parent: Page,
    model: type[Page],
    slug: str,
    fields: dict[str, Any],
    children: dict[str, list[dict[str, Any]]] | None = None,
    child_keys: dict[str, tuple[str, ...]] | None = None,
) -> Page:
    """Create or update a live page of `model` with `slug` under `parent`, publishing a revision
    only when something changed. `children` maps a ParentalKey relation to its rows, in order.
    A changed row keeps its primary key (and what links to it) when it is found again by the
    first of its `child_keys` fields that it has a value for (the case number, then the title);
    rows found by none are new, and rows no longer in the data are deleted."""
    children = children or {}
    child_keys = child_keys or {}
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        for relation, rows in children.items():
            related_model = page._meta.get_field(relation).related_model
            setattr(page, relation, [related_model(**row) for row in rows])
        parent.add_child(instance=page)
        page.save_revision().publish()
        ctx.count("created")
        return page
    changed = _assign(page, fields)
    for relation, rows in children.items():
        if _children_differ(page, relation, rows):
            related_model = page._meta.get_field(relation).related_model
            existing = list(getattr(page, relation).all())
            setattr(page, relation, _match_rows(related_model, existing, rows, child_keys.get(relation, ())))
            changed = True
    if changed or not page.live:
        page.save_revision().publish()
        ctx.count("updated")
    else:
        ctx.count("unchanged")
    return page


def upsert(
    ctx: LoadContext, model: type[models.Model], *, lookup: dict[str, Any], values: dict[str, Any]
) -> models.Model:
    """Create or update one row found by its natural key, saving only when something changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        ctx.count("created")
        return obj
    if _assign(obj, values):
        obj.save()
        ctx.count("updated")
    else:
        ctx.count("unchanged")
    return obj
