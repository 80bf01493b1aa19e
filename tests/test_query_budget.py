"""Every public page type stays within the query budget, and its query count does not grow when
the content grows tenfold (issue: fast public pages)."""

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils.module_loading import import_string
from wagtail.models import Page

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10
SCALE = 10


def _one_page_per_type():
    pages = {}
    for page in Page.objects.live().public().exclude(depth=1).specific().order_by("path"):
        pages.setdefault(type(page), page)
    return list(pages.values())


def _bulk_content(*, scale: int) -> list[str]:
    """Each app's generated content (AppConfig.bench_bulk_content), as the web benchmark adds it."""
    labels = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "bench_bulk_content", None)
        if dotted:
            import_string(dotted)(scale=scale)
            labels.append(config.label)
    return labels


def _queries(client, url, django_assert_max_num_queries) -> int:
    # Measure serving as it runs in production: after the first request has filled the
    # process-wide caches (navigation, restricted paths, section addresses).
    client.get(url)
    with django_assert_max_num_queries(QUERY_BUDGET, info=url) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@override_settings(PAGE_CACHE_ENABLED=False)
def test_every_public_page_type_is_served_within_the_query_budget_at_any_size(
    client, django_assert_max_num_queries
):
    urls = [page.url for page in _one_page_per_type()]
    assert len(urls) >= 15
    before = {url: _queries(client, url, django_assert_max_num_queries) for url in urls}
    grown = _bulk_content(scale=SCALE)
    assert {"programme", "knowledge", "meetings", "communication"} <= set(grown)
    after = {url: _queries(client, url, django_assert_max_num_queries) for url in urls}
    assert after == before
