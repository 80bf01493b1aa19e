"""The library's RSS 2.0 and Atom feeds of findings and recommendations, parsed back."""

import datetime as dt

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from knowledge.models import FindingPage, RecommendationPage

pytestmark = pytest.mark.django_db

FEEDS = [("/kunnskap/feed/", "rss20"), ("/kunnskap/feed/atom/", "atom10")]


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return feedparser.parse(response.content)


@pytest.mark.parametrize(("url", "version"), FEEDS)
def test_feed_is_valid_and_holds_every_live_finding_and_recommendation(client, url, version):
    feed = _parse(client, url)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title == "Nye funn og anbefalinger – Flere i arbeid"
    links = {entry.link for entry in feed.entries}
    pages = [*FindingPage.objects.live(), *RecommendationPage.objects.live()]
    assert len(pages) == 23
    assert links == {f"http://testserver{page.url}" for page in pages}
    finding = FindingPage.objects.get(slug="konsolidering")
    entry = next(entry for entry in feed.entries if entry.link.endswith(finding.url))
    assert entry.title == f"Funn: {finding.title}"
    assert finding.statement[:60] in entry.summary
    assert {tag.term for tag in entry.tags} == {tag.name for tag in finding.tags.all()}


def test_newest_first(client):
    finding = FindingPage.objects.get(slug="konsolidering")
    finding.title = "Nyeste funn"
    finding.save_revision().publish()
    FindingPage.objects.filter(pk=finding.pk).update(first_published_at=timezone.now() + dt.timedelta(days=1))
    assert _parse(client, "/kunnskap/feed/").entries[0].title == "Funn: Nyeste funn"


@pytest.mark.parametrize(("url", "version"), FEEDS)
def test_live_pages_without_a_publication_date_come_last(client, url, version):
    """Pages made live by an import or a factory, not by publishing, have no first_published_at."""
    undated = FindingPage.objects.get(slug="konsolidering")
    FindingPage.objects.filter(pk=undated.pk).update(first_published_at=None, last_published_at=None)
    RecommendationPage.objects.filter(pk=RecommendationPage.objects.live().first().pk).update(
        first_published_at=None
    )
    feed = _parse(client, url)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 23
    assert feed.entries[-2].link.endswith(undated.url)


def test_unpublished_and_committee_only_pages_are_not_in_the_feeds(client):
    hidden = FindingPage.objects.get(slug="konsolidering")
    hidden.unpublish()
    restricted = RecommendationPage.objects.live().first()
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Utvalgsmedlem"))
    for url, _version in FEEDS:
        links = {entry.link for entry in _parse(client, url).entries}
        assert f"http://testserver{hidden.url}" not in links
        assert f"http://testserver{restricted.url}" not in links
        assert len(links) == 21


def test_the_library_advertises_its_feeds(client):
    html = client.get("/kunnskap/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" href="/kunnskap/feed/"' in html
    assert '<link rel="alternate" type="application/atom+xml" href="/kunnskap/feed/atom/"' in html


def test_a_published_finding_reaches_the_cached_feed(client, django_capture_on_commit_callbacks):
    client.get("/kunnskap/feed/")
    assert client.get("/kunnskap/feed/")["X-Page-Cache"] == "hit"
    finding = FindingPage.objects.get(slug="konsolidering")
    finding.title = "Omskrevet funn i strømmen"
    with django_capture_on_commit_callbacks(execute=True):
        finding.save_revision().publish()
    response = client.get("/kunnskap/feed/")
    assert response["X-Page-Cache"] == "miss"
    assert "Omskrevet funn i strømmen" in response.content.decode()
