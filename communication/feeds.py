"""The iCalendar feed of dated, published activities (RFC 5545)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .choices import ActivityStatus

ICAL_STATUS = {
    ActivityStatus.PROPOSED: "TENTATIVE",
    ActivityStatus.ADOPTED: "CONFIRMED",
    ActivityStatus.PLANNED: "CONFIRMED",
    ActivityStatus.DONE: "CONFIRMED",
    ActivityStatus.REJECTED: "CANCELLED",
}


def activity_uid(activity) -> str:
    return f"formidling-{activity.pk}@{settings.SITE_HOSTNAME}"


def activities_calendar(request, *, plan, activities: Iterable) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Kristiansand kommune//Flere i arbeid//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{plan.title} – Flere i arbeid")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for activity in activities:
        if not activity.starts_on:
            continue
        event = Event()
        event.add("uid", activity_uid(activity))
        event.add("dtstamp", stamp)
        event.add("summary", activity.title)
        # Activities are planned by day: all-day events, the end date exclusive as RFC 5545 asks.
        event.add("dtstart", activity.starts_on)
        event.add("dtend", (activity.ends_on or activity.starts_on) + dt.timedelta(days=1))
        event.add("status", ICAL_STATUS[activity.status])
        description = "\n".join(activity.purpose_list) or activity.summary
        if description:
            event.add("description", description)
        if activity.place:
            event.add("location", activity.place)
        event.add("url", request.build_absolute_uri(plan.activity_url(activity)))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="formidling.ics"'
    return response


def feed_links() -> list:
    from django.utils.translation import gettext as _

    from config.feeds import FeedLink

    from . import queries

    url = queries.plan_url()
    return [FeedLink(_("Formidlingsaktiviteter (kalender)"), f"{url}kalender/", "iCalendar")] if url else []
