"""RSS 2.0 and Atom feeds of the library's newest findings and recommendations."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from . import queries

FEED_LENGTH = 50


class LibraryFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, *, library):
        super().__init__()
        self.library = library

    def title(self):
        return _("Nye funn og anbefalinger – Flere i arbeid")

    def link(self):
        return self.library.url

    def description(self):
        return _("Funn og anbefalinger fra kunnskapsbiblioteket til Flere i arbeid, nyeste først.")

    def feed_url(self):
        return self.library.url + ("feed/atom/" if self.feed_type is Atom1Feed else "feed/")

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


class LibraryAtomFeed(LibraryFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
