"""Shared generations: random tokens in the shared cache that a change replaces.

A worker process keeps things in memory (cached pages, the site of a hostname) for as long as
the generation it read them under is current; one cache read per request tells it whether
some process has changed something since. A token, not a counter: a flushed or restarted cache
can never bring back a value that a worker has already seen.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import caches

PREFIX = "generation"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def current(name: str) -> str:
    cache = _cache()
    key = f"{PREFIX}:{name}"
    token = cache.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(8), None)
        token = cache.get(key)
    return token


def renew(name: str) -> None:
    _cache().set(f"{PREFIX}:{name}", secrets.token_hex(8), None)


class ProcessMemo:
    """A worker's own memory of values, dropped whenever the named generation changes, the
    least recently used dropped first beyond `limit` entries."""

    def __init__(self, name: str, limit: int):
        from collections import OrderedDict

        self.name = name
        self.limit = limit
        self.generation: str | None = None
        self.values: OrderedDict = OrderedDict()

    def follow(self) -> None:
        """Check the generation (one cache read); call once per request before `get`."""
        generation = current(self.name)
        if generation != self.generation:
            self.values.clear()
            self.generation = generation

    def get(self, key):
        value = self.values.get(key)
        if value is not None:
            self.values.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        self.values[key] = value
        self.values.move_to_end(key)
        while len(self.values) > self.limit:
            self.values.popitem(last=False)

    def forget(self, key) -> None:
        self.values.pop(key, None)
