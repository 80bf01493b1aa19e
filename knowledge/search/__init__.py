"""The public search (/sok/): one search over every public page type and the public snippets,
through Wagtail's search API, so that it runs on whichever backend the settings choose.

What is searched is data-driven: every page type with search fields of its own, and the snippet
snippet models their apps name in `AppConfig.public_snippets` (they need a `get_public_url()`). What a reader
may see is decided by the database: live pages outside view restrictions, live snippets, and
`exclude_exempt_from_public_access` (the one place where content exempt from public access will
be filtered out)."""

from __future__ import annotations

import difflib
import html
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.paginator import Paginator
from django.db import DatabaseError, models
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from modelsearch.index import AutocompleteField, FilterField, SearchField, class_is_indexed
from modelsearch.query import And, Not, Phrase, PlainText
from wagtail.models import DraftStateMixin, Page
from wagtail.search.backends import get_search_backend

from programme.queries import public

from .backend import (
    SearchIndexLocked,
    SearchIndexUnavailable,
    is_number_reference,
    iter_field_values,
    searchable,
)
from .backend import words as query_words

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
AUTOCOMPLETE_LIMIT = 8

INDEX_UNAVAILABLE_MESSAGE = _(
    "Søket er ikke tilgjengelig akkurat nå. Prøv igjen senere, eller bruk menyen for å finne fram."
)
SEARCH_FAILED_MESSAGE = _("Søket kunne ikke utføres. Prøv med andre ord.")
EMPTY_QUERY_MESSAGE = _("Skriv inn ett eller flere søkeord.")
ONLY_EXCLUSIONS_MESSAGE = _(
    "Søket inneholder bare ord som skal utelates. Skriv inn minst ett ord å søke etter."
)
ONLY_STOP_WORDS_MESSAGE = _(
    "Søket inneholder bare småord som «og» og «i», som det ikke søkes på. Skriv inn minst ett ord til."
)
TRUNCATED_MESSAGE = _("Søket var for langt og er forkortet.")


def public_snippet_models() -> list[type[models.Model]]:
    """Snippet models with public pages of their own, named by their apps
    (`AppConfig.public_snippets = ["app_label.ModelName"]`): indexed, with `get_public_url()`."""
    found = []
    for config in apps.get_app_configs():
        for label in getattr(config, "public_snippets", ()):
            model = apps.get_model(label)
            if class_is_indexed(model) and hasattr(model, "get_public_url"):
                found.append(model)
    return found


@cache
def searchable_page_models() -> tuple[type[Page], ...]:
    """Every page type with search fields of its own (Wagtail's root page has only the title)."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and _own_search_fields(model)
    )


def _own_search_fields(model) -> bool:
    inherited = {(type(f), f.field_name) for f in Page.get_search_fields()}
    return any(
        (type(f), f.field_name) not in inherited
        for f in model.get_search_fields()
        if not isinstance(f, (FilterField, AutocompleteField))
    )


def exclude_exempt_from_public_access(queryset: QuerySet) -> QuerySet:
    """The hook for content exempt from public access (unntatt offentlighet): it returns what
    may be shown to the public. Exempt meetings and protocols (and what lies below an exempt
    meeting) are left out; their index entries hold only public text anyway
    (`MeetingPage.public_agenda_text`, `ProtocolPage.public_note`)."""
    from meetings.queries import exclude_exempt

    return exclude_exempt(queryset)


def visible_pages() -> QuerySet[Page]:
    """Pages the public search may return, to every reader (logged in or not): live, of a
    searchable type, not under a view restriction (committee-only), not exempt."""
    from django.contrib.contenttypes.models import ContentType

    content_types = ContentType.objects.get_for_models(*searchable_page_models()).values()
    pages = Page.objects.live().filter(content_type__in=[ct.pk for ct in content_types])
    return exclude_exempt_from_public_access(public(pages))


def visible_snippets(model: type[models.Model]) -> QuerySet:
    objects = model._default_manager.all()
    if issubclass(model, DraftStateMixin):
        objects = objects.filter(live=True)
    return exclude_exempt_from_public_access(objects)


# ---------------------------------------------------------------------------------------------
# The query a reader types


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class ParsedQuery:
    text: str = ""
    query: object = None
    words: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # stop words and one-letter words
    message: str = ""
    truncated: bool = False


def clean_query(raw: str) -> tuple[str, bool]:
    """The reader's text without control characters (NUL included), normalised and shortened."""
    text = unicodedata.normalize("NFC", raw or "")
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


