import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from meetings import queries, services
from meetings.models import Body, CaseItem, MeetingIndexPage, MeetingPage, MeetingPlan, TreatmentPlan

pytestmark = pytest.mark.django_db

MEETING = "/moter/au-flere-i-arbeid-2021-02-03/"


def test_the_meeting_of_3_february_2021_with_its_cases(client):
    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-02-03")
    assert timezone.localtime(meeting.starts_at) == dt.datetime(
        2021, 2, 3, 11, 0, tzinfo=timezone.get_default_timezone()
    )
    numbers = [item.case_number for item in meeting.case_items.order_by("sort_order")]
    assert numbers == ["1/21", "", "2/21"]
    html = client.get(MEETING).content.decode()
    assert "Protokoll fra møtet 9.12.2020 godkjennes (Enst.)" in html
    assert "2020103683-13" in html
    assert "Jan Oddvar Skisland" in html
    assert "Arbeidsutvalget for flere i arbeid vedtar følgende møteplan 2021" in html
    assert "Møtevarighet fra kl. 11.00 til 12.30." in html
    assert "onsdag 3. februar 2021 kl. 11:00" in html


def test_the_2021_meeting_plan_created_its_eight_meetings():
    body = Body.objects.get(name="Arbeidsutvalg Flere i arbeid")
    planned = MeetingPage.objects.filter(body=body, status="planlagt").order_by("starts_at")
    assert [timezone.localtime(m.starts_at).date() for m in planned] == [
        dt.date(2021, 3, 10),
        dt.date(2021, 4, 14),
        dt.date(2021, 5, 12),
        dt.date(2021, 6, 2),
        dt.date(2021, 9, 8),
        dt.date(2021, 10, 20),
        dt.date(2021, 11, 3),
        dt.date(2021, 12, 1),
    ]
    assert {timezone.localtime(m.ends_at).time() for m in planned} == {dt.time(12, 30)}
    plan = MeetingPlan.objects.get(body=body, year=2021)
    assert services.meeting_plan_create_meetings(plan=plan, index=MeetingIndexPage.objects.get()) == []


def test_treatment_plan_routes_the_programme_case_through_eleven_bodies(client):
    plan = TreatmentPlan.objects.get(title="Flere i arbeid")
    steps = list(plan.steps.order_by("sort_order"))
    assert len(steps) == 11
    assert (steps[0].body.name, steps[0].planned_date) == ("Helseutvalget", dt.date(2021, 2, 16))
    assert (steps[4].body.name, steps[4].planned_date) == ("Bystyret", dt.date(2021, 3, 24))
    html = client.get("/moter/").content.decode()
    assert "Behandlingsplan: Flere i arbeid" in html
    assert html.index("2. mars 2021") < html.index("24. mars 2021")  # shown forward in time


def test_cases_are_numbered_in_order_per_body_and_year():
    body = Body.objects.get(name="Arbeidsutvalg Flere i arbeid")
    meeting = MeetingPage(body=body, starts_at=timezone.make_aware(dt.datetime(2021, 3, 10, 11)))
    meeting.case_items = [CaseItem(title="Første", sort_order=0), CaseItem(title="Andre", sort_order=1)]
    queries.number_case_items(meeting=meeting)
    assert [item.case_number for item in meeting.case_items.all()] == ["3/21", "4/21"]


def test_vote_display():
    assert CaseItem(vote="enstemmig").vote_display == "(Enst.)"
    assert (
        CaseItem(vote="opptelling", votes_for=5, votes_against=2, votes_blank=1).vote_display
        == "(5 mot 2, 1 avholdende)"
    )


def case_form(**fields):
    """The fields of one case item in the meeting editor, as the admin posts them."""
    return {
        "kind": "sak",
        "title": "Sak",
        "vote": "",
        "attachments": streamfield([]),
        "vote_record": streamfield([]),
        **fields,
    }


