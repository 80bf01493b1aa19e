"""Public pages of the meetings: attachments as documents (public and committee-only), the
decision register, the links to themes and recommendations, the PDF and the calendar."""

import datetime as dt
import os

import pytest
from django.test import override_settings
from icalendar import Calendar
from wagtail.models import Collection, CollectionViewRestriction

from knowledge.models import RecommendationPage
from meetings import queries
from meetings.models import Body, CaseItem, MeetingPage
from meetings.pdf import pdf_available
from programme.models import ThemePage
from tests.helpers import make_document

pytestmark = pytest.mark.django_db

FEBRUARY = "/moter/au-flere-i-arbeid-2021-02-03/"


def _attach(item, *documents):
    existing = [
        ("attachment", {"title": b.value["title"], "document": b.value["document"]}) for b in item.attachments
    ]
    item.attachments = [
        *existing,
        *[("attachment", {"title": doc.title, "document": doc}) for doc in documents],
    ]


def _publish(meeting):
    meeting.save_revision().publish()


def test_the_committee_collection_is_restricted_to_the_committee_readers():
    collection = Collection.objects.get(name=queries.COMMITTEE_COLLECTION)
    restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert set(restriction.groups.values_list("name", flat=True)) == set(queries.COMMITTEE_READER_GROUPS)


def test_attachments_public_and_committee_only(client, committee_member):
    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-02-03")
    items = list(meeting.case_items.all())
    public = make_document("Forslag til møteplan")
    private = make_document(
        "Utkast til budsjett", collection=Collection.objects.get(name=queries.COMMITTEE_COLLECTION)
    )
    _attach(next(item for item in items if item.case_number == "2/21"), public, private)
    meeting.case_items = items
    _publish(meeting)

    html = client.get(FEBRUARY).content.decode()
    assert f'<a href="{public.url}">Forslag til møteplan</a>' in html
    assert "Utkast til budsjett" not in html
    assert private.url not in html
    assert client.get(public.url).status_code == 200
    response = client.get(private.url)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")
    assert "Utkast til budsjett" not in client.get("/api/v2/documents/").content.decode()

    client.force_login(committee_member)
    html = client.get(FEBRUARY).content.decode()
    assert (
        f'<a href="{private.url}">Utkast til budsjett</a> <span class="badge">Bare for utvalget</span>'
        in html
    )
    assert client.get(private.url).status_code == 200


def test_attachments_known_only_by_title_are_shown_without_a_link(client):
    html = client.get(FEBRUARY).content.decode()
    assert (
        "Protokoll Arbeidsutvalg Flere i arbeid 09.12.2020 "
        '<span class="meta">(dokumentet er ikke publisert her)' in html
    )


# --- the decision register -------------------------------------------------------------------


def _decide(slug, title, decision, *, themes=(), recommendations=()):
    meeting = MeetingPage.objects.get(slug=slug)
    items = list(meeting.case_items.all())
    item = CaseItem(title=title, decision=decision, vote="enstemmig", sort_order=len(items))
    item.themes = list(themes)
    item.recommendations = list(recommendations)
    meeting.case_items = [*items, item]
    meeting.status = "gjennomfort"
    _publish(meeting)
    return CaseItem.objects.get(meeting=meeting, title=title)


def test_the_decision_register_lists_filters_and_searches(
    client, whoosh_index, django_capture_on_commit_callbacks
):
    theme = ThemePage.objects.get(number=3)
    # The register's search runs on the search index, written when the decision is committed.
    with django_capture_on_commit_callbacks(execute=True):
        _decide(
            "au-flere-i-arbeid-2021-04-14",
            "Tiltak for unge uføre",
            "Arbeidsutvalget ber om en plan for unge uføre",
            themes=[theme],
        )
    response = client.get("/moter/vedtak/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Protokoll fra møtet 9.12.2020 godkjennes (Enst.)" in html
    assert "Arbeidsutvalget ber om en plan for unge uføre (Enst.)" in html
    assert "2 vedtak" in html

    by_theme = client.get("/moter/vedtak/", {"tema": theme.pk}).content.decode()
    assert "unge uføre" in by_theme and "9.12.2020 godkjennes" not in by_theme
    by_body = client.get(
        "/moter/vedtak/", {"organ": Body.objects.get(name="Formannskapet").pk}
    ).content.decode()
    assert "0 vedtak" in by_body
    assert "2 vedtak" in client.get("/moter/vedtak/", {"ar": "2021"}).content.decode()
    assert "0 vedtak" in client.get("/moter/vedtak/", {"ar": "2019"}).content.decode()

    found = client.get("/moter/vedtak/", {"q": "uføre"}).content.decode()
    assert "unge uføre" in found and "9.12.2020 godkjennes" not in found
    assert "0 vedtak" in client.get("/moter/vedtak/", {"q": "finnesikke"}).content.decode()
    assert (
        client.get("/moter/vedtak/", {"organ": "x", "ar": "<b>", "tema": "'", "side": "99"}).status_code
        == 200
    )


def test_decisions_of_restricted_meetings_are_for_the_committee_only(client, committee_member):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    _decide("au-flere-i-arbeid-2021-05-12", "Lukket sak", "Hemmelig vedtak")
    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-05-12")
    restriction = PageViewRestriction.objects.create(
        page=meeting, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name="Utvalgsmedlem"))
    assert "Hemmelig vedtak" not in client.get("/moter/vedtak/").content.decode()
    assert "Hemmelig vedtak" not in client.get("/moter/vedtak/", {"q": "hemmelig"}).content.decode()
    client.force_login(committee_member)
    assert "Hemmelig vedtak" in client.get("/moter/vedtak/").content.decode()


