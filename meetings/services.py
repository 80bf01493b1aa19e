from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .choices import MeetingStatus
from .models import MeetingIndexPage, MeetingPage, MeetingPlan


@transaction.atomic
def meeting_plan_create_meetings(*, plan: MeetingPlan, index: MeetingIndexPage) -> list[MeetingPage]:
    """Create the plan's meetings that do not exist yet (as planned, published). Repeatable."""
    created = []
    zone = timezone.get_default_timezone()
    for day in plan.date_list:
        slug = meeting_slug(body_name=plan.body.short_name or plan.body.name, day=day)
        if MeetingPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        meeting = MeetingPage(
            title=f"{plan.body.name} {day.strftime('%d.%m.%Y')}",
            slug=slug,
            body=plan.body,
            starts_at=dt.datetime.combine(day, plan.starts, tzinfo=zone),
            ends_at=dt.datetime.combine(day, plan.ends, tzinfo=zone) if plan.ends else None,
            place=plan.place,
            status=MeetingStatus.PLANNED,
        )
        index.add_child(instance=meeting)
        meeting.save_revision().publish()
        created.append(meeting)
    return created


def meeting_slug(*, body_name: str, day: dt.date) -> str:
    return slugify(f"{body_name} {day.isoformat()}")
