"""The public API, sitemap and robots.txt show what is public and nothing else."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

pytestmark = pytest.mark.django_db


def test_pages_api_lists_live_public_pages_only(client, programme):
    hidden = Page.objects.get(pk=programme.pk)
    titles = {item["title"] for item in client.get("/api/v2/pages/").json()["items"]}
    assert programme.title in titles
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    titles = {item["title"] for item in client.get("/api/v2/pages/").json()["items"]}
    assert programme.title not in titles


def test_pages_api_makes_every_address_from_the_site_root_paths_the_worker_keeps(client, monkeypatch):
    """Wagtail reads them from the shared cache for each listed page otherwise: a Redis round
    trip per page in production."""
    from wagtail.models import Site

    reads = []
    read = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: reads.append(1) or read()))
    client.get("/api/v2/pages/")  # the worker keeps them from here on
    reads.clear()
    items = client.get("/api/v2/pages/").json()["items"]
    assert len(items) == 20
    assert all(item["meta"]["html_url"].startswith("http://localhost/") for item in items)
    assert reads == []


def test_documents_api_leaves_out_restricted_collections(client):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Utvalgets saksdokumenter")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document = get_document_model()
    Document.objects.create(title="Offentlig vedlegg", file=ContentFile(b"a", name="offentlig.txt"))
    Document.objects.create(
        title="Unntatt vedlegg", file=ContentFile(b"b", name="unntatt.txt"), collection=private
    )
    titles = {item["title"] for item in client.get("/api/v2/documents/").json()["items"]}
    assert "Offentlig vedlegg" in titles
    assert "Unntatt vedlegg" not in titles


def test_sitemap_lists_the_public_pages(client, programme):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<loc>http://localhost/</loc>" in response.content.decode()


def test_sitemap_lists_each_published_activity_and_milestone_page(client):
    from communication.models import Activity
    from programme.models import Milestone

    body = client.get("/sitemap.xml").content.decode()
    activities = Activity.objects.all()
    assert activities.filter(live=True).exists()
    for activity in activities:
        loc = f"<loc>http://localhost/kommunikasjonsplan/{activity.slug}/</loc>"
        assert (loc in body) is activity.live, activity.slug
    for milestone in Milestone.objects.filter(live=True):
        assert f"<loc>http://localhost/framdrift/milepaeler/{milestone.slug}/</loc>" in body


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


# The datasets under /api/data/ (config/opendata.py), checked against the database.

ACTIVITIES = "/api/data/formidlingsaktiviteter"


def _published_titles():
    from communication.models import Activity

    return set(Activity.objects.filter(live=True).values_list("title", flat=True))


def test_the_dataset_index_names_every_dataset_with_its_formats_and_licence(client):
    data = client.get("/api/data/").json()
    assert data["lisens"] == "NLOD-2.0"
    entry = next(item for item in data["datasett"] if item["id"] == "formidlingsaktiviteter")
    assert entry["csv"] == f"http://testserver{ACTIVITIES}.csv"
    assert "status" in entry["filtre"]


def test_the_activity_list_is_the_published_activities(client):
    from communication.models import Activity

    data = client.get(f"{ACTIVITIES}/").json()
    assert data["antall"] == Activity.objects.filter(live=True).count() == 7
    assert {row["tittel"] for row in data["resultater"]} == _published_titles()
    talk = next(row for row in data["resultater"] if row["tittel"].startswith("Standardpresentasjonen"))
    assert talk["status"] == "vedtatt"
    assert talk["dekket_av_kontrakt"] is True
    assert talk["malgrupper"] == ["Deltakerkommunene"]
    assert talk["url"] == "http://testserver/kommunikasjonsplan/standardpresentasjon-per-kommune/"


def test_filters_narrow_the_list_and_paging_links_onward(client):
    data = client.get(f"{ACTIVITIES}/", {"status": "forslag", "limit": 2}).json()
    assert data["antall"] == 5
    assert len(data["resultater"]) == 2
    assert all(row["status"] == "forslag" for row in data["resultater"])
    assert "offset=2" in data["neste"] and data["forrige"] is None
    assert client.get(f"{ACTIVITIES}/", {"ar": "2022"}).json()["antall"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "ukjent"}, "Ugyldig verdi for «status»: «ukjent». Gyldige verdier: forslag"),
        ({"ar": "tjueen"}, "Ugyldig verdi for «ar»: «tjueen». Skriv et årstall"),
        ({"limit": "mange"}, "«limit» og «offset» må være hele tall"),
        ({"limit": "100000"}, "«limit» og «offset» må være hele tall"),
        ({"offset": "99999999999999999999"}, "«limit» og «offset» må være hele tall"),
        ({"ar": "0000"}, "Ugyldig verdi for «ar»: «0000». Skriv et årstall"),
        ({"ar": "²０２１"}, "Ugyldig verdi for «ar»"),
        ({"sorter": "tittel"}, "Ukjent parameter «sorter»"),
    ],
)
def test_bad_parameters_get_a_norwegian_error_not_a_500(client, params, message):
    response = client.get(f"{ACTIVITIES}/", params)
    assert response.status_code == 400
    assert response.json()["feil"].startswith(message)
    paging = "limit" in params or "offset" in params
    assert client.get(f"{ACTIVITIES}.csv", params).status_code == (200 if paging else 400)


def test_an_unpublished_activity_is_absent_from_every_format(client):
    import csv
    import io

    from openpyxl import load_workbook

    from communication.models import Activity

    activity = Activity.objects.get(slug="korte-informasjonsfilmer")
    activity.unpublish()
    data = client.get(f"{ACTIVITIES}/").json()
    assert activity.title not in {row["tittel"] for row in data["resultater"]}
    assert client.get(f"{ACTIVITIES}/{activity.pk}/").status_code == 404
    assert activity.title not in client.get(f"{ACTIVITIES}.csv").content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(client.get(f"{ACTIVITIES}.xlsx").content)).active
    assert activity.title not in {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    rows = list(
        csv.reader(io.StringIO(client.get(f"{ACTIVITIES}.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert len(rows) - 1 == len(_published_titles()) == 6


def test_detail_matches_the_database(client):
    from communication.models import Activity

    activity = Activity.objects.get(slug="fysisk-samling-2022")
    data = client.get(f"{ACTIVITIES}/{activity.pk}/").json()
    assert data["tittel"] == activity.title
    assert data["fra"] == "2022-01-01" and data["til"] == "2022-12-31"
    assert data["formal"] == activity.purpose_list
    assert data["poster_uten_belop"] == 4


def test_csv_opens_in_norwegian_excel_and_xlsx_keeps_types(client):
    import csv
    import io

    from openpyxl import load_workbook

    raw = client.get(f"{ACTIVITIES}.csv")
    assert raw["Content-Type"] == "text/csv; charset=utf-8"
    assert raw["Content-Disposition"] == 'attachment; filename="formidlingsaktiviteter.csv"'
    assert raw.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["ID", "Tittel", "Type"]
    assert "Målgrupper" in rows[0]
    assert {row[1] for row in rows[1:]} == _published_titles()
    sheet = load_workbook(io.BytesIO(client.get(f"{ACTIVITIES}.xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == rows[0]
    gathering = next(
        row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1].startswith("Forslag 2")
    )
    assert gathering[header.index("Fra")].year == 2022


def test_the_milestone_dataset_is_the_published_milestones_with_overdue_for_today(client):
    from programme.models import Milestone

    data = client.get("/api/data/milepaeler/", {"limit": 500}).json()
    live = Milestone.objects.filter(live=True)
    assert data["antall"] == live.count() >= 5
    first = Milestone.objects.get(slug="fase-1-avsluttet")
    row = next(row for row in data["resultater"] if row["id"] == first.pk)
    assert row["tittel"] == first.title
    assert row["frist"] == first.due_date.isoformat()
    assert row["fase"] == 1
    assert row["forfalt"] is first.is_overdue(today=dt.date.today())
    assert row["url"] == f"http://testserver{first.get_public_url()}"
    error = client.get("/api/data/milepaeler/", {"fase": "en"}).json()["feil"]
    assert error.endswith("Skriv et helt tall fra 1 til 2147483647.")
    assert (
        client.get("/api/data/milepaeler/", {"fase": "1"}).json()["antall"]
        == live.filter(phase__number=1).count()
    )


def test_an_unpublished_milestone_is_absent_and_overdue_filters(client):
    from programme.models import Milestone

    milestone = Milestone.objects.get(slug="fase-1-avsluttet")
    milestone.unpublish()
    assert client.get(f"/api/data/milepaeler/{milestone.pk}/").status_code == 404
    assert milestone.title not in client.get("/api/data/milepaeler.csv").content.decode("utf-8-sig")
    overdue = client.get("/api/data/milepaeler/", {"forfalt": "ja"}).json()
    assert all(row["forfalt"] for row in overdue["resultater"])
    expected = Milestone.objects.filter(live=True).overdue(today=dt.date.today()).count()
    assert overdue["antall"] == expected


def test_the_observation_dataset_holds_the_seed_figures(client):
    data = client.get("/api/data/indikatorobservasjoner/", {"indikator": "sysselsettingsprosent"}).json()
    values = {(row["omrade"], row["periode"]): row["verdi"] for row in data["resultater"]}
    assert values == {
        ("Kristiansand", "2019"): 64.6,
        ("Hele landet", "2019"): 67.1,
        ("ASSS-kommunene", "2019"): 68.0,
    }
    csv_text = client.get("/api/data/indikatorobservasjoner.csv", {"indikator": "sysselsettingsprosent"})
    assert ";64,6;" in csv_text.content.decode("utf-8-sig")


def test_the_decision_dataset_is_the_public_decisions(client):
    from meetings.models import CaseItem

    data = client.get("/api/data/vedtak/", {"limit": 500}).json()
    recorded = CaseItem.objects.exclude(decision="").filter(meeting__live=True)
    assert data["antall"] == recorded.count() >= 1
    approval = next(row for row in data["resultater"] if row["saksnummer"] == "1/21")
    assert approval["organ"] == "Arbeidsutvalg Flere i arbeid"
    assert approval["motedato"] == "2021-02-03"
    assert approval["vedtak"] == "Protokoll fra møtet 9.12.2020 godkjennes"
    assert approval["votering"] == "(Enst.)"
    assert approval["url"].startswith("http://testserver/moter/") and approval["url"].endswith(
        f"#case-{approval['id']}"
    )
    assert client.get("/api/data/vedtak/", {"ar": "2020"}).json()["antall"] == 0


def test_decisions_of_a_committee_only_meeting_are_absent(client):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from meetings.models import CaseItem

    item = CaseItem.objects.exclude(decision="").get(case_number="1/21")
    restriction = PageViewRestriction.objects.create(
        page=item.meeting, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Utvalgsmedlem"))
    assert client.get(f"/api/data/vedtak/{item.pk}/").status_code == 404
    assert item.decision not in client.get("/api/data/vedtak.csv").content.decode("utf-8-sig")


# Wagtail's API v2: each page type's meaningful fields.


def _api_items(client, page_type, fields):
    response = client.get("/api/v2/pages/", {"type": page_type, "fields": fields, "limit": 100})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_api_v2_gives_findings_and_recommendations_with_their_links(client):
    from knowledge.models import FindingPage, RecommendationPage

    findings = _api_items(client, "knowledge.FindingPage", "statement,tag_names")
    assert {item["title"]: item["statement"] for item in findings} == dict(
        FindingPage.objects.live().values_list("title", "statement")
    )
    recommendation = RecommendationPage.objects.live().exclude(findings=None).first()
    item = next(
        item
        for item in _api_items(client, "knowledge.RecommendationPage", "text,addressee,status,finding_ids")
        if item["id"] == recommendation.pk
    )
    assert item["text"] == recommendation.text
    assert item["finding_ids"] == sorted(recommendation.findings.values_list("pk", flat=True))


def test_api_v2_gives_themes_legal_sections_and_meetings(client):
    from knowledge.models import LegalSourcePage

    themes = {item["number"]: item for item in _api_items(client, "programme.ThemePage", "*")}
    assert themes[3]["responsible_organisation"] == "Helse og mestring"
    assert themes[1]["remark_numbers"] == [20, 29]
    source = LegalSourcePage.objects.live().get(slug="helse-og-omsorgstjenesteloven")
    detail = client.get(f"/api/v2/pages/{source.pk}/").json()
    assert "§ 3-2 nr. 7" in {section["label"] for section in detail["sections"]}
    meetings = _api_items(client, "meetings.MeetingPage", "body_name,starts_at,status")
    assert any(item["body_name"] == "Arbeidsutvalg Flere i arbeid" for item in meetings)


def test_the_open_data_page_lists_every_dataset_and_feed_and_its_links_work(client):
    import re

    from config.feeds import feed_links
    from config.opendata import datasets

    home = client.get("/").content.decode()
    assert '<a href="/apne-data/">Åpne data: datasett, nyhetsstrømmer og API</a>' in home
    html = client.get("/apne-data/").content.decode()
    assert "Norsk lisens for offentlige data (NLOD) 2.0" in html
    for dataset in datasets().values():
        assert f'href="/api/data/{dataset.slug}.csv"' in html
    links = feed_links()
    assert {link.format for link in links} == {"RSS 2.0", "Atom", "iCalendar"}
    assert len(links) == 8
    for link in links:
        assert f'href="{link.url}"' in html
    for url in sorted(set(re.findall(r'href="(/(?:api|kunnskap|moter|kommunikasjonsplan)[^"#]*)"', html))):
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("/framdrift/", "milepaeler"),
        ("/indikatorer/", "indikatorobservasjoner"),
        ("/kommunikasjonsplan/", "formidlingsaktiviteter"),
        ("/moter/vedtak/", "vedtak"),
    ],
)
def test_public_pages_offer_their_data_as_csv_xlsx_and_json(client, path, slug):
    html = client.get(path).content.decode()
    for suffix in (".csv", ".xlsx", "/"):
        assert f'href="/api/data/{slug}{suffix}"' in html


def test_a_new_address_of_the_open_data_page_reaches_the_footer_of_cached_pages(
    client, django_capture_on_commit_callbacks
):
    from programme.models import OpenDataPage

    page = OpenDataPage.objects.get()
    client.get("/")  # cached with the old address
    page.slug = "data"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert 'href="/data/"' in footer


def test_an_unknown_search_operator_is_a_norwegian_error_not_a_500(client, whoosh_index):
    response = client.get("/api/v2/pages/", {"search": "arbeid", "search_operator": "foo"})
    assert response.status_code == 400
    assert response.json()["message"] == "«search_operator» må være «and» eller «or»."
    assert client.get("/api/v2/pages/", {"search": "arbeid", "search_operator": "or"}).status_code == 200


def test_the_api_names_the_same_site_as_its_pages_and_the_sitemap(client):
    item = client.get("/api/v2/pages/", {"limit": 1}).json()["items"][0]
    assert item["meta"]["detail_url"].startswith("http://localhost/api/v2/pages/")
    assert item["meta"]["html_url"].startswith("http://localhost/")


@pytest.mark.parametrize(
    "path",
    [
        "/api/data/finnes-ikke/",
        "/api/data/finnes-ikke.csv",
        "/api/data/milepaeler/999999999/",
        "/api/data/milepaeler/en/",
        "/api/data/noe/annet/helt/",
    ],
)
def test_an_unknown_data_address_is_a_json_404_in_norwegian(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["feil"].startswith(f"Finnes ikke: {path}.")
    assert "http://testserver/api/data/" in response.json()["feil"]


def test_a_data_address_without_its_slash_still_reaches_the_dataset(client):
    response = client.get("/api/data/milepaeler")
    assert (response.status_code, response["Location"]) == (301, "/api/data/milepaeler/")
    assert client.get("/api/data/noe/annet", follow=True).status_code == 404