def test_decisions_show_on_the_theme_and_the_recommendation_they_concern(client):
    theme = ThemePage.objects.get(number=4)
    recommendation = RecommendationPage.objects.live().first()
    item = _decide(
        "au-flere-i-arbeid-2021-04-14",
        "Oppfølging av anbefalingen",
        "Anbefalingen følges opp",
        themes=[theme],
        recommendations=[recommendation],
    )
    link = f'href="/moter/au-flere-i-arbeid-2021-04-14/#case-{item.pk}"'
    theme_html = client.get(theme.url).content.decode()
    assert "Vedtak om temaet" in theme_html and link in theme_html
    recommendation_html = client.get(recommendation.url).content.decode()
    assert "Vedtak om anbefalingen" in recommendation_html and link in recommendation_html
    meeting_html = client.get("/moter/au-flere-i-arbeid-2021-04-14/").content.decode()
    assert f'href="{theme.url}"' in meeting_html and f'href="{recommendation.url}"' in meeting_html
    assert "Vedtak om temaet" not in client.get(ThemePage.objects.get(number=5).url).content.decode()


@override_settings(PAGE_CACHE_ENABLED=False)
def test_the_new_pages_stay_within_the_query_budget(client, django_assert_max_num_queries):
    for number in range(3):
        _decide(
            "au-flere-i-arbeid-2021-04-14",
            f"Sak {number}",
            f"Vedtak {number}",
            themes=[ThemePage.objects.get(number=3)],
            recommendations=[RecommendationPage.objects.live().first()],
        )
    for path in (
        "/moter/vedtak/",
        "/moter/vedtak/?q=vedtak",
        "/moter/au-flere-i-arbeid-2020-12-09/protokoll/",
        FEBRUARY,
        "/moter/au-flere-i-arbeid-2021-04-14/",
        ThemePage.objects.get(number=3).url,
        RecommendationPage.objects.live().first().url,
    ):
        client.get(path)
        with django_assert_max_num_queries(10, info=path):
            assert client.get(path).status_code == 200


# --- PDF and print ---------------------------------------------------------------------------