def _edit_post(meeting, **overrides):
    data = {
        "title": meeting.title,
        "slug": meeting.slug,
        "body": meeting.body_id,
        "starts_at": "2021-03-10 11:00",
        "ends_at": "2021-03-10 12:30",
        "place": "",
        "status": "planlagt",
        "notes": "",
        "time_unknown": "",
        "case_items": inline_formset([case_form(case_number="1/21", title="Ny sak")]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Saksnummer 1/21 er allerede brukt av Arbeidsutvalg Flere i arbeid i 2021."),
        (
            {"ends_at": "2021-03-10 10:00", "case_items": inline_formset([])},
            "Møtet kan ikke slutte før det starter.",
        ),
        (
            {"case_items": inline_formset([case_form(votes_for="3")])},
            "Stemmetall føres bare når voteringen er registrert med stemmetall.",
        ),
        (
            {"case_items": inline_formset([case_form(case_number="7/20", title="Ny sak")])},
            "Saksnummeret må ha møtets år: 7/21.",
        ),
        (
            {"case_items": inline_formset([case_form(case_number="01/21", title="Ny sak")])},
            "Saksnummer skrives som løpenummer/år, for eksempel 1/21.",
        ),
        (
            {"case_items": inline_formset([case_form(case_number="0/21", title="Ny sak")])},
            "Saksnummer skrives som løpenummer/år, for eksempel 1/21.",
        ),
        (
            {"case_items": inline_formset([case_form(kind="moetedokumenter", case_number="9/21")])},
            "Bare saker og godkjenning av protokoll har saksnummer.",
        ),
        (
            {"case_items": inline_formset([case_form(case_number="9/21", decision="Vedtatt.")])},
            "Vedtak føres når møtet er gjennomført: sett status til «Gjennomført».",
        ),
    ],
)
def test_bad_input_is_a_norwegian_form_error_and_saves_nothing(admin_client, overrides, message):
    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-03-10")
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[meeting.pk]), _edit_post(meeting, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.case_items.exists()
    assert meeting.ends_at.astimezone(timezone.get_default_timezone()).time() == dt.time(12, 30)


def test_calendar_feeds_parse_back_event_by_event(client):
    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-06-02")
    meeting.status = "avlyst"
    meeting.save_revision().publish()
    calendar = Calendar.from_ical(client.get("/moter/kalender/").content)
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Oslo"
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert len(events) == MeetingPage.objects.live().count() == 10
    first = events[f"mote-{MeetingPage.objects.get(slug='au-flere-i-arbeid-2021-02-03').pk}@localhost"]
    assert first["dtstart"].dt == dt.datetime(2021, 2, 3, 11, 0, tzinfo=first["dtstart"].dt.tzinfo)
    assert str(first["dtstart"].params["TZID"]) == "Europe/Oslo"
    assert str(first["location"]) == "Teamsmøte"
    assert str(events[f"mote-{meeting.pk}@localhost"]["status"]) == "CANCELLED"
    body = Body.objects.get(name="Arbeidsutvalg Flere i arbeid")
    assert len(Calendar.from_ical(client.get(f"/moter/kalender/{body.pk}/").content).walk("VEVENT")) == 10
    assert client.get("/moter/kalender/999999/").status_code == 404


def test_meetings_index_filters_by_body_and_year(client):
    body = Body.objects.get(name="Arbeidsutvalg Flere i arbeid")
    html = client.get("/moter/", {"organ": body.pk, "ar": "2021"}).content.decode()
    assert html.count('href="/moter/au-flere-i-arbeid-2021-') == 9
    assert "Ingen møter." in client.get("/moter/", {"ar": "2019"}).content.decode()
    assert client.get("/moter/", {"organ": "ikke-et-tall", "ar": "<script>"}).status_code == 200
    assert 'type="text/calendar"' in html
    assert "onsdag 3. februar 2021 kl. 11:00</time>, Teamsmøte" in html  # no space before the comma
    client.cookies["django_language"] = "en"
    english = client.get("/moter/", {"organ": body.pk, "ar": "2021"}).content.decode()
    assert "Wednesday 3 February 2021, 11:00</time>" in english
    client.cookies["django_language"] = "nb"
    # The year choices are plain years (no «2 021»), and the chosen one stays chosen.
    assert '<option value="2021" selected>2021</option>' in html


@pytest.mark.parametrize("path", ["/moter/", "/moter/vedtak/"])
@pytest.mark.parametrize(
    "params",
    [
        {"ar": "0"},
        {"ar": "0000"},
        {"ar": "10000"},
        {"ar": "²"},
        {"ar": "9" * 40},
        {"organ": "99999999999999999999"},
        {"organ": "²"},
        {"organ": "9" * 40},
        {"tema": "²"},
        {"tema": "99999999999999999999"},
    ],
)
def test_meeting_filters_ignore_values_that_are_no_number_in_range(client, path, params):
    assert client.get(path, params).status_code == 200


def test_a_calendar_of_a_body_id_out_of_range_is_not_found(client):
    assert client.get("/moter/kalender/99999999999999999999/").status_code == 404


def test_saving_a_meeting_plan_in_the_admin_creates_its_meetings(admin_client):
    body = Body.objects.get(name="Formannskapet")
    response = admin_client.post(
        reverse("wagtailsnippets_meetings_meetingplan:add"),
        {
            "body": body.pk,
            "year": "2022",
            "starts": "10:00",
            "ends": "14:00",
            "place": "Rådhuset",
            "dates": "2022-01-12\n2022-02-09",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert MeetingPage.objects.filter(body=body).count() == 2


@pytest.mark.parametrize(("starts", "year"), [("", "2027"), ("25:99", "2027"), ("10:00", "")])
def test_a_meeting_plan_without_a_valid_start_or_year_gets_field_errors(admin_client, starts, year):
    body = Body.objects.get(name="Formannskapet")
    response = admin_client.post(
        reverse("wagtailsnippets_meetings_meetingplan:add"),
        {
            "body": body.pk,
            "year": year,
            "starts": starts,
            "ends": "12:30",
            "place": "",
            "dates": "2027-01-13",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"starts" if year else "year"}
    assert not MeetingPage.objects.filter(body=body).exists()


def test_a_reload_after_a_seed_change_keeps_the_decisions_and_what_links_to_them(data_dir):
    from django.core.management import call_command

    from programme.models import Milestone
    from tests.helpers import edit_yaml

    meeting = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-02-03")
    decision = meeting.case_items.exclude(decision="").order_by("sort_order").first()
    milestone = Milestone.objects.first()
    milestone.decisions.add(decision)
    milestone.save()
    before = {item.case_number or item.title: item.pk for item in meeting.case_items.all()}

    def change(data):
        entry = next(m for m in data["meetings"] if m["slug"] == meeting.slug)
        entry["case_items"][0]["summary"] = "Endret sammendrag fra seeden."
        entry["case_items"].append({"kind": "moetedokumenter", "title": "En ny orienteringssak"})

    edit_yaml(data_dir / "meetings" / "meetings.yaml", change)
    call_command("load_programme", data_dir=data_dir, verbosity=0)

    after = {item.case_number or item.title: item.pk for item in meeting.case_items.all()}
    assert {key: after[key] for key in before} == before
    assert "En ny orienteringssak" in after
    assert meeting.case_items.order_by("sort_order").first().summary == "Endret sammendrag fra seeden."
    assert list(milestone.decisions.all()) == [CaseItem.objects.get(pk=decision.pk)]


def test_an_approved_protocol_s_decisions_cannot_be_changed_through_its_meeting(admin_client):
    from meetings.models import ProtocolPage

    december = MeetingPage.objects.get(slug="au-flere-i-arbeid-2020-12-09")
    assert ProtocolPage.objects.child_of(december).get().approved_at
    december.case_items = [CaseItem(title="Sak", case_number="9/20", decision="Vedtatt slik.", sort_order=0)]
    december.save_revision().publish()
    item = CaseItem.objects.get(meeting=december)

    def post(**changes):
        fields = {
            "id": item.pk,
            "case_number": "9/20",
            "title": "Sak",
            "decision": "Vedtatt slik.",
            **changes,
        }
        data = _edit_post(
            december,
            starts_at="2020-12-09 11:00",
            ends_at="2020-12-09 12:30",
            status="gjennomfort",
            case_items=inline_formset([case_form(**fields)], initial=1),
        )
        return admin_client.post(reverse("wagtailadmin_pages:edit", args=[december.pk]), data)

    response = post(decision="Vedtatt på en annen måte.")
    assert response.status_code == 200
    assert "vedtak og voteringer i den kan ikke endres" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == "Vedtatt slik."
    assert post(title="Sak med rettet tittel").status_code == 302  # the rest may still be edited
