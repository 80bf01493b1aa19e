import datetime as dt

import pytest
from icalendar import Calendar

from communication.factories import ActivityFactory
from communication.models import Activity

pytestmark = pytest.mark.django_db


def test_plan_lists_published_activities_by_status_with_purpose_and_target_group(client):
    html = client.get("/kommunikasjonsplan/").content.decode()
    assert html.index('id="status-vedtatt"') < html.index('id="status-forslag"')
    assert "Sluttpresentasjon for deltakerkommunene" in html
    assert "Gjøre resultatene fra prosjektet kjent i bransjen" in html
    assert "Kommuner, arbeidsmarkedsbedrifter, bransjeforeninger og representanter fra NAV" in html
    assert "ikke kostnadsberegnet" in html
    assert 'type="text/calendar"' in html


def test_unpublished_activities_are_not_public(client):
    ActivityFactory(title="Hemmelig utkast", slug="hemmelig-utkast", live=False)
    assert "Hemmelig utkast" not in client.get("/kommunikasjonsplan/").content.decode()
    assert client.get("/kommunikasjonsplan/hemmelig-utkast/").status_code == 404
    assert b"Hemmelig utkast" not in client.get("/kommunikasjonsplan/kalender/").content


def test_activity_page_shows_costs_and_funding(client):
    html = client.get("/kommunikasjonsplan/standardpresentasjon-per-kommune/").content.decode()
    assert "NOK 1\xa0500 per foredrag" in html
    assert "dekkes av KS&#x27; storbynettverk" in html or "dekkes av KS' storbynettverk" in html
    assert "Utgifter til reise og opphold dersom møtene gjennomføres fysisk" in html


def test_calendar_feed_has_one_event_per_dated_published_activity(client):
    ActivityFactory(
        title="Frokostmøte",
        slug="frokostmote",
        starts_on=dt.date(2022, 5, 4),
        status="forkastet",
        place="Oslo",
    )
    response = client.get("/kommunikasjonsplan/kalender/")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    dated = Activity.objects.filter(live=True, starts_on__isnull=False)
    assert set(events) == {activity.title for activity in dated}
    gathering = events[
        "Forslag 2: Gjennomføre fysisk samling om styringen av arbeidsmarkedsbedriftene i løpet av 2022"
    ]
    assert gathering["dtstart"].dt == dt.date(2022, 1, 1)
    assert gathering["dtend"].dt == dt.date(2023, 1, 1)
    assert str(gathering["status"]) == "TENTATIVE"
    breakfast = events["Frokostmøte"]
    assert str(breakfast["status"]) == "CANCELLED"
    assert str(breakfast["location"]) == "Oslo"
    assert str(breakfast["uid"]).startswith("formidling-")
    again = Calendar.from_ical(client.get("/kommunikasjonsplan/kalender/").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events.values()}


def test_public_pages_stay_within_the_query_budget(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False
    for n in range(20):
        ActivityFactory(title=f"Ekstra {n}", slug=f"ekstra-{n}")
    client.get("/")  # the navigation is cached after the first request of any page
    with django_assert_max_num_queries(10):
        client.get("/kommunikasjonsplan/")
    with django_assert_max_num_queries(10):
        client.get("/kommunikasjonsplan/tilpassede-foredrag/")


def test_publishing_an_activity_refreshes_the_cached_plan_and_feed(
    client, django_capture_on_commit_callbacks
):
    assert client.get("/kommunikasjonsplan/")["X-Page-Cache"] == "miss"
    assert client.get("/kommunikasjonsplan/")["X-Page-Cache"] == "hit"
    client.get("/kommunikasjonsplan/kalender/")
    activity = Activity.objects.get(slug="korte-informasjonsfilmer")
    activity.title = "Forslag 5: Korte filmer om eierstyring"
    activity.starts_on = dt.date(2022, 9, 1)
    with django_capture_on_commit_callbacks(execute=True):
        activity.save_revision().publish()
    assert "Korte filmer om eierstyring" in client.get("/kommunikasjonsplan/").content.decode()
    assert b"Korte filmer om eierstyring" in client.get("/kommunikasjonsplan/kalender/").content


def test_an_activity_linked_to_another_theme_leaves_the_old_theme_page_and_reaches_the_new(
    client, django_capture_on_commit_callbacks
):
    from programme.models import ThemePage

    old, new = ThemePage.objects.get(number=5), ThemePage.objects.get(number=6)
    activity = ActivityFactory(title="Foredrag som bytter tema", slug="bytter-tema")
    activity.themes = [old]
    with django_capture_on_commit_callbacks(execute=True):
        activity.save_revision().publish()
    for url in (old.url, new.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert "Foredrag som bytter tema" in client.get(old.url).content.decode()
    activity = Activity.objects.get(pk=activity.pk)
    activity.themes = [new]
    with django_capture_on_commit_callbacks(execute=True):
        activity.save_revision().publish()
    assert "Foredrag som bytter tema" not in client.get(old.url).content.decode()
    assert "Foredrag som bytter tema" in client.get(new.url).content.decode()


def test_activity_page_links_to_what_it_disseminates(client):
    html = client.get("/kommunikasjonsplan/fysisk-samling-2022/").content.decode()
    assert 'Rapport: <a href="/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/">' in html
