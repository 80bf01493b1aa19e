"""Browser tests: one live server and one Chromium for the whole session.

The server is a real gunicorn on 127.0.0.1 with its own SQLite database in a temporary folder,
migrated and loaded with the real programme content (`load_programme`), the journeys' test data
and one user per role added (setup_live_site.py), and its search index built. Chromium is
Debian's (`apt-get install chromium`); Playwright only drives it.
axe-core comes from the npm registry (`npm ci`) and is injected by the tests.

On a machine without Chromium the tests skip with a message; with CI=true a missing browser
fails the run instead.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
PASSWORD = "Nettleser-test-passord-2021"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SETUP_SCRIPT = Path(__file__).with_name("setup_live_site.py")
# One page of every page type the loaded content has, and the sub-routes of routable pages:
# the accessibility and reflow tests are derived from this, so new page types are not forgotten.
PAGE_TYPES_SCRIPT = """
import json
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

pages = {}
for page in Page.objects.live().public().exclude(depth=1).specific().order_by("path"):
    pages.setdefault(page._meta.label, page.url)
routes = {
    model._meta.label: [p.name for p in model.get_resolver().url_patterns if str(p.pattern)]
    for model in get_page_models()
    if issubclass(model, RoutablePageMixin)
}
models = sorted(model._meta.label for model in get_page_models() if not model._meta.abstract)
print(json.dumps({"pages": pages, "routes": routes, "models": models}))
"""


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(f"{reason}. Install it with: apt-get install chromium && npm ci")


@dataclass
class LiveSite:
    url: str
    password: str = PASSWORD
    # {"pages": {model label: url of its first live public page}, "routes": {model label:
    # [route names]}, "models": [every page model's label]}
    content: dict = field(default_factory=dict)

    def __call__(self, path: str) -> str:
        return self.url + path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory) -> LiveSite:
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM}")
    if not AXE.exists():
        _missing("axe-core not found in node_modules")
    var = tmp_path_factory.mktemp("live-site")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "VAR_DIR": str(var),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "browser-tests-only-" + "x" * 40,
        "BROWSER_TEST_PASSWORD": PASSWORD,
    }
    manage = [sys.executable, "manage.py"]

    def run(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [*manage, *args],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            input=stdin,
        )
        return done.stdout

    run("migrate", "--noinput")
    run("load_programme")
    run("collectstatic", "--noinput")
    run("shell", stdin=SETUP_SCRIPT.read_text(encoding="utf-8"))
    run("update_index")  # after the setup, so the index has what the journeys link
    content = json.loads(run("shell", "-c", PAGE_TYPES_SCRIPT).strip().splitlines()[-1])
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the live server did not start")
            time.sleep(0.3)
    yield LiveSite(url, content=content)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(live_site):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # axe-core is injected as a script, which the site's own Content-Security-Policy forbids.
    context = browser.new_context(bypass_csp=True, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page, name: str) -> Path:
    """Keep the last step of a journey as an artefact (artifacts/ is not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            // Best practice beyond WCAG that a screen reader's landmark list depends on.
            rules: {'landmark-unique': {enabled: true}}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def log_in(page, live_site: LiveSite, username: str, *, path: str = "/logg-inn/") -> None:
    page.goto(live_site(path))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", live_site.password)
    page.press("input[name=password]", "Enter")  # the header's language form has a button too
