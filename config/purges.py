"""What a change purges from the page cache (config/pagecache.py), found from the signals of
pages, rows and documents.

Purged on publish, unpublish, move, slug change and delete of a page: the page (with its
sub-pages when its model sets `pagecache_shows_below`), its ancestors (they list their
children), the pages that reference it (Wagtail's reference index), the pages that show it
through a many-to-many relation or a snippet that references it, the sitemap and, after a
move or slug change, its old address. On a snippet's or document's save or delete: the pages it
references (many-to-many too), the pages referencing it and whatever its model returns from
`pagecache_dependents()`, both as it was stored before the change and as it is after. A page
view restriction purges every page (it changes menus, listings and links all over the site); a
collection view restriction, the pages that link a document in that collection.

The purges of one transaction run when it commits, and reach each page once however many of
its changes lead there (`_Commit`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from modelcluster.fields import ParentalKey
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from config.pagecache import purge_pages, purge_path

# The apps whose rows (snippets, a page's inline rows) show on pages.
CACHED_APPS = {"programme", "knowledge", "meetings", "communication"}


def _page_ids_around(obj) -> set[int]:
    """Pages that reference `obj`, and pages `obj` references."""
    page_type = ContentType.objects.get_for_model(Page)
    inbound = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    outbound = ReferenceIndex.get_references_for_object(obj).filter(to_content_type=page_type)
    return {int(pk) for pk in inbound.values_list("object_id", flat=True)} | {
        int(pk) for pk in outbound.values_list("to_object_id", flat=True)
    }


def _is_routable(page: Page) -> bool:
    return issubclass(page.specific_class or Page, RoutablePageMixin)


def _purge_listing(page: Page) -> None:
    """Purge a page that lists its children, with its sub-routes (feeds, filtered views).

    A route with a literal first segment (`kalender/…`) is purged as a tree of its own; a route
    that starts with a parameter cannot be told apart from the child pages, so only a purge of
    the whole tree reaches it."""
    if not _is_routable(page):
        purge_pages([page])
        return
    url = page.get_url()
    if not (url and url.startswith("/")):
        return
    segments = {str(pattern.pattern).split("/")[0] for pattern in page.specific_class.get_subpage_urls()}
    if any("<" in segment for segment in segments):
        purge_path(url, tree=True)
        return
    purge_path(url)
    for segment in sorted(segments - {""}):
        purge_path(f"{url}{segment}/", tree=True)


def _purge_own(page: Page, *, tree: bool = False) -> None:
    """The page alone. A routable page's sub-routes (activity pages, feeds) live under its path;
    a page whose model sets `pagecache_shows_below` shows on its sub-pages too (a meeting on its
    protocol): both are purged as trees."""
    model = page.specific_class or Page
    purge_pages([page], tree=tree or _is_routable(page) or getattr(model, "pagecache_shows_below", False))


def _purges_for(page: Page, *, tree: bool = False, related: bool = True) -> Callable[[], None]:
    """The purge a change of `page` needs, with what it reaches found now (before a deletion,
    while the page and its references exist): the page, its ancestors (they list it), the pages
    referencing it or referenced by it, the sitemap and, with `related`, the pages that show its
    title or address through a relation the reference index leaves out (`_pages_related_to`)."""
    ancestors = list(page.get_ancestors().filter(depth__gt=1))
    linking = list(Page.objects.filter(pk__in=_page_ids_around(page)).exclude(pk=page.pk))
    others = _pages_related_to(page) if related else []

    def purge() -> None:
        _purge_own(page, tree=tree)
        for ancestor in ancestors:
            _purge_listing(ancestor)
        purge_pages(linking)
        for other in others:
            _purge_own(other)
        _purge_sitemap()

    return purge


def purge_for_page(page: Page, *, tree: bool = False) -> None:
    """`page` where a row it shows changed: the page, its ancestors, the pages referencing it or
    referenced by it, and the sitemap. Once per commit: a meeting's cases each reach it."""
    if _once("page", page.pk, tree):
        _purges_for(page, tree=tree, related=False)()


def _page_changed(page: Page, *, tree: bool = False) -> None:
    """A page's own content changed (published, unpublished, moved)."""
    _purges_for(page, tree=tree)()


def _purge_sitemap() -> None:
    """The sitemap lists every public page and sub-page with the date of its last change."""
    if _once("sitemap"):
        purge_path(reverse("sitemap"), tree=True)


def _linked(obj) -> tuple[list[Page], list]:
    """What `obj` is linked with by many-to-many relations, either way (Wagtail's reference index
    leaves these out): the pages, and the rows shown on pages (snippets, a page's inline rows)."""
    return _found("linked", obj, _find_linked)


