"""The accessibility statement: its content in Uutilsynet's form, the footer link, the loader."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from programme.content import ContentError
from programme.models import AccessibilityStatementPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(db) -> AccessibilityStatementPage:
    return AccessibilityStatementPage.objects.get()


def test_the_statement_has_every_part_uutilsynet_asks_for(client, statement):
    html = client.get(statement.url).content.decode()
    for text in (
        "Kristiansand kommune",  # the enterprise
        "Flere i arbeid",  # the website
        "WCAG 2.1 nivå A og AA",
        "Nettstedet oppfyller kravene delvis",  # conformance status
        "1.3.1 Informasjon og relasjoner",  # a criterion not met, with its reason
        "PDF-versjonen av møteprotokollene er ikke tagget",
        "Begrunnelse",
        "axe-core",  # how it was made: what the tests check
        "Erklæringen er en egenvurdering",
        "24. november 2026",  # made and last updated
        "Tilbakemelding og kontakt",
        'href="https://www.uutilsynet.no/"',
    ):
        assert text in html, text


def test_without_contact_details_a_neutral_text_is_shown_and_none_is_invented(client, statement):
    html = client.get(statement.url).content.decode()
    assert "Kontakt Kristiansand kommune gjennom kommunens vanlige kanaler for henvendelser." in html
    assert "mailto:" not in html and "tel:" not in html


def test_contact_details_filled_in_by_the_editors_are_shown(client, statement):
    statement.feedback_email = "tilbakemelding@example.org"
    statement.feedback_phone = "12 34 56 78"
    statement.save_revision().publish()
    html = client.get(statement.url).content.decode()
    assert 'href="mailto:tilbakemelding@example.org"' in html
    assert 'href="tel:12345678"' in html
    assert "kommunens vanlige kanaler" not in html


def test_every_page_links_to_the_statement_in_its_footer(client, statement):
    for path in ("/", "/temaer/", "/finnes-ikke/"):
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="{statement.url}"' in footer, path


def test_a_new_address_reaches_the_footer_of_cached_pages(
    client, statement, django_capture_on_commit_callbacks
):
    client.get("/")  # cached with the old address
    statement.slug = "tilgjengelighet"
    with django_capture_on_commit_callbacks(execute=True):
        statement.save_revision().publish()
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert 'href="/tilgjengelighet/"' in footer


def test_republishing_at_the_same_address_does_not_purge_the_whole_site(
    client, statement, monkeypatch, django_capture_on_commit_callbacks
):
    from config import pagecache

    client.get("/")  # the footer has looked the address up
    purges = []
    monkeypatch.setattr(pagecache, "purge_path", lambda path, tree=False: purges.append((path, tree)))
    with django_capture_on_commit_callbacks(execute=True):
        statement.status_note = "Oppdatert."
        statement.save_revision().publish()
    assert purges and ("/", True) not in purges
    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        statement.slug = "tilgjengelighet"
        statement.save_revision().publish()
    assert ("/", True) in purges


def test_a_review_date_before_the_statement_was_made_is_refused(tmp_path):
    source = Path(__file__).parents[2] / "programme" / "data"
    shutil.copytree(source, tmp_path / "programme")
    path = tmp_path / "programme" / "accessibility.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["page"]["reviewed_on"] = "2020-01-01"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = AccessibilityStatementPage.objects.get().latest_revision_id
    with pytest.raises(ContentError, match="«reviewed_on» kan ikke være før «made_on»"):
        call_command("load_programme", data_dir=tmp_path, verbosity=0)
    assert AccessibilityStatementPage.objects.get().latest_revision_id == before