def test_the_protocol_prints_and_downloads_as_pdf(client):
    path = "/moter/au-flere-i-arbeid-2020-12-09/protokoll/"
    html = client.get(path).content.decode()
    assert 'href="/static/meetings/protocol.css"' in html
    if not pdf_available():
        if os.environ.get("CI") == "true":
            pytest.fail("WeasyPrint or Pango is missing on CI: .ci/run must install them")
        response = client.get(f"{path}pdf/")
        assert response.status_code == 503
        assert "PDF-versjonen kan ikke lages" in response.content.decode()
        pytest.skip("WeasyPrint or Pango is missing on this machine")
    assert f'href="{path}pdf/"' in html
    response = client.get(f"{path}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert "protokoll-arbeidsutvalg-flere-i-arbeid-09122020.pdf" in response["Content-Disposition"]

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from meetings.models import ProtocolPage
    from meetings.pdf import protocol_document

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    document = protocol_document(
        request,
        protocol=ProtocolPage.objects.get(url_path__endswith="/au-flere-i-arbeid-2020-12-09/protokoll/"),
    )
    first = document.pages[0]
    assert (round(first.width * 0.75), round(first.height * 0.75)) == (595, 842)  # A4 in points
    text = " ".join(_texts(first._page_box))
    assert "Protokoll Arbeidsutvalg Flere i arbeid 09.12.2020" in text
    assert "Godkjent 3. februar 2021" in text
    assert "Hopp til hovedinnholdet" not in text and "Last ned som PDF" not in text  # screen-only parts


def _texts(box):
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_a_draft_protocol_pdf_is_committee_only(client):
    response = client.get("/moter/au-flere-i-arbeid-2021-02-03/protokoll/pdf/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


# --- calendar -------------------------------------------------------------------------------


def test_the_calendar_follows_rfc_5545(client):
    calendar = Calendar.from_ical(client.get("/moter/kalender/").content)
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    events = calendar.walk("VEVENT")
    assert len({str(event["uid"]) for event in events}) == len(events)
    for event in events:
        assert event["dtstamp"].dt.tzinfo is not None
        assert str(event["status"]) in {"CONFIRMED", "CANCELLED"}
    december = MeetingPage.objects.get(slug="au-flere-i-arbeid-2020-12-09")
    event = next(e for e in events if str(e["uid"]) == f"mote-{december.pk}@localhost")
    assert event["dtstart"].dt == dt.date(2020, 12, 9)  # the time is not known: an all-day event
    again = Calendar.from_ical(client.get("/moter/kalender/").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events}


def test_restricted_meetings_are_absent_from_the_feeds_for_anonymous_readers(client):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-05-12")
    restriction = PageViewRestriction.objects.create(
        page=meeting, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name="Utvalgsmedlem"))
    for path in ("/moter/kalender/", f"/moter/kalender/{meeting.body_id}/"):
        uids = {str(e["uid"]) for e in Calendar.from_ical(client.get(path).content).walk("VEVENT")}
        assert f"mote-{meeting.pk}@localhost" not in uids
        assert len(uids) == 9
    assert meeting.url not in client.get("/moter/").content.decode()


@override_settings(PAGE_CACHE_ENABLED=True)
def test_a_new_decision_purges_the_cached_theme_page_and_register(client, django_capture_on_commit_callbacks):
    theme = ThemePage.objects.get(number=6)
    assert "Vedtak om temaet" not in client.get(theme.url).content.decode()
    assert client.get(theme.url)["X-Page-Cache"] == "hit"
    assert "Nye arbeidsplasser" not in client.get("/moter/vedtak/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _decide("au-flere-i-arbeid-2021-04-14", "Nye arbeidsplasser", "Vedtatt", themes=[theme])
    assert "Vedtak om temaet" in client.get(theme.url).content.decode()
    assert "Nye arbeidsplasser" in client.get("/moter/vedtak/").content.decode()


def test_the_meetings_index_pages_through_past_meetings_latest_first(client):
    from meetings.factories import MeetingPageFactory
    from meetings.models import MeetingIndexPage
    from meetings.models.meetings import PAST_MEETINGS_PER_PAGE

    index = MeetingIndexPage.objects.get()
    first = dt.datetime(2019, 1, 2, 10, tzinfo=dt.UTC)
    for n in range(PAST_MEETINGS_PER_PAGE + 5):
        MeetingPageFactory(parent=index, title=f"Sidemøte {n}", starts_at=first + dt.timedelta(days=n))
    past = MeetingPage.objects.filter(starts_at__lt=dt.datetime.now(tz=dt.UTC)).count()
    coming = MeetingPage.objects.filter(starts_at__gte=dt.datetime.now(tz=dt.UTC)).count()

    page_one = client.get(index.url)
    assert page_one.context["past"].paginator.count == past
    assert len(page_one.context["past"]) == PAST_MEETINGS_PER_PAGE
    assert len(page_one.context["upcoming"]) == coming
    starts = [meeting.starts_at for meeting in page_one.context["past"]]
    assert starts == sorted(starts, reverse=True)
    assert 'side=2#past-heading"' in page_one.content.decode()

    last = client.get(index.url, {"side": page_one.context["past"].paginator.num_pages})
    assert last.context["past"][len(last.context["past"]) - 1].starts_at == first
    assert client.get(index.url, {"side": "tull"}).context["past"].number == 1


def test_the_meetings_index_keeps_its_filters_when_paging(client):
    from meetings.factories import MeetingPageFactory
    from meetings.models import MeetingIndexPage
    from meetings.models.meetings import PAST_MEETINGS_PER_PAGE

    index = MeetingIndexPage.objects.get()
    for n in range(PAST_MEETINGS_PER_PAGE + 1):
        MeetingPageFactory(parent=index, starts_at=dt.datetime(2019, 3, 1 + n, 10, tzinfo=dt.UTC))
    response = client.get(index.url, {"ar": "2019"})
    assert len(response.context["past"]) == PAST_MEETINGS_PER_PAGE
    assert "ar=2019&amp;side=2" in response.content.decode()
    assert {m.starts_at.year for m in client.get(index.url, {"ar": "2019", "side": 2}).context["past"]} == {
        2019
    }


def test_a_planned_meeting_whose_day_has_passed_is_not_called_planned(client):
    from django.utils import timezone

    from meetings.choices import NOT_UPDATED

    past = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-12-01")
    assert past.status == "planlagt"
    page = client.get(past.url).content.decode()
    assert f'<span class="badge">{NOT_UPDATED}</span>' in page
    assert "Ingen saksliste er publisert." in page and "ikke publisert ennå" not in page
    index = client.get("/moter/").content.decode()
    assert f'<span class="badge">{NOT_UPDATED}</span>' in index  # the 2021 treatment plan too

    past.starts_at = timezone.now() + dt.timedelta(days=30)
    assert past.status_label == "Planlagt"
