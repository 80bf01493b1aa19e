"""The anonymous full-page cache: hits without queries, bypasses, and purges on change."""

import datetime as dt
import io
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from config import generation, pagecache, rediscache
from knowledge.models import FindingPage
from tests.helpers import make_document

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
    copies = generation.ProcessMemo(pagecache.GENERATION, settings.PAGE_CACHE_LOCAL_BYTES, size=len)
    middleware = pagecache.AnonymousPageCacheMiddleware(lambda request: HttpResponse(body), copies)
    return middleware(RequestFactory().get(path))


class Worker:
    """One worker process's middleware, rendering whatever `body` holds now."""

    def __init__(self):
        self.body = "gammel"
        self.rendered = 0
        self.copies = generation.ProcessMemo(pagecache.GENERATION, settings.PAGE_CACHE_LOCAL_BYTES, size=len)
        self.middleware = pagecache.AnonymousPageCacheMiddleware(self.render, self.copies)

    def render(self, request):
        self.rendered += 1
        return HttpResponse(self.body)

    def get(self, path: str, **extra):
        return self.middleware(RequestFactory().get(path, **extra))


def test_a_reader_who_holds_the_page_gets_304_until_it_changes(
    client, programme, django_capture_on_commit_callbacks
):
    etag = client.get("/")["ETag"]
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["X-Page-Cache"] == "hit"
    assert response.content == b"" and response["ETag"] == etag
    programme.lead = "Ny ingress, ny ETag"
    with django_capture_on_commit_callbacks(execute=True):
        programme.save_revision().publish()
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Ny ingress, ny ETag" in response.content.decode()


