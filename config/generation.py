"""Shared generations: random tokens in the shared cache that a change replaces.

A worker process keeps things in memory (cached pages, the site of a hostname) for as long as
the generation it read them under is current; one cache read per request tells it whether
some process has changed something since. A token, not a counter: a flushed or restarted cache
can never bring back a value that a worker has already seen.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

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
    least recently used dropped first once their sizes (`size`, 1 each by default) pass `limit`.
    A value larger than `limit` is not kept."""

    def __init__(self, name: str, limit: int, size: Callable[[Any], int] = lambda value: 1):
        self.name = name
        self.limit = limit
        self.size_of = size
        self.size = 0
        self.generation: str | None = None
        self.values: OrderedDict = OrderedDict()

    def follow(self) -> None:
        """Check the generation (one cache read); call once per request before `get`."""
        token = current(self.name)
        if token != self.generation:
            self.values.clear()
            self.size = 0
            self.generation = token

    def get(self, key):
        value = self.values.get(key)
        if value is not None:
            self.values.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        size = self.size_of(value)
        if size > self.limit:
            return
        previous = self.values.pop(key, None)
        if previous is not None:
            self.size -= self.size_of(previous)
        self.values[key] = value
        self.size += size
        while self.size > self.limit:
            _key, evicted = self.values.popitem(last=False)
            self.size -= self.size_of(evicted)
