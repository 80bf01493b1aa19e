"""Redis connections that stop trying for a moment once Redis has not answered.

With django-redis ignoring connection errors (settings: `REDIS_CACHE_OPTIONS`), a request goes
on without the cache when Redis is out of reach. But a page makes dozens of cache calls, and
against a Redis that accepts connections and never answers each of them would wait for the
socket timeout: tens of seconds per page. After a failure, the connections to that server
fail at once for `REDIS_RETRY_SECONDS`; then the next call tries Redis again.
"""

from __future__ import annotations

import functools
import time
from contextlib import contextmanager

from django.conf import settings
from redis.connection import Connection, ConnectionPool
from redis.exceptions import ConnectionError, TimeoutError

# When each Redis server (by address) may be tried again, on the monotonic clock.
_retry_at: dict[tuple, float] = {}


def _address(connection) -> tuple:
    return tuple(getattr(connection, name, None) for name in ("host", "port", "path", "db"))


class _Watched:
    """Mixed into a redis-py connection class: refuses at once while its server is in the pause
    after a failure, and starts that pause on a connection error or timeout."""

    @contextmanager
    def _watch(self):
        if time.monotonic() < _retry_at.get(_address(self), 0.0):
            raise ConnectionError("Redis did not answer a moment ago; not tried again yet.")
        try:
            yield
        except (ConnectionError, TimeoutError):
            _retry_at[_address(self)] = time.monotonic() + settings.REDIS_RETRY_SECONDS
            raise

    def connect(self, *args, **kwargs):
        with self._watch():
            return super().connect(*args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        with self._watch():
            return super().send_packed_command(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        with self._watch():
            return super().read_response(*args, **kwargs)


@functools.cache
def _watched(connection_class: type) -> type:
    return type(f"Watched{connection_class.__name__}", (_Watched, connection_class), {})


class OutageAwareConnectionPool(ConnectionPool):
    """django-redis' pool (`CONNECTION_POOL_CLASS`) with the connection class the URL chose
    (TCP, TLS or a Unix socket) made to pause after a failure."""

    def __init__(self, connection_class=Connection, **kwargs):
        super().__init__(connection_class=_watched(connection_class), **kwargs)


def try_again_now() -> None:
    """Forget every pause (tests; an operator's shell after fixing Redis)."""
    _retry_at.clear()
