"""RSS 2.0 and Atom feeds of the library's newest findings and recommendations."""

from __future__ import annotations

from django.utils.translation import gettext as _

from config.feeds import FEED_LENGTH, FeedLink, SiteFeed, rss_and_atom

from . import queries


class LibraryFeed(SiteFeed):
    def title(self):
        return _("Nye funn og anbefalinger – Flere i arbeid")

    def description(self):
        return _("Funn og anbefalinger fra kunnskapsbiblioteket til Flere i arbeid, nyeste først.")

    def items(self):
        return queries.newest_findings_and_recommendations(limit=FEED_LENGTH)

    def item_title(self, item):
        label = _("Funn") if item._meta.model_name == "findingpage" else _("Anbefaling")
        return f"{label}: {item.title}"

    def item_description(self, item):
        return getattr(item, "statement", "") or getattr(item, "text", "")

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


def feed_links() -> list[FeedLink]:
    from programme.queries import section_url

    from .models import LibraryIndexPage

    url = section_url(model=LibraryIndexPage)
    return rss_and_atom(LibraryFeed, url, _("Nye funn og anbefalinger")) if url else []
