from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from programme.queries import public

from .choices import AttendanceRole, CaseKind

if TYPE_CHECKING:
    from .models import Body, CaseItem, MeetingIndexPage, MeetingPage, ProtocolPage, TreatmentPlan

COMMITTEE_READER_GROUPS = ("Utvalgsmedlem", "Programleder", "Redaktør")
COMMITTEE_COLLECTION = "Utvalgsdokumenter"

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


# --- committee-only content -----------------------------------------------------------------


def may_read_committee_content(*, user) -> bool:
    """Committee members, the programme office, editors and superusers read draft protocols and
    documents not yet public (the groups the view restrictions name)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_committee_reader", None)
    if cached is None:
        cached = user.groups.filter(name__in=COMMITTEE_READER_GROUPS).exists()
        user._committee_reader = cached
    return cached


def visible_meetings(*, user=None) -> QuerySet[MeetingPage]:
    from .models import MeetingPage

    pages = MeetingPage.objects.live()
    return pages if may_read_committee_content(user=user) else public(pages)


# --- attachments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str = ""
    committee_only: bool = False


def _restricted_collection_paths() -> list[str]:
    from wagtail.models import CollectionViewRestriction

    return list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))


def resolve_attachments(items: list[CaseItem], *, user=None) -> None:
    """Set `item.attachment_entries` on each case item in two queries in all: the documents and
    the restricted collections. Documents in a restricted collection are left out for readers
    who may not see them."""
    from wagtail.documents import get_document_model

    ids = {
        block["value"].get("document")
        for item in items
        for block in item.attachments.raw_data
        if block["value"].get("document")
    }
    documents = {}
    restricted = []
    if ids:
        documents = get_document_model().objects.select_related("collection").in_bulk(ids)
        restricted = _restricted_collection_paths()
    reader = may_read_committee_content(user=user)
    for item in items:
        entries = []
        for block in item.attachments.raw_data:
            value = block["value"]
            document = documents.get(value.get("document"))
            if document is None:
                entries.append(Attachment(title=value.get("title", "")))
                continue
            private = any(document.collection.path.startswith(path) for path in restricted)
            if private and not reader:
                continue
            entries.append(
                Attachment(
                    title=value.get("title") or document.title, url=document.url, committee_only=private
                )
            )
        item.attachment_entries = entries


# --- meetings and protocols ------------------------------------------------------------------


def _case_items_with_links(items: QuerySet[CaseItem]) -> QuerySet[CaseItem]:
    return items.select_related("approves_protocol").prefetch_related(
        Prefetch("themes", queryset=public_pages("programme.ThemePage").order_by("number")),
        Prefetch(
            "recommendations", queryset=public_pages("knowledge.RecommendationPage").order_by("sort_order")
        ),
        published_milestones(),
    )


def published_milestones() -> Prefetch:
    """The published milestones that act on each decision (a prefetch for case items)."""
    from programme.models import Milestone

    return Prefetch("milestones", queryset=Milestone.objects.filter(live=True).order_by("due_date", "title"))


def public_pages(label: str) -> QuerySet:
    from django.apps import apps

    return public(apps.get_model(label).objects.live())


def meeting_protocol(*, meeting) -> ProtocolPage | None:
    from .models import ProtocolPage

    if not getattr(meeting, "pk", None):
        return None
    return ProtocolPage.objects.child_of(meeting).first()


def protocol_meeting(*, protocol: ProtocolPage) -> MeetingPage:
    from .models import MeetingPage

    return MeetingPage.objects.select_related("body").get(path=protocol.path[: -protocol.steplen])


def protocol_approval(*, protocol: ProtocolPage, exclude_meeting=None) -> CaseItem | None:
    """The case item that approves `protocol` (at most one may)."""
    from .models import CaseItem

    items = CaseItem.objects.filter(approves_protocol=protocol).select_related("meeting")
    if exclude_meeting is not None and exclude_meeting.pk:
        items = items.exclude(meeting_id=exclude_meeting.pk)
    return items.order_by("meeting__starts_at").first()


def voting_attendance(*, meeting) -> int:
    """How many met with a vote (members and substitutes) according to the meeting's protocol."""
    protocol = meeting_protocol(meeting=meeting)
    if protocol is None:
        return 0
    return protocol.attendance.filter(role__in=[AttendanceRole.PRESENT, AttendanceRole.SUBSTITUTE]).count()


