"""Full-page cache for anonymous readers, with purges for exactly the pages a change affects.

Every cached response is stored under its path, query string and language, plus the current
*versions* of that path: the path's own version and the tree versions of its ancestors. Purging
a page replaces its own version (the page itself) or its tree version (the page, its routable
sub-pages, feeds and descendants); no key scan is ever needed, so it works the same on local
memory, the file cache and Redis. A version is a random token, never a counter: a version the
cache dropped (the file cache culls when full, Redis evicts under memory pressure) comes back as
a new token, so no copy stored under an earlier one is ever served again. A hit costs one cache
read (the generation) when the worker holds its own copy, three otherwise, and never a database
query.

What a change purges, and when, is in config/purges.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import secrets
import time
from collections.abc import Iterable
from http import HTTPStatus
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.http import parse_etags
from wagtail.models import Page

from config import generation
from config.locale import language_of

logger = logging.getLogger(__name__)

PREFIX = "fpc"
GENERATION = "pages"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _prefixes(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/"] + ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _version_keys(path: str) -> list[str]:
    prefixes = _prefixes(path)
    exact = prefixes[-1] if path.endswith("/") else None
    keys = [f"{PREFIX}:tree:{prefix}" for prefix in prefixes]
    if exact:
        keys.append(f"{PREFIX}:self:{exact}")
    return keys


# What makes the HTML, besides the content: our code, templates, static files and translations.
RELEASE_SOURCES = (
    *("config", "programme", "knowledge", "meetings", "communication"),
    *("templates", "static", "locale"),
)
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".css", ".js", ".svg", ".po"}


def source_digest(root: Path, folders: Iterable[str] = RELEASE_SOURCES) -> str:
    """A digest of the files under `folders` of `root` that shape a rendered page (names and
    contents, in a fixed order; migrations and seed data left out): the same on every app
    server that runs the same code, different after any change to it."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            parts = path.relative_to(root).parts
            if path.suffix not in RELEASE_SUFFIXES or {"migrations", "data", "__pycache__"} & set(parts):
                continue
            digest.update("/".join(parts).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def release() -> str:
    """The release whose pages this process renders: `settings.RELEASE` when the deploy sets one
    (its commit, say), otherwise `source_digest` of the code with Django's and Wagtail's versions.
    Cached copies are kept per release, so after a deploy no reader gets a page of the previous
    one (its old templates, or static files under hashed names that are gone), even while old
    and new app servers run side by side. Purges reach every release: the versions are shared."""
    if settings.RELEASE:
        return settings.RELEASE
    return f"{django.get_version()}-{wagtail.__version__}-{source_digest(Path(settings.BASE_DIR))}"


def _version_seconds() -> int:
    """How long a version token lives: longer than any copy stored under it. When it expires the
    next reader makes a new one, which costs a miss and nothing else (a token never comes back),
    so the tokens of addresses nobody reads again (a crawler's made-up paths) do not pile up."""
    return 2 * settings.PAGE_CACHE_SECONDS


def cache_key(request, *, language: str) -> str:
    cache = _cache()
    version_keys = _version_keys(request.path)
    versions = cache.get_many(version_keys)
    missing = [key for key in version_keys if key not in versions]
    if missing:  # never purged, expired or dropped by the cache: a new token, whoever adds first
        for key in missing:
            cache.add(key, secrets.token_hex(8), _version_seconds())
        versions.update(cache.get_many(missing))
    vector = ".".join(str(versions.get(key, "-")) for key in version_keys)
    raw = f"{release()}|{request.scheme}|{request.get_host()}|{request.get_full_path()}|{language}|{vector}"
    return f"{PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _excluded_paths() -> tuple[str, ...]:
    return (*settings.PAGE_CACHE_EXCLUDED_PATHS, settings.STATIC_URL, settings.MEDIA_URL)


# What a 304 answer repeats of the stored headers (RFC 9110, 15.4.5), as Django's own 304s do.
NOT_MODIFIED_HEADERS = {
    *("cache-control", "content-location", "date", "etag"),
    *("expires", "last-modified", "vary"),
}


class StoredPage:
    """A cached response as plain data: status, headers, body and when it expires."""

    __slots__ = ("status", "headers", "content", "expires")

    def __init__(self, status: int, headers: list[tuple[str, str]], content: bytes, expires: float):
        self.status, self.headers, self.content, self.expires = status, headers, content, expires

    @classmethod
    def of(cls, response, timeout: int) -> StoredPage:
        return cls(response.status_code, list(response.items()), response.content, time.time() + timeout)

    def __getstate__(self):
        return (self.status, self.headers, self.content, self.expires)

    def __setstate__(self, state):
        self.status, self.headers, self.content, self.expires = state

    def fresh(self) -> bool:
        return time.time() < self.expires

    def status_line(self) -> str:
        return f"{self.status} {HTTPStatus(self.status).phrase}"

    def known_to(self, if_none_match: str) -> bool:
        """Whether the reader already holds this copy: its If-None-Match names the copy's ETag
        (the weak comparison of RFC 9110, 13.1.2)."""
        if not if_none_match:
            return False
        etag = next((value for name, value in self.headers if name.lower() == "etag"), "")
        if not etag:
            return False
        etags = parse_etags(if_none_match)
        return etags == ["*"] or etag.removeprefix("W/") in {each.removeprefix("W/") for each in etags}

    def not_modified_headers(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.headers if name.lower() in NOT_MODIFIED_HEADERS]

    def response(self, outcome: str, *, if_none_match: str = "") -> HttpResponse:
        if self.known_to(if_none_match):
            response = HttpResponseNotModified()
            headers = self.not_modified_headers()
        else:
            response = HttpResponse(self.content, status=self.status)
            headers = self.headers
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = outcome
        return response

    def __len__(self) -> int:
        return len(self.content)


def expire_on(request, day: dt.date | None) -> None:
    """Let no cached copy of this response outlive the start of `day` (Europe/Oslo): content
    that becomes public that day (an exemption's public-from date) must then show."""
    if request is None or day is None:
        return
    moment = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())
    current = getattr(request, "page_cache_expires", None)
    if current is None or moment < current:
        request.page_cache_expires = moment


