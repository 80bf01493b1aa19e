"""The site shell in a real browser: keyboard use, zoom, the admin (every page type is checked
in test_page_types.py)."""

from .conftest import log_in, save_screenshot


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_site):
    page.goto(live_site("/"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_two_hundred_percent_zoom_keeps_the_page_usable(page, live_site):
    page.set_viewport_size({"width": 640, "height": 800})  # 1280 px at 200 % zoom
    page.goto(live_site("/"))
    page.evaluate("document.body.style.zoom = '2'")
    assert page.locator("#main h1").is_visible()
    menu = page.locator(".menu-button")
    if menu.is_visible():  # 640 px is a phone's width to the style sheet: the menu is folded
        menu.click()
    assert page.locator("nav.site-nav").is_visible()


def test_on_a_phone_the_menu_folds_behind_a_button_that_opens_and_closes_it(page, live_site):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_site("/kunnskap/"))
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 160  # the page, not the header, fills the screen
    assert page.locator("#site-search-q").is_visible()  # the search stays at hand
    menu = page.get_by_role("button", name="Meny")
    nav, tools = page.locator("#site-nav"), page.locator("#site-tools")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible() and not tools.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert nav.is_visible() and tools.is_visible()
    assert nav.get_by_role("link", name="Kunnskapsbibliotek").get_attribute("aria-current") == "page"
    page.keyboard.press("Tab")  # into the menu ...
    page.keyboard.press("Escape")  # ... and out again, back on the button
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")


def test_on_a_wide_screen_the_menu_shows_and_no_button(page, live_site):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_site("/"))
    assert page.locator("#site-nav").is_visible() and page.locator("#site-tools").is_visible()
    assert not page.locator(".menu-button").is_visible()


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


def test_search_suggestions_mark_their_titles_as_bokmal_in_the_english_interface(page, live_site):
    page.goto(live_site("/sok/"))
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Bytt").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.locator("#search-q").type("arbeidsmarkeds")
    option = page.locator("#search-q-forslag [role=option]").first
    option.wait_for()
    assert option.locator("span").first.get_attribute("lang") == "nb"
    assert option.locator("span.meta").get_attribute("lang") is None  # the type is interface text
