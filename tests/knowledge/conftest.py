"""Search fixtures: the same tests run on the Whoosh backend and on Wagtail's database backend.

The database rolls back after each test, the Whoosh index on disk does not: each Whoosh test
gets its own copy of an index built once per module from the seed content, so what one test
writes never reaches another."""

import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.search.backends import get_search_backend

from knowledge.search.backend import forget_readers


def whoosh_settings(path) -> dict:
    return {"default": {"BACKEND": "knowledge.search.backend", "PATH": str(path), "LOCK_TIMEOUT": 10}}


DATABASE_SETTINGS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "norwegian"}}


@pytest.fixture(scope="module")
def pristine_index(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "index"
    with django_db_blocker.unblock(), override_settings(WAGTAILSEARCH_BACKENDS=whoosh_settings(path)):
        call_command("update_index", verbosity=0)
    yield path
    forget_readers(path)


@pytest.fixture
def whoosh_index(db, pristine_index, tmp_path, settings):
    """A fresh copy of the module's index, as the default backend; returns the backend."""
    path = tmp_path / "index"
    shutil.copytree(pristine_index, path)
    settings.WAGTAILSEARCH_BACKENDS = whoosh_settings(path)
    yield get_search_backend()
    forget_readers(path)


@pytest.fixture(params=["whoosh", "database"])
def search_backend(request, db, settings):
    """Each test that uses it runs once per backend."""
    if request.param == "whoosh":
        return request.getfixturevalue("whoosh_index")
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_SETTINGS
    return get_search_backend()
