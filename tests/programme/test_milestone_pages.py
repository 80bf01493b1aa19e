"""The public programme pages: programme page progress, timeline with its table equivalent, theme
page, milestone page (linked both ways), status report for a period; and their query budget."""

import datetime as dt
import re

import pytest
from django.test import override_settings

from knowledge.models import RecommendationPage
from meetings.models import CaseItem, MeetingPage
from programme.factories import MilestoneFactory, bulk_content
from programme.forms import INVALID_DATE, START_AFTER_END
from programme.models import Milestone, Phase, ThemePage

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_programme_page_shows_progress_counts_and_links_to_the_timeline(client):
    MilestoneFactory(status="fullfort", due_date=dt.date(2021, 5, 1), completed_on=dt.date(2021, 4, 1))
    html = client.get("/").content.decode()
    text = _text(html)
    assert "Framdrift" in text
    assert "Status for 6 milepæler" in text
    assert "Fullført 1" in text
    assert "Ikke startet 5" in text
    assert 'href="/framdrift/"' in html


def test_timeline_has_chart_legend_and_table_equivalent(client):
    html = client.get("/framdrift/").content.decode()
    assert '<svg class="timeline-chart"' in html and 'role="img"' in html
    # The table equivalent, headed by the seed's terms.
    table = html.split('class="timeline-table"', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads == ["Aktivitet", "Periode", "Vår 21", "Høst 21", "2022", "2023", "2024", "Vår 25"]
    row = table.split("Fase 3: Evalueringer og følgeforskning", 1)[1].split("</tr>", 1)[0]
    assert row.count("pågår") == 3
    assert "2022 – 2024" in row
    # A legend in words and symbols, not colour alone.
    assert "Tegnforklaring" in html and "Fristen er passert" in html and "✓" in html
    assert "Fase 1 avsluttet: Identifisere programmet" in html
    assert 'href="/framdrift/milepaeler/fase-1-avsluttet/"' in html
    assert 'href="/framdrift/statusrapport/"' in html
    # The SVG's numbers are never localised (no decimal comma in coordinates).
    assert not re.search(r'(?:x|y|width|height)="\d+,\d', html)


def test_unpublished_milestones_are_not_public(client):
    MilestoneFactory(
        title="Hemmelig utkast", slug="hemmelig-utkast", live=False, due_date=dt.date(2022, 1, 1)
    )
    assert "Hemmelig utkast" not in client.get("/framdrift/").content.decode()
    assert client.get("/framdrift/milepaeler/hemmelig-utkast/").status_code == 404
    assert (
        "Hemmelig utkast"
        not in client.get("/framdrift/statusrapport/?fra=2021-01-01&til=2023-01-01").content.decode()
    )


def test_theme_page_shows_its_milestones_with_status(client):
    theme = ThemePage.objects.get(number=3)
    MilestoneFactory(
        title="Kartlegging av stønadsmottakere",
        slug="kartlegging",
        theme=theme,
        status="i-fare",
        owner_name="Helse og mestring",
        due_date=dt.date(2999, 1, 1),
    )
    MilestoneFactory(title="Annet tema", theme=ThemePage.objects.get(number=1))
    html = client.get(theme.url).content.decode()
    text = _text(html)
    assert "Kartlegging av stønadsmottakere" in text
    assert "I fare" in text
    assert "Annet tema" not in text
    assert 'href="/framdrift/milepaeler/kartlegging/"' in html
    assert "Helse og mestring" in text and "Merknad 40" in text


def test_a_reader_follows_a_recommendation_to_the_decision_and_milestone_acting_on_it(client):
    recommendation = RecommendationPage.objects.live().first()
    decision = CaseItem.objects.get(case_number="2/21")
    milestone = MilestoneFactory(
        title="Milepæl fra anbefalingen", slug="fra-anbefalingen", theme=ThemePage.objects.get(number=5)
    )
    milestone.recommendations.set([recommendation])
    milestone.decisions.set([decision])
    milestone.save()
    html = client.get(recommendation.url).content.decode()
    assert "Milepæler som følger opp anbefalingen" in html
    assert 'href="/framdrift/milepaeler/fra-anbefalingen/"' in html
    page = client.get("/framdrift/milepaeler/fra-anbefalingen/").content.decode()
    text = _text(page)
    assert "Milepæl fra anbefalingen" in text
    assert "Tema 5: Inkludering og kvalifisering i lokale bedrifter" in text
    assert "Fase 1: Identifisere programmet" in text
    assert "Ikke startet" in text
    assert f'href="{recommendation.url}"' in page
    meeting = decision.meeting
    assert f'href="{meeting.url}#case-{decision.pk}"' in page
    assert "Forslag til møteplan 2021" in text


def test_decisions_on_unpublished_meetings_are_not_shown(client):
    decision = CaseItem.objects.get(case_number="2/21")
    MeetingPage.objects.filter(pk=decision.meeting_id).update(live=False)
    milestone = MilestoneFactory(slug="skjult-vedtak")
    milestone.decisions.set([decision])
    milestone.save()
    page = client.get("/framdrift/milepaeler/skjult-vedtak/").content.decode()
    assert "Forslag til møteplan 2021" not in page
    assert "Milepælen er ikke knyttet til et vedtak." in page


def test_status_report_for_a_period_lists_completed_due_and_late(client):
    Milestone.objects.all().delete()
    MilestoneFactory(
        title="Fullført i tide",
        status="fullfort",
        due_date=dt.date(2022, 3, 1),
        completed_on=dt.date(2022, 2, 20),
    )
    MilestoneFactory(title="Frist i perioden", status="i-rute", due_date=dt.date(2022, 5, 1))
    MilestoneFactory(title="Forsinket fra før", status="forsinket", due_date=dt.date(2021, 11, 1))
    MilestoneFactory(title="Oppgitt oppgave", status="avbrutt", due_date=dt.date(2021, 11, 1))
    MilestoneFactory(title="Utenfor perioden", status="i-rute", due_date=dt.date(2023, 1, 1))
    html = client.get(
        "/framdrift/statusrapport/", {"fra": "2022-01-01", "til": "2022-06-30"}
    ).content.decode()

    def section(heading_id):
        return _text(html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0])

    assert "1. januar 2022 – 30. juni 2022" in _text(html)
    assert "Fullført i tide" in section("completed-heading")
    assert "Frist i perioden" in section("due-heading") and "Fullført i tide" in section("due-heading")
    late = section("late-heading")
    assert "Forsinket fra før" in late and "Frist i perioden" in late
    assert "Oppgitt oppgave" not in late and "Utenfor perioden" not in _text(html)