def cache_timeout(request, *, now: dt.datetime | None = None) -> int:
    """Seconds to keep the response: the configured lifetime, capped by `expire_on`; 0 means
    do not cache."""
    expires = getattr(request, "page_cache_expires", None)
    if expires is None:
        return settings.PAGE_CACHE_SECONDS
    left = int((expires - (now or timezone.now())).total_seconds())
    return max(0, min(settings.PAGE_CACHE_SECONDS, left))


def _bump(key: str) -> None:
    cache = _cache()
    cache.set(key, secrets.token_hex(8), _version_seconds())
    if cache.get(key) is None:  # Redis out of reach (its errors are ignored)
        generation.lost_write()


def purge_path(path: str, *, tree: bool = False) -> None:
    """Make cached copies of `path` stale; with `tree`, also everything below it."""
    if not path.endswith("/"):
        path += "/"
    _bump(f"{PREFIX}:{'tree' if tree else 'self'}:{path}")
    # After the version: a worker that sees the new generation must find the new version.
    generation.renew(GENERATION)


def purge_pages(pages: Iterable[Page], *, tree: bool = False) -> None:
    for page in pages:
        url = page.get_url()
        if url and url.startswith("/"):
            purge_path(url, tree=tree)


def worker_copies() -> generation.ProcessMemo:
    """This worker process's own copies of the pages it served, by `cacheable_place`; shared by the
    WSGI front and the middleware, valid while the shared generation stays the same."""
    global _worker_copies
    if _worker_copies is None:
        _worker_copies = generation.ProcessMemo(GENERATION, settings.PAGE_CACHE_LOCAL_BYTES, size=len)
    return _worker_copies


