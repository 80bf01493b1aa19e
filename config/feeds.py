"""RSS 2.0 and Atom feeds of a page's items (Django's syndication framework), one class serving
both formats. A feed lives at `<page>/<path>` (RSS) and `<page>/<path>atom/` (Atom), as a route
of a routable page, so that the page cache purges it with the page (config/pagecache.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.module_loading import import_string

FEED_LENGTH = 50


class SiteFeed(Feed):
    # Below the page: "feed/" or, for a sub-route's items, e.g. "vedtak/feed/".
    path = "feed/"

    def __init__(self, *, page, atom: bool = False):
        super().__init__()
        self.page = page
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed

    @classmethod
    def urls(cls, page_url: str) -> dict[str, str]:
        base = f"{page_url}{cls.path}"
        return {"rss": base, "atom": f"{base}atom/"}

    def link(self):
        return self.page.url + self.path.removesuffix("feed/")

    def feed_url(self):
        return self.urls(self.page.url)["atom" if self.feed_type is Atom1Feed else "rss"]

    def subtitle(self):
        return self.description()


@dataclass(frozen=True)
class FeedLink:
    """A feed or calendar a reader can subscribe to, for the open data page."""

    title: str
    url: str
    format: str


def feed_links() -> list[FeedLink]:
    """Every app's feeds (AppConfig.feed_links = "module.function"), in INSTALLED_APPS order."""
    links = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "feed_links", None)
        if dotted:
            links.extend(import_string(dotted)())
    return links


def rss_and_atom(feed: type[SiteFeed], page_url: str, title: str) -> list[FeedLink]:
    urls = feed.urls(page_url)
    return [FeedLink(title, urls["rss"], "RSS 2.0"), FeedLink(title, urls["atom"], "Atom")]