def _query_term(words: list[str], *, phrase: bool):
    """A phrase asks for its words in order; a number reference («8-8», «1/21») is asked for as
    a phrase too: the database backend splits a plain word at «-» and then misses «3-2», which
    PostgreSQL indexes as «3» followed by «-2»."""
    if (phrase and len(words) > 1) or any(is_number_reference(word) for word in words):
        return Phrase(" ".join(words))
    return PlainText(" ".join(words), "and")


def parse_query(raw: str) -> ParsedQuery:
    """Words (all must match), "phrases", and -words or -"phrases" to leave out. Anything else
    (lone operators, unbalanced quotes, punctuation) is read as plain words or ignored."""
    text, truncated = clean_query(raw)
    parsed = ParsedQuery(text=text, truncated=truncated)
    if text.count('"') % 2:
        text = text.replace('"', " ")
    include, exclude = [], []
    for sign_phrase, phrase, sign_word, word in _TOKEN.findall(text):
        negative = bool(sign_phrase or sign_word)
        words = query_words(phrase if phrase else word)
        if not phrase:
            # «flere i arbeid» asks for «flere» and «arbeid»: a stop word or a one-letter word
            # narrows nothing (no backend indexes it for every language), so it is not required.
            skipped = [word for word in words if not searchable(word)]
            parsed.skipped.extend(skipped)
            words = [word for word in words if word not in skipped]
        if not words:
            continue
        if len(include) + len(exclude) >= MAX_WORDS:
            break
        (exclude if negative else include).append(_query_term(words, phrase=bool(phrase)))
        if not negative:
            parsed.words.extend(words)
    if not include:
        if exclude:
            parsed.message = ONLY_EXCLUSIONS_MESSAGE
        elif parsed.skipped:
            parsed.message = ONLY_STOP_WORDS_MESSAGE
        else:
            parsed.message = EMPTY_QUERY_MESSAGE
        return parsed
    parts = include + [Not(term) for term in exclude]
    parsed.query = parts[0] if len(parts) == 1 else And(parts)
    return parsed


# ---------------------------------------------------------------------------------------------
# Search


@dataclass
class Hit:
    model: type[models.Model]
    pk: object
    score: float
    obj: models.Model
    type_label: str = ""
    year: int | None = None
    tags: set[str] = field(default_factory=set)
    themes: set[int] = field(default_factory=set)
    url: str = ""
    title: str = ""
    snippet: str = ""

    @property
    def type_key(self) -> str:
        return self.model._meta.label_lower


@dataclass
class Facet:
    name: str
    label: str
    options: list[tuple[str, str, int, bool]]  # value, label, count, selected


@dataclass
class SearchOutcome:
    query: str = ""
    message: str = ""
    error: str = ""
    total: int = 0
    page: object = None
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    suggestion: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    truncated: bool = False


FILTERS = ("type", "tag", "year", "theme")


def site_search(
    *, query_string: str, filters: dict[str, str] | None = None, page: int | str = 1, request=None
):
    """Search everything the public may read; results, facets and the page of results asked for."""
    parsed = parse_query(query_string)
    filters = {name: value for name, value in (filters or {}).items() if name in FILTERS and value}
    outcome = SearchOutcome(
        query=parsed.text, message=parsed.message, filters=filters, truncated=parsed.truncated
    )
    if parsed.query is None:
        return outcome
    backend = get_search_backend()
    try:
        hits = _search_all(backend, parsed.query)
        _describe(hits)
        outcome.facets = _facets(hits, filters)
        hits = [hit for hit in hits if _matches(hit, filters)]
        outcome.total = len(hits)
        paginator = Paginator(hits, PAGE_SIZE)
        outcome.page = paginator.get_page(_page_number(page))
        outcome.hits = list(outcome.page.object_list)
        _hydrate(outcome.hits, request=request)
        for hit in outcome.hits:
            hit.snippet = highlight_snippet(backend, hit.obj, parsed)
        if outcome.total < 3:
            outcome.suggestion = suggest(backend, parsed) or ""
    except (SearchIndexUnavailable, SearchIndexLocked):
        outcome.error = INDEX_UNAVAILABLE_MESSAGE
        outcome.hits, outcome.facets, outcome.total = [], [], 0
    except DatabaseError:
        logger.exception("Search failed for %r", parsed.text)
        outcome.error = SEARCH_FAILED_MESSAGE
        outcome.hits, outcome.facets, outcome.total = [], [], 0
    return outcome


