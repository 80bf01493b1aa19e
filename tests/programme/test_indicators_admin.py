"""The admin: indicator, area, budget and funding viewsets and the indicator upload, as Programleder."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from programme.models import Area, Indicator, Observation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
IMPORT_URL = reverse("indikatorimport:index")


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_programme_leader_sees_the_programme_menu_items(client, programme_leader):
    client.force_login(programme_leader)
    html = client.get("/admin/").content.decode()
    for label in ("Indikatorer", "Importer indikatorer", "Områder", "Budsjettposter", "Finansieringskilder"):
        # The sidebar menu is embedded as JSON, with non-ASCII letters escaped.
        assert json.dumps(label)[1:-1] in html, label


@pytest.mark.parametrize(
    ("viewset", "params", "shown", "hidden"),
    [
        ("indicator", {"q": "arbeidsdyktig"}, "Sysselsettingsprosent", "Færre sysselsatte enn i ASSS"),
        ("indicator", {"unit": "personer"}, "Færre sysselsatte enn i ASSS", "Sysselsettingsprosent"),
        ("area", {"q": "ASSS"}, "ASSS-kommunene", "Hele landet"),
        ("budgetcategory", {"q": "program-metodikk"}, "Bruk av program-metodikk", "Prosess-støtte"),
        (
            "fundingsource",
            {"status": "innvilget"},
            "Fylkesmannens skjønnsmidler",
            "Digitaliseringsdirektoratet",
        ),
        ("fundingsource", {"q": "Regionplan"}, "Agder fylkeskommune", "Fylkesmannens skjønnsmidler"),
    ],
)
def test_listings_search_and_filter(client, programme_leader, viewset, params, shown, hidden):
    client.force_login(programme_leader)
    response = client.get(reverse(f"wagtailsnippets_programme_{viewset}:list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in html
    assert hidden not in html


def test_indicator_filter_by_area_with_observations(client, programme_leader):
    client.force_login(programme_leader)
    area = Area.objects.get(name="Hele landet")
    html = client.get(reverse("wagtailsnippets_programme_indicator:list"), {"area": area.pk}).content.decode()
    assert "Sysselsettingsprosent" in html
    assert "Færre sysselsatte enn i ASSS" not in html


def _indicator_form(indicator: Indicator, observations: list[dict], **overrides) -> dict:
    data = {
        "name": indicator.name,
        "slug": indicator.slug,
        "unit": indicator.unit,
        "decimals": str(indicator.decimals),
        "description": indicator.description,
        "source": indicator.source,
        "ssb_variable": "",
        "baseline_value": "64.6",
        "baseline_period": "2019",
        "baseline_area": str(indicator.baseline_area_id),
        "target_value": "",
        "target_period": "",
        "sort_order": "0",
        "observations": inline_formset(observations, initial=sum(1 for row in observations if "id" in row)),
    }
    data.update(overrides)
    return nested_form_data(data)


def _observation_rows(indicator: Indicator) -> list[dict]:
    return [
        {"id": str(obs.pk), "area": str(obs.area_id), "period": obs.period, "value": str(obs.value)}
        for obs in indicator.observations.all()
    ]


def test_programme_leader_edits_an_indicator_with_its_observations_inline(client, programme_leader):
    client.force_login(programme_leader)
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    url = reverse("wagtailsnippets_programme_indicator:edit", args=[indicator.pk])
    assert client.get(url).status_code == 200
    rows = _observation_rows(indicator)
    rows.append({"area": str(Area.objects.get(name="Kristiansand").pk), "period": "2020", "value": "65,1"})
    response = client.post(url, _indicator_form(indicator, rows, target_value="68", target_period="2025"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("68")
    assert indicator.observations.get(period="2020").value == Decimal("65.1")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_value": "68"}, "Målet trenger både verdi og periode."),
        ({"baseline_period": "i fjor"}, "Ugyldig periode."),
    ],
)
def test_indicator_form_errors_are_norwegian_and_save_nothing(client, programme_leader, overrides, message):
    client.force_login(programme_leader)
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    url = reverse("wagtailsnippets_programme_indicator:edit", args=[indicator.pk])
    response = client.post(url, _indicator_form(indicator, _observation_rows(indicator), **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.target_value is None and indicator.baseline_period == "2019"


def test_upload_page_documents_both_formats(client, programme_leader):
    client.force_login(programme_leader)
    html = client.get(IMPORT_URL).content.decode()
    assert "indikator;område;periode;verdi" in html
    assert "semikolonseparert med overskrift" in html
    assert '"region";"statistikkvariabel";"2019"' in html


def test_programme_leader_uploads_a_long_csv_and_then_the_same_again(client, programme_leader):
    client.force_login(programme_leader)
    Observation.objects.filter(indicator__slug="sysselsettingsgap-asss").delete()
    content = (DATA / "indikatorer_langt.csv").read_bytes()
    response = client.post(IMPORT_URL, {"file": _upload("indikatorer_langt.csv", content)}, follow=True)
    html = response.content.decode()
    assert "indikatorer_langt.csv: 1 nye, 0 endret, 3 uendret." in html
    assert Observation.objects.filter(indicator__slug="sysselsettingsgap-asss").count() == 1
    entry = ModelLogEntry.objects.filter(action="wagtail.edit").latest("timestamp")
    assert entry.user == programme_leader
    again = client.post(IMPORT_URL, {"file": _upload("indikatorer_langt.csv", content)}, follow=True)
    assert "Ingen endringer: alle 4 observasjoner i filen var allerede lagret." in again.content.decode()


def test_programme_leader_uploads_an_ssb_file_for_a_chosen_indicator(client, programme_leader):
    client.force_login(programme_leader)
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    Observation.objects.filter(indicator=indicator, area__name="Hele landet").delete()
    content = (DATA / "ssb_sysselsetting.csv").read_bytes()
    response = client.post(
        IMPORT_URL, {"file": _upload("ssb.csv", content), "indicator": indicator.pk}, follow=True
    )
    assert "ssb.csv: 1 nye, 0 endret, 1 uendret. 2 celler uten tall" in response.content.decode()
    assert indicator.observations.get(area__name="Hele landet").value == Decimal("67.1")


def test_a_bad_upload_shows_every_error_with_row_and_column_and_saves_nothing(client, programme_leader):
    client.force_login(programme_leader)
    before = Observation.objects.count()
    content = (
        "indikator;område;periode;verdi\nsysselsettingsprosent;Kristiansand;2022;66\nx;Kristiansand;2019;1\n"
    )
    response = client.post(IMPORT_URL, {"file": _upload("feil.csv", content.encode())})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen ble ikke lest inn, og ingenting er lagret" in html
    assert "Rad 3, kolonne «indikator»: ukjent indikator «x»." in html
    assert Observation.objects.count() == before


def test_an_upload_that_is_not_a_spreadsheet_is_refused(client, programme_leader):
    client.force_login(programme_leader)
    response = client.post(IMPORT_URL, {"file": _upload("bilde.png", b"\x89PNG\r\n\x1a\n")})
    assert "Filtypen «.png» kan ikke leses." in response.content.decode()


def test_committee_members_may_not_import(client, committee_member, editor):
    for user in (committee_member, editor):
        client.force_login(user)
        response = client.get(IMPORT_URL)
        assert response.status_code in {302, 403}
        assert response.status_code == 403 or not response["Location"].startswith(IMPORT_URL)
        before = Observation.objects.count()
        client.post(
            IMPORT_URL,
            {
                "file": _upload(
                    "l.csv",
                    b"indikator;omr\xc3\xa5de;periode;verdi\nsysselsettingsprosent;Kristiansand;2024;70\n",
                )
            },
        )
        assert Observation.objects.count() == before
    assert "Importer indikatorer" not in client.get("/admin/").content.decode()


def test_an_import_purges_the_cached_indicator_page(
    client, programme_leader, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_CACHE_ENABLED = True
    client.get("/indikatorer/")
    assert client.get("/indikatorer/")["X-Page-Cache"] == "hit"
    from programme.imports import import_indicator_file

    content = "indikator;område;periode;verdi\nsysselsettingsprosent;Kristiansand;2020;65,3\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        import_indicator_file(content=content, filename="ny.csv")
    response = client.get("/indikatorer/")
    assert response["X-Page-Cache"] == "miss"
    assert "65,3" in response.content.decode()


def test_programme_leader_uploads_an_xlsx_file(client, programme_leader):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in (
        ["indikator", "område", "periode", "verdi"],
        ["sysselsettingsprosent", "Kristiansand", "2020", 65.2],
    ):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(programme_leader)
    upload = SimpleUploadedFile("tall.xlsx", buffer.getvalue(), content_type="application/vnd.ms-excel")
    response = client.post(IMPORT_URL, {"file": upload}, follow=True)
    assert "tall.xlsx: 1 nye, 0 endret, 0 uendret." in response.content.decode()
    assert Observation.objects.get(period="2020", area__name="Kristiansand").value == Decimal("65.2")


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    ("typed", "stored"), [("64,6", "64.6"), ("64.6", "64.6"), ("1 500 000,5", "1500000.5"), ("65", "65")]
)
def test_a_decimal_comma_means_the_same_in_every_interface_language(language, typed, stored):
    from django.utils import translation

    field = Observation._meta.get_field("value").formfield()
    with translation.override(language):
        assert field.clean(typed) == Decimal(stored)


@pytest.mark.parametrize("typed", ["1,500.50", "1.500,50", "1,500,000"])
def test_a_number_with_both_marks_is_refused_with_a_norwegian_error(typed):
    from django.core.exceptions import ValidationError

    from programme.fields import AMBIGUOUS_NUMBER

    with pytest.raises(ValidationError) as error:
        Observation._meta.get_field("value").formfield().clean(typed)
    assert error.value.messages == [str(AMBIGUOUS_NUMBER)]


def test_the_observation_list_and_its_errors_name_the_indicator_in_norwegian(client, programme_leader):
    client.force_login(programme_leader)
    html = client.get("/admin/snippets/programme/observation/").content.decode()
    assert "Indikator" in html and "Indicator" not in html
