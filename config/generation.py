"""Shared generations: random tokens in the shared cache that a change replaces.

A worker process keeps things in memory (cached pages, the site of a hostname) for as long as
the generation it read them under is current; one cache read per request tells it whether
some process has changed something since. A token, not a counter: a flushed or restarted cache
can never bring back a value that a worker has already seen.

While the shared cache cannot be reached (its reads miss, its writes are dropped: see the
Redis settings), a worker keeps nothing in memory, and a process whose change could not be
written there remembers it: the first time it reaches the cache again it runs what
`after_outage` registered (a purge of every page and of the site structure).
"""

from __future__ import annotations

import atexit
import logging
import pickle
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

PREFIX = "generation"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def current(name: str) -> str | None:
    """The generation's token; None while the shared cache cannot be reached."""
    token = _read(name)
    if token is not None and _made_up_for_lost_writes():
        token = _read(name)
    return token


def _read(name: str) -> str | None:
    cache = _cache()
    key = f"{PREFIX}:{name}"
    token = cache.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(8), None)
        token = cache.get(key)
    if token is None:
        if not _outage.is_set():
            logger.error("The shared cache cannot be reached: pages are made afresh for every request.")
        _outage.set()
    elif _outage.is_set():
        _outage.clear()
        logger.warning("The shared cache can be reached again.")
    return token


def renew(name: str) -> None:
    key = f"{PREFIX}:{name}"
    cache = _cache()
    cache.set(key, secrets.token_hex(8), None)
    if cache.get(key) is None:
        lost_write()


# Whether this process last found the shared cache out of reach; changes it could not write
# there, and what makes up for them.
_outage = threading.Event()
_lost = threading.Event()
_after_outage: list[Callable[[], None]] = []


def after_outage(callback: Callable[[], None]) -> None:
    """Run `callback` once the shared cache can be reached again after this process failed to
    write a change to it."""
    if callback not in _after_outage:
        _after_outage.append(callback)


def writes_lost() -> bool:
    """Whether a change this process made has not reached the shared cache yet."""
    return _lost.is_set()


def lost_write() -> None:
    """A change did not reach the shared cache: workers may go on serving what it made stale."""
    if not _lost.is_set():
        logger.error("The shared cache could not be reached: a purge is made up for once it can.")
    _lost.set()


@atexit.register
def _warn_of_lost_writes() -> None:
    """A process ending with changes the shared cache never got (a management command during a
    Redis outage) cannot make up for them: the operator must."""
    if _lost.is_set():
        logger.error(
            "This process made changes the shared cache never got; run `manage.py purge_caches` "
            "once Redis answers again, or cached pages may stay stale for PAGE_CACHE_SECONDS."
        )


def _made_up_for_lost_writes() -> bool:
    """With the shared cache in reach again, run what `after_outage` registered, once."""
    if not _lost.is_set():
        return False
    _lost.clear()  # a callback that fails to write sets it again, to be tried at the next read
    logger.warning("Purging every cached page and the site structure: changes made during the outage.")
    for callback in _after_outage:
        try:
            callback()
        except Exception:
            # The reader's request goes on; the next read of a generation tries again.
            logger.exception("Making up for the outage failed: %r", callback)
            _lost.set()
    return True


def now_and_on_commit(change: Callable[[], None]) -> None:
    """Run `change` now and, inside a transaction, once more when it commits: until then another
    process reads the old rows and may put what was made from them back into a cache."""
    change()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(change)


