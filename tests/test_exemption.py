"""Exemption from public access: the rules and their Norwegian errors, marking in the admin by the
programme office (with the audit log), the private collection for exempt documents and their
release, and the page cache across the public-from date."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Collection, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from config import pagecache
from meetings import queries, services
from meetings.blocks import AttachmentBlock
from meetings.choices import ExemptionBasis
from meetings.models import CaseItem, MeetingPage, ProtocolPage
from meetings.models.exemption import NEUTRAL_TITLE
from meetings.models.messages import (
    EXEMPTION_BASIS_MISSING,
    EXEMPTION_FIELDS_WITHOUT_EXEMPT,
    EXEMPTION_OTHER_MISSING,
    EXEMPTION_OTHER_WITHOUT_OTHER,
    PUBLIC_TITLE_WITHOUT_EXEMPT,
)

from .helpers import make_document
from .meetings.test_meetings import case_form

pytestmark = pytest.mark.django_db

MARCH = "au-flere-i-arbeid-2021-03-10"
FEBRUARY = "au-flere-i-arbeid-2021-02-03"


def _errors(instance) -> dict:
    with pytest.raises(ValidationError) as error:
        instance.clean()
    return {
        field: [str(message) for message in messages] for field, messages in error.value.message_dict.items()
    }


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"exempt": True}, "exemption_basis", EXEMPTION_BASIS_MISSING),
        ({"exempt": True, "exemption_basis": "annet"}, "exemption_basis_other", EXEMPTION_OTHER_MISSING),
        ({"exemption_basis": "offl14"}, "exemption_basis", EXEMPTION_FIELDS_WITHOUT_EXEMPT),
        ({"public_from": dt.date(2030, 1, 1)}, "public_from", EXEMPTION_FIELDS_WITHOUT_EXEMPT),
        ({"public_title": "Offentlig"}, "public_title", PUBLIC_TITLE_WITHOUT_EXEMPT),
        (
            {"exempt": True, "exemption_basis": "offl14", "exemption_basis_other": "offl. § 21"},
            "exemption_basis_other",
            EXEMPTION_OTHER_WITHOUT_OTHER,
        ),
    ],
)
def test_exemption_rules_on_the_case_item(fields, field, message):
    item = CaseItem(title="Sak", **fields)
    assert _errors(item)[field] == [str(message)]


def test_a_complete_exemption_is_valid_and_exempt_until_its_public_from_date():
    item = CaseItem(
        title="Sak",
        exempt=True,
        exemption_basis=ExemptionBasis.OTHER,
        exemption_basis_other="offl. § 21",
        public_from=dt.date(2030, 1, 1),
    )
    item.clean()
    assert item.exemption_basis_display == "offl. § 21"
    assert item.is_exempt(today=dt.date(2029, 12, 31))
    assert not item.is_exempt(today=dt.date(2030, 1, 1))


def test_the_same_rules_on_meetings_and_protocols():
    for page in (MeetingPage(title="Møte", exempt=True), ProtocolPage(title="Protokoll", exempt=True)):
        with pytest.raises(ValidationError) as error:
            page.clean()
        assert str(EXEMPTION_BASIS_MISSING) in error.value.message_dict["exemption_basis"]


def test_the_attachment_block_has_the_same_rules():
    block = AttachmentBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"title": "Notat", "exempt": True, "exemption_basis": "annet"}))
    assert set(error.value.block_errors) == {"exemption_basis_other"}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"title": "Notat", "public_title": "Offentlig"}))
    assert set(error.value.block_errors) == {"public_title"}
    block.clean(block.to_python({"title": "Notat", "exempt": True, "exemption_basis": "offl14"}))


def test_the_legal_basis_list_names_the_duty_of_confidentiality_under_section_13():
    for basis in ExemptionBasis:
        if basis.value.startswith("offl13"):
            assert ", jf. " in basis.label
    assert "offl. § 13, jf. fvl. § 13 første ledd nr. 1" in ExemptionBasis.FVL_13_1.label


# --- the admin --------------------------------------------------------------------------------


def _meeting_post(meeting, cases, **fields):
    data = {
        "title": meeting.title,
        "slug": meeting.slug,
        "body": meeting.body_id,
        "starts_at": "2021-03-10 11:00",
        "ends_at": "",
        "place": "",
        "status": "planlagt",
        "notes": "",
        "time_unknown": "",
        "exemption_basis": "",
        "exemption_basis_other": "",
        "public_from": "",
        "case_items": inline_formset(cases),
        **fields,
    }
    result = nested_form_data(data)
    result["action-publish"] = "action-publish"
    return result


def _exempt_case(**fields):
    defaults = {"exemption_basis": "", "exemption_basis_other": "", "public_title": "", "public_from": ""}
    return case_form(title="Personalsak", **{**defaults, **fields})


def test_the_programme_leader_marks_a_case_exempt_and_the_audit_log_records_it(client, programme_leader):
    client.force_login(programme_leader)
    march = MeetingPage.objects.get(slug=MARCH)
    edit = reverse("wagtailadmin_pages:edit", args=[march.pk])
    form = client.get(edit).content.decode()
    assert "Unntatt offentlighet" in form and "Påkrevd når innholdet er unntatt" in form
    assert "Sidens tittel er alltid offentlig" in form

    response = client.post(edit, _meeting_post(march, [_exempt_case(exempt="on")]))
    assert response.status_code == 200
    assert str(EXEMPTION_BASIS_MISSING) in response.content.decode()
    response = client.post(edit, _meeting_post(march, [_exempt_case(exempt="on", exemption_basis="annet")]))
    assert str(EXEMPTION_OTHER_MISSING) in response.content.decode()
    assert not march.case_items.exists()

    case = _exempt_case(
        exempt="on", exemption_basis="offl25", public_title="Tilsettingssak", public_from="2030-01-01"
    )
    response = client.post(edit, _meeting_post(march, [case]))
    assert response.status_code == 302
    item = march.case_items.get()
    assert (item.exempt, item.exemption_basis, item.public_from) == (True, "offl25", dt.date(2030, 1, 1))

    entries = PageLogEntry.objects.filter(page=march, user=programme_leader)
    assert {"wagtail.edit", "wagtail.publish"} <= set(entries.values_list("action", flat=True))
    march.refresh_from_db()
    revision = march.get_latest_revision()
    assert revision.user == programme_leader and revision.created_at
    saved = revision.content["case_items"][0]
    assert (saved["exempt"], saved["exemption_basis"], saved["public_from"]) == (True, "offl25", "2030-01-01")


def test_the_programme_leader_marks_a_meeting_and_an_attachment_exempt(client, programme_leader):
    client.force_login(programme_leader)
    march = MeetingPage.objects.get(slug=MARCH)
    document = make_document("Notat om en ansatt")
    attachment = {
        "title": "Notat om en ansatt",
        "document": str(document.pk),
        "exempt": "on",
        "exemption_basis": "offl13-fvl13-1",
        "exemption_basis_other": "",
        "public_title": "Notat",
        "public_from": "",
    }
    case = _exempt_case(attachments=streamfield([("attachment", attachment)]))
    edit = reverse("wagtailadmin_pages:edit", args=[march.pk])
    response = client.post(
        edit, _meeting_post(march, [case], exempt="on", exemption_basis="offl24", notes="Lukket")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    march.refresh_from_db()
    assert march.exempt and march.exemption_basis == "offl24"
    document.refresh_from_db()
    assert document.collection.name == queries.COMMITTEE_COLLECTION


# --- documents --------------------------------------------------------------------------------


def _attach(meeting, item, document, **exemption):
    item.attachments = [("attachment", {"title": document.title, "document": document, **exemption})]
    item.save()


def test_an_exempt_attachment_moves_its_document_into_the_private_collection_and_back(client):
    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="2/21")
    document = make_document("Notat")
    _attach(february, item, document, exempt=True, exemption_basis="offl14", public_from=dt.date(2030, 1, 1))

    moved = services.meeting_protect_exempt_documents(meeting=february, today=dt.date(2029, 12, 31))
    assert moved == [document]
    document.refresh_from_db()
    assert document.collection.name == queries.COMMITTEE_COLLECTION
    response = client.get(document.url)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")
    assert services.meeting_protect_exempt_documents(meeting=february, today=dt.date(2029, 12, 31)) == []

    assert services.exempt_documents_release(today=dt.date(2029, 12, 31)) == []
    assert services.exempt_documents_release(today=dt.date(2030, 1, 1)) == [document]
    document.refresh_from_db()
    assert document.collection.depth == 1
    assert client.get(document.url).status_code == 200


def test_a_committee_document_without_an_exemption_is_never_released():
    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="2/21")
    private = Collection.objects.get(name=queries.COMMITTEE_COLLECTION)
    document = make_document("Utkast", collection=private)
    _attach(february, item, document)
    assert services.exempt_documents_release(today=dt.date(2040, 1, 1)) == []


def test_every_attachment_of_an_exempt_case_is_protected():
    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="2/21")
    document = make_document("Vedlegg")
    _attach(february, item, document)
    item.exempt, item.exemption_basis = True, "offl14"
    item.save()
    assert services.meeting_protect_exempt_documents(meeting=february) == [document]


# --- what readers see, and the page cache -----------------------------------------------------


def test_an_exempt_case_shows_its_public_or_a_neutral_title_and_nothing_else(committee_member):
    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="2/21")
    item.exempt, item.exemption_basis = True, "offl14"
    item.save()

    shown = next(
        each
        for each in queries.meeting_contents(meeting=february, user=AnonymousUser())["case_items"]
        if each.pk == item.pk
    )
    assert shown.title == str(NEUTRAL_TITLE)
    assert (shown.summary, shown.proposed_decision, shown.case_officer, shown.route) == ("", "", "", "")
    assert shown.exemption_label == str(ExemptionBasis.OFFL_14.label)

    full = next(
        each
        for each in queries.meeting_contents(meeting=february, user=committee_member)["case_items"]
        if each.pk == item.pk
    )
    assert full.title.startswith("Forslag til møteplan") and full.summary and full.exempt_now


def test_the_page_cache_keeps_no_copy_past_the_public_from_date(client, settings):
    request = RequestFactory().get("/")
    assert pagecache.cache_timeout(request) == settings.PAGE_CACHE_SECONDS
    pagecache.expire_on(request, dt.date(2030, 1, 2))
    pagecache.expire_on(request, dt.date(2030, 1, 1))
    pagecache.expire_on(request, None)
    zone = timezone.get_default_timezone()
    assert pagecache.cache_timeout(request, now=dt.datetime(2029, 12, 31, 23, 59, 30, tzinfo=zone)) == 30
    assert pagecache.cache_timeout(request, now=dt.datetime(2030, 1, 1, 0, 0, 0, tzinfo=zone)) == 0
    assert (
        pagecache.cache_timeout(request, now=dt.datetime(2029, 1, 1, tzinfo=zone))
        == settings.PAGE_CACHE_SECONDS
    )


def test_a_meeting_with_an_exemption_ending_soon_is_cached_only_until_then(client):
    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="2/21")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    item.exempt, item.exemption_basis, item.public_from = True, "offl14", tomorrow
    item.save()
    path = f"/moter/{FEBRUARY}/"
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"

    item.public_from = timezone.localdate()
    item.save()
    pagecache.purge_path(path)
    assert client.get(path)["X-Page-Cache"] == "miss"
    # Public from today: shown in full, nothing to cap.
    assert "Forslag til møteplan" in client.get(path).content.decode()


def test_the_search_privacy_hook_leaves_out_exempt_meetings_and_protocols():
    from wagtail.models import Page

    from knowledge.search import exclude_exempt_from_public_access, visible_pages

    april = MeetingPage.objects.get(slug="au-flere-i-arbeid-2021-04-14")
    december = ProtocolPage.objects.child_of(
        MeetingPage.objects.get(slug="au-flere-i-arbeid-2020-12-09")
    ).get()
    assert {april.pk, december.pk} <= set(visible_pages().values_list("pk", flat=True))
    april.exempt, april.exemption_basis = True, "offl14"
    april.save()
    december.exempt, december.exemption_basis, december.public_from = True, "offl14", dt.date(2030, 1, 1)
    december.save()
    shown = set(visible_pages().values_list("pk", flat=True))
    assert april.pk not in shown and december.pk not in shown
    later = set(
        queries.exclude_exempt(Page.objects.all(), today=dt.date(2030, 1, 1)).values_list("pk", flat=True)
    )
    assert december.pk in later and april.pk not in later
    items = exclude_exempt_from_public_access(CaseItem.objects.filter(meeting=april))
    assert not items.exists()


# --- what an exempt case links to, and the protocol below a meeting --------------------------


def test_an_exempt_case_reveals_no_theme_or_milestone_it_concerns(client, committee_member):
    from programme.models import Milestone, ThemePage

    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="2/21")
    theme = ThemePage.objects.live().order_by("number").last()
    milestone = Milestone.objects.filter(live=True).order_by("title").first()
    item.exempt, item.exemption_basis, item.decision = True, "offl14", "Vedtatt."
    item.themes.set([theme])
    item.save()
    milestone.decisions.add(item)
    milestone.save()

    meeting_page = client.get(f"/moter/{FEBRUARY}/").content.decode()
    register = client.get("/moter/vedtak/")
    by_theme = client.get("/moter/vedtak/", {"tema": theme.pk})
    for body in (meeting_page, register.content.decode()):
        assert milestone.title not in body
        assert f'href="{theme.url}"' not in body
    assert theme not in register.context["themes"]
    assert by_theme.context["decisions"].paginator.count == 0

    client.force_login(committee_member)
    shown = client.get("/moter/vedtak/", {"tema": theme.pk})
    assert [each.pk for each in shown.context["decisions"]] == [item.pk]
    assert milestone.title in shown.content.decode()


def test_unpublishing_a_meeting_unpublishes_its_protocol(client, django_capture_on_commit_callbacks):
    december = MeetingPage.objects.get(slug="au-flere-i-arbeid-2020-12-09")
    protocol = ProtocolPage.objects.child_of(december).get()
    assert protocol.live and client.get(protocol.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is purged on commit
        december.unpublish()
    protocol.refresh_from_db()
    assert not protocol.live
    assert client.get(f"/moter/{december.slug}/protokoll/").status_code == 404


def test_a_meeting_made_exempt_takes_its_protocol_note_out_of_search(
    whoosh_index, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    december = MeetingPage.objects.get(slug="au-flere-i-arbeid-2020-12-09")
    protocol = ProtocolPage.objects.child_of(december).get()
    with django_capture_on_commit_callbacks(execute=True):
        protocol.note = "Merknad om sjiraffklokker."
        protocol.save_revision().publish()
    assert [page.pk for page in Page.objects.live().search("sjiraffklokker")] == [protocol.pk]
    with django_capture_on_commit_callbacks(execute=True):
        december.exempt, december.exemption_basis = True, "offl14"
        december.save_revision().publish()
    assert list(Page.objects.live().search("sjiraffklokker")) == []


def test_the_daily_run_brings_what_an_ended_exemption_kept_out_into_search(
    client, whoosh_index, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    february = MeetingPage.objects.get(slug=FEBRUARY)
    february.case_items = list(february.case_items.all())
    item = next(each for each in february.case_items.all() if each.case_number == "2/21")
    item.exempt, item.exemption_basis, item.decision = True, "offl14", "Vedtatt om elgkalver."
    item.public_title = "Sak om møteplanen"
    with django_capture_on_commit_callbacks(execute=True):
        february.save_revision().publish()

    def hits():
        return client.get("/sok/", {"q": "elgkalver"}).context["outcome"].total

    assert hits() == 0
    # The day comes: nothing is saved, so nothing is indexed until the daily run.
    CaseItem.objects.filter(pk=item.pk).update(public_from=timezone.localdate() - dt.timedelta(days=1))
    assert hits() == 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_exempt_documents", stdout=io.StringIO())
    assert hits() > 0


def test_an_attachment_whose_exemption_ended_stays_listed_until_its_file_is_released(client):
    february = MeetingPage.objects.get(slug=FEBRUARY)
    item = february.case_items.get(case_number="1/21")
    document = make_document("Notat om elgkalver")
    document.collection = services.committee_collection()
    document.save()
    block = {"title": "Notat om elgkalver", "document": document, "exempt": True}
    block |= {"exemption_basis": "offl14", "public_from": timezone.localdate() - dt.timedelta(days=1)}
    item.attachments = [("attachment", block)]
    item.save()
    shown = next(
        each
        for each in queries.meeting_contents(meeting=february, user=AnonymousUser())["case_items"]
        if each.pk == item.pk
    )
    assert [entry.title for entry in shown.attachment_entries] == ["Notat om elgkalver"]
    assert shown.attachment_entries[0].url == ""
