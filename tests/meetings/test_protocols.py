"""Protocols (møtebok): attendance, votes checked against it, approval at a later meeting, the
read-only final state, and committee-only drafts."""

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from meetings import models, queries, services
from meetings.models import Body, BodyMember, CaseItem, MeetingPage, ProtocolAttendance, ProtocolPage
from meetings.models.messages import EXEMPTION_BASIS_MISSING

from .test_meetings import case_form

pytestmark = pytest.mark.django_db

DECEMBER = "/moter/au-flere-i-arbeid-2020-12-09/protokoll/"
FEBRUARY = "/moter/au-flere-i-arbeid-2021-02-03/protokoll/"
MARCH_SLUG = "au-flere-i-arbeid-2021-03-10"


def _meeting(slug):
    return MeetingPage.objects.get(slug=slug)


def _protocol(meeting_slug):
    return ProtocolPage.objects.child_of(_meeting(meeting_slug)).get()


def _meeting_post(meeting, cases, *, starts_at="2021-03-10 11:00"):
    return nested_form_data(
        {
            "title": meeting.title,
            "slug": meeting.slug,
            "body": meeting.body_id,
            "starts_at": starts_at,
            "ends_at": "",
            "time_unknown": "",
            "place": "",
            "status": "gjennomfort",
            "notes": "",
            "case_items": inline_formset(cases),
        }
    )


def _edit(client, page, data, *, publish=True):
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _protocol_with_voters(client, protocol, voters: int):
    """Posts the protocol's edit form with `voters` members present."""
    attendees = [
        {"role": "motte", "name": f"Medlem {number}", "party": "", "note": "", "member": ""}
        for number in range(voters)
    ]
    fields = {"title": protocol.title, "slug": protocol.slug, "note": "", "signed_by": "", "signed_on": ""}
    return _edit(client, protocol, nested_form_data({**fields, "attendance": inline_formset(attendees)}))


def _with_attendance(meeting, *roles):
    """A protocol for `meeting` with attendees in `roles` (møtte, vara, forfall, andre)."""
    protocol = services.queries.meeting_protocol(meeting=meeting)
    if protocol is None:
        protocol = ProtocolPage(title=f"Protokoll {meeting.title}", slug="protokoll")
        meeting.add_child(instance=protocol)
    protocol.attendance = [
        ProtocolAttendance(role=role, name=f"Deltaker {number}", sort_order=number)
        for number, role in enumerate(roles)
    ]
    protocol.save_revision().publish()
    return protocol


# --- the seed -------------------------------------------------------------------------------


def test_the_protocol_of_9_december_2020_is_final_approved_by_case_1_21(client):
    protocol = _protocol("au-flere-i-arbeid-2020-12-09")
    assert protocol.approved_at == dt.date(2021, 2, 3)
    assert protocol.locked
    assert not PageViewRestriction.objects.filter(page=protocol).exists()
    approval = queries.protocol_approval(protocol=protocol)
    assert approval.case_number == "1/21"
    html = client.get(DECEMBER).content.decode()
    assert "Godkjent 3. februar 2021 i sak 1/21 (Arbeidsutvalg Flere i arbeid 03.02.2021)" in html
    # The seed gives no attendance and no decisions for that meeting: none are shown.
    assert "Oppmøtet er ikke registrert." in html
    assert "Ingen saker er registrert for møtet." in html
    meeting_html = client.get("/moter/au-flere-i-arbeid-2020-12-09/").content.decode()
    assert f'href="{DECEMBER}"' in meeting_html
    assert "onsdag 9. desember 2020</time>" in meeting_html  # no invented time


def test_the_case_protocol_date_is_not_the_decision_date(client):
    item = _meeting("au-flere-i-arbeid-2021-02-03").case_items.get(case_number="1/21")
    assert item.case_protocol_date == dt.date(2021, 2, 12)
    html = client.get("/moter/au-flere-i-arbeid-2021-02-03/").content.decode()
    assert "Saksprotokollen er datert 12. februar 2021." in html
    assert "Protokoll Arbeidsutvalg Flere i arbeid 09.12.2020" in html  # the attachment's title