def _find_linked(obj) -> tuple[list[Page], list]:
    pages, rows = [], []
    for relation in obj._meta.get_fields():
        if not relation.many_to_many or relation.related_model is None:
            continue
        model = relation.related_model
        if not (issubclass(model, Page) or _shown_on_pages(model)):
            continue
        accessor = relation.get_accessor_name() if relation.auto_created else relation.name
        linked = list(getattr(obj, accessor).all())
        (pages if issubclass(model, Page) else rows).extend(linked)
    return pages, rows


def _pages_of(row) -> list[Page]:
    """The pages a row shows on by itself: the page it belongs to (a case item's meeting) and
    whatever its model returns from `pagecache_dependents()`."""
    return _found("pages of", row, _find_pages_of)


def _find_pages_of(row) -> list[Page]:
    pages = [
        getattr(row, field.name)
        for field in row._meta.concrete_fields
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page)
    ]
    dependents = getattr(row, "pagecache_dependents", None)
    if dependents is not None:
        pages.extend(dependents())
    return [page for page in pages if page is not None]


def _rows_referencing(obj) -> list:
    """Rows shown on pages (snippets) whose fields or blocks reference `obj` (a milestone its
    theme)."""
    page_type = ContentType.objects.get_for_model(Page)
    rows = []
    references = ReferenceIndex.get_references_to(obj).exclude(base_content_type=page_type)
    for content_type_id, object_id in references.values_list("content_type_id", "object_id").distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and _shown_on_pages(model):
            rows.extend(model._default_manager.filter(pk=object_id))
    return rows


def _inline_rows(page: Page) -> list:
    """The page's own rows shown on pages (a meeting's case items), as stored."""
    rows = []
    for relation in page._meta.related_objects:
        if isinstance(relation.field, ParentalKey) and _shown_on_pages(relation.related_model):
            rows.extend(relation.related_model._default_manager.filter(**{relation.field.name: page.pk}))
    return rows


def _pages_related_to(page: Page) -> list[Page]:
    """Pages that show `page`'s title or address through a relation: many-to-many either way,
    its own or its inline rows' (a recommendation on the findings behind it, a theme on the
    meetings whose cases concern it), the rows that reference it (a theme on the timeline's
    milestones), and whatever its model returns from `pagecache_dependents()`."""
    specific = page.specific
    pages, rows = _linked(specific)
    for inline in _inline_rows(specific):
        inline_pages, inline_rows = _linked(inline)
        pages += inline_pages
        rows += inline_rows
    rows += _rows_referencing(page)
    dependents = getattr(specific, "pagecache_dependents", None)
    if dependents is not None:  # pages that show it through a query (the last meeting held)
        pages += list(dependents())
    return pages + [shown for row in rows for shown in _pages_of(row)]


def pages_showing(obj) -> list[Page]:
    """The pages that show `obj`, a row (snippet, document): those it references, those
    referencing it, those it is linked with by many-to-many relations and the pages of the rows
    it is linked with, the page it belongs to, and whatever its model returns from
    `pagecache_dependents()`. Ask before a change or deletion too: afterwards the references and
    relations that lead to them are gone."""
    pages, rows = _linked(obj)
    pages += Page.objects.filter(pk__in=_page_ids_around(obj))
    return pages + [shown for row in [obj, *rows] for shown in _pages_of(row)]


def purge_for_object(obj) -> None:
    _purge_each(pages_showing(obj))


def _purge_each(pages: Iterable[Page]) -> None:
    for page in pages:
        purge_for_page(page)


def _shown_on_pages(model) -> bool:
    """Rows of our apps (snippets, their inline rows) and documents, whose changes show on pages."""
    if issubclass(model, Page):
        return False
    return model._meta.app_label in CACHED_APPS or issubclass(model, AbstractDocument)


class _Commit:
    """The purges of one transaction, run when it commits: what they have done and found, so
    that none is done or looked up twice (publishing a meeting saves each of its cases, and each
    reaches the meeting and the themes it concerns)."""

    def __init__(self):
        self.done: set[tuple] = set()
        self.found: dict[tuple, object] = {}
        self.started = False


_running = threading.local()  # .commit: the _Commit whose purges run now on this thread


def _once(*key) -> bool:
    """Whether the purges of the commit running now have not done `key` yet (outside one:
    always)."""
    commit = getattr(_running, "commit", None)
    if commit is None:
        return True
    if key in commit.done:
        return False
    commit.done.add(key)
    return True


