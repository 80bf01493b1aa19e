"""The anonymous full-page cache: hits without queries, bypasses, and purges on change."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config import pagecache

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second


def test_logged_in_readers_and_the_admin_bypass_the_cache(client, admin_client):
    client.get("/")
    assert "X-Page-Cache" not in admin_client.get("/")
    assert "X-Page-Cache" not in admin_client.get("/admin/")


def test_each_language_is_cached_separately(client):
    client.get("/")
    client.cookies["django_language"] = "en"
    english = client.get("/")
    assert english["X-Page-Cache"] == "miss"
    assert "Skip to main content" in english.content.decode()


def test_a_publish_is_visible_to_the_next_anonymous_request(
    client, programme, django_capture_on_commit_callbacks
):
    client.get("/")
    programme.lead = "Ny ingress publisert nå"
    with django_capture_on_commit_callbacks(execute=True):
        programme.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Ny ingress publisert nå" in response.content.decode()


def _serve(path: str, body: str):
    middleware = pagecache.AnonymousPageCacheMiddleware(lambda request: HttpResponse(body))
    return middleware(RequestFactory().get(path))


class Worker:
    """One worker process's middleware, rendering whatever `body` holds now."""

    def __init__(self):
        self.body = "gammel"
        self.rendered = 0
        self.middleware = pagecache.AnonymousPageCacheMiddleware(self.render)

    def render(self, request):
        self.rendered += 1
        return HttpResponse(self.body)

    def get(self, path: str, **extra):
        return self.middleware(RequestFactory().get(path, **extra))


def test_a_hit_skips_the_other_middleware_but_keeps_their_headers(client):
    first = client.get("/")
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    for header in ("Content-Language", "Vary", "X-Content-Type-Options", "Content-Security-Policy"):
        assert second[header] == first[header]


def test_a_worker_serves_its_own_copy_until_any_worker_purges():
    one, two = Worker(), Worker()
    assert one.get("/moter/")["X-Page-Cache"] == "miss"
    assert two.get("/moter/")["X-Page-Cache"] == "hit"  # from the shared cache
    assert one.get("/moter/")["X-Page-Cache"] == "hit"  # from its own memory
    assert one.rendered == 1 and two.rendered == 0
    one.body = two.body = "ny"
    pagecache.purge_path("/moter/")  # as a publish in a third process would
    assert one.get("/moter/").content == b"ny"
    assert two.get("/moter/").content == b"ny"


def test_a_flushed_shared_cache_never_brings_back_a_worker_copy():
    from django.core.cache import cache

    worker = Worker()
    worker.get("/kunnskap/")
    cache.clear()  # a Redis restart: every version starts again from nothing
    worker.body = "ny"
    assert worker.get("/kunnskap/").content == b"ny"


def test_a_worker_keeps_at_most_its_memory_limit_least_recently_used_first(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10
    worker = Worker()
    worker.body = "1234"
    for path in ("/a/", "/b/", "/a/", "/c/"):
        worker.get(path)
    assert [place[2] for place in worker.middleware.local.values] == ["/a/", "/c/"]


def test_static_files_and_plain_http_under_https_redirect_pass_by(settings):
    worker = Worker()
    worker.get(settings.STATIC_URL + "css/site.css")
    assert "X-Page-Cache" not in worker.get(settings.STATIC_URL + "css/site.css")
    settings.SECURE_SSL_REDIRECT = True
    assert "X-Page-Cache" not in worker.get("/")
    assert worker.get("/", secure=True)["X-Page-Cache"] == "miss"


def test_purging_a_page_reaches_exactly_that_page():
    for path in ("/moter/", "/moter/2021-02-03/", "/kunnskap/"):
        assert _serve(path, "gammel")["X-Page-Cache"] == "miss"
    pagecache.purge_path("/moter/")
    assert _serve("/moter/", "ny").content == b"ny"
    assert _serve("/moter/2021-02-03/", "ny").content == b"gammel"
    assert _serve("/kunnskap/", "ny").content == b"gammel"


def test_purging_a_tree_reaches_the_page_and_everything_below_it():
    for path in ("/moter/", "/moter/vedtak/", "/moter/2021-02-03/", "/kunnskap/"):
        _serve(path, "gammel")
    pagecache.purge_path("/moter/", tree=True)
    assert _serve("/moter/", "ny").content == b"ny"
    assert _serve("/moter/vedtak/", "ny").content == b"ny"
    assert _serve("/moter/2021-02-03/", "ny").content == b"ny"
    assert _serve("/kunnskap/", "ny").content == b"gammel"


def test_responses_setting_cookies_or_errors_are_never_cached():
    request = RequestFactory().get("/x/")

    def with_cookie(request):
        response = HttpResponse("hemmelig")
        response.set_cookie("csrftoken", "abc")
        return response

    middleware = pagecache.AnonymousPageCacheMiddleware(with_cookie)
    middleware(request)
    assert "X-Page-Cache" not in middleware(request)
    not_found = pagecache.AnonymousPageCacheMiddleware(lambda request: HttpResponse(status=404))
    not_found(request)
    assert "X-Page-Cache" not in not_found(request)


def test_publishing_a_meeting_refreshes_the_calendar_feed_of_its_index(
    client, django_capture_on_commit_callbacks
):
    from meetings.models import MeetingPage

    meeting = MeetingPage.objects.live().order_by("starts_at").first()
    feed = meeting.get_parent().url + "kalender/"
    client.get(feed)
    assert client.get(feed)["X-Page-Cache"] == "hit"
    meeting.title = "Omdøpt møte i kalenderen"
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision().publish()
    response = client.get(feed)
    assert response["X-Page-Cache"] == "miss"
    assert "Omdøpt møte i kalenderen" in response.content.decode()
