"""RSS 2.0 and Atom feeds of meetings and decisions, parsed back and checked against the database."""

import feedparser
import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from meetings.models import CaseItem, MeetingPage

pytestmark = pytest.mark.django_db


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(("path", "version"), [("feed/", "rss20"), ("feed/atom/", "atom10")])
def test_meetings_feed_lists_the_public_meetings_newest_first(client, path, version):
    meetings = list(MeetingPage.objects.live().public().order_by("-starts_at"))
    feed = _parse(client, f"{meetings[0].get_parent().url}{path}")
    assert feed.version == version
    assert [entry.link for entry in feed.entries] == [f"http://testserver{m.url}" for m in meetings][:50]
    first = next(entry for entry in feed.entries if "2021-02-03" in entry.link)
    assert "Arbeidsutvalg Flere i arbeid" in first.summary and "3. februar 2021" in first.summary


@pytest.mark.parametrize(("path", "version"), [("vedtak/feed/", "rss20"), ("vedtak/feed/atom/", "atom10")])
def test_decisions_feed_holds_each_public_decision_with_its_vote(client, path, version):
    decided = CaseItem.objects.exclude(decision="").filter(meeting__live=True)
    index = decided.first().meeting.get_parent()
    feed = _parse(client, f"{index.url}{path}")
    assert feed.version == version
    assert len(feed.entries) == decided.count()
    approval = decided.get(case_number="1/21")
    entry = next(entry for entry in feed.entries if entry.link.endswith(f"#case-{approval.pk}"))
    assert entry.title == f"Sak 1/21: {approval.title}"
    assert entry.summary == f"{approval.decision} (Enst.)"


def test_committee_only_meetings_are_absent_from_both_feeds(client):
    item = CaseItem.objects.exclude(decision="").get(case_number="1/21")
    restriction = PageViewRestriction.objects.create(
        page=item.meeting, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Utvalgsmedlem"))
    index = item.meeting.get_parent()
    for path in ("feed/", "vedtak/feed/", "vedtak/feed/atom/"):
        body = client.get(f"{index.url}{path}").content.decode()
        assert item.meeting.url not in body


def test_the_meeting_pages_advertise_their_feeds(client):
    index = MeetingPage.objects.live().first().get_parent()
    html = client.get(index.url).content.decode()
    assert f'type="application/rss+xml" title="Møter (RSS)" href="{index.url}feed/"' in html
    register = client.get(f"{index.url}vedtak/").content.decode()
    assert (
        f'type="application/atom+xml" title="Vedtak (Atom)" href="{index.url}vedtak/feed/atom/"' in register
    )