def test_case_2_21_has_no_invented_decision():
    item = _meeting("au-flere-i-arbeid-2021-02-03").case_items.get(case_number="2/21")
    assert item.decision == ""
    assert item.proposed_decision.startswith(
        "Arbeidsutvalget for flere i arbeid vedtar følgende møteplan 2021"
    )


def test_the_minutes_of_3_february_are_a_committee_only_draft(client, committee_member, programme_leader):
    protocol = _protocol("au-flere-i-arbeid-2021-02-03")
    assert protocol.approved_at is None
    assert not protocol.locked

    response = client.get(FEBRUARY)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    for path in ("/moter/au-flere-i-arbeid-2021-02-03/", "/sitemap.xml", "/api/v2/pages/?limit=100"):
        assert FEBRUARY not in client.get(path).content.decode(), path
    assert (
        "Referat Arbeidsutvalg"
        not in client.get("/api/v2/pages/?type=meetings.ProtocolPage").content.decode()
    )

    for user in (committee_member, programme_leader):
        client.force_login(user)
        html = client.get(FEBRUARY).content.decode()
        assert "Utkast: protokollen er ikke godkjent ennå." in html
        assert "Protokoll fra møtet 9.12.2020 godkjennes (Enst.)" in html
        meeting_html = client.get("/moter/au-flere-i-arbeid-2021-02-03/").content.decode()
        assert f'href="{FEBRUARY}"' in meeting_html
        assert "Utkast, ikke godkjent" in meeting_html


def test_loading_twice_keeps_the_approval():
    from django.core.management import call_command

    call_command("load_programme", verbosity=0)
    protocol = _protocol("au-flere-i-arbeid-2020-12-09")
    assert protocol.approved_at == dt.date(2021, 2, 3)
    assert PageViewRestriction.objects.filter(page=_protocol("au-flere-i-arbeid-2021-02-03")).count() == 1


# --- approval -------------------------------------------------------------------------------


