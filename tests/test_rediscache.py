"""Redis out of reach: after one failure, calls fail at once for a while instead of each
waiting for the socket timeout (config/rediscache.py)."""

import socket

import pytest
from django.core.cache import caches
from redis.connection import Connection

from config import rediscache


@pytest.fixture
def hung_redis(settings):
    """A server that takes connections and never answers, as the only cache."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)  # the kernel completes the handshakes; nobody ever reads or writes
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.getsockname()[1]}/0",
            "OPTIONS": {**settings.REDIS_CACHE_OPTIONS, "SOCKET_TIMEOUT": 0.2, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    yield caches["default"]
    server.close()
    rediscache.try_again_now()


def test_after_redis_failed_to_answer_calls_fail_at_once_until_the_pause_is_over(hung_redis, monkeypatch):
    sent = []
    send = Connection.send_packed_command
    monkeypatch.setattr(
        Connection, "send_packed_command", lambda self, *a, **k: sent.append(1) or send(self, *a, **k)
    )
    for _ in range(5):
        assert hung_redis.get("navigasjon") is None  # ignored: the page is made without the cache
    hung_redis.set("navigasjon", "meny")
    assert len(sent) == 1
    rediscache.try_again_now()  # as when REDIS_RETRY_SECONDS have passed
    assert hung_redis.get("navigasjon") is None
    assert len(sent) == 2


def test_the_pause_is_kept_per_server(hung_redis, settings):
    assert hung_redis.get("navigasjon") is None
    paused = list(rediscache._retry_at)
    assert len(paused) == 1 and paused[0][0] == "127.0.0.1"
    assert paused[0][1] == int(settings.CACHES["default"]["LOCATION"].rsplit(":", 1)[1].split("/")[0])


def test_a_tls_url_keeps_its_tls_connections():
    from redis.connection import SSLConnection

    pool = rediscache.OutageAwareConnectionPool.from_url("rediss://127.0.0.1:6380/0")
    assert issubclass(pool.connection_class, SSLConnection)
    assert issubclass(pool.connection_class, rediscache._Watched)
