"""The suite runs against what the environment names: CI's second leg must really use
PostgreSQL and Redis, not fall back to SQLite and local memory."""

import os

from django.core.cache import caches
from django.db import connection


def test_the_database_is_the_one_database_url_names(db):
    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version_num')::int")
            assert cursor.fetchone()[0] >= 130000


def test_the_cache_is_the_one_redis_url_names():
    cache = caches["default"]
    backend = type(cache).__module__ + "." + type(cache).__name__
    if os.environ.get("REDIS_URL"):
        assert backend == "django_redis.cache.RedisCache"
        cache.set("fia:environment-check", "ok", 30)
        assert cache.get("fia:environment-check") == "ok"
        assert cache.client.get_client().ping()
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