def test_a_later_meeting_approves_the_draft_and_makes_it_final_and_public(admin_client, client):
    draft = _protocol("au-flere-i-arbeid-2021-02-03")
    march = _meeting(MARCH_SLUG)
    response = _edit(
        admin_client,
        march,
        _meeting_post(
            march,
            [
                case_form(
                    kind="protokoll",
                    title="Godkjenning av protokoll",
                    approves_protocol=draft.pk,
                    decision="Protokoll fra møtet 3.2.2021 godkjennes",
                    vote="enstemmig",
                )
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.approved_at == dt.date(2021, 3, 10)
    assert draft.locked
    assert march.case_items.get().case_number == "3/21"
    html = client.get(FEBRUARY).content.decode()
    assert "Godkjent 10. mars 2021 i sak 3/21" in html


def test_an_agenda_item_without_a_decision_does_not_approve_yet(admin_client):
    draft = _protocol("au-flere-i-arbeid-2021-02-03")
    march = _meeting(MARCH_SLUG)
    case = case_form(kind="protokoll", title="Godkjenning av protokoll", approves_protocol=draft.pk)
    assert _edit(admin_client, march, _meeting_post(march, [case])).status_code == 302
    draft.refresh_from_db()
    assert draft.approved_at is None
    assert PageViewRestriction.objects.filter(page=draft).exists()


@pytest.mark.parametrize(
    ("meeting_slug", "starts_at", "kind", "message"),
    [
        # The protocol's own meeting.
        (
            "au-flere-i-arbeid-2021-02-03",
            "2021-02-03 11:00",
            "protokoll",
            "En protokoll kan bare godkjennes i et senere møte enn møtet den gjelder (3. februar 2021).",
        ),
        # A meeting moved to before the protocol's meeting.
        (
            MARCH_SLUG,
            "2021-01-20 11:00",
            "protokoll",
            "En protokoll kan bare godkjennes i et senere møte enn møtet den gjelder (3. februar 2021).",
        ),
        (MARCH_SLUG, "2021-03-10 11:00", "sak", str(models.APPROVAL_WRONG_KIND)),
    ],
)
def test_approval_by_an_earlier_or_the_same_meeting_is_a_form_error(
    admin_client, meeting_slug, starts_at, kind, message
):
    draft = _protocol("au-flere-i-arbeid-2021-02-03")
    meeting = _meeting(meeting_slug)
    before = list(meeting.case_items.values_list("pk", "title"))
    case = case_form(
        kind=kind, title="Godkjenning", approves_protocol=draft.pk, decision="Godkjent", vote="enstemmig"
    )
    response = _edit(admin_client, meeting, _meeting_post(meeting, [case], starts_at=starts_at))
    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.approved_at is None
    assert list(meeting.case_items.values_list("pk", "title")) == before


def test_a_protocol_of_another_body_cannot_be_approved(admin_client):
    draft = _protocol("au-flere-i-arbeid-2021-02-03")
    index = _meeting(MARCH_SLUG).get_parent()
    other = MeetingPage(
        title="Formannskapet 17.03.2021",
        slug="formannskapet-2021-03-17",
        body=Body.objects.get(name="Formannskapet"),
        starts_at=dt.datetime(2021, 3, 17, 10, tzinfo=dt.UTC),
    )
    index.add_child(instance=other)
    case = case_form(kind="protokoll", title="Godkjenning", approves_protocol=draft.pk, decision="Ok")
    response = _edit(admin_client, other, _meeting_post(other, [case], starts_at="2021-03-17 10:00"))
    assert "må godkjennes av det samme organet" in response.content.decode()
    assert not other.case_items.exists()


def test_editing_a_final_protocol_is_refused(admin_client):
    protocol = _protocol("au-flere-i-arbeid-2020-12-09")
    revision = protocol.latest_revision_id
    edit_url = reverse("wagtailadmin_pages:edit", args=[protocol.pk])
    page = admin_client.get(edit_url).content.decode()
    assert "Protokollen ble godkjent 3. februar 2021 i sak 1/21 og kan ikke endres." in page
    data = nested_form_data(
        {
            "title": "Endret tittel",
            "slug": protocol.slug,
            "note": "Endret",
            "signed_by": "",
            "signed_on": "",
            "attendance": inline_formset([]),
        }
    )
    response = _edit(admin_client, protocol, data)
    protocol.refresh_from_db()
    assert protocol.title == "Protokoll Arbeidsutvalg Flere i arbeid 09.12.2020"
    assert protocol.latest_revision_id == revision
    assert response.status_code in {200, 302}


def test_a_meeting_has_one_protocol():
    december = _meeting("au-flere-i-arbeid-2020-12-09")
    assert not ProtocolPage.can_create_at(december)
    assert ProtocolPage.can_create_at(_meeting(MARCH_SLUG))


# --- votes ----------------------------------------------------------------------------------


def test_a_counted_vote_needs_the_attendance_and_must_add_up(admin_client):
    march = _meeting(MARCH_SLUG)
    counted = case_form(
        title="Budsjett", decision="Vedtatt", vote="opptelling", votes_for="3", votes_against="1"
    )

    response = _edit(admin_client, march, _meeting_post(march, [counted]))
    assert str(models.ATTENDANCE_MISSING) in response.content.decode()
    assert not march.case_items.exists()

    _with_attendance(march, "motte", "motte", "vara", "forfall", "andre")  # three with a vote
    response = _edit(admin_client, march, _meeting_post(march, [counted]))
    assert models.VOTES_DO_NOT_ADD_UP.format(total=4, present=3) in response.content.decode()
    assert not march.case_items.exists()

    counted["votes_against"] = "0"
    assert _edit(admin_client, march, _meeting_post(march, [counted])).status_code == 302
    item = march.case_items.get()
    assert item.vote_display == "(3 mot 0)"


def test_a_disqualified_member_steps_out_and_the_vote_adds_up_without_them(admin_client, client):
    # Kommuneloven § 11-10: a member declared disqualified (inhabil) leaves the case and does not
    # vote, so the vote adds up to those present with a vote, minus the disqualified.
    march = _meeting(MARCH_SLUG)
    _with_attendance(march, "motte", "motte", "motte", "vara")  # four with a vote
    disqualified = "Kari Nordmann (fvl. § 6 første ledd bokstav a)"
    counted = case_form(
        title="Tilskudd",
        decision="Vedtatt",
        vote="opptelling",
        votes_for="4",
        votes_against="0",
        disqualified=disqualified,
    )
    response = _edit(admin_client, march, _meeting_post(march, [counted]))
    message = models.VOTES_WITH_DISQUALIFIED_DO_NOT_ADD_UP.format(total=4, present=4, disqualified=1)
    assert message in response.content.decode()
    assert not march.case_items.exists()

    counted["votes_for"] = "3"
    assert _edit(admin_client, march, _meeting_post(march, [counted])).status_code == 302
    item = march.case_items.get()
    assert item.disqualified_list == [disqualified]
    html = client.get(march.url).content.decode()
    assert f"Inhabile, fratrådte under behandlingen av saken: {disqualified}" in html
    # The protocol's attendance may change only as long as the vote still adds up.
    protocol = services.queries.meeting_protocol(meeting=march)
    assert _protocol_with_voters(admin_client, protocol, 4).status_code == 302
    response = _protocol_with_voters(admin_client, protocol, 3)
    assert "har 3 avgitte stemmer, men oppmøtet gir 2 med stemmerett" in response.content.decode()


def test_an_exempt_case_keeps_its_disqualified_members_from_readers(client):
    march = _meeting(MARCH_SLUG)
    march.case_items.create(
        title="Personalsak",
        decision="Vedtatt",
        disqualified="Ola Nordmann (fvl. § 6)",
        exempt=True,
        exemption_basis="offl25",
        sort_order=0,
    )
    march.status = "gjennomfort"
    march.save_revision().publish()
    html = client.get(march.url).content.decode()
    assert "Ola Nordmann" not in html and "Inhabile" not in html


def test_votes_per_party_are_recorded_and_checked(admin_client, client):
    march = _meeting(MARCH_SLUG)
    _with_attendance(march, "motte", "motte", "motte", "vara")
    record = streamfield(
        [
            ("party", {"party": "Ap", "votes_for": "2", "votes_against": "0", "votes_blank": "0"}),
            ("member", {"name": "Kari Nordmann", "party": "H", "vote": "mot"}),
        ]
    )
    case = case_form(title="Tiltaksplan", decision="Vedtatt", vote="per_parti", vote_record=record)
    response = _edit(admin_client, march, _meeting_post(march, [case]))
    assert models.VOTES_DO_NOT_ADD_UP.format(total=3, present=4) in response.content.decode()
    assert not march.case_items.exists()

    case["vote_record"] = streamfield(
        [
            ("party", {"party": "Ap", "votes_for": "2", "votes_against": "0", "votes_blank": "0"}),
            ("member", {"name": "Kari Nordmann", "party": "H", "vote": "mot"}),
            ("member", {"name": "Ola Nordmann", "party": "FrP", "vote": "mot"}),
        ]
    )
    assert _edit(admin_client, march, _meeting_post(march, [case])).status_code == 302
    item = march.case_items.get()
    assert item.totals == (2, 2, 0)
    assert item.vote_display == "(2 mot 2)"
    html = client.get(march.url).content.decode()
    assert "Vedtatt (2 mot 2)" in html
    assert '<th scope="row">Kari Nordmann (H)</th><td>0</td><td>1</td><td>0</td>' in html


def test_vote_rules_on_the_case_item():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        CaseItem(title="Sak", vote="per_parti").clean()
    assert str(models.RECORD_MISSING) in str(error.value)


def test_attendance_from_members_and_free_text(admin_client, client, committee_member):
    body = Body.objects.get(name="Arbeidsutvalg Flere i arbeid")
    leader = BodyMember.objects.create(body=body, name="Leder Testesen", role="Leder", party="Ap")
    member = BodyMember.objects.create(body=body, name="Medlem Testesen", role="Medlem", party="H")
    march = _meeting(MARCH_SLUG)
    protocol = ProtocolPage(title="Protokoll Arbeidsutvalg Flere i arbeid 10.03.2021", slug="protokoll")
    march.add_child(instance=protocol)
    protocol.attendance = [
        ProtocolAttendance(role="motte", member=leader, sort_order=0),
        ProtocolAttendance(role="forfall", member=member, sort_order=1),
        ProtocolAttendance(role="vara", name="Vara Testesen", party="H", substitute_for=member, sort_order=2),
        ProtocolAttendance(role="andre", name="Mette S. Breland", note="sekretær", sort_order=3),
    ]
    protocol.save_revision().publish()
    assert PageViewRestriction.objects.filter(page=protocol).exists()
    assert queries.voting_attendance(meeting=march) == 2
    client.force_login(committee_member)
    html = client.get(protocol.url).content.decode()
    assert "Leder Testesen (Ap), leder" in html
    assert "Vara Testesen (H) – møtte for Medlem Testesen" in html
    assert "Mette S. Breland – sekretær" in html


def test_an_attendee_needs_a_member_or_a_name():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        ProtocolAttendance(role="motte").clean()
    assert str(models.ATTENDEE_MISSING) in str(error.value)


# --- admin ----------------------------------------------------------------------------------


def test_the_programme_leader_writes_a_protocol_in_the_admin(client, programme_leader):
    client.force_login(programme_leader)
    march = _meeting(MARCH_SLUG)
    add_url = reverse("wagtailadmin_pages:add", args=["meetings", "protocolpage", march.pk])
    assert client.get(add_url).status_code == 200
    data = nested_form_data(
        {
            "title": "Protokoll Arbeidsutvalg Flere i arbeid 10.03.2021",
            "slug": "protokoll",
            "note": "",
            "signed_by": "Møteleder",
            "signed_on": "2021-03-11",
            "attendance": inline_formset(
                [
                    {
                        "role": "motte",
                        "name": "Deltaker",
                        "party": "",
                        "note": "",
                        "member": "",
                        "substitute_for": "",
                    }
                ]
            ),
        }
    )
    data["action-publish"] = "action-publish"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    protocol = ProtocolPage.objects.child_of(march).get()
    assert protocol.live and protocol.signed_by == "Møteleder"
    assert PageViewRestriction.objects.filter(page=protocol).exists()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[protocol.pk])).status_code == 200
    assert client.get(
        reverse("wagtailadmin_pages:add", args=["meetings", "protocolpage", march.pk])
    ).status_code in {
        302,
        403,
    }


def test_changing_the_attendance_may_not_break_a_counted_vote(admin_client):
    march = _meeting(MARCH_SLUG)
    protocol = _with_attendance(march, "motte", "motte", "motte")
    march.case_items = [
        CaseItem(title="Sak", decision="Vedtatt", vote="opptelling", votes_for=2, votes_against=1)
    ]
    march.save_revision().publish()
    attendance = inline_formset([{"role": "motte", "name": "Bare én", "party": "", "note": "", "member": ""}])
    data = nested_form_data(
        {
            "title": protocol.title,
            "slug": protocol.slug,
            "note": "",
            "signed_by": "",
            "signed_on": "",
            "attendance": attendance,
        }
    )
    response = _edit(admin_client, protocol, data)
    assert "har 3 avgitte stemmer, men oppmøtet gir 1 med stemmerett" in response.content.decode()
    assert queries.voting_attendance(meeting=march) == 3


def test_a_final_protocol_of_a_body_with_closed_documents_stays_committee_only(admin_client, client):
    body = Body.objects.get(name="Arbeidsutvalg Flere i arbeid")
    body.documents_public = False
    body.save()
    draft = _protocol("au-flere-i-arbeid-2021-02-03")
    march = _meeting(MARCH_SLUG)
    march.case_items = [
        CaseItem(
            kind="protokoll", title="Godkjenning av protokoll", approves_protocol=draft, decision="Godkjent"
        )
    ]
    march.save_revision().publish()
    draft.refresh_from_db()
    assert draft.approved_at is None  # a planned meeting approves nothing
    march.status = "gjennomfort"
    march.save_revision().publish()
    draft.refresh_from_db()
    assert draft.approved_at == dt.date(2021, 3, 10)
    assert PageViewRestriction.objects.filter(page=draft).exists()
    assert client.get(FEBRUARY).status_code == 302


# --- exempting a final protocol afterwards --------------------------------------------------


def _exemption_url(protocol):
    return reverse("meetings_protocol_exemption", args=[protocol.pk])


def _exemption(exempt: str, basis: str) -> dict:
    return {"exempt": exempt, "exemption_basis": basis, "exemption_basis_other": "", "public_from": ""}


def _final_protocol_with_attendance():
    protocol = _protocol("au-flere-i-arbeid-2020-12-09")
    protocol.attendance = [ProtocolAttendance(role="motte", name="Kari Skjermet", sort_order=0)]
    protocol.save_revision().publish()
    return ProtocolPage.objects.get(pk=protocol.pk)


def test_a_final_protocol_can_be_exempted_afterwards(
    client, programme_leader, django_capture_on_commit_callbacks
):
    protocol = _final_protocol_with_attendance()
    assert "Kari Skjermet" in client.get(DECEMBER).content.decode()
    client.force_login(programme_leader)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[protocol.pk])).content.decode()
    assert _exemption_url(protocol) in edit
    form = client.get(_exemption_url(protocol))
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the page cache purges on commit
        response = client.post(_exemption_url(protocol), _exemption("on", "offl13-fvl13-1"))
    assert response.status_code == 302
    protocol = ProtocolPage.objects.get(pk=protocol.pk)
    assert protocol.exempt and protocol.exemption_basis == "offl13-fvl13-1"
    assert protocol.approved_at == dt.date(2021, 2, 3) and protocol.locked
    assert protocol.live_revision.user == programme_leader
    client.logout()
    html = client.get(DECEMBER).content.decode()
    assert "Kari Skjermet" not in html
    assert "Innholdet i protokollen er unntatt offentlighet." in html

    # And lifted again.
    client.force_login(programme_leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_exemption_url(protocol), _exemption("", ""))
    client.logout()
    assert "Kari Skjermet" in client.get(DECEMBER).content.decode()


def test_an_invalid_exemption_shows_field_errors_and_changes_nothing(admin_client):
    protocol = _final_protocol_with_attendance()
    revision = protocol.latest_revision_id
    response = admin_client.post(_exemption_url(protocol), _exemption("on", ""))
    assert response.status_code == 200
    assert response.context["form"].errors == {"exemption_basis": [str(EXEMPTION_BASIS_MISSING)]}
    protocol = ProtocolPage.objects.get(pk=protocol.pk)
    assert not protocol.exempt and protocol.latest_revision_id == revision


def test_only_publishers_set_the_exemption_of_a_final_protocol(client, committee_member):
    protocol = _final_protocol_with_attendance()
    client.force_login(committee_member)
    response = client.post(_exemption_url(protocol), {"exempt": "on", "exemption_basis": "offl14"})
    assert response.status_code in {302, 403}
    assert not ProtocolPage.objects.get(pk=protocol.pk).exempt


def test_a_draft_protocol_is_exempted_in_its_own_form(admin_client):
    draft = _protocol("au-flere-i-arbeid-2021-02-03")
    response = admin_client.get(_exemption_url(draft))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
