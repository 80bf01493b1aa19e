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


def test_the_remembered_route_loads_a_page_exactly_as_the_orm_does():
    from wagtail.models import Page

    from config.routing import load_page

    pages = list(Page.objects.exclude(depth=1).specific())
    assert len({type(page) for page in pages}) >= 10
    for page in pages:
        loaded = load_page(type(page), page.pk)
        assert type(loaded) is type(page)
        assert not loaded.get_deferred_fields()
        assert loaded._state.adding is False
        for field in type(page)._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(page, field.attname), field.attname
            assert type(getattr(loaded, field.attname)) is type(getattr(page, field.attname)), field.attname
    assert load_page(Page, max(page.pk for page in pages) + 1) is None


def _menu_titles(client, path: str = "/") -> list[str]:
    import re

    nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(path).content.decode(), re.S).group(0)
    return re.findall(r"<a [^>]*>([^<]*)</a>", nav)


def test_the_navigation_comes_from_the_worker_until_another_process_changes_the_structure(client):
    from wagtail.models import Page

    from config import generation
    from programme.queries import MENU_CACHE_KEY

    section = _page("programme.TimelinePage")
    assert section.title in _menu_titles(client)
    # Another process renames the section; this worker has not yet heard of it.
    Page.objects.filter(pk=section.pk).update(title="Tidslinjen")
    cache_key = MENU_CACHE_KEY.format(root_id=section.get_parent().pk)
    from django.core.cache import cache

    cache.delete(cache_key)
    assert section.title in _menu_titles(client)  # the worker's own copy
    generation.renew(generation.site_structure.name)  # what that process's `forget` does last
    titles = _menu_titles(client)
    assert "Tidslinjen" in titles and section.title not in titles


def _shared_cache_reads(monkeypatch) -> list[str]:
    """The keys read from the shared cache from now on, in order."""
    from django.core.cache import caches

    shared = caches["default"]
    read = []
    original = shared.get

    def get(key, *args, **kwargs):
        read.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(shared, "get", get)
    return read


def test_a_page_reads_the_shared_cache_once_for_the_whole_site_structure(client, monkeypatch):
    url = _page("programme.BudgetPage").url
    client.get(url)
    read = _shared_cache_reads(monkeypatch)
    assert client.get(url).status_code == 200
    assert [key for key in read if key.startswith(("programme:", "generation:structure"))] == [
        "generation:structure"
    ]


def test_a_page_of_many_links_reads_the_shared_cache_once(client, monkeypatch):
    # A research report links each of its findings and recommendations: Wagtail would read its
    # site root paths from the shared cache for each of their addresses.
    url = _page("knowledge.ResearchReportPage").url
    client.get(url)
    read = _shared_cache_reads(monkeypatch)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('href="/kunnskap/') >= 5
    assert read == ["generation:structure"]


def test_page_addresses_follow_a_changed_site_at_the_next_request():
    from config.generation import site_structure

    report = _page("knowledge.ResearchReportPage")
    with site_structure.during_request():
        assert report.full_url.startswith("http://localhost/")
    site = Site.objects.get(is_default_site=True)
    site.hostname = "arbeid.kristiansand.kommune.no"
    site.save()
    with site_structure.during_request():
        again = _page("knowledge.ResearchReportPage")
        assert again.full_url.startswith("http://arbeid.kristiansand.kommune.no/")


def test_page_addresses_follow_a_deeper_site_root_that_changes_its_slug():
    from config.generation import site_structure

    report = _page("knowledge.ResearchReportPage")
    Site.objects.create(hostname="rapport.example", port=80, root_page=report, site_name="Rapport")
    child = report.get_children().live().first().specific  # a part report under it
    with site_structure.during_request():
        assert child.full_url.startswith("http://rapport.example/")
    report.slug = "rapporten"
    report.save_revision().publish()
    with site_structure.during_request():
        moved = type(child).objects.get(pk=child.pk)
        assert "/rapporten/" in moved.url_path
        assert moved.full_url.startswith("http://rapport.example/")


def test_site_root_paths_read_back_before_a_site_change_commits_are_cleared_at_the_commit(
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

    stale = Site.get_site_root_paths()
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=True):
        site.hostname = "arbeid.kristiansand.kommune.no"
        site.save()
        # Another process, still seeing the old site, puts its root paths back.
        cache.set(SITE_ROOT_PATHS_CACHE_KEY, stale, 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    assert cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION) is None
    assert Site.get_site_root_paths()[0].root_url == "http://arbeid.kristiansand.kommune.no"