def meeting_contents(*, meeting: MeetingPage, user=None) -> dict:
    """What a meeting page shows: the agenda with decisions and attachments, and its protocol
    when the reader may see it (approved and public, or any state for committee readers)."""
    from .models import ProtocolPage

    items = list(_case_items_with_links(meeting.case_items.order_by("sort_order")))
    resolve_attachments(items, user=user)
    protocols = ProtocolPage.objects.child_of(meeting).live()
    if not may_read_committee_content(user=user):
        protocols = public(protocols)
    return {"case_items": items, "protocol": protocols.first()}


def protocol_contents(*, protocol: ProtocolPage, user=None) -> dict:
    meeting = protocol_meeting(protocol=protocol)
    items = list(_case_items_with_links(meeting.case_items.order_by("sort_order")))
    resolve_attachments(items, user=user)
    attendance = list(protocol.attendance.select_related("member", "substitute_for").order_by("sort_order"))
    return {
        "meeting": meeting,
        "case_items": items,
        "present": [row for row in attendance if row.role == AttendanceRole.PRESENT],
        "substitutes": [row for row in attendance if row.role == AttendanceRole.SUBSTITUTE],
        "absent": [row for row in attendance if row.role == AttendanceRole.ABSENT],
        "others": [row for row in attendance if row.role == AttendanceRole.OTHER],
        "approval": protocol_approval(protocol=protocol) if protocol.approved_at else None,
    }


# --- the decision register -------------------------------------------------------------------


def decisions(
    *,
    user=None,
    index: MeetingIndexPage | None = None,
    body_id: str = "",
    year: str = "",
    theme_id: str = "",
    text: str = "",
    recommendation=None,
    theme=None,
    with_milestones: bool = False,
) -> QuerySet[CaseItem]:
    """Every recorded decision in meetings the reader may see, newest first, filtered by body,
    year, theme and a full-text search through the configured Wagtail search backend; with
    `with_milestones`, each with the published milestones that act on it (the register)."""
    from .models import CaseItem

    meetings = visible_meetings(user=user)
    if index is not None:
        meetings = meetings.child_of(index)
    items = CaseItem.objects.filter(meeting__in=meetings).exclude(decision="")
    if body_id.isdigit():
        items = items.filter(meeting__body_id=int(body_id))
    if year.isdigit():
        items = items.filter(meeting__starts_at__year=int(year))
    if theme_id.isdigit():
        items = items.filter(themes__id=int(theme_id))
    if theme is not None:
        items = items.filter(themes=theme)
    if recommendation is not None:
        items = items.filter(recommendations=recommendation)
    if text.strip():
        items = items.filter(pk__in=search_case_items(text=text))
    return (
        items.select_related("meeting", "meeting__body")
        .prefetch_related(
            Prefetch("themes", queryset=public_pages("programme.ThemePage").order_by("number")),
            *([published_milestones()] if with_milestones else []),
        )
        .order_by("-meeting__starts_at", "sort_order")
        .distinct()
    )


def search_case_items(*, text: str) -> list[int]:
    """Primary keys of the case items matching `text`, from whichever search backend is set up.
    Visibility is applied by the caller's queryset, never by the backend."""
    from wagtail.search.backends import get_search_backend

    from .models import CaseItem

    results = get_search_backend().search(text.strip(), CaseItem, operator="and")
    return [item.pk for item in results[:1000]]


def decision_facets(
    *, user=None, index: MeetingIndexPage | None = None
) -> tuple[list[tuple[int, str]], list[int]]:
    """The bodies (id, name) and years that have decisions, for the register's filters, in one query."""
    from django.db.models.functions import ExtractYear

    meetings = visible_meetings(user=user)
    if index is not None:
        meetings = meetings.child_of(index)
    rows = set(
        meetings.filter(case_items__decision__gt="")
        .annotate(year=ExtractYear("starts_at"))
        .values_list("body_id", "body__name", "year")
    )
    bodies = sorted({(body_id, name) for body_id, name, _year in rows}, key=lambda body: body[1])
    return bodies, sorted({year for _body, _name, year in rows}, reverse=True)


def themes_with_decisions() -> QuerySet:
    return public_pages("programme.ThemePage").filter(decisions__isnull=False).distinct().order_by("number")
