"""The health check a load balancer or a monitor asks: /-/health/."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy_when_the_database_the_cache_and_the_search_answer(client, whoosh_index):
    response = client.get("/-/health/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert {name: check["ok"] for name, check in data["checks"].items()} == {
        "database": True,
        "cache": True,
        "search": True,
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_missing_search_index_is_a_503_that_names_only_the_part(client, settings, tmp_path):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "knowledge.search.backend", "PATH": str(tmp_path / "none")}
    }
    response = client.get("/-/health/")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["checks"]["search"] == {"ok": False}
    assert data["checks"]["database"]["ok"] is True
    assert str(tmp_path) not in response.content.decode()


def test_a_cache_that_loses_what_it_stores_is_a_503(client, whoosh_index):
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        response = client.get("/-/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False}


def test_only_get_is_answered(client):
    assert client.post("/-/health/").status_code == 405
