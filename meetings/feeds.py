"""The iCalendar feed of meetings (RFC 5545), for everyone or one body."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .choices import MeetingStatus

ICAL_STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def _oslo_timezone() -> Timezone:
    """Europe/Oslo's rules (CET/CEST) as a VTIMEZONE, so every client reads the times alike."""
    zone = Timezone()
    zone.add("tzid", "Europe/Oslo")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def meeting_uid(meeting) -> str:
    return f"mote-{meeting.pk}@{settings.SITE_HOSTNAME}"


def meetings_calendar(request, *, index, meetings) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Kristiansand kommune//Flere i arbeid//NO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{index.title} – Flere i arbeid")
    calendar.add("x-wr-timezone", "Europe/Oslo")
    calendar.add_component(_oslo_timezone())
    zone = timezone.get_default_timezone()
    now = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        # RFC 5545 § 3.8.7.2: without a METHOD, DTSTAMP is when the event was last revised.
        revised = meeting.last_published_at or meeting.first_published_at or now
        event.add("dtstamp", revised.astimezone(dt.UTC).replace(microsecond=0))
        event.add("last-modified", revised.astimezone(dt.UTC).replace(microsecond=0))
        event.add("summary", meeting.title)
        if meeting.time_unknown:
            # Only the date is known: an all-day event (DTSTART;VALUE=DATE).
            day = meeting.starts_at.astimezone(zone).date()
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
        else:
            event.add("dtstart", meeting.starts_at.astimezone(zone))
            if meeting.ends_at:
                event.add("dtend", meeting.ends_at.astimezone(zone))
        event.add("status", ICAL_STATUS[meeting.status])
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", request.build_absolute_uri(meeting.url))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="moter.ics"'
    return response
