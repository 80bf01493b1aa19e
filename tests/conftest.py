"""Shared fixtures. The real programme content is loaded once per test session into the test
database; each test runs in a transaction that is rolled back, so tests see the seed content and
may change it freely. Tests that need real commits (`transactional_db`) run last and start from an
empty database: they must load what they need themselves."""

import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from wagtail.search.backends import get_search_backend

from programme.roles import COMMITTEE_MEMBER, EDITOR, PROGRAMME_LEADER


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_programme", verbosity=0)
        # The session's search index (a temporary directory, config/settings/test.py).
        call_command("update_index", verbosity=0)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of every app's data files (`load_programme --data-dir`), to break one of them."""
    for config in apps.get_app_configs():
        source = Path(config.path) / "data"
        if getattr(config, "content_loader", None) and source.is_dir():
            shutil.copytree(source, tmp_path / config.label)
    return tmp_path


@pytest.fixture(autouse=True)
def _empty_caches():
    """The database rolls back after each test; the caches must not outlive it either."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def programme(db):
    from programme.models import ProgrammePage

    return ProgrammePage.objects.get()


def _user_in_group(django_user_model, username: str, group_name: str):
    user = django_user_model.objects.create_user(username=username, password="passord-for-test-123")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def programme_leader(db, django_user_model):
    return _user_in_group(django_user_model, "programleder", PROGRAMME_LEADER)


@pytest.fixture
def committee_member(db, django_user_model):
    return _user_in_group(django_user_model, "utvalgsmedlem", COMMITTEE_MEMBER)


@pytest.fixture
def editor(db, django_user_model):
    return _user_in_group(django_user_model, "redaktor", EDITOR)


# The search index. The database rolls back after each test, the Whoosh index on disk does not:
# a test that searches what it writes takes `whoosh_index`, its own copy of an index built once
# per module from the seed content, and runs its writes' commit callbacks
# (django_capture_on_commit_callbacks(execute=True)), so that nothing reaches another test.


def whoosh_settings(path) -> dict:
    return {"default": {"BACKEND": "knowledge.search.backend", "PATH": str(path), "LOCK_TIMEOUT": 10}}


DATABASE_SETTINGS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "norwegian"}}


@pytest.fixture(scope="module")
def pristine_index(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "index"
    with django_db_blocker.unblock(), override_settings(WAGTAILSEARCH_BACKENDS=whoosh_settings(path)):
        call_command("update_index", verbosity=0)
    yield path
    from knowledge.search.backend import forget_readers

    forget_readers(path)


@pytest.fixture
def whoosh_index(db, pristine_index, tmp_path, settings):
    """A fresh copy of the module's index, as the default backend; returns the backend."""
    path = tmp_path / "index"
    shutil.copytree(pristine_index, path)
    settings.WAGTAILSEARCH_BACKENDS = whoosh_settings(path)
    yield get_search_backend()
    from knowledge.search.backend import forget_readers

    forget_readers(path)