def test_outside_a_request_the_structure_is_read_from_the_shared_cache():
    from django.core.cache import cache

    from config.generation import _pack
    from programme import queries

    assert "0001" not in queries.restricted_paths()
    cache.set(queries.RESTRICTED_PATHS_CACHE_KEY, _pack(["0001"]), None)  # set by another process
    assert queries.restricted_paths() == ["0001"]


def test_a_value_read_back_before_the_change_commits_is_forgotten_at_the_commit(
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache

    from programme import queries

    with django_capture_on_commit_callbacks(execute=True):
        queries.forget_restricted_paths()
        # Another process, still seeing the old rows, puts the old value back.
        cache.set(queries.RESTRICTED_PATHS_CACHE_KEY, ["0001"], None)
    assert cache.get(queries.RESTRICTED_PATHS_CACHE_KEY) is None


def _current_entries(client, path: str) -> list[tuple[str, str]]:
    import re

    nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(path).content.decode(), re.S).group(0)
    return re.findall(r'aria-current="(\w+)">([^<]*)</a>', nav)


def test_each_page_marks_its_own_section_in_the_remembered_frame(client):
    timeline = _page("programme.TimelinePage")
    report = _page("programme.StatusReportPage")
    budget = _page("programme.BudgetPage")
    for _ in range(2):  # the second round comes from the worker's memory
        assert _current_entries(client, "/") == [("page", "Programmet")]
        assert _current_entries(client, timeline.url) == [("page", timeline.title)]
        assert _current_entries(client, report.url) == [("true", timeline.title)]
        assert _current_entries(client, budget.url) == []  # not in the navigation
        # A section's own routes are in the section, not its page.
        assert _current_entries(client, f"{timeline.url}milepaeler/fase-1-avsluttet/") == [
            ("true", timeline.title)
        ]
        meetings = _page("meetings.MeetingIndexPage")
        assert _current_entries(client, f"{meetings.url}vedtak/") == [("true", meetings.title)]


def test_the_remembered_frame_is_kept_per_language(client):
    url = _page("programme.BudgetPage").url
    client.get(url)
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert 'placeholder="Search"' in english and "Accessibility statement" in english
    client.cookies["django_language"] = "nb"
    norwegian = client.get(url).content.decode()
    assert 'placeholder="Søk"' in norwegian and "Tilgjengelighetserklæring" in norwegian


def test_the_frame_keeps_each_page_s_own_return_address_and_login_state(client, programme_leader):
    budget, timeline = _page("programme.BudgetPage").url, _page("programme.TimelinePage").url
    client.get(budget)
    page = client.get(timeline).content.decode()
    assert f'name="next" type="hidden" value="{timeline}"' in page
    assert f"?next={timeline}" in page
    client.force_login(programme_leader)
    page = client.get(budget).content.decode()
    assert f'name="next" type="hidden" value="{budget}"' in page
    assert "Logg ut" in page and "?next=" not in page


def test_a_published_section_title_shows_in_every_page_s_frame(client):
    section = _page("programme.TimelinePage")
    budget = _page("programme.BudgetPage").url
    assert section.title in _menu_titles(client, budget)
    section.title = "Framdriften"
    section.save_revision().publish()
    assert "Framdriften" in _menu_titles(client, budget)
    assert "Framdriften" in _menu_titles(client, "/")


def test_outside_a_request_the_frame_is_rendered_each_time():
    from django.template import engines

    from config.generation import site_structure

    template = engines["django"].from_string(
        '{% load site_tags %}{% chrome "test" %}{{ value }}{% endchrome %}'
    )
    assert template.render({"value": "a"}) == "a"
    assert template.render({"value": "b"}) == "b"
    with site_structure.during_request():
        assert template.render({"value": "c"}) == "c"
        assert template.render({"value": "d"}) == "c"  # what the frame may not do: vary unnamed


def test_a_frame_part_needs_a_quoted_name():
    from django.template import TemplateSyntaxError, engines

    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load site_tags %}{% chrome header %}{% endchrome %}")