def _page_number(value) -> int:
    """The page asked for; the first for anything that is no page number (0, -1, «abc»), the
    paginator's last for a number past the end."""
    try:
        return max(int(str(value).strip()), 1)
    except ValueError:
        return 1


def _search_all(backend, query) -> list[Hit]:
    ranked: list[list[Hit]] = []
    pages = backend.search(query, visible_pages(), operator="and").annotate_score("_score")
    ranked.append([Hit(Page, page.pk, page._score or 0.0, page) for page in pages])
    for model in public_snippet_models():
        found = backend.search(query, visible_snippets(model), operator="and").annotate_score("_score")
        ranked.append([Hit(model, obj.pk, obj._score or 0.0, obj) for obj in found])
    if getattr(backend, "comparable_scores", False):
        return sorted((hit for hits in ranked for hit in hits), key=lambda hit: -hit.score)
    # Scores of other backends differ in scale and direction between searches: interleave by rank.
    merged = []
    for position in range(max((len(hits) for hits in ranked), default=0)):
        merged.extend(hits[position] for hits in ranked if position < len(hits))
    return merged


def _describe(hits: list[Hit]) -> None:
    """Type, year, tags and themes of every hit, in a few queries (one per model at most)."""
    from django.contrib.contenttypes.models import ContentType

    pages = [hit for hit in hits if hit.model is Page]
    by_content_type: dict[int, list[Hit]] = {}
    for hit in pages:
        by_content_type.setdefault(hit.obj.content_type_id, []).append(hit)
    for content_type_id, group in by_content_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        for hit in group:
            hit.model = model
    groups: dict[type, list[Hit]] = {}
    for hit in hits:
        hit.type_label = str(hit.model._meta.verbose_name).capitalize()
        groups.setdefault(hit.model, []).append(hit)
    for model, group in groups.items():
        _describe_model(model, group)
    themes = _theme_paths()
    for hit in pages:
        for theme_id, path in themes:
            if hit.obj.path.startswith(path):
                hit.themes.add(theme_id)


def _year_field(model) -> str | None:
    """The field a hit's year comes from: the model's `search_year_field`, or the first date of
    its content it has. Never the publication date: the content loader publishes everything the
    day it runs, and a 2015 regulation is not from 2026."""
    explicit = getattr(model, "search_year_field", None)
    if explicit:
        return explicit
    for name in ("year", "date", "starts_at", "starts_on", "due_date"):
        try:
            model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist
            continue
        return name
    return None


def _describe_model(model, group: list[Hit]) -> None:
    pks = [hit.pk for hit in group]
    by_pk = {hit.pk: hit for hit in group}
    year_field = _year_field(model)
    if year_field:
        for pk, value in model._default_manager.filter(pk__in=pks).values_list("pk", year_field):
            if value is not None:
                by_pk[pk].year = value if isinstance(value, int) else value.year
    elif label := getattr(model, "search_year_parent", ""):  # a finding: its report's year
        parent = apps.get_model(label)
        children = {}
        for hit in group:
            children.setdefault(hit.obj.path[: -Page.steplen], []).append(hit)
        rows = parent._default_manager.filter(path__in=children).values_list("path", _year_field(parent))
        for path, value in rows:
            for hit in children[path] if value is not None else ():
                hit.year = value if isinstance(value, int) else value.year
    for relation in model._meta.get_fields():
        if not (relation.many_to_many and not relation.auto_created):
            continue
        related = relation.related_model
        if related is None:
            continue
        if _is_tag_manager(relation):
            through = relation.remote_field.through
            owner = next(
                (
                    f.name
                    for f in through._meta.get_fields()
                    if f.is_relation
                    and f.related_model is not None
                    and issubclass(model, f.related_model)
                    and f.name != "tag"
                ),
                None,
            )
            if owner is None:
                continue
            rows = through.objects.filter(**{f"{owner}_id__in": pks}).values_list(f"{owner}_id", "tag__name")
            for pk, name in rows:
                by_pk[pk].tags.add(name)
        elif related._meta.label_lower == "programme.themepage":
            rows = model._default_manager.filter(pk__in=pks).values_list("pk", relation.name)
            for pk, theme_id in rows:
                if theme_id is not None:
                    by_pk[pk].themes.add(theme_id)