def _found(kind: str, obj, find: Callable):
    """`find(obj)`, looked up once per commit while its purges run (the rows stay as they were
    committed); outside one, every time (before a change: as the rows are stored now)."""
    commit = getattr(_running, "commit", None)
    if commit is None or obj.pk is None:
        return find(obj)
    key = (kind, obj._meta.label, obj.pk)
    if key not in commit.found:
        commit.found[key] = find(obj)
    return commit.found[key]


@contextmanager
def _within(commit: _Commit | None):
    previous = getattr(_running, "commit", None)
    _running.commit = commit
    try:
        yield
    finally:
        _running.commit = previous


def _on_commit(func, *args, **kwargs) -> None:
    """Run `func` once the transaction commits, with the transaction's other purges; outside a
    transaction, now and by itself (a change made while a commit's purges run is new to them)."""
    if not settings.PAGE_CACHE_ENABLED:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        with _within(None):
            func(*args, **kwargs)
        return
    # Purges registered since this connection's last commit belong together. A rollback drops
    # them unrun, and a _Commit records only what ran, so the next transaction may reuse it.
    commit = getattr(connection, "purge_commit", None)
    if commit is None or commit.started:
        commit = connection.purge_commit = _Commit()

    def run() -> None:
        commit.started = True
        with _within(commit):
            func(*args, **kwargs)

    transaction.on_commit(run)


def _purge_old_address(page: Page, url_path_before: str) -> None:
    """After a move or a slug change: the page's old address and everything below it (Wagtail
    redirects them now), and the old parent, which listed it."""
    site = page.get_site()
    site_root = site.root_page.url_path if site else "/"
    if not url_path_before.startswith(site_root):
        return
    old = "/" + url_path_before[len(site_root) :]
    purge_path(old, tree=True)
    purge_path("/".join(old.rstrip("/").split("/")[:-1]) + "/")


@receiver(page_published)
def _page_published(sender, instance, **kwargs):
    _on_commit(_page_changed, instance)


@receiver(page_unpublished)
def _page_unpublished(sender, instance, **kwargs):
    _on_commit(_page_changed, instance, tree=True)


@receiver(post_page_move)
def _page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    def purge():
        _purge_old_address(instance, url_path_before)
        _page_changed(instance, tree=True)

    _on_commit(purge)


@receiver(page_slug_changed)
def _page_slug_changed(sender, instance, instance_before, **kwargs):
    # Sent once the change has committed; the publish that changed the slug purged the new address.
    if settings.PAGE_CACHE_ENABLED:
        _purge_old_address(instance, instance_before.url_path)


@receiver(pre_delete)
def _deleting(sender, instance, **kwargs):
    """What shows a deleted page or object is found now, while it and its references exist, and
    purged once the deletion has committed."""
    if not settings.PAGE_CACHE_ENABLED:
        return
    if isinstance(instance, Page):
        _on_commit(_purges_for(instance, tree=True))
    elif _shown_on_pages(sender):
        _on_commit(_purge_each, pages_showing(instance))


@receiver(pre_save)
def _saving(sender, instance, raw=False, **kwargs):
    """The pages that show an object as it is stored: after the change some of them may show it
    no longer (a milestone moved to another theme, an activity linked to other pages)."""
    if raw or instance.pk is None or not settings.PAGE_CACHE_ENABLED or not _shown_on_pages(sender):
        return
    stored = sender._default_manager.filter(pk=instance.pk).first()
    if stored is not None:
        _on_commit(_purge_each, pages_showing(stored))


@receiver(post_save)
def _saved(sender, instance, created=False, **kwargs):
    if _shown_on_pages(sender):
        _on_commit(purge_for_object, instance)
    elif created and isinstance(instance, Page) and instance.live and instance.alias_of_id:
        # Wagtail makes a live alias without publishing it: no page_published is sent.
        _on_commit(purge_for_page, instance)


@receiver(published)
@receiver(unpublished)
def _snippet_published(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        _on_commit(purge_for_object, instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _page_restriction_changed(sender, instance, **kwargs):
    """A view restriction takes a page and everything below it from the public, and from every
    menu, listing, feed and link that showed them: all cached pages are stale."""
    _on_commit(purge_path, "/", tree=True)


@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def _collection_restriction_changed(sender, instance, **kwargs):
    """Documents in a restricted collection are listed for the committee only: the pages that
    link a document in the collection, or in one below it, change for the public."""
    path = Collection.objects.filter(pk=instance.collection_id).values_list("path", flat=True).first()
    if path is None:
        return  # the collection itself is being deleted: it holds no documents

    def purge():
        for document in get_document_model().objects.filter(collection__path__startswith=path):
            purge_for_object(document)

    _on_commit(purge)
