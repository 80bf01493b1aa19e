"""The indicator chart and the indicator upload in a real browser."""

from pathlib import Path

from .conftest import log_in, save_screenshot

DATA = Path(__file__).parent.parent / "programme" / "data"


# Every page type's axe check and 320 px reflow are in test_page_types.py; here, what only the
# indicator chart has.


def test_the_indicator_chart_scrolls_in_its_own_region_at_320_px(page, live_site):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_site("/indikatorer/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The chart keeps a readable size and scrolls inside its own focusable region.
    box = page.evaluate("document.querySelector('.chart-scroll').getBoundingClientRect().width")
    chart = page.evaluate("document.querySelector('svg.chart').getBoundingClientRect().width")
    assert box <= 320 < chart
    save_screenshot(page, "indikatorer-320")


def test_programme_leader_uploads_indicators_in_the_admin_under_the_csp(browser, live_site):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_site, "programleder", path="/admin/login/")
    page.wait_for_url("**/admin/")
    page.goto(live_site("/admin/program/indikatorimport/"))
    page.set_input_files("input[name=file]", str(DATA / "indikatorer_langt.csv"))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/program/indikatorimport/")
    assert "Ingen endringer: alle 4 observasjoner i filen var allerede lagret." in page.content()
    save_screenshot(page, "admin-indikatorimport")
    context.close()
    assert violations == []
