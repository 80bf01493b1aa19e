"""The three users' journeys in a real browser, against the live server with the real content
(and the test data of setup_live_site.py). The last step of each is kept as a screenshot."""

import re
from urllib.parse import urlparse

from .conftest import log_in, save_screenshot

FINDING = (
    "/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/kommunen-kan-kjope-fra-arbeidsmarkedsbedriftene/"
)
RECOMMENDATION = "/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/kommunene-bor-kjenne-mulighetene/"
DECISION = "Protokoll fra møtet 9.12.2020 godkjennes"
ACTING_MILESTONE = "/framdrift/milepaeler/programslutt/"
DRAFT_PROTOCOL = "/moter/au-flere-i-arbeid-2021-02-03/protokoll/"
# An inflected form (definite plural); the index stems it, so it also finds "arbeidsmarkedsbedrifter".
QUERY = "arbeidsmarkedsbedriftene"


def _path(page) -> str:
    return urlparse(page.url).path


def test_programme_leader_marks_a_milestone_delayed_and_sees_it_on_the_dashboard_and_theme(
    browser, live_site
):
    context = browser.new_context(locale="nb-NO")  # the admin under its real CSP
    page = context.new_page()
    log_in(page, live_site, "programleder", path="/admin/login/")
    page.wait_for_url("**/admin/")
    page.get_by_role("button", name="Program", exact=True).click()
    page.get_by_role("list", name="Program").get_by_role("link", name="Milepæler").click()
    # The setup gave this milestone the theme «Fra stønad til arbeid» (setup_live_site.py).
    page.get_by_role("link", name=re.compile(r"^Fase 1 avsluttet")).click()
    page.select_option("select[name=status]", "forsinket")
    page.get_by_role("button", name="Flere handlinger").click()
    page.get_by_role("button", name="Publiser").click()
    page.wait_for_url("**/admin/snippets/programme/milestone/")
    assert "Fase 1 avsluttet" in page.locator(".messages").inner_text()

    page.goto(live_site("/admin/"))
    panel = page.locator("#milestones-section")
    # Its deadline has passed, so it is listed as overdue with its new status ...
    overdue = panel.locator("tbody tr").filter(has_text="Fase 1 avsluttet")
    assert "Forsinket" in overdue.inner_text()
    # ... and counted under its theme in the status table.
    table = panel.locator("table").filter(has=page.locator("caption", has_text="per tema og status"))
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr").filter(has=page.locator("th", has_text="Fra stønad til arbeid"))
    cells = [text.strip() for text in row.locator("th, td").all_inner_texts()]
    assert cells[headers.index("Forsinket")] == "1"

    page.goto(live_site("/temaer/fra-stonad-til-arbeid/"))
    milestone_row = page.locator("tr").filter(has_text="Fase 1 avsluttet")
    assert "Forsinket" in milestone_row.inner_text()
    save_screenshot(page, "reise-1-programleder-tema")
    context.close()


def test_committee_member_reads_a_decision_in_the_draft_protocol_and_the_public_cannot(browser, live_site):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    log_in(page, live_site, "utvalgsmedlem")
    page.get_by_role("button", name="Logg ut").wait_for()
    page.goto(live_site(DRAFT_PROTOCOL))
    assert _path(page) == DRAFT_PROTOCOL
    assert page.locator("#main h1").is_visible()
    assert DECISION in page.locator("#main .decision").first.inner_text()
    save_screenshot(page, "reise-2-utvalgsmedlem-protokoll")

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()
    page.goto(live_site(DRAFT_PROTOCOL))
    assert _path(page) == "/logg-inn/"
    assert page.locator("input[name=password]").is_visible()
    assert DECISION not in page.content()
    context.close()


def test_the_public_searches_the_library_and_follows_a_finding_to_decision_and_milestone(page, live_site):
    page.goto(live_site("/kunnskap/"))
    page.get_by_role("searchbox", name="Søk på nettstedet").fill(QUERY)
    page.get_by_role("searchbox", name="Søk på nettstedet").press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=" + QUERY))
    assert f"treff på «{QUERY}»" in page.locator(".search-summary").inner_text()
    page.get_by_role("navigation", name="Avgrens søket").get_by_role(
        "link", name=re.compile(r"^Funn")
    ).click()
    page.wait_for_url(re.compile(r"type=knowledge.findingpage"))
    page.locator(f'#main a[href="{FINDING}"]').click()
    page.wait_for_url(live_site(FINDING))

    page.get_by_role("link", name=re.compile(r"^Hver enkelt kommune bør sette seg inn")).click()
    page.wait_for_url(live_site(RECOMMENDATION))

    page.get_by_role("link", name=re.compile(r"Godkjenning av protokoll")).click()
    page.wait_for_url(re.compile(r"/moter/au-flere-i-arbeid-2021-02-03/#case-\d+$"))
    assert DECISION in page.locator("#main").inner_text()

    page.go_back()
    page.get_by_role("link", name=re.compile(r"^Programslutt")).click()
    page.wait_for_url(live_site(ACTING_MILESTONE))
    assert "Programslutt" in page.locator("#main h1").inner_text()
    save_screenshot(page, "reise-3-publikum-milepael")


# --- the same journey with the keyboard only -------------------------------------------------

FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
}"""


def _tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until `selector` has the focus, checking at each stop that the focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_VISIBLE), f"focus is not visible on {focused}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _enter(page, url) -> None:
    page.keyboard.press("Enter")
    page.wait_for_url(url)


def test_the_same_public_journey_with_the_keyboard_only(page, live_site):
    page.goto(live_site("/kunnskap/"))
    _tab_to(page, "#site-search-q")
    page.keyboard.type(QUERY)
    _enter(page, re.compile(r"/sok/\?q=" + QUERY))
    _tab_to(page, '#main .search-facets a[href*="type=knowledge.findingpage"]')
    _enter(page, re.compile(r"type=knowledge.findingpage"))
    _tab_to(page, f'#main a[href="{FINDING}"]')
    _enter(page, live_site(FINDING))
    _tab_to(page, f'#main a[href="{RECOMMENDATION}"]')
    _enter(page, live_site(RECOMMENDATION))

    _tab_to(page, f'#main a[href="{ACTING_MILESTONE}"]')
    _enter(page, live_site(ACTING_MILESTONE))
    assert "Programslutt" in page.locator("#main h1").inner_text()

    # Back to the recommendation by the milestone's own link (headless Chromium has no Back key).
    _tab_to(page, f'#main a[href="{RECOMMENDATION}"]')
    _enter(page, live_site(RECOMMENDATION))
    _tab_to(page, '#main a[href^="/moter/au-flere-i-arbeid-2021-02-03/#case-"]')
    _enter(page, re.compile(r"/moter/au-flere-i-arbeid-2021-02-03/#case-\d+$"))
    assert DECISION in page.locator("#main").inner_text()
    _tab_to(page, "#main a")  # and on the meeting page, too, the focus is visible
    save_screenshot(page, "reise-4-tastatur-vedtak")
