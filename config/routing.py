"""Wagtail routing without the walk: each worker remembers which page a path led to.

Wagtail finds the site with a query on every request, then walks the page tree from the site's
root (a query for the root's specific page, then the path, then its specific page). A worker
here remembers, per site and path, the page that answered (its content type, id, url_path and
the path's remaining components, a routable page's sub-route) and next time loads that one page
with one query. The memory checks itself: a page whose url_path changed (moved, renamed) or
that was deleted is forgotten and Wagtail walks again; an unpublished page answers 404 from its
own `route` as before. Sites are remembered with their root pages until a Site is saved or
deleted anywhere (the site structure's generation, see config/generation.py, which also keeps
the navigation and the sections' addresses). Privacy is untouched: Wagtail's before_serve_page
hooks still run.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from config.generation import now_and_on_commit, site_structure

ROUTE_LIMIT = 10_000  # paths remembered per worker, the oldest forgotten first
_SITE_FIELDS = [field.attname for field in Site._meta.concrete_fields]
_PAGE_FIELDS = [field.attname for field in Page._meta.concrete_fields]


SITE_ROOT_PATHS = "wagtail-site-root-paths"


def site_root_paths() -> list:
    """Wagtail's `Site.get_site_root_paths()`, kept in the worker during a request with the rest
    of the site structure (renewed by `_sites_changed`); read from the shared cache elsewhere."""
    return site_structure.remember(SITE_ROOT_PATHS, Site.get_site_root_paths)


def _sites_changed() -> None:
    # Wagtail clears its cached site root paths before the change commits; a reader in between
    # may have put the old ones back (for an hour), so clear them again when it commits.
    now_and_on_commit(Site.clear_site_root_paths_cache)
    site_structure.renew()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, **kwargs):
    _sites_changed()


@receiver(post_save)
@receiver(post_delete)
def _site_root_changed(sender, instance, **kwargs):
    """A site's root page is remembered with its site (its slug, title, url_path), and its
    url_path makes the site root paths that every page address is made from."""
    if not isinstance(instance, Page) or instance.depth is None:
        return
    if instance.depth <= 2 or (kwargs["signal"] is post_save and instance.is_site_root()):
        _sites_changed()


class _PageLoad:
    """The query that loads one page of a model by id, compiled once for a database connection.

    Compiling it (a page model's select spans its own table and Wagtail's, some fifty columns)
    costs more than running it; the remembered route loads a page on every request."""

    def __init__(self, model: type[Page], using: str):
        self.model = model
        self.using = using
        self.connection = connections[using]
        self.compiler = model.objects.filter(pk=0).query.get_compiler(connection=self.connection)
        self.sql, params = self.compiler.as_sql()
        if list(params) != [0]:
            raise ValueError(f"unexpected parameters for {model}: {params!r}")
        columns = [column for column, _sql, _alias in self.compiler.select]
        self.attnames = [column.target.attname for column in columns]
        self.converters = self.compiler.get_converters(columns)

    def __call__(self, page_id: int) -> Page | None:
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, [page_id])
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        return self.model.from_db(self.using, self.attnames, row)


_page_loads: dict[tuple[type[Page], str], _PageLoad] = {}


def load_page(model: type[Page], page_id: int) -> Page | None:
    """`model.objects.filter(pk=page_id).first()`, without compiling the query each time."""
    using = router.db_for_read(model)
    load = _page_loads.get((model, using))
    if load is None or load.connection is not connections[using]:  # a thread has its own connection
        load = _page_loads[(model, using)] = _PageLoad(model, using)
    return load(page_id)


class PageRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.routes: dict[tuple[int, str], tuple[int, int, str, tuple[str, ...]]] = {}

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        with site_structure.during_request() as structure:
            return self._serve(request, structure)

    def _serve(self, request, structure):
        site = self._site(request, structure)
        if site is None:
            return self.get_response(request)
        request._wagtail_site = site  # what Site.find_for_request(request) returns from now on
        key = (site.pk, request.path_info)
        remembered = self.routes.get(key)
        if remembered is not None:
            result = self._route(request, *remembered)
            if result is None:
                del self.routes[key]
            else:
                request._wagtail_route_for_request = result  # Page.route_for_request's answer
        response = self.get_response(request)
        if remembered is None and response.status_code == 200:
            self._remember(key, request, site)
        return response

    @staticmethod
    def _site(request, structure) -> Site | None:
        hostname = split_domain_port(request._get_raw_host())[0]
        place = ("site", hostname, request.get_port())
        remembered = structure.get(place)
        if remembered is None:
            site = Site._find_for_request(request)  # with its root page (select_related)
            if site is None:
                return None
            remembered = (
                tuple(getattr(site, name) for name in _SITE_FIELDS),
                tuple(getattr(site.root_page, name) for name in _PAGE_FIELDS),
            )
            structure.put(place, remembered)
        # Fresh instances each request: nothing one request caches on them reaches the next.
        site_values, root_values = remembered
        site = Site.from_db(DEFAULT_DB_ALIAS, _SITE_FIELDS, site_values)
        site.root_page = Page.from_db(DEFAULT_DB_ALIAS, _PAGE_FIELDS, root_values)
        return site

    @staticmethod
    def _route(request, content_type_id, page_id, url_path, remaining):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = load_page(model, page_id) if model is not None else None
        if page is None or page.url_path != url_path:
            return None
        try:
            return page.route(request, list(remaining))
        except Http404:
            return None

    def _remember(self, key, request, site) -> None:
        result = getattr(request, "_wagtail_route_for_request", None)
        if not result:
            return
        page = result[0]
        root_path = site.root_page.url_path
        if not page.url_path.startswith(root_path):
            return
        own = [part for part in page.url_path[len(root_path) :].split("/") if part]
        asked = [part for part in key[1].split("/") if part]
        if asked[: len(own)] != own:
            return
        if len(self.routes) >= ROUTE_LIMIT:
            self.routes.pop(next(iter(self.routes)))
        self.routes[key] = (page.content_type_id, page.pk, page.url_path, tuple(asked[len(own) :]))