class ProcessMemo:
    """A worker's own memory of values, dropped whenever the named generation changes, the
    least recently used dropped first once their sizes (`size`, 1 each by default) pass `limit`.
    A value larger than `limit` is not kept. Safe to share between a process's threads (the
    development server's)."""

    def __init__(self, name: str, limit: int, size: Callable[[Any], int] = lambda value: 1):
        self.name = name
        self.limit = limit
        self.size_of = size
        self.size = 0
        self.generation: str | None = None
        self.reachable = True  # whether the last `follow` could read the generation
        self.values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def follow(self) -> None:
        """Check the generation (one cache read); call once per request before `get`. While
        the shared cache cannot be reached, nothing is kept: no purge could reach it."""
        token = current(self.name)
        with self._lock:
            self.reachable = token is not None
            if token != self.generation:
                self.values.clear()
                self.size = 0
                self.generation = token

    def clear(self) -> None:
        """Drop every value now; the next `follow` reads the generation afresh."""
        with self._lock:
            self.values.clear()
            self.size = 0
            self.generation = None

    def get(self, key):
        with self._lock:
            if not self.reachable:
                return None
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        size = self.size_of(value)
        if size > self.limit or not self.reachable:
            return
        with self._lock:
            previous = self.values.pop(key, None)
            if previous is not None:
                self.size -= self.size_of(previous)
            self.values[key] = value
            self.size += size
            while self.size > self.limit:
                _key, evicted = self.values.popitem(last=False)
                self.size -= self.size_of(evicted)


class SharedValues:
    """Values kept in the shared cache under fixed keys that nearly every page reads (the
    navigation, which paths are under a view restriction, the one-page sections' addresses),
    and what is made from them alone (`remember`: the rendered frame of every page).

    During a request that has checked the generation (`during_request`), a worker answers them
    from its own memory: one cache read for all of them instead of one each. Elsewhere (commands,
    jobs, non-GET requests) every read goes to the shared cache as before. `forget` deletes
    values from the shared cache and renews the generation, so every worker drops its copies at
    its next request.
    """

    def __init__(self, name: str, limit: int = 1000):
        self.name = name
        self.memo = ProcessMemo(name, limit)
        self._following: ContextVar[bool] = ContextVar(f"{name}-following", default=False)

    @contextmanager
    def during_request(self) -> Iterator[ProcessMemo]:
        self.memo.follow()
        token = self._following.set(True)
        try:
            yield self.memo
        finally:
            self._following.reset(token)

    def get_or_set(self, key: str, load: Callable[[], Any]) -> Any:
        """The value under `key`, from `load()` when no cache has it; `load` never returns None."""

        def shared() -> Any:
            cache = _cache()
            value = _unpack(cache.get(key))
            if value is None:
                value = load()
                cache.set(key, _pack(value), None)
            return value

        return self.remember(key, shared)

    def remember(self, key, make: Callable[[], Any]) -> Any:
        """`make()`, kept in this worker only (never the shared cache) until the generation
        changes; outside a followed request, made each time."""
        if not self._following.get():
            return make()
        value = self.memo.get(key)
        if value is None:
            value = make()
            self.memo.put(key, value)
        return value

    def peek(self, key: str) -> Any:
        """The shared cache's value under `key`, or None; never loads."""
        return _unpack(_cache().get(key))

    def forget(self, *keys: str) -> None:
        """Delete `keys` from the shared cache and renew the generation (now and on commit)."""
        now_and_on_commit(lambda: self._forget(keys))

    def renew(self) -> None:
        """Make every worker drop what it remembers (now and on commit)."""
        now_and_on_commit(self._renew)

    def _forget(self, keys: tuple[str, ...]) -> None:
        _cache().delete_many(keys)
        self._renew()

    def _renew(self) -> None:
        renew(self.name)
        self.memo.clear()


def _release() -> str:
    from config.pagecache import release

    return release()


def _pack(value: Any) -> tuple[str, bytes]:
    return (_release(), pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _unpack(stored: Any) -> Any:
    """A shared value as this release stored it, or None. The values are shared by every app
    server, and during a deploy old and new releases run side by side: a value another release
    stored may be of classes this one has changed, so it is made again rather than unpickled."""
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _release():
        return pickle.loads(stored[1])
    return None


# The site's structure: its sites and their root pages (config/routing.py), the navigation, the
# restricted and alias paths and the sections' addresses (programme/queries.py).
site_structure = SharedValues("structure")