def _is_tag_manager(relation) -> bool:
    from taggit.managers import TaggableManager

    return isinstance(relation, TaggableManager)


def _theme_paths() -> list[tuple[int, str]]:
    model = _theme_model()
    if model is None:
        return []
    return list(model.objects.live().values_list("pk", "path"))


def _theme_model():
    try:
        return apps.get_model("programme", "ThemePage")
    except LookupError:
        return None


def _matches(hit: Hit, filters: dict[str, str]) -> bool:
    if "type" in filters and hit.type_key != filters["type"]:
        return False
    if "tag" in filters and filters["tag"].lower() not in {tag.lower() for tag in hit.tags}:
        return False
    if "year" in filters and str(hit.year) != filters["year"]:
        return False
    return not ("theme" in filters and filters["theme"] not in {str(theme) for theme in hit.themes})


def _facets(hits: list[Hit], filters: dict[str, str]) -> list[Facet]:
    """Counts of each facet's values among the hits that pass the other facets' filters."""

    def others(name):
        return [hit for hit in hits if _matches(hit, {k: v for k, v in filters.items() if k != name})]

    facets = []
    types = Counter((hit.type_key, hit.type_label) for hit in others("type"))
    facets.append(
        Facet(
            "type",
            _("Innholdstype"),
            [(key, label, n, filters.get("type") == key) for (key, label), n in types.most_common()],
        )
    )
    tags = Counter(tag for hit in others("tag") for tag in hit.tags)
    facets.append(
        Facet(
            "tag",
            _("Emneord"),
            [(t, t, n, filters.get("tag", "").lower() == t.lower()) for t, n in sorted(tags.items())],
        )
    )
    years = Counter(hit.year for hit in others("year") if hit.year)
    facets.append(
        Facet(
            "year",
            _("År"),
            [
                (str(y), str(y), n, filters.get("year") == str(y))
                for y, n in sorted(years.items(), reverse=True)
            ],
        )
    )
    theme_counts = Counter(theme for hit in others("theme") for theme in hit.themes)
    names = _theme_names(list(theme_counts))
    facets.append(
        Facet(
            "theme",
            _("Tema"),
            [
                (str(pk), names.get(pk, ""), n, filters.get("theme") == str(pk))
                for pk, n in sorted(theme_counts.items(), key=lambda item: names.get(item[0], ""))
                if pk in names
            ],
        )
    )
    return [facet for facet in facets if facet.options]


def _theme_names(pks: list[int]) -> dict[int, str]:
    model = _theme_model()
    if model is None or not pks:
        return {}
    return dict(model.objects.live().filter(pk__in=pks).values_list("pk", "title"))


def _hydrate(hits: list[Hit], *, request=None) -> None:
    """The specific pages of one page of results, their URLs and titles."""
    page_ids = [hit.pk for hit in hits if issubclass(hit.model, Page)]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()} if page_ids else {}
    for hit in hits:
        if issubclass(hit.model, Page):
            hit.obj = specific.get(hit.pk, hit.obj)
            hit.url = hit.obj.get_url(request=request) or ""
            hit.title = hit.obj.title
        else:
            hit.url = hit.obj.get_public_url() or ""
            hit.title = str(hit.obj)


# ---------------------------------------------------------------------------------------------
# Snippets, highlighting and the suggestion


def document_text(obj) -> str:
    """The searchable text of `obj` except its title, as the index sees it."""
    parts = []
    for search_field, path, text in iter_field_values(obj, type(obj).get_search_fields()):
        if isinstance(search_field, SearchField) and path != "title" and text:
            parts.append(text)
    return " · ".join(dict.fromkeys(parts))