def test_pages_answer_if_none_match_without_the_page_cache_and_after_a_head(client, settings):
    client.head("/temaer/")
    assert client.get("/temaer/")["X-Page-Cache"] == "hit" and client.get("/temaer/")["ETag"]
    settings.PAGE_CACHE_ENABLED = False
    etag = client.get("/kunnskap/")["ETag"]
    response = client.get("/kunnskap/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and "X-Page-Cache" not in response


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


def test_a_version_the_cache_dropped_never_brings_back_an_older_copy():
    from django.core.cache import cache

    path = "/indikatorer/"
    Worker().get(path)  # stored under the first version
    pagecache.purge_path(path)
    newer = Worker()
    newer.body = "ny"
    assert newer.get(path).content == b"ny"
    cache.delete_many(pagecache._version_keys(path))  # a full file cache culls, Redis evicts
    newest = Worker()
    newest.body = "nyest"
    assert newest.get(path).content == b"nyest"


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


@pytest.fixture
def release(settings):
    """Switch the release this process renders, as a deploy does."""

    def switch(name: str) -> None:
        settings.RELEASE = name
        pagecache.release.cache_clear()

    yield switch
    pagecache.release.cache_clear()


def test_a_new_release_never_gets_the_previous_releases_copies_and_purges_reach_both(release):
    release("forrige")
    _serve("/moter/", "gammel mal")
    assert _serve("/moter/", "gammel mal")["X-Page-Cache"] == "hit"
    release("ny")
    response = _serve("/moter/", "ny mal")
    assert response["X-Page-Cache"] == "miss" and response.content == b"ny mal"
    assert _serve("/moter/", "ny mal")["X-Page-Cache"] == "hit"
    pagecache.purge_path("/moter/")
    release("forrige")
    assert _serve("/moter/", "gammel mal, nytt innhold").content == b"gammel mal, nytt innhold"


def test_the_site_structure_another_release_stored_is_made_again(client, release, settings):
    """During a deploy old and new releases share the cache: a menu the other release pickled,
    maybe of a class this one no longer has, is never unpickled."""
    import pickle

    from django.core.cache import cache
    from wagtail.models import Site

    from programme.queries import MENU_CACHE_KEY, MenuItem

    settings.PAGE_CACHE_ENABLED = False
    root = Site.objects.get(is_default_site=True).root_page
    key = MENU_CACHE_KEY.format(root_id=root.pk)

    def menu_as(release_name: str, pickled: bytes) -> str:
        cache.set(key, (release_name, pickled), None)
        generation.renew(generation.site_structure.name)  # every worker drops its own copy
        response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    release("ny")
    stored = pickle.dumps([MenuItem("Fra bufferen", "/fra-bufferen/", root.path + "0099")])
    assert 'href="/fra-bufferen/"' in menu_as("ny", stored)
    gone = b"cmodul_som_er_borte\nMenyPunkt\n)\x81."  # unpickling it would raise
    html = menu_as("forrige", gone)
    assert 'href="/temaer/"' in html and "Fra bufferen" not in html
    assert cache.get(key)[0] == "ny"


def test_the_release_digest_follows_the_code_and_nothing_else(tmp_path):
    def tree(root, template="<p>{{ page.title }}</p>"):
        files = {
            "templates/page.html": template,
            "programme/views.py": "VIEW = 1\n",
            "programme/migrations/0001_initial.py": "# migration\n",
            "programme/data/themes.yaml": "- tema\n",
            "static/css/site.css": "body {}\n",
        }
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        return pagecache.source_digest(root)

    first = tree(tmp_path / "server-1")
    assert tree(tmp_path / "server-2") == first  # the same code on another app server
    (tmp_path / "server-1" / "programme" / "migrations" / "0001_initial.py").write_text("# changed\n")
    (tmp_path / "server-1" / "programme" / "data" / "themes.yaml").write_text("- endret\n")
    assert pagecache.source_digest(tmp_path / "server-1") == first
    assert tree(tmp_path / "server-3", template="<h1>{{ page.title }}</h1>") != first
    (tmp_path / "server-1" / "static" / "css" / "site.css").write_text("body { margin: 0 }\n")
    assert pagecache.source_digest(tmp_path / "server-1") != first


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


@pytest.fixture
def front():
    """The WSGI application as gunicorn serves it, with a count of the requests Django saw.
    Django's own connection handling is held back, as the test client does, so that the
    requests run inside the test's transaction."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    django_saw = []
    handler = WSGIHandler()

    def django_application(environ, start_response):
        django_saw.append(environ["PATH_INFO"])
        return handler(environ, start_response)

    application = pagecache.PageCacheFront(django_application)

    def get(path: str, method: str = "GET", **environ):
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(headers)

        body = b"".join(application(_environ(path, method, **environ), start_response))
        return answer["status"], answer["headers"], body

    get.django_saw = django_saw
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _environ(path: str, method: str, **extra) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        **extra,
    }


def test_the_front_answers_a_page_the_worker_holds_before_django_sees_it(front, django_assert_num_queries):
    status, first_headers, first_body = front("/")
    assert status == "200 OK" and first_headers["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        status, headers, body = front("/")
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert front.django_saw == ["/"]
    assert body == first_body
    for header in ("Content-Type", "Content-Length", "Content-Language", "Vary", "Content-Security-Policy"):
        assert headers[header] == first_headers[header]


def test_the_front_answers_head_with_the_headers_and_no_body(front):
    _status, first_headers, _body = front("/temaer/")
    status, headers, body = front("/temaer/", method="HEAD")
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit" and body == b""
    assert headers["Content-Length"] == first_headers["Content-Length"]


def test_the_front_answers_a_reader_who_holds_the_page_with_304(front):
    _status, first_headers, _body = front("/temaer/")
    seen = len(front.django_saw)
    status, headers, body = front("/temaer/", HTTP_IF_NONE_MATCH=f'"annen", W/{first_headers["ETag"]}')
    assert status == "304 Not Modified" and body == b""
    assert headers["ETag"] == first_headers["ETag"] and headers["Vary"] == first_headers["Vary"]
    assert "Content-Security-Policy" not in headers
    assert len(front.django_saw) == seen
    assert front("/temaer/", HTTP_IF_NONE_MATCH='"annen"')[0] == "200 OK"


def test_the_front_leaves_sessions_other_languages_and_forms_to_django(front, settings):
    front("/")
    front("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert front.django_saw == ["/", "/"]
    _status, headers, body = front("/", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    assert headers["X-Page-Cache"] == "miss" and "Skip to main content" in body.decode()
    assert front("/", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")[1]["X-Page-Cache"] == "hit"
    front("/sok/", QUERY_STRING="q=arbeid")
    front("/sok/", QUERY_STRING="q=arbeid")
    assert front.django_saw[-2:] == ["/sok/", "/sok/"]
    settings.PAGE_CACHE_ENABLED = False
    assert "X-Page-Cache" not in front("/")[1]


def test_a_publish_is_visible_to_the_next_request_through_the_front(
    front, programme, django_capture_on_commit_callbacks
):
    front("/")
    assert front("/")[1]["X-Page-Cache"] == "hit"
    programme.lead = "Ingress publisert bak fronten"
    with django_capture_on_commit_callbacks(execute=True):
        programme.save_revision().publish()
    _status, headers, body = front("/")
    assert headers["X-Page-Cache"] == "miss"
    assert "Ingress publisert bak fronten" in body.decode()


# --- what else a change reaches ----------------------------------------------------------------

DECEMBER = "/moter/au-flere-i-arbeid-2020-12-09/"
FEBRUARY = "/moter/au-flere-i-arbeid-2021-02-03/"


def _cached(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def _attach_document(title: str):
    """A document attached, under its own title, to a new case of the meeting of 9 Dec 2020
    (whose protocol is public)."""
    from meetings.models import CaseItem, MeetingPage

    meeting = MeetingPage.objects.get(url_path__endswith=DECEMBER)
    document = make_document(title)
    attachment = ("attachment", {"title": "", "document": document})
    meeting.case_items = [CaseItem(title="Møteplan for 2021", sort_order=0, attachments=[attachment])]
    meeting.save_revision().publish()
    return document


def test_a_view_restriction_takes_a_cached_page_from_the_public_at_once(
    client, django_capture_on_commit_callbacks
):
    finding = FindingPage.objects.live().first()
    report = finding.get_parent()
    _cached(client, finding.url, report.url)
    assert finding.title in client.get(report.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=finding, restriction_type="login")
    response = client.get(finding.url)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")
    listing = client.get(report.url)
    assert listing["X-Page-Cache"] == "miss"
    assert finding.title not in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert finding.title in client.get(report.url).content.decode()
    assert client.get(finding.url).status_code == 200


def test_a_document_moved_into_the_committee_collection_leaves_the_cached_pages_at_once(
    client, django_capture_on_commit_callbacks
):
    from meetings.queries import COMMITTEE_COLLECTION

    with django_capture_on_commit_callbacks(execute=True):
        document = _attach_document("Forslag til møteplan")
    protocol = DECEMBER + "protokoll/"
    _cached(client, DECEMBER, protocol)
    assert document.url in client.get(DECEMBER).content.decode()
    assert document.url in client.get(protocol).content.decode()
    document.collection = Collection.objects.get(name=COMMITTEE_COLLECTION)
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    for url in (DECEMBER, protocol):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert document.url not in response.content.decode()
        assert "Forslag til møteplan" not in response.content.decode()


def test_a_renamed_or_deleted_document_reaches_the_cached_pages_that_link_it(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _attach_document("Forslag til møteplan")
    _cached(client, DECEMBER)
    document.title = "Revidert forslag til møteplan"
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert "Revidert forslag til møteplan" in client.get(DECEMBER).content.decode()
    _cached(client, DECEMBER)
    url = document.url
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    response = client.get(DECEMBER)
    assert response["X-Page-Cache"] == "miss"
    assert url not in response.content.decode()


def test_restricting_a_collection_reaches_the_cached_pages_that_link_its_documents(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _attach_document("Forslag til møteplan")
        collection = Collection.get_first_root_node().add_child(name="Snart lukket")
        document.collection = collection
        document.save()
    _cached(client, DECEMBER)
    assert document.url in client.get(DECEMBER).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    assert document.url not in client.get(DECEMBER).content.decode()


def test_the_cached_sitemap_follows_an_unpublish(client, django_capture_on_commit_callbacks):
    finding = FindingPage.objects.live().first()
    _cached(client, "/sitemap.xml")
    assert finding.full_url in client.get("/sitemap.xml").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        finding.unpublish()
    response = client.get("/sitemap.xml")
    assert response["X-Page-Cache"] == "miss"
    assert finding.full_url not in response.content.decode()


def test_scheduled_publishing_and_expiry_reach_the_cached_pages(client, django_capture_on_commit_callbacks):
    finding = FindingPage.objects.live().first()
    report = finding.get_parent()
    _cached(client, finding.url, report.url)
    finding.title = "Publisert etter tidsplan"
    finding.save_revision(approved_go_live_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert "Publisert etter tidsplan" in client.get(finding.url).content.decode()
    assert "Publisert etter tidsplan" in client.get(report.url).content.decode()
    finding = FindingPage.objects.get(pk=finding.pk)
    finding.expire_at = timezone.now() - dt.timedelta(minutes=1)
    finding.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert client.get(finding.url).status_code == 404
    assert "Publisert etter tidsplan" not in client.get(report.url).content.decode()


def test_publishing_a_meeting_reaches_its_cached_protocol(client, django_capture_on_commit_callbacks):
    from meetings.models import CaseItem, MeetingPage

    protocol = DECEMBER + "protokoll/"
    _cached(client, protocol)
    meeting = MeetingPage.objects.get(url_path__endswith=DECEMBER)
    meeting.case_items = [CaseItem(title="Sak ført inn etterpå", decision="Vedtatt", sort_order=0)]
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision().publish()
    assert "Sak ført inn etterpå" in client.get(protocol).content.decode()


def test_a_meeting_held_reaches_the_cached_status_report_whose_period_it_starts(
    client, django_capture_on_commit_callbacks
):
    from meetings.choices import MeetingStatus
    from meetings.models import MeetingPage

    report = "/framdrift/statusrapport/"
    _cached(client, report)
    assert 'name="fra" value="2021-02-03"' in client.get(report).content.decode()
    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-12-01")
    meeting.status = MeetingStatus.HELD
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision().publish()
    assert 'name="fra" value="2021-12-01"' in client.get(report).content.decode()


def test_a_changed_slug_sends_the_cached_old_address_to_the_new_one(
    client, django_capture_on_commit_callbacks
):
    finding = FindingPage.objects.live().first()
    old = finding.url
    _cached(client, old)
    finding.slug += "-ny"
    with django_capture_on_commit_callbacks(execute=True):
        finding.save_revision().publish()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == old.rstrip("/") + "-ny/"


def test_a_new_live_alias_reaches_the_cached_page_that_lists_it(client, django_capture_on_commit_callbacks):
    from knowledge.models import ResearchReportPage

    report = ResearchReportPage.objects.live().first()
    library = report.get_parent()
    _cached(client, library.url)
    with django_capture_on_commit_callbacks(execute=True):
        alias = report.create_alias(update_slug="samme-rapport-et-annet-sted")
    response = client.get(library.url)
    assert response["X-Page-Cache"] == "miss"
    assert alias.url in response.content.decode()


def test_deleting_a_page_reaches_the_cached_pages_that_link_it(client, django_capture_on_commit_callbacks):
    from meetings.models import ProtocolPage

    december = ProtocolPage.objects.get(url_path__endswith="/au-flere-i-arbeid-2020-12-09/protokoll/")
    _cached(client, FEBRUARY)
    assert december.url in client.get(FEBRUARY).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        december.delete()
    response = client.get(FEBRUARY)
    assert response["X-Page-Cache"] == "miss"
    assert december.url not in response.content.decode()


def test_purge_caches_rebuilds_pages_and_menus_after_a_change_made_directly_in_the_database(client):
    from programme.models import ThemeIndexPage

    _cached(client, "/")
    ThemeIndexPage.objects.update(title="Temaene, endret i databasen")
    assert "Temaene, endret i databasen" not in client.get("/").content.decode()
    output = io.StringIO()
    call_command("purge_caches", stdout=output)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert 'href="/temaer/">Temaene, endret i databasen</a>' in response.content.decode()
    assert "bygges på nytt" in output.getvalue()


def _case_concerning(theme):
    """The first case of the meeting of 3 Feb 2021, made to concern `theme` and published."""
    from meetings.models import MeetingPage

    meeting = MeetingPage.objects.get(url_path__endswith=FEBRUARY)
    items = list(meeting.case_items.all())
    items[0].themes = [theme]
    meeting.case_items = items
    meeting.save_revision().publish()
    return meeting, items[0]


def test_a_retitled_recommendation_reaches_the_cached_findings_behind_it(
    client, django_capture_on_commit_callbacks
):
    from knowledge.models import RecommendationPage

    recommendation = next(page for page in RecommendationPage.objects.live() if page.findings.exists())
    findings = [finding.url for finding in recommendation.findings.all()]
    _cached(client, *findings)
    recommendation.title = "Anbefaling med ny tittel"
    with django_capture_on_commit_callbacks(execute=True):
        recommendation.save_revision().publish()
    for url in findings:
        assert "Anbefaling med ny tittel" in client.get(url).content.decode(), url


def test_a_retitled_theme_reaches_the_cached_meetings_and_milestones_that_name_it(
    client, django_capture_on_commit_callbacks
):
    from programme.factories import MilestoneFactory
    from programme.models import ThemePage

    theme = ThemePage.objects.get(number=6)
    with django_capture_on_commit_callbacks(execute=True):
        meeting, case = _case_concerning(theme)
        MilestoneFactory(title="Milepæl under temaet", slug="under-temaet", theme=theme, live=True)
    milestone = "/framdrift/milepaeler/under-temaet/"
    _cached(client, meeting.url, milestone)
    theme.title = "Temaet med nytt navn"
    with django_capture_on_commit_callbacks(execute=True):
        theme.save_revision().publish()
    for url in (meeting.url, milestone):
        assert "Temaet med nytt navn" in client.get(url).content.decode(), url


@pytest.mark.parametrize("change", ["case removed", "meeting unpublished"])
def test_a_case_gone_from_a_meeting_or_from_the_public_leaves_the_cached_theme_it_concerned(
    client, change, django_capture_on_commit_callbacks
):
    from meetings.models import MeetingPage
    from programme.models import ThemePage

    theme = ThemePage.objects.get(number=6)
    with django_capture_on_commit_callbacks(execute=True):
        meeting, case = _case_concerning(theme)
    _cached(client, theme.url)
    assert case.title in client.get(theme.url).content.decode()
    meeting = MeetingPage.objects.get(pk=meeting.pk)  # as the admin loads it
    with django_capture_on_commit_callbacks(execute=True):
        if change == "case removed":
            meeting.case_items = [item for item in meeting.case_items.all() if item.pk != case.pk]
            meeting.save_revision().publish()
        else:
            meeting.unpublish()  # saves no case item: the purge must find them
    assert case.title not in client.get(theme.url).content.decode()


def test_a_case_linked_to_a_recommendation_and_unlinked_again_reaches_both_cached_pages(
    client, django_capture_on_commit_callbacks
):
    from knowledge.models import RecommendationPage
    from meetings.models import MeetingPage
    from programme.models import ThemePage

    recommendation = RecommendationPage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=True):
        meeting, case = _case_concerning(ThemePage.objects.get(number=6))

    def link(recommendations):
        page = MeetingPage.objects.get(pk=meeting.pk)
        items = list(page.case_items.all())
        next(item for item in items if item.pk == case.pk).recommendations = recommendations
        page.case_items = items
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    _cached(client, recommendation.url, meeting.url)
    link([recommendation])
    assert case.title in client.get(recommendation.url).content.decode()
    assert recommendation.title in client.get(meeting.url).content.decode()
    link([])
    assert case.title not in client.get(recommendation.url).content.decode()
    assert recommendation.title not in client.get(meeting.url).content.decode()


# --- the shared cache out of reach ---------------------------------------------------------------


@pytest.fixture
def outage_state():
    """Leave no record of an outage (lost purges, paused Redis servers) to the next test."""
    yield
    generation._lost.clear()
    generation._outage.clear()
    rediscache.try_again_now()


@pytest.fixture
def cache_out_of_reach(settings, outage_state):
    """Switch the shared cache to a Redis that nobody answers at, as production's settings
    configure it, and back; the cache's contents from before are still there afterwards."""
    import contextlib
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    working = settings.CACHES

    @contextlib.contextmanager
    def outage():
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        }
        try:
            yield
        finally:
            settings.CACHES = working

    return outage


