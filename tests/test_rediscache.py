"""Redis out of reach: after one failure, calls fail at once for a while instead of each
waiting for the socket timeout (config/rediscache.py)."""

import socket

import pytest
from django.core.cache import caches
from redis.connection import Connection

from config import rediscache


def _hung_server() -> socket.socket:
    """A server that takes connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)  # the kernel completes the handshakes; nobody ever reads or writes
    return server


@pytest.fixture
def hung_redis(settings):
    """Two caches on Redis servers that never answer ("default" and "other")."""
    servers = [_hung_server(), _hung_server()]
    options = {**settings.REDIS_CACHE_OPTIONS, "SOCKET_TIMEOUT": 0.2, "SOCKET_CONNECT_TIMEOUT": 0.2}
    settings.CACHES = {
        alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.getsockname()[1]}/0",
            "OPTIONS": options,
        }
        for alias, server in zip(("default", "other"), servers, strict=True)
    }
    yield caches
    for server in servers:
        server.close()
    rediscache.try_again_now()


@pytest.fixture
def sent(monkeypatch) -> list:
    """The commands that reached a Redis connection's socket."""
    commands = []
    send = Connection.send_packed_command
    monkeypatch.setattr(
        Connection, "send_packed_command", lambda self, *a, **k: commands.append(1) or send(self, *a, **k)
    )
    return commands


def test_after_redis_failed_to_answer_calls_fail_at_once_until_the_pause_is_over(hung_redis, sent):
    cache = hung_redis["default"]
    for _ in range(5):
        assert cache.get("navigasjon") is None  # ignored: the page is made without the cache
    cache.set("navigasjon", "meny")
    assert len(sent) == 1
    rediscache.try_again_now()  # as when REDIS_RETRY_SECONDS have passed
    assert cache.get("navigasjon") is None
    assert len(sent) == 2


def test_a_pause_holds_for_the_server_that_failed_only(hung_redis, sent):
    assert hung_redis["default"].get("navigasjon") is None
    assert hung_redis["default"].get("navigasjon") is None
    assert len(sent) == 1
    assert hung_redis["other"].get("navigasjon") is None
    assert len(sent) == 2


def test_a_tls_url_keeps_its_tls_connections():
    from redis.connection import SSLConnection

    pool = rediscache.OutageAwareConnectionPool.from_url("rediss://127.0.0.1:6380/0")
    assert issubclass(pool.connection_class, SSLConnection)
    assert issubclass(pool.connection_class, rediscache._Watched)
