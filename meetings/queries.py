from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from programme.queries import public

from .choices import CaseKind

if TYPE_CHECKING:
    from .models import Body, CaseItem, MeetingIndexPage, MeetingPage, TreatmentPlan

CASE_NUMBER = re.compile(r"(\d+)/(\d{2})")
NUMBERED_KINDS = {CaseKind.CASE, CaseKind.PROTOCOL_APPROVAL}


def meetings(
    *, index: MeetingIndexPage | None = None, body_id: str = "", year: str = ""
) -> list[MeetingPage]:
    from .models import MeetingPage

    pages = public(MeetingPage.objects.live()).select_related("body").order_by("starts_at")
    if index is not None:
        pages = pages.child_of(index)
    if body_id.isdigit():
        pages = pages.filter(body_id=int(body_id))
    if year.isdigit():
        pages = pages.filter(starts_at__year=int(year))
    return list(pages)


def bodies_with_meetings(*, index: MeetingIndexPage) -> QuerySet[Body]:
    from .models import Body, MeetingPage

    meeting_pages = public(MeetingPage.objects.live().child_of(index))
    return Body.objects.filter(meetings__in=meeting_pages).distinct().order_by("name")


def meeting_years(*, index: MeetingIndexPage) -> list[int]:
    from .models import MeetingPage

    dates = public(MeetingPage.objects.live().child_of(index)).dates("starts_at", "year")
    return [day.year for day in dates]


def case_items(*, meeting: MeetingPage) -> QuerySet[CaseItem]:
    return meeting.case_items.order_by("sort_order")


def treatment_plans() -> QuerySet[TreatmentPlan]:
    from django.db.models import Prefetch

    from .models import TreatmentPlan, TreatmentStep

    steps = TreatmentStep.objects.select_related("body").order_by("planned_date", "sort_order")
    return TreatmentPlan.objects.prefetch_related(Prefetch("steps", queryset=steps)).order_by("title")


def case_number_taken(
    *, body: Body, year: int, number: str, exclude_meeting: MeetingPage | None = None
) -> bool:
    from .models import CaseItem

    items = CaseItem.objects.filter(meeting__body=body, meeting__starts_at__year=year, case_number=number)
    if exclude_meeting is not None and exclude_meeting.pk:
        items = items.exclude(meeting=exclude_meeting)
    return items.exists()


def number_case_items(*, meeting: MeetingPage) -> None:
    """Give the meeting's unnumbered cases the body's next numbers for the year (1/21, 2/21 …)."""
    from .models import CaseItem

    items = [item for item in meeting.case_items.all() if item.kind in NUMBERED_KINDS]
    if not meeting.body_id or not meeting.starts_at or all(item.case_number for item in items):
        return
    year = meeting.starts_at.year
    others = CaseItem.objects.filter(meeting__body_id=meeting.body_id, meeting__starts_at__year=year)
    if meeting.pk:
        others = others.exclude(meeting_id=meeting.pk)
    used = [item.case_number for item in items if item.case_number]
    used += list(others.values_list("case_number", flat=True))
    highest = max((int(m.group(1)) for n in used if (m := CASE_NUMBER.fullmatch(n or ""))), default=0)
    for item in sorted(items, key=lambda item: item.sort_order or 0):
        if not item.case_number:
            highest += 1
            item.case_number = f"{highest}/{year % 100:02d}"
