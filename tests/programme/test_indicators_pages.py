"""The public indicator and budget pages, the programme page's links to them, and their query budget."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programme import queries
from programme.charts import format_value, indicator_chart
from programme.models import Area, BudgetCategory, FundingSource, Indicator, Observation

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def _section(html: str, slug: str) -> str:
    start = html.index(f'id="{slug}"')
    end = html.find('<section class="indicator"', start + 1)
    return html[start : end if end != -1 else None]


def test_seed_indicator_with_its_2019_figures_source_definition_and_baseline():
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    assert indicator.unit == "prosent"
    assert "(mellom 15 og 74 år)" in indicator.description
    assert indicator.source.startswith("Orientering om «Flere i arbeid»")
    assert (indicator.baseline_value, indicator.baseline_period, indicator.baseline_area.name) == (
        Decimal("64.6"),
        "2019",
        "Kristiansand",
    )
    assert indicator.target_value is None and indicator.target_period == ""
    values = {obs.area.name: obs.value for obs in indicator.observations.all()}
    assert values == {
        "Kristiansand": Decimal("64.6"),
        "Hele landet": Decimal("67.1"),
        "ASSS-kommunene": Decimal("68.0"),
    }
    gap = Indicator.objects.get(slug="sysselsettingsgap-asss")
    assert gap.unit == "personer"
    assert [(obs.area.name, obs.period, obs.value) for obs in gap.observations.all()] == [
        ("Kristiansand", "2019", Decimal("2950"))
    ]


def test_indicator_page_shows_an_accessible_svg_chart_and_a_table_with_the_same_numbers(client):
    html = client.get("/indikatorer/").content.decode()
    section = _section(html, "sysselsettingsprosent")
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-title-sysselsettingsprosent chart-desc-sysselsettingsprosent"' in svg
    assert '<title id="chart-title-sysselsettingsprosent">Sysselsettingsprosent</title>' in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    table = section[section.index("<table") : section.index("</table>")]
    for figure in (f"64,6{NBSP}%", f"67,1{NBSP}%", f"68,0{NBSP}%"):
        assert figure in svg, figure
        assert figure in desc, figure
        assert figure in table, figure
    for area in ("Kristiansand", "Hele landet", "ASSS-kommunene"):
        assert f'<th scope="row">{area}</th>' in table
    assert '<th scope="col">2019</th>' in table
    # Three bars, and the baseline as a labelled dashed line, not a colour.
    assert svg.count("<rect ") == 3
    assert "Utgangspunkt (Kristiansand, 2019): 64,6" in svg
    assert 'stroke-dasharray="6 3"' in svg
    # Coordinates are written with a decimal point whatever the reader's language.
    assert not re.search(r'(?:x|y|width)="\d+,\d', svg)
    # Drawn on the server: the page's only script is the header's menu button.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/site-menu.js" defer>']
    gap = _section(html, "sysselsettingsgap-asss")
    assert f"2{NBSP}950{NBSP}personer" in gap


def test_several_periods_give_a_line_chart_with_markers_labels_and_gaps(client):
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    areas = {area.name: area for area in Area.objects.all()}
    for period, value in (("2020", "65.0"), ("2021", "65.4")):
        Observation.objects.create(
            indicator=indicator, area=areas["Kristiansand"], period=period, value=value
        )
    Observation.objects.create(indicator=indicator, area=areas["Hele landet"], period="2021", value="68.2")
    html = client.get("/indikatorer/").content.decode()
    section = _section(html, "sysselsettingsprosent")
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert "<polyline" in svg
    assert "Linjediagram 2019–2021" in svg
    assert "Kristiansand, 2021: 65,4" in svg
    assert 'class="chart-legend"' in section
    # Hele landet has no 2020 value: no line through the gap, and the table says so in words.
    assert "ingen verdi" in section
    chart = indicator_chart(queries.indicators_with_observations().get(pk=indicator.pk))
    series = {s.label: s for s in chart.series}
    assert len(series["Kristiansand"].segments) == 1
    assert series["Hele landet"].segments == []
    assert len({s.marker for s in chart.series}) == len(chart.series)
    assert len({s.dash for s in chart.series}) == len(chart.series)


def test_target_is_drawn_and_listed_when_set(client):
    Indicator.objects.filter(slug="sysselsettingsprosent").update(
        target_value=Decimal("68"), target_period="2025"
    )
    html = client.get("/indikatorer/").content.decode()
    section = _section(html, "sysselsettingsprosent")
    assert f"Mål (2025): 68,0{NBSP}%" in section
    assert "chart__reference--target" in section


def test_values_are_formatted_for_the_language():
    with translation.override("nb"):
        assert format_value(Decimal("64.6"), decimals=1, unit="prosent") == f"64,6{NBSP}%"
        assert format_value(Decimal("2950"), decimals=0, unit="personer") == f"2{NBSP}950{NBSP}personer"
    with translation.override("en"):
        assert format_value(Decimal("64.6"), decimals=1, unit="prosent") == f"64.6{NBSP}%"
    assert format_value(None, decimals=1, unit="prosent") == ""


def test_programme_page_links_to_indicators_from_effects_and_to_the_budget(client):
    html = client.get("/").content.decode()
    effects = html[html.index('id="effects-heading"') : html.index('id="target-heading"')]
    assert 'href="/indikatorer/"' in effects
    assert 'href="/budsjett/"' in html


def test_budget_page_shows_categories_without_amounts_and_funding_per_status(client):
    html = client.get("/budsjett/").content.decode()
    assert html.count("ikke fastsatt") == BudgetCategory.objects.count() == 6
    assert "Kunnskapsgrunnlag, gevinstanalyser og effektmålinger" in html
    assert "NB: Ikke til drift av tiltak" in html
    granted = html[html.index('id="funding-innvilget"') : html.index('id="funding-mulig"')]
    assert "Fylkesmannens skjønnsmidler" in granted
    assert f"NOK 500{NBSP}000" in granted
    assert "KS Storbyforskningsprogram" not in granted
    assert f"Innvilget til sammen:</strong>\n      NOK 500{NBSP}000" in html


def test_budget_amounts_keep_their_ore(client):
    category = BudgetCategory.objects.first()
    category.planned_amount = Decimal("1500000.50")
    category.save()
    html = client.get("/budsjett/").content.decode()
    assert f"NOK 1{NBSP}500{NBSP}000,50" in html  # never rounded up to 1 500 001


def test_seed_funding_sources_and_their_statuses():
    sources = {source.name: source for source in FundingSource.objects.all()}
    assert sources["Fylkesmannens skjønnsmidler"].status == "innvilget"
    assert sources["Fylkesmannens skjønnsmidler"].amount == Decimal("500000")
    assert (
        sources["Fylkesmannens skjønnsmidler"].description
        == "Det er allerede bevilget kr 500 000 til forstudie."
    )
    assert {name for name, source in sources.items() if source.status == "mulig"} == {
        "KS Storbyforskningsprogram",
        "KS",
        "Forskningsmidler",
        "Digitaliseringsdirektoratet",
        "Agder fylkeskommune",
    }
    assert all(source.amount is None for source in sources.values() if source.status != "innvilget")
    overview = queries.funding_overview()
    assert [value for value, _label, _sources in overview.groups] == ["innvilget", "mulig"]
    assert overview.granted_total == Decimal("500000")


def test_granted_source_without_amount_is_never_counted_as_zero(client):
    FundingSource.objects.create(name="Ny bevilgning", status="innvilget")
    html = client.get("/budsjett/").content.decode()
    assert f"NOK 500{NBSP}000 + 1 bevilgning uten kjent beløp" in html


@override_settings(PAGE_CACHE_ENABLED=False)
@pytest.mark.parametrize("url", ["/indikatorer/", "/budsjett/", "/"])
def test_queries_do_not_grow_with_observations_sources_and_categories(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    areas = [Area.objects.create(name=f"Område {i}", sort_order=10 + i) for i in range(5)]
    Observation.objects.bulk_create(
        Observation(indicator=indicator, area=area, period=str(year), value=Decimal("60") + i)
        for i, area in enumerate(areas)
        for year in range(2000, 2030)
    )
    FundingSource.objects.bulk_create(FundingSource(name=f"Kilde {i}", status="sokt") for i in range(20))
    BudgetCategory.objects.bulk_create(BudgetCategory(name=f"Post {i}") for i in range(20))
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.status_code == 200
    assert len(after) == len(before) <= 10, url
    if url == "/indikatorer/":
        assert "Område 4" in response.content.decode()


def test_indicator_page_and_import_errors_in_english(client):
    from programme.imports import IndicatorImportError, import_indicator_file

    client.cookies["django_language"] = "en"
    html = client.get("/indikatorer/").content.decode()
    assert "Baseline (Kristiansand, 2019): 64.6" in html
    assert "Bar chart for 2019" in html
    with translation.override("en"), pytest.raises(IndicatorImportError) as error:
        import_indicator_file(
            content=b"indikator;omr\xc3\xa5de;periode;verdi\nx;Kristiansand;2019;1\n", filename="f.csv"
        )
    assert error.value.messages == ["Row 2, column “indikator”: unknown indicator “x”."]


def test_new_page_types_are_in_the_generic_query_budget_check():
    from programme.models import BudgetPage, IndicatorIndexPage
    from tests.test_query_budget import _one_page_per_type

    types = {type(page) for page in _one_page_per_type()}
    assert {IndicatorIndexPage, BudgetPage} <= types


def test_stakeholders_and_board_members_are_loaded_once():
    """The seed's «Interessenter og samarbeidsaktører» and the board were already in
    programme.yaml; the indicators and budget content adds no second copy of them."""
    from programme.models import ProgrammePage

    roles = list(ProgrammePage.objects.get().roles.all())
    stakeholders = [role for role in roles if role.kind == "interessenter"]
    assert len(stakeholders) == 1
    assert "arbeids- og inkluderingsutvalget som skal ha et særlig ansvar for helheten" in (
        stakeholders[0].description
    )
    board = [role for role in roles if role.kind == "programstyre"]
    assert len(board) == 1
    assert "NAV Agder" in board[0].member_list
    assert sum("NAV Agder" in role.member_list for role in roles) == 1


def test_programme_page_links_follow_the_indicator_page_when_it_is_unpublished(
    client, programme, django_capture_on_commit_callbacks
):
    from programme.models import IndicatorIndexPage

    assert 'href="/indikatorer/"' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        IndicatorIndexPage.objects.get().unpublish()
    html = client.get("/").content.decode()
    assert "/indikatorer/" not in html
    assert 'href="/budsjett/"' in html
