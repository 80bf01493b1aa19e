import pytest

from communication.models import Activity
from knowledge import queries
from knowledge.models import (
    FindingPage,
    LegalSection,
    LegalSourcePage,
    RecommendationPage,
    ResearchReportPage,
)

pytestmark = pytest.mark.django_db

REPORT = "/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/"


def test_the_research_project_and_its_two_part_reports_are_loaded():
    project = ResearchReportPage.objects.get(slug="aktiv-eierstyring-av-arbeidsmarkedsbedrifter")
    assert project.authors == "Oslo Economics"
    assert project.funding_programme == "KS' program for storbyrettet forskning"
    assert project.year is None  # the seed gives none
    parts = ResearchReportPage.objects.child_of(project).order_by("path")
    assert [part.subtitle for part in parts] == [
        "Delrapport 1: Analyse og anbefalinger",
        "Delrapport 2: Kartlegging av storbykommunenes eierskapsutøvelse og deres arbeidsmarkedsbedrifter",
    ]


def test_findings_recommendations_and_legal_sources_are_all_there():
    assert FindingPage.objects.live().count() == 11
    assert RecommendationPage.objects.live().count() == 12
    assert set(RecommendationPage.objects.values_list("addressee", flat=True)) == {
        "kommunen",
        "kommunesektoren",
        "staten",
    }
    assert set(RecommendationPage.objects.values_list("status", flat=True)) == {"ikke-vurdert"}
    assert sorted(LegalSourcePage.objects.values_list("short_title", flat=True)) == [
        "Anskaffelsesforskriften",
        "Forskrift om arbeidsmarkedstiltak",
        "Helse- og omsorgstjenesteloven",
        "Integreringsloven",
        "Opplæringsloven",
        "Sosialtjenesteloven",
    ]


def test_a_legal_section_is_cited_precisely_and_has_its_own_anchor(client):
    section = LegalSection.objects.get(page__slug="helse-og-omsorgstjenesteloven", label="§ 3-2 nr. 7")
    assert section.citation == "Helse- og omsorgstjenesteloven § 3-2 nr. 7"
    assert section.url == "/kunnskap/helse-og-omsorgstjenesteloven/#paragraf-3-2-nr-7"
    html = client.get("/kunnskap/helse-og-omsorgstjenesteloven/").content.decode()
    assert 'id="paragraf-3-2-nr-7"' in html
    assert "LOV-2011-06-24-30" in html


def test_finding_and_recommendation_link_both_ways(client):
    finding = FindingPage.objects.get(slug="stor-variasjon-i-vta-plasser")
    recommendation = RecommendationPage.objects.get(slug="bedre-fordeling-av-vta-plasser")
    assert finding in recommendation.findings.all()
    finding_html = client.get(finding.url).content.decode()
    assert f'href="{recommendation.url}"' in finding_html
    recommendation_html = client.get(recommendation.url).content.decode()
    assert f'href="{finding.url}"' in recommendation_html
    assert "Staten og NAV" in recommendation_html
    assert "Ikke vurdert" in recommendation_html


def test_finding_cites_its_legal_section(client):
    html = client.get(REPORT + "kommunen-kan-kjope-fra-arbeidsmarkedsbedriftene/").content.decode()
    assert 'href="/kunnskap/anskaffelsesforskriften/#paragraf-8-8">Anskaffelsesforskriften § 8-8</a>' in html


def test_report_page_shows_the_seed_text_and_its_dissemination(client):
    html = client.get(REPORT).content.decode()
    assert "Dybdeintervjuer av arbeidsmarkedsbedriftene i storbykommunene" in html
    assert "Oppstartssamling i Kristiansand" in html
    assert "Hvordan påvirker den statlige fordelingsmodellen" in html
    for activity in Activity.objects.filter(live=True):
        assert activity.title in html
    assert "til Staten og NAV;" in html  # the addressee as written, never «staten og nav»


def test_tag_filter_on_the_library(client):
    overview = queries.library_overview(
        library=ResearchReportPage.objects.first().get_parent().specific, tag="VTA"
    )
    assert overview["finding_count"] == 2
    assert overview["recommendation_count"] == 4
    assert "Viser innhold merket" in client.get("/kunnskap/?tag=VTA").content.decode()


def test_a_tag_lists_the_findings_and_recommendations_that_carry_it(client):
    finding = FindingPage.objects.live().filter(tags__name="konsern").get()
    recommendation = RecommendationPage.objects.live().filter(tags__name="konsern").get()
    html = client.get("/kunnskap/", {"tag": "konsern"}).content.decode()
    assert f'<a href="{finding.url}">{finding.title}</a>' in html
    assert f'<a href="{recommendation.url}">{recommendation.title}</a>' in html
    assert "1 funn og 1 anbefaling." in html
    assert "<title>Merket «konsern» – Kunnskapsbibliotek – Flere i arbeid</title>" in html
    assert 'id="legal-heading"' not in html  # legal sources carry no tags
    assert 'id="legal-heading"' in client.get("/kunnskap/").content.decode()


def test_unpublished_findings_vanish_from_lists_and_links(client):
    finding = FindingPage.objects.get(slug="konsolidering")
    finding.unpublish()
    assert finding.title not in client.get(REPORT).content.decode()
    assert finding.url not in client.get(REPORT + "vurder-konsolidering/").content.decode()


def test_every_cited_section_is_a_landmark_with_a_name_of_its_own(client):
    # A screen reader lists the sections by name: two excerpts without a section number must not
    # both be called by the act's name.
    import re

    from knowledge.models import LegalSection, LegalSourcePage

    page = LegalSourcePage.objects.live().first()
    for position in range(2):
        LegalSection.objects.create(page=page, text=f"Utdrag {position}.", anchor=f"x-{position}")
    html = client.get(page.url).content.decode()
    names = re.findall(r'<section id="[^"]*" class="legal-section" aria-label="([^"]*)"', html)
    assert len(names) == page.sections.count() >= 2
    assert len(set(names)) == len(names)