def highlight_snippet(backend, obj, parsed: ParsedQuery) -> SafeString:
    text = _strip_tags(document_text(obj))
    if hasattr(backend, "highlight"):
        try:
            fragment = backend.highlight(text, " ".join(parsed.words))
        except Exception:  # noqa: BLE001 - a snippet is never worth an error page
            logger.exception("Highlighting failed")
            fragment = ""
        if fragment:
            return mark_safe(fragment)  # noqa: S308 - Whoosh's HtmlFormatter escapes the text
    return fallback_highlight(text, parsed.words)


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def fallback_highlight(text: str, words: list[str], *, width: int = 240) -> SafeString:
    """For backends without a highlighter: the passage around the first matched word, with
    every word that starts like a query word in <mark> (a crude stemmer: the first five
    letters)."""
    stems = {word.lower()[:5] for word in words if len(word) >= 2}
    if not text:
        return mark_safe("")
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.I) if stems else None
    )
    start = 0
    if pattern:
        first = pattern.search(text)
        if first:
            start = max(first.start() - 60, 0)
    passage = text[start : start + width]
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    escaped = html.escape(passage)
    if pattern:
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(prefix + escaped + suffix)  # noqa: S308 - escaped above


VOCABULARY_CACHE_KEY = "knowledge:search:vocabulary"


def suggest(backend, parsed: ParsedQuery) -> str | None:
    """ "Mente du …?": from the index's vocabulary on Whoosh; on other backends from the words
    of the visible titles and search descriptions (cached for an hour)."""
    text = " ".join(parsed.words)
    if not text:
        return None
    suggestion = backend.suggest(text) if hasattr(backend, "suggest") else _vocabulary_suggestion(text)
    if not suggestion or suggestion == text.lower():
        return None
    # Offer it only if it finds something.
    probe = parse_query(suggestion)
    if probe.query is None or not _search_all(backend, probe.query):
        return None
    return suggestion


def _vocabulary_suggestion(text: str) -> str | None:
    vocabulary = django_cache.get(VOCABULARY_CACHE_KEY)
    if vocabulary is None:
        words = set()
        for title in visible_pages().values_list("title", flat=True):
            words.update(word.lower() for word in _WORD.findall(title) if len(word) > 2)
        for model in public_snippet_models():
            for obj in visible_snippets(model):
                words.update(word.lower() for word in _WORD.findall(str(obj)) if len(word) > 2)
        vocabulary = sorted(words)
        django_cache.set(VOCABULARY_CACHE_KEY, vocabulary, 3600)
    known = set(vocabulary)
    changed, corrected = False, []
    for word in text.lower().split():
        if word in known or len(word) < 3:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(corrected) if changed else None


# ---------------------------------------------------------------------------------------------
# Autocomplete


def autocomplete(*, query_string: str, request=None) -> list[dict]:
    """Titles that start like what the reader has typed, for the search box."""
    text, _truncated = clean_query(query_string)
    words = _WORD.findall(text)[:MAX_WORDS]
    if not words or len(" ".join(words)) < 2:
        return []
    backend = get_search_backend()
    phrase = " ".join(words)
    found: list[tuple[float, int, str, str, str]] = []
    try:
        pages = backend.autocomplete(phrase, visible_pages(), operator="and").annotate_score("_score")
        ranked = [list(pages[:AUTOCOMPLETE_LIMIT])]
        for model in public_snippet_models():
            objects = backend.autocomplete(phrase, visible_snippets(model), operator="and")
            ranked.append(list(objects.annotate_score("_score")[:AUTOCOMPLETE_LIMIT]))
    except (SearchIndexUnavailable, SearchIndexLocked, DatabaseError):
        return []
    comparable = getattr(backend, "comparable_scores", False)
    for hits in ranked:
        for position, obj in enumerate(hits):
            if isinstance(obj, Page):
                url = obj.get_url(request=request) or ""
                label = obj.specific_class._meta.verbose_name if obj.specific_class else ""
            else:
                url = obj.get_public_url() or ""
                label = obj._meta.verbose_name
            if url:
                score = -(obj._score or 0.0) if comparable else position
                found.append((score, position, str(obj), url, str(label).capitalize()))
    found.sort(key=lambda row: (row[0], row[1]))
    # The titles are content, in the content's language; the type is interface text.
    language = settings.WAGTAIL_CONTENT_LANGUAGES[0][0]
    return [
        {"title": title, "url": url, "type": label, "lang": language} for _s, _p, title, url, label in found
    ][:AUTOCOMPLETE_LIMIT]
