"""The site shell in a real browser: accessibility, keyboard use, small screens, the admin."""

import pytest

from .conftest import axe_violations, log_in, save_screenshot

PUBLIC_PATHS = [
    "/",
    "/logg-inn/",
    "/finnes-ikke/",
    "/temaer/",
    "/temaer/fra-stonad-til-arbeid/",
    "/kunnskap/",
    "/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/",
    "/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/stor-variasjon-i-vta-plasser/",
    "/kunnskap/aktiv-eierstyring-av-arbeidsmarkedsbedrifter/bedre-fordeling-av-vta-plasser/",
    "/kunnskap/helse-og-omsorgstjenesteloven/",
    "/moter/",
    "/moter/au-flere-i-arbeid-2021-02-03/",
    "/kommunikasjonsplan/",
    "/kommunikasjonsplan/standardpresentasjon-per-kommune/",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_has_no_wcag_21_aa_violations(page, live_site, path):
    page.goto(live_site(path))
    assert axe_violations(page) == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_site):
    page.goto(live_site("/"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [320, 640])
def test_pages_reflow_without_horizontal_scrolling(page, live_site, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_site("/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_two_hundred_percent_zoom_keeps_the_page_usable(page, live_site):
    page.set_viewport_size({"width": 640, "height": 800})  # 1280 px at 200 % zoom
    page.goto(live_site("/"))
    page.evaluate("document.body.style.zoom = '2'")
    assert page.locator("nav.site-nav").is_visible()
    assert page.locator("#main h1").is_visible()


def test_admin_works_under_the_content_security_policy(browser, live_site):
    context = browser.new_context(locale="nb-NO")  # no CSP bypass: the real policy applies
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_site, "programleder", path="/admin/login/")
    page.wait_for_url("**/admin/")
    page.goto(live_site("/admin/pages/"))
    assert page.locator("main").is_visible()
    save_screenshot(page, "admin-under-csp")
    context.close()
    assert violations == []
