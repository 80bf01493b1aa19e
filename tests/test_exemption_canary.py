"""The canary: a unique string planted in every exempt and committee-only field and document of the
loaded content must appear nowhere an anonymous reader can reach (pages and every link on them,
searches, feeds, the API, the open data in every format, the sitemap, every document by id), and
must be there for a committee member."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from wagtail.documents import get_document_model

from meetings import queries
from meetings.choices import ExemptionBasis, VoteKind
from meetings.models import CaseItem, MeetingPage, ProtocolAttendance, ProtocolPage
from meetings.pdf import pdf_available
from programme.models import ThemePage
from tests.helpers import make_document
from tests.test_crawl import _internal

pytestmark = pytest.mark.django_db

CANARY = "Kanarifugl7q3x"
CANARY_PATTERN = re.compile(CANARY, re.IGNORECASE)
DECEMBER = "au-flere-i-arbeid-2020-12-09"
FEBRUARY = "au-flere-i-arbeid-2021-02-03"
APRIL = "au-flere-i-arbeid-2021-04-14"
PUBLIC_CASE_TITLE = "Sak om møteplanen"
OTHER_BASIS = "offl. § 21"


def _meeting(slug: str) -> MeetingPage:
    return MeetingPage.objects.get(slug=slug)


def _canary_document() -> object:
    return make_document(f"Notat {CANARY}", content=f"Innhold som er unntatt: {CANARY}\n".encode())


def _attachment_blocks(item: CaseItem) -> list:
    return [("attachment", dict(block.value)) for block in item.attachments]


@pytest.fixture
def canary_content(whoosh_index, django_capture_on_commit_callbacks):
    """Exempt case items (own and by their meeting's exemption), an exempt attachment with a real
    file, an exempt final protocol and the committee-only draft protocol, all with the canary;
    written to a copy of the search index (the commit callbacks run), so search can find it."""
    with django_capture_on_commit_callbacks(execute=True):
        return _plant_canary()


def _plant_canary() -> dict:
    theme = ThemePage.objects.live().first()

    february = _meeting(FEBRUARY)
    items = list(february.case_items.order_by("sort_order"))
    approval = next(item for item in items if item.case_number == "1/21")
    case = next(item for item in items if item.case_number == "2/21")
    case.exempt = True
    case.exemption_basis = ExemptionBasis.FVL_13_1
    case.public_title = PUBLIC_CASE_TITLE
    case.title = f"Møteplan for {CANARY}"
    for name in ("proposed_decision", "summary", "route", "case_officer", "approved_by", "archive_reference"):
        setattr(case, name, CANARY)
    case.decision = f"Vedtatt for {CANARY}"
    case.vote = VoteKind.UNANIMOUS
    document = _canary_document()
    approval.attachments = [
        *_attachment_blocks(approval),
        (
            "attachment",
            {
                "title": f"Vedlegg om {CANARY}",
                "document": document,
                "exempt": True,
                "exemption_basis": ExemptionBasis.OTHER,
                "exemption_basis_other": OTHER_BASIS,
                "public_title": "Notat til saken",
            },
        ),
    ]
    february.case_items = items
    february.save_revision().publish()
    case.themes.set([theme])

    draft = ProtocolPage.objects.child_of(february).get()
    draft.title = f"Referat {CANARY}"
    draft.note = CANARY
    draft.signed_by = CANARY
    draft.attendance = [ProtocolAttendance(role="motte", name=f"Ola {CANARY}")]
    draft.save_revision().publish()

    december = ProtocolPage.objects.child_of(_meeting(DECEMBER)).get()
    december.exempt = True
    december.exemption_basis = ExemptionBasis.OFFL_14
    december.note = CANARY
    december.signed_by = CANARY
    december.attendance = [ProtocolAttendance(role="motte", name=f"Kari {CANARY}")]
    december.save_revision().publish()

    april = _meeting(APRIL)
    april.exempt = True
    april.exemption_basis = ExemptionBasis.SOSTJL_44
    april.notes = CANARY
    april.case_items = [
        CaseItem(
            title=f"Drøfting av {CANARY}",
            summary=CANARY,
            decision=f"Tatt til orientering {CANARY}",
            vote=VoteKind.UNANIMOUS,
            sort_order=0,
        )
    ]
    april.save_revision().publish()
    # A final protocol of the exempt meeting, not exempt itself: its note is exempt by the meeting.
    april_protocol = ProtocolPage(title="Protokoll april", slug="protokoll", note=CANARY)
    april.add_child(instance=april_protocol)
    april_protocol.approved_at = dt.date(2021, 5, 12)
    april_protocol.save_revision().publish()
    document.refresh_from_db()
    return {"document": document, "theme": theme}


# --- the anonymous crawl ----------------------------------------------------------------------

JSON_URL = re.compile(r'"(https?://[^"\s]*|/[^"\s]*)"')
HREF = re.compile(r'(?:href|src)="([^"]+)"|content="((?:/|https?://)[^"]*)"')


def _pdf_text(content: bytes) -> str:
    """The text of every page of a PDF, and again with line breaks and hyphens taken out, so that
    a word hyphenated or broken across lines is still found."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return text + "\n" + re.sub(r"[\s\-\u00ad]+", "", text)


def _text(response) -> str:
    content_type = response.get("Content-Type", "")
    if content_type == "application/pdf":
        return _pdf_text(response.content)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _links(path: str, response, text: str) -> list[str]:
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        found = JSON_URL.findall(text)
    elif content_type.startswith(("text/html", "application/xml", "application/rss", "application/atom")):
        found = [href or content for href, content in HREF.findall(text)] + re.findall(
            r"<(?:loc|link|id)>([^<]+)</(?:loc|link|id)>", text
        )
    elif content_type.startswith("text/calendar"):
        found = re.findall(r"^URL:(\S+)", text, re.MULTILINE)
    else:
        found = []
    # The API names its addresses from WAGTAILAPI_BASE_URL: they are this site's.
    base = settings.WAGTAILAPI_BASE_URL.rstrip("/")
    found = [url.removeprefix(base) if url.startswith(base + "/") else url for url in found]
    return [target for url in found if (target := _internal(url.replace("&amp;", "&"), path))]


def crawl_texts(client, start: list[str], limit: int = 900) -> dict[str, tuple[int, str]]:
    """Every reachable path with its status and text (HTML, XML, feeds, JSON, CSV, XLSX, files)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path, follow=False)
        text = _text(response)
        seen[path] = (response.status_code, text)
        if response.status_code in {301, 302} and response.get("Location"):
            target = _internal(response["Location"], path)
            if target and not target.startswith("/logg-inn/"):
                queue.append(target)
        if response.status_code == 200:
            queue += [target for target in _links(path, response, text) if target not in seen]
    return seen


def _without_echo(path: str, text: str) -> str:
    """A search page repeats what the reader typed (the search box, the language switch's return
    address): that is no leak. Everything else on the page still counts."""
    from urllib.parse import parse_qs, urlparse

    query = parse_qs(urlparse(path).query).get("q", [""])[0]
    if not query:
        return text
    from django.utils.html import escape

    for echo in (f'value="{path}"', f'value="{query}"', f"«{query}»", f"Søk: {query} –"):
        text = text.replace(escape(echo) if echo.startswith("value") else echo, "").replace(echo, "")
    return text


def _start_paths(client, document) -> list[str]:
    from config.opendata import datasets

    paths = [
        "/",
        "/sitemap.xml",
        "/robots.txt",
        "/kunnskap/feed/",
        "/kunnskap/feed/atom/",
        "/moter/kalender/",
    ]
    paths += [f"/api/v2/pages/?limit=100&offset={offset}" for offset in range(0, 400, 100)]
    paths += ["/api/v2/documents/?limit=100", "/api/v2/images/?limit=100", "/api/data/"]
    for slug in datasets():
        paths += [f"/api/data/{slug}/?limit=500", f"/api/data/{slug}.csv", f"/api/data/{slug}.xlsx"]
    words = [
        CANARY,
        CANARY.lower(),
        "møteplan",
        "Møteplan for",
        "vedtatt",
        "Drøfting",
        "orientering",
        "Ola",
        "Kari",
    ]
    for word in words:
        paths += [f"/moter/vedtak/?q={word}", f"/sok/?q={word}", f"/api/v2/pages/?search={word}"]
        for name in ("search", "search_suggestions"):
            with contextlib.suppress(NoReverseMatch):
                paths.append(f"{reverse(name)}?q={word}")
    for page in MeetingPage.objects.all():
        paths.append(f"/moter/kalender/{page.body_id}/")
    for protocol in ProtocolPage.objects.all():
        paths += [protocol.url, f"{protocol.url}pdf/"]
    # Every document by id, the exempt one too, by its own and by guessed addresses.
    for each in get_document_model().objects.all():
        paths += [each.url, f"/dokumenter/{each.pk}/gjettet.txt", f"/api/v2/documents/{each.pk}/"]
    return paths


def test_the_canary_appears_nowhere_for_anonymous_readers(client, canary_content):
    document = canary_content["document"]
    assert document.collection.name == queries.COMMITTEE_COLLECTION

    start = _start_paths(client, document)
    pages = crawl_texts(client, start)

    assert len(pages) > 100
    # The exempt document's own address holds the canary (its file name): the test asks for it by
    # id; no response may show it, and no page may lead to it.
    leaks = sorted(
        path
        for path, (_status, text) in pages.items()
        if CANARY_PATTERN.search(_without_echo(path, text))
        or (CANARY_PATTERN.search(path) and path not in start)
    )
    assert leaks == []
    errors = {path: status for path, (status, _text) in pages.items() if status >= 500}
    assert errors == {}
    # The crawl reached what it must: the pages with exempt parts, the feeds and every dataset.
    for path in (
        f"/moter/{FEBRUARY}/",
        f"/moter/{APRIL}/",
        f"/moter/{DECEMBER}/protokoll/",
        "/moter/vedtak/",
    ):
        assert pages[path][0] == 200, path
    if pdf_available():  # the public PDF of the exempt protocol was read, text and all
        status, text = pages[f"/moter/{DECEMBER}/protokoll/pdf/"]
        assert status == 200 and "Innholdet i protokollen er unntatt offentlighet." in text
    assert any(re.fullmatch(r"/api/v2/pages/\d+/", path) for path in pages)
    for path in ("/moter/vedtak/feed/", "/moter/vedtak/feed/atom/", "/moter/feed/", "/api/data/vedtak.xlsx"):
        assert pages[path][0] == 200, path
    assert "0 treff" in pages[f"/sok/?q={CANARY}"][1]
    # A hit alone tells that the word is in exempt content (the exempt meeting's protocol note).
    assert json.loads(pages[f"/api/v2/pages/?search={CANARY}"][1])["meta"]["total_count"] == 0
    for path in (document.url, f"/dokumenter/{document.pk}/gjettet.txt", f"/api/v2/documents/{document.pk}/"):
        status = pages[path][0]
        assert status in {302, 403, 404}, path
        if status == 302:
            assert client.get(path)["Location"].startswith("/logg-inn/")


def test_anonymous_readers_see_that_exempt_items_exist_with_their_legal_basis(client, canary_content):
    february = client.get(f"/moter/{FEBRUARY}/").content.decode()
    assert PUBLIC_CASE_TITLE in february
    assert str(ExemptionBasis.FVL_13_1.label) in february
    assert "Notat til saken" in february and OTHER_BASIS in february
    # The rest of the meeting stays public (offentleglova § 12).
    assert "Orientering om «Flere i arbeid»" in february
    assert "Protokoll fra møtet 9.12.2020 godkjennes" in february

    april = client.get(f"/moter/{APRIL}/").content.decode()
    assert str(ExemptionBasis.SOSTJL_44.label) in april
    assert "Unntatt offentlighet" in april

    protocol = client.get(f"/moter/{DECEMBER}/protokoll/").content.decode()
    assert str(ExemptionBasis.OFFL_14.label) in protocol
    assert "Innholdet i protokollen er unntatt offentlighet." in protocol

    register = client.get("/moter/vedtak/").content.decode()
    assert PUBLIC_CASE_TITLE in register
    theme = client.get(canary_content["theme"].url).content.decode()
    assert PUBLIC_CASE_TITLE not in theme


def test_a_committee_member_finds_the_canary(client, committee_member, canary_content):
    document = canary_content["document"]
    client.force_login(committee_member)
    for path in (
        f"/moter/{FEBRUARY}/",
        f"/moter/{FEBRUARY}/protokoll/",
        f"/moter/{DECEMBER}/protokoll/",
        f"/moter/{APRIL}/",
        f"/moter/vedtak/?q={CANARY}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert CANARY in response.content.decode(), path
    if pdf_available():  # the crawl reads the PDFs the same way: this proves it can find the canary
        for path in (f"/moter/{FEBRUARY}/protokoll/pdf/", f"/moter/{DECEMBER}/protokoll/pdf/"):
            response = client.get(path)
            assert response["Content-Type"] == "application/pdf", path
            assert CANARY in _text(response), path
    response = client.get(document.url)
    assert response.status_code == 200
    assert CANARY in _text(response)
    assert f"notat-{CANARY.lower()}" in document.file.name


def test_after_the_public_from_date_the_item_is_public(canary_content):
    from django.contrib.auth.models import AnonymousUser

    february = _meeting(FEBRUARY)
    case = february.case_items.get(case_number="2/21")
    case.public_from = dt.date(2030, 1, 1)
    case.save()
    anonymous = AnonymousUser()

    before = queries.meeting_contents(meeting=february, user=anonymous, today=dt.date(2029, 12, 31))
    shown = next(item for item in before["case_items"] if item.pk == case.pk)
    assert shown.title == PUBLIC_CASE_TITLE and shown.decision == ""
    assert before["public_changes_on"] == dt.date(2030, 1, 1)

    after = queries.meeting_contents(meeting=february, user=anonymous, today=dt.date(2030, 1, 1))
    shown = next(item for item in after["case_items"] if item.pk == case.pk)
    assert CANARY in shown.title and CANARY in shown.decision
    assert not shown.exempt_now

    def found(today):
        return case.pk in {item.pk for item in queries.decisions(user=anonymous, text=CANARY, today=today)}

    assert not found(dt.date(2029, 12, 31))
    assert found(dt.date(2030, 1, 1))


def test_json_responses_of_the_api_are_parsed_for_links(client, canary_content):
    """The crawl follows the API's detail URLs (so detail endpoints are checked too)."""
    response = client.get("/api/v2/pages/?limit=5")
    text = response.content.decode()
    links = _links("/api/v2/pages/?limit=5", response, text)
    assert any(re.fullmatch(r"/api/v2/pages/\d+/", link) for link in links)
    assert json.loads(text)["meta"]["total_count"] > 5
