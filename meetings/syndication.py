"""RSS 2.0 and Atom feeds of the meetings and of the decisions (the iCalendar feeds are in
feeds.py). Both show only what an anonymous reader may see."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from config.feeds import FEED_LENGTH, FeedLink, SiteFeed, rss_and_atom

from . import queries


class MeetingsFeed(SiteFeed):
    def title(self):
        return _("Møter – Flere i arbeid")

    def description(self):
        return _("Møtene i organene som følger Flere i arbeid, med saklister, nyeste møtedato først.")

    def items(self):
        return queries.meetings(index=self.page)[::-1][:FEED_LENGTH]

    def item_title(self, meeting):
        return meeting.title

    def item_description(self, meeting):
        when = formats.date_format(timezone.localtime(meeting.starts_at), "j. F Y")
        place = meeting.place or (_("Digitalt møte") if meeting.online else "")
        return " · ".join(part for part in (meeting.body.name, when, place) if part)

    def item_link(self, meeting):
        return meeting.url

    def item_pubdate(self, meeting):
        return meeting.first_published_at

    def item_updateddate(self, meeting):
        return meeting.last_published_at


class DecisionsFeed(SiteFeed):
    path = "vedtak/feed/"

    def title(self):
        return _("Vedtak – Flere i arbeid")

    def description(self):
        return _("Vedtakene i møtene som er offentlige, nyeste først.")

    def items(self):
        # A decision exempt from public access (unntatt offentlighet) today is left out.
        return queries.decisions(index=self.page).exclude(queries.case_item_exempt_now_q())[:FEED_LENGTH]

    def item_title(self, item):
        prefix = _("Sak %(number)s: ") % {"number": item.case_number} if item.case_number else ""
        return f"{prefix}{item.title}"

    def item_description(self, item):
        return f"{item.decision} {item.vote_display}".strip()

    def item_link(self, item):
        return f"{item.meeting.url}#case-{item.pk}"

    def item_pubdate(self, item):
        return item.meeting.starts_at

    def item_updateddate(self, item):
        return item.meeting.last_published_at

    def item_categories(self, item):
        return [item.meeting.body.name, *(theme.title for theme in item.themes.all())]


def feed_links() -> list[FeedLink]:
    from programme.queries import section_url

    from .models import MeetingIndexPage

    url = section_url(model=MeetingIndexPage)
    if url is None:
        return []
    return [
        *rss_and_atom(MeetingsFeed, url, _("Møter")),
        *rss_and_atom(DecisionsFeed, url, _("Vedtak")),
        FeedLink(_("Alle møter (kalender)"), f"{url}kalender/", "iCalendar"),
    ]
