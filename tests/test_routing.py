"""Routing from each worker's memory (config/routing.py): fewer queries, the same answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False  # every request must reach the routing


def _sql(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, [query["sql"] for query in queries.captured_queries]


def _page(model_path: str):
    from django.apps import apps

    return apps.get_model(model_path).objects.live().first()


def test_the_second_request_skips_the_site_lookup_and_the_walk(client):
    url = _page("programme.BudgetPage").url
    status, first = _sql(client, url)
    assert status == 200
    status, second = _sql(client, url)
    assert status == 200
    assert len(second) <= len(first) - 3
    assert not [sql for sql in second if "wagtailcore_site" in sql]


def test_a_remembered_sub_route_of_a_routable_page_is_served(client):
    index = _page("meetings.MeetingIndexPage")
    client.get(index.url + "vedtak/")
    second = client.get(index.url + "vedtak/")
    assert second.status_code == 200
    assert "vedtak" in second.content.decode().lower()


def test_an_unpublished_page_is_gone_at_the_next_request(client):
    page = _page("programme.BudgetPage")
    url = page.url
    assert client.get(url).status_code == 200
    page.unpublish()
    assert client.get(url).status_code == 404


def test_a_moved_page_answers_at_its_new_address_only(client):
    page = _page("programme.BudgetPage")
    old = page.url
    assert client.get(old).status_code == 200
    page.slug = "budsjett-og-finansiering"
    page.save_revision().publish()
    page.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(page.url).status_code == 200


def test_a_new_site_for_the_hostname_is_followed_by_every_worker(client):
    from django.test import Client

    other_worker = Client()
    assert other_worker.get("/").context["page"].depth == 2  # the programme page, the site root
    # Another process adds a site for this very hostname, rooted at the budget page.
    budget = _page("programme.BudgetPage")
    Site.objects.create(hostname="testserver", port=80, root_page=budget, site_name="Budsjett")
    response = other_worker.get("/")
    assert response.status_code == 200
    assert response.context["page"].pk == budget.pk


def test_pages_are_still_found_after_the_site_root_changes_its_slug(client, programme):
    url = _page("programme.BudgetPage").url
    assert client.get(url).status_code == 200
    programme.slug = "flere-i-arbeid-programmet"
    programme.save_revision().publish()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
