"""WCAG 2.1 AA on one page of every public page type, derived from the loaded content: axe-core
finds nothing, pages reflow at 320 px and at 200 % zoom, text can be doubled, and charts and
timelines have text equivalents. A new page type or routable sub-page that the content does
not show, or that this file does not know, fails `test_every_page_type_is_checked`."""

import re

import pytest

from .conftest import axe_violations, save_screenshot

PROJECT_APPS = {"programme", "knowledge", "meetings", "communication"}
# An example for each routable sub-page with a parameter or its own HTML, relative to its page.
ROUTE_EXAMPLES = {
    ("programme.TimelinePage", "milestone"): "milepaeler/programslutt/",
    ("meetings.MeetingIndexPage", "decisions"): "vedtak/",
    ("communication.CommunicationPlanPage", "activity"): "standardpresentasjon-per-kommune/",
}
# Sub-routes that answer with something other than an HTML page.
NOT_HTML = {"rss", "atom", "decisions_rss", "decisions_atom", "calendar", "body_calendar", "pdf"}
# Public pages that are not Wagtail pages.
OTHER_PATHS = {
    "404": "/finnes-ikke/",
    "login": "/logg-inn/",
    "search results": "/sok/?q=arbeidsmarkedsbedriftene",
    "search without hits": "/sok/?q=finnesikkeiinnholdet",
}


def public_pages(live_site) -> dict[str, str]:
    """{name: path} of one page of every page type and routable sub-page, plus the other pages."""
    content = live_site.content
    pages = dict(content["pages"])
    for (model, route), example in ROUTE_EXAMPLES.items():
        pages[f"{model}:{route}"] = pages[model] + example
    return {**pages, **OTHER_PATHS}


def test_every_page_type_is_checked(live_site):
    content = live_site.content
    models = {label for label in content["models"] if label.split(".")[0] in PROJECT_APPS}
    assert models - set(content["pages"]) == set(), "page types without a live, public page in the content"
    unknown = {
        (model, route)
        for model, routes in content["routes"].items()
        for route in routes
        if route not in NOT_HTML and (model, route) not in ROUTE_EXAMPLES
    }
    assert unknown == set(), "routable sub-pages this file has no example for"
    for required in (
        "programme.ProgrammePage",
        "programme.ThemePage",
        "programme.TimelinePage",
        "programme.StatusReportPage",
        "programme.IndicatorIndexPage",
        "programme.BudgetPage",
        "programme.AccessibilityStatementPage",
        "meetings.MeetingIndexPage",
        "meetings.MeetingPage",
        "meetings.ProtocolPage",
        "communication.CommunicationPlanPage",
        "knowledge.LibraryIndexPage",
        "knowledge.LegalSourcePage",
        "knowledge.ResearchReportPage",
        "knowledge.FindingPage",
        "knowledge.RecommendationPage",
    ):
        assert required in content["pages"], required


def _check_every_page(page, live_site, check) -> dict[str, object]:
    failures = {}
    for name, path in public_pages(live_site).items():
        page.goto(live_site(path))
        problem = check(page)
        if problem:
            failures[f"{name} {path}"] = problem
    return failures


@pytest.mark.parametrize("width", [1280, 390])
def test_every_public_page_type_has_no_wcag_21_aa_violations(page, live_site, width):
    # At a phone's width the wide tables and the timeline scroll: axe checks that a keyboard
    # reaches what they hide.
    page.set_viewport_size({"width": width, "height": 800})
    assert _check_every_page(page, live_site, axe_violations) == {}


def _horizontal_overflow(page, width: int):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    return scroll_width if scroll_width > width else None


@pytest.mark.parametrize("width", [320, 640])
def test_every_public_page_type_reflows_without_horizontal_scrolling(page, live_site, width):
    # 320 CSS px is WCAG 1.4.10's width; 640 CSS px is a 1280 px window at 200 % zoom.
    page.set_viewport_size({"width": width, "height": 800})
    assert _check_every_page(page, live_site, lambda p: _horizontal_overflow(p, width)) == {}
    page.goto(live_site(public_pages(live_site)["knowledge.RecommendationPage"]))
    save_screenshot(page, f"anbefaling-{width}")


def test_every_public_page_type_survives_text_at_200_percent(page, live_site):
    # WCAG 1.4.4: text resized to 200 % without loss of content or horizontal scrolling.
    page.set_viewport_size({"width": 1280, "height": 800})

    def check(p):
        p.evaluate("document.documentElement.style.fontSize = '200%'")
        if not p.locator("#main h1").first.is_visible():
            return "no visible heading"
        return _horizontal_overflow(p, 1280)

    assert _check_every_page(page, live_site, check) == {}


def test_charts_and_timelines_have_text_equivalents(page, live_site):
    pages = live_site.content["pages"]
    page.goto(live_site(pages["programme.IndicatorIndexPage"]))
    charts = page.locator("svg.chart")
    assert charts.count() > 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        # An image with a name and a description in the accessibility tree...
        name = chart.evaluate(
            "svg => svg.getAttribute('aria-labelledby').split(' ')"
            ".map(id => document.getElementById(id).textContent.trim())"
        )
        assert chart.get_attribute("role") == "img" and all(name), name
        # ... and the same numbers in a table with a caption next to it.
        section = page.locator("section.indicator").nth(index)
        assert section.locator("table caption").inner_text().strip()
        assert section.locator("table th[scope=row]").count() > 0
    assert page.get_by_role("img", name=re.compile(".+")).count() >= charts.count()

    page.goto(live_site(pages["programme.TimelinePage"]))
    timeline = page.locator("svg.timeline-chart")
    assert timeline.get_attribute("role") == "img"
    assert page.locator("#timeline-svg-title").text_content().strip()
    assert page.locator("#timeline-svg-desc").text_content().strip()
    table = page.locator("table.timeline-table")
    assert table.locator("caption").inner_text().strip()
    # Whether an activity runs in a term is said in text, not only by a filled cell.
    assert table.locator("td.timeline-cell .visually-hidden").count() > 0


def test_milestone_status_is_never_colour_alone(page, live_site):
    pages = live_site.content["pages"]
    # The setup gave a milestone the theme «Fra stønad til arbeid» (setup_live_site.py).
    for path in (pages["programme.TimelinePage"], "/temaer/fra-stonad-til-arbeid/"):
        page.goto(live_site(path))
        badges = page.locator(".milestone-status")
        assert badges.count() > 0
        for text in badges.all_inner_texts():
            # A symbol and a word, whatever the colour.
            assert len(text.split()) >= 2, text