def test_pages_are_served_uncached_and_publishing_works_while_the_shared_cache_is_out_of_reach(
    client, admin_client, programme, cache_out_of_reach, django_capture_on_commit_callbacks
):
    with cache_out_of_reach():
        for url in ("/", "/temaer/", "/moter/", "/framdrift/", "/sok/?q=arbeid"):
            assert client.get(url).status_code == 200, url
            again = client.get(url)
            assert again.status_code == 200 and again.get("X-Page-Cache") != "hit", url
        assert admin_client.get("/admin/").status_code == 200
        programme.lead = "Ingress publisert uten buffer"
        with django_capture_on_commit_callbacks(execute=True):
            programme.save_revision().publish()
        assert "Ingress publisert uten buffer" in client.get("/").content.decode()
        assert generation.writes_lost()
        with pytest.raises(CommandError, match="kunne ikke nås"):
            call_command("purge_caches", stdout=io.StringIO())


def test_purges_lost_while_the_shared_cache_was_out_of_reach_are_made_up_for_once_it_is_back(
    client, programme, cache_out_of_reach, django_capture_on_commit_callbacks
):
    _cached(client, "/", "/temaer/")
    with cache_out_of_reach():
        programme.lead = "Ingress publisert mens bufferen var borte"
        with django_capture_on_commit_callbacks(execute=True):
            programme.save_revision().publish()
    # The cache is back with the copies from before: the next reader gets none of them.
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Ingress publisert mens bufferen var borte" in response.content.decode()
    assert client.get("/temaer/")["X-Page-Cache"] == "miss"
    assert not generation.writes_lost()
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_failed_make_up_after_an_outage_never_fails_the_readers_request_and_is_tried_again(
    client, monkeypatch, outage_state
):
    from programme import queries

    database = {"answers": False}

    def purge():
        if not database["answers"]:
            raise RuntimeError("databasen svarte ikke")
        queries.purge_all_caches()

    monkeypatch.setattr(generation, "_after_outage", [purge])
    generation.lost_write()
    assert client.get("/").status_code == 200
    assert generation.writes_lost()
    database["answers"] = True
    assert client.get("/").status_code == 200
    assert not generation.writes_lost()


