"""`/-/health/`: whether this app server can serve, for a load balancer or a monitor.

It checks what a page needs: the database, the cache (Redis in production) and the search
backend, each with a real round trip. 200 when all answer, 503 naming the part that does not.
The answer says which part failed, never why: error texts can hold addresses and passwords, so
they go to the log. It is never cached and needs no login."""

from __future__ import annotations

import logging
import secrets
import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = "health:probe", secrets.token_hex(8)
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")


def _search() -> None:
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    list(get_search_backend().search("flere", Page, operator="and")[:1])


CHECKS = {"database": _database, "cache": _cache, "search": _search}


@never_cache
@require_GET
def health(request):
    checks = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure is the answer
            logger.exception("Health check %s failed", name)
            checks[name] = {"ok": False}
        else:
            checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)
