"""Every public page type stays within the query budget (issue: fast public pages)."""

import pytest
from django.test import override_settings
from wagtail.models import Page

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10


def _one_page_per_type():
    pages = {}
    for page in Page.objects.live().public().exclude(depth=1).specific().order_by("path"):
        pages.setdefault(type(page), page)
    return list(pages.values())


@override_settings(PAGE_CACHE_ENABLED=False)
def test_every_public_page_type_is_served_within_the_query_budget(client, django_assert_max_num_queries):
    pages = _one_page_per_type()
    assert pages
    for page in pages:
        # Measure serving as it runs in production: after the first request has filled the
        # process-wide caches (navigation, restricted paths, the plan's address).
        client.get(page.url)
        with django_assert_max_num_queries(QUERY_BUDGET, info=page.url):
            assert client.get(page.url).status_code == 200