def test_the_purges_of_one_commit_reach_each_page_once_and_a_rolled_back_change_leaves_none_undone(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from collections import Counter

    from django.db import transaction

    from config import purges
    from meetings.models import CaseItem, MeetingPage
    from programme.models import ThemePage

    theme = ThemePage.objects.get(number=6)
    meeting = MeetingPage.objects.get(url_path__endswith=FEBRUARY)
    items = list(meeting.case_items.all())
    for n in range(6):
        item = CaseItem(title=f"Sak om temaet {n}", decision="Vedtatt", sort_order=10 + n)
        item.themes = [theme]
        items.append(item)
    meeting.case_items = items
    purged = Counter()
    purges_for = purges._purges_for

    def counting(page, **kwargs):
        if not kwargs.get("related", True):
            purged[page.pk] += 1
        return purges_for(page, **kwargs)

    monkeypatch.setattr(purges, "_purges_for", counting)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision().publish()
    assert purged[meeting.pk] == 1 and purged[theme.pk] == 1

    _cached(client, theme.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        theme.title = "Tittel som rulles tilbake"
        theme.save_revision().publish()
        raise RuntimeError
    theme = ThemePage.objects.get(pk=theme.pk)
    theme.title = "Tittel som blir stående"
    with django_capture_on_commit_callbacks(execute=True):
        theme.save_revision().publish()
    assert "Tittel som blir stående" in client.get(theme.url).content.decode()
    assert "Tittel som blir stående" in client.get(meeting.url).content.decode()


def test_a_process_ending_with_lost_purges_tells_the_operator_to_purge(caplog, outage_state):
    generation._warn_of_lost_writes()
    assert "purge_caches" not in caplog.text
    generation.lost_write()
    generation._warn_of_lost_writes()
    assert "run `manage.py purge_caches`" in caplog.text
