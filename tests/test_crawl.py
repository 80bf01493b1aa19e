"""An anonymous reader can follow every internal link without meeting an error or a dead end."""

import re
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

pytestmark = pytest.mark.django_db

HREF = re.compile(r"""(?:href|src)="([^"]+)\"""")
SKIP_PREFIXES = ("/admin/", "/static/", "/logg-ut/", "/i18n/")


def _internal(url: str, base: str) -> str | None:
    absolute, _fragment = urldefrag(urljoin(base, url))
    parsed = urlparse(absolute)
    if parsed.scheme not in {"http", "https", ""} or parsed.netloc not in {"", "testserver", "localhost"}:
        return None
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return None if path.startswith(SKIP_PREFIXES) else path


def crawl(client, start: list[str], limit: int = 600) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path, follow=False)
        seen[path] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith(("text/html", "application/xml")):
            body = response.content.decode()
            for url in HREF.findall(body) + re.findall(r"<loc>([^<]+)</loc>", body):
                target = _internal(url.replace("&amp;", "&"), path)
                if target and target not in seen:
                    queue.append(target)
    return seen


def test_anonymous_crawl_finds_no_errors_and_no_dead_links(client):
    statuses = crawl(client, ["/", "/sitemap.xml", "/robots.txt", "/api/v2/pages/"])
    assert len(statuses) > 3
    errors = {path: status for path, status in statuses.items() if status >= 500}
    dead = {path: status for path, status in statuses.items() if status == 404}
    assert errors == {}
    assert dead == {}