_worker_copies: generation.ProcessMemo | None = None


def _scheme(environ) -> str:
    """As Django's `request.scheme`: the proxy's header when the settings trust one."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def cacheable_place(environ) -> tuple[str, str, str, str] | None:
    """Where an anonymous GET or HEAD of the public site is for, from its WSGI environ alone:
    scheme, host (as sent), path with query and language. None for a request the cache must
    leave to Django: one carrying a session (a logged-in reader or a preview), plain HTTP that
    must be redirected, the admin or forms. A copy is only ever stored after Django has answered
    the request with a 200, so a host Django would refuse never finds one."""
    if not settings.PAGE_CACHE_ENABLED or environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
        return None
    raw_cookies = environ.get("HTTP_COOKIE", "")
    cookies = parse_cookie(raw_cookies) if raw_cookies else {}
    scheme = _scheme(environ)
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
    if (
        settings.SESSION_COOKIE_NAME in cookies
        # Plain HTTP must reach SecurityMiddleware's redirect to HTTPS.
        or (settings.SECURE_SSL_REDIRECT and scheme != "https")
        or path.startswith(_excluded_paths())
    ):
        return None
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    query = environ.get("QUERY_STRING", "")
    return (scheme, host, f"{path}?{query}" if query else path, language_of(cookies))


HIT = ("X-Page-Cache", "hit")


class PageCacheFront:
    """WSGI in front of Django: a page this worker already holds is answered before Django
    builds a request, runs its signals or any middleware. Everything else, the shared cache's
    pages included, goes to Django, where `AnonymousPageCacheMiddleware` serves or stores it."""

    def __init__(self, application, copies: generation.ProcessMemo | None = None):
        self.application = application
        self.copies = copies

    def __call__(self, environ, start_response):
        place = cacheable_place(environ)
        if place is not None:
            copies = self.copies if self.copies is not None else worker_copies()
            copies.follow()
            stored = copies.get(place)
            if stored is not None and stored.fresh():
                if stored.known_to(environ.get("HTTP_IF_NONE_MATCH", "")):
                    start_response("304 Not Modified", [*stored.not_modified_headers(), HIT])
                    return []
                start_response(stored.status_line(), [*stored.headers, HIT])
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [stored.content]
        return self.application(environ, start_response)


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the cache; never for sessions, previews, the admin or forms.

    It comes first in MIDDLEWARE, so a hit skips every other middleware, and it stores the
    response as the other middleware left it (security headers, CSP, Content-Language, Vary).
    Each worker process keeps the pages it served in memory (`worker_copies`), valid for as long
    as the shared generation (config/generation.py, renewed by every purge) stays the same: a
    hit then costs one read of the shared cache and no query, and `PageCacheFront` answers it
    before Django does any work."""

    def __init__(self, get_response, copies: generation.ProcessMemo | None = None):
        self.get_response = get_response
        self.local = copies if copies is not None else worker_copies()

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(request, "is_preview", False)
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    def __call__(self, request):
        place = cacheable_place(request.META)
        if place is None:
            return self.get_response(request)
        self.local.follow()
        if_none_match = request.headers.get("If-None-Match", "")
        stored = self.local.get(place)
        if stored is not None and stored.fresh():
            return stored.response("hit", if_none_match=if_none_match)
        # The key is taken before rendering: a purge during the rendering makes it stale.
        key = cache_key(request, language=place[-1])
        stored = _cache().get(key)
        if stored is not None and stored.fresh():
            self.local.put(place, stored)
            return stored.response("hit", if_none_match=if_none_match)
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if not response.has_header("ETag"):
                set_response_etag(response)  # ConditionalGetMiddleware leaves HEAD without one
            timeout = cache_timeout(request)
            if timeout > 0:
                stored = StoredPage.of(response, timeout)
                _cache().set(key, stored, timeout)
                self.local.put(place, stored)
                response["X-Page-Cache"] = "miss"
        return response
