"""Search fixtures: the same tests run on the Whoosh backend and on Wagtail's database backend
(the Whoosh index fixtures are in tests/conftest.py)."""

import pytest
from wagtail.search.backends import get_search_backend

from tests.conftest import DATABASE_SETTINGS


@pytest.fixture(params=["whoosh", "database"])
def search_backend(request, db, settings):
    """Each test that uses it runs once per backend."""
    if request.param == "whoosh":
        return request.getfixturevalue("whoosh_index")
    settings.WAGTAILSEARCH_BACKENDS = DATABASE_SETTINGS
    return get_search_backend()