def test_status_report_defaults_to_the_working_committees_last_held_meeting(client):
    html = client.get("/framdrift/statusrapport/").content.decode()
    assert 'name="fra" value="2021-02-03"' in html
    assert "Perioden starter med forrige møte i arbeidsutvalget" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fra": "2022-06-01", "til": "2022-01-01"}, START_AFTER_END),
        ({"fra": "1. juni"}, INVALID_DATE),
        ({"til": "9999-12-31"}, "Velg en dato mellom år 1000 og 9000."),
        ({"fra": "0001-01-01"}, "Velg en dato mellom år 1000 og 9000."),
    ],
)
def test_status_report_period_errors_are_norwegian(client, params, message):
    response = client.get("/framdrift/statusrapport/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(message) in html
    assert 'id="completed-heading"' not in html


def _programme_urls():
    from wagtail.models import Page

    urls = {}
    for page in Page.objects.live().public().specific().order_by("path"):
        if page._meta.app_label == "programme":
            urls.setdefault(type(page).__name__, page.url)
    urls["ThemePage"] = ThemePage.objects.get(number=3).url
    urls["Milestone"] = "/framdrift/milepaeler/fase-1-avsluttet/"
    urls["StatusReportPeriod"] = "/framdrift/statusrapport/?fra=2021-01-01&til=2025-06-30"
    urls["Recommendation"] = RecommendationPage.objects.live().first().url
    return urls


def _query_counts(client) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url in _programme_urls().items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[name] = len(captured)
    return counts


@override_settings(PAGE_CACHE_ENABLED=False)
def test_programme_pages_stay_in_budget_at_one_and_ten_times_the_milestones(client):
    assert {"ProgrammePage", "TimelinePage", "StatusReportPage", "ThemeIndexPage"} <= set(_programme_urls())
    theme = ThemePage.objects.get(number=3)
    recommendation = RecommendationPage.objects.live().first()
    for milestone in Milestone.objects.all():
        milestone.theme = theme
        milestone.recommendations.set([recommendation])
        milestone.decisions.set(CaseItem.objects.all()[:2])
        milestone.save()
    once = _query_counts(client)
    assert max(once.values()) <= QUERY_BUDGET, once
    before = Milestone.objects.count()
    bulk_content(scale=10)
    for milestone in Milestone.objects.filter(slug__startswith="generert"):
        milestone.theme = theme
        milestone.save()
    assert Milestone.objects.count() == 10 * before
    assert Phase.objects.count() == 4
    assert _query_counts(client) == once


def test_a_draft_themes_title_never_shows_on_its_milestones(
    client, whoosh_index, django_capture_on_commit_callbacks
):
    from programme.models import ThemeIndexPage

    index = ThemeIndexPage.objects.get()
    draft = ThemePage(
        title="Tema 8 Hemmeligutkast",
        number=8,
        group=ThemePage.objects.first().group,
        responsible_organisation="Kommunen",
        live=False,
    )
    index.add_child(instance=draft)
    with django_capture_on_commit_callbacks(execute=True):
        milestone = MilestoneFactory(title="Milepæl for et utkast", slug="milepael-utkast", theme=draft)
    public = ("/framdrift/", "/api/data/milepaeler/", "/api/data/milepaeler.csv")
    for path in (milestone.get_public_url(), *public):
        body = client.get(path).content.decode()
        assert milestone.title in body, path
        assert "Hemmeligutkast" not in body, path
    found = client.get("/sok/", {"q": "hemmeligutkast"}).context["outcome"]
    assert found.total == 0
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert "Hemmeligutkast" in client.get(milestone.get_public_url()).content.decode()
