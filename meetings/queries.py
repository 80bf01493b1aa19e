from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from config.params import id_param, year_param
from programme.queries import public

from .choices import AttendanceRole, CaseKind

if TYPE_CHECKING:
    from .models import Body, CaseItem, MeetingIndexPage, MeetingPage, ProtocolPage, TreatmentPlan

COMMITTEE_READER_GROUPS = ("Utvalgsmedlem", "Programleder", "Redaktør")
COMMITTEE_COLLECTION = "Utvalgsdokumenter"

CASE_NUMBER = re.compile(r"([1-9]\d*)/(\d{2})")  # no 0/21, and 01/21 is never a second 1/21
NUMBERED_KINDS = {CaseKind.CASE, CaseKind.PROTOCOL_APPROVAL}


def _meeting_pages(*, index: MeetingIndexPage | None, body_id: str, year: str) -> QuerySet[MeetingPage]:
    """The public meetings (of `index`), of one body and one year when given."""
    from .models import MeetingPage

    pages = public(MeetingPage.objects.live()).select_related("body")
    if index is not None:
        pages = pages.child_of(index)
    if (body := id_param(body_id)) is not None:
        pages = pages.filter(body_id=body)
    if (number := year_param(year)) is not None:
        pages = pages.filter(starts_at__year=number)
    return pages


def meetings(
    *, index: MeetingIndexPage | None = None, body_id: str = "", year: str = ""
) -> list[MeetingPage]:
    return list(_meeting_pages(index=index, body_id=body_id, year=year).order_by("starts_at"))


def meetings_around(
    *, index: MeetingIndexPage, today: dt.date, body_id: str = "", year: str = ""
) -> tuple[list[MeetingPage], QuerySet[MeetingPage]]:
    """The index's coming meetings (from today, soonest first) and its past ones (latest first,
    a queryset for the paginator to slice)."""
    pages = _meeting_pages(index=index, body_id=body_id, year=year)
    start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    upcoming = list(pages.filter(starts_at__gte=start).order_by("starts_at"))
    return upcoming, pages.filter(starts_at__lt=start).order_by("-starts_at")


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


# --- exemption from public access ----------------------------------------------------------


def exempt_now_q(*, today: dt.date | None = None, prefix: str = "") -> Q:
    """Rows exempt from public access on `today`: marked exempt, with no public-from date or one
    still to come. `prefix` reaches a related model's exemption (e.g. "meeting__")."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}exempt": True}) & (
        Q(**{f"{prefix}public_from__isnull": True}) | Q(**{f"{prefix}public_from__gt": today})
    )


def exclude_exempt(queryset: QuerySet, *, today: dt.date | None = None) -> QuerySet:
    """`queryset` without what is exempt from public access on `today`: for pages, exempt meetings
    and protocols and everything below an exempt meeting; for a model with the exemption fields,
    its exempt rows (case items also by their meeting's exemption). For the public search."""
    from wagtail.models import Page

    from .models import CaseItem, MeetingPage, ProtocolPage
    from .models.exemption import Exemption

    today = today or timezone.localdate()
    model = queryset.model
    if issubclass(model, Page) and not issubclass(model, Exemption):
        exempt_ids = Q(pk__in=MeetingPage.objects.filter(exempt_now_q(today=today)).values("pk")) | Q(
            pk__in=ProtocolPage.objects.filter(exempt_now_q(today=today)).values("pk")
        )
        below = Q()
        for path in MeetingPage.objects.filter(exempt_now_q(today=today)).values_list("path", flat=True):
            below |= Q(path__startswith=path)
        return queryset.exclude(exempt_ids | below) if below else queryset.exclude(exempt_ids)
    if issubclass(model, CaseItem):
        return queryset.exclude(case_item_exempt_now_q(today=today))
    if issubclass(model, MeetingPage):
        return queryset.exclude(exempt_now_q(today=today))
    if issubclass(model, ProtocolPage):
        meetings = MeetingPage.objects.filter(exempt_now_q(today=today)).values_list("path", flat=True)
        below = Q()
        for path in meetings:
            below |= Q(path__startswith=path)
        return (
            queryset.exclude(exempt_now_q(today=today) | below)
            if below
            else queryset.exclude(exempt_now_q(today=today))
        )
    if issubclass(model, Exemption):
        return queryset.exclude(exempt_now_q(today=today))
    return queryset


def case_item_exempt_now_q(*, today: dt.date | None = None) -> Q:
    """Case items exempt on `today`, by their own marking or their meeting's."""
    return exempt_now_q(today=today) | exempt_now_q(today=today, prefix="meeting__")


def exemption_boundary(dates, *, today: dt.date) -> dt.date | None:
    """The first of `dates` after today: when something exempt becomes public (for the page cache)."""
    upcoming = [day for day in dates if day and day > today]
    return min(upcoming) if upcoming else None


def apply_exemptions(
    items: list[CaseItem], *, meeting=None, user=None, today: dt.date | None = None
) -> dt.date | None:
    """Mark each case item's `exempt_now` and its `exemption_label`, and, for readers who may not
    see exempt content, strip the exempt text from the in-memory instances (never saved) so that
    no template can show it: the title becomes the public one, the proposal, summary, decision,
    votes, links and attachments go. Returns the next date on which something here becomes
    public, so a cached copy of the page can expire then. Call after `resolve_attachments`."""
    from .models.exemption import NEUTRAL_TITLE

    today = today or timezone.localdate()
    reader = may_read_committee_content(user=user)
    dates = []
    for item in items:
        owner = item.meeting if meeting is None else meeting
        meeting_exempt = owner.is_exempt(today=today)
        item.exempt_now = item.is_exempt(today=today) or meeting_exempt
        source = item if item.is_exempt(today=today) else owner
        item.exemption_label = source.exemption_basis_display if item.exempt_now else ""
        dates += [item.public_from if item.exempt else None, owner.public_from if owner.exempt else None]
        dates += getattr(item, "attachment_dates", [])
        if item.exempt_now and not reader:
            _strip_case_item(
                item, title=item.public_title.strip() if item.exempt else "", neutral=NEUTRAL_TITLE
            )
    return exemption_boundary(dates, today=today)


# What an exempt case links to: which themes, recommendations and milestones it concerns.
CASE_LINKS = ("themes", "recommendations", "milestones")


def _strip_case_item(item: CaseItem, *, title: str, neutral) -> None:
    item.title = title or str(neutral)
    item.public_title = ""
    for name in ("proposed_decision", "summary", "decision", "route", "case_officer", "approved_by"):
        setattr(item, name, "")
    item.archive_reference = ""
    item.document_date = None
    # A template that lists `item.milestones.all` (or themes, recommendations) finds nothing: the
    # managers read the prefetch cache first, here an empty list of each.
    cache = item.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in CASE_LINKS:
        cache[name] = getattr(item, name).none()
    item.vote = item.disqualified = ""
    item.votes_for = item.votes_against = item.votes_blank = None
    item.vote_record = []
    item.attachments = []
    item.attachment_entries = []
    item.approves_protocol = None
    item.approves_protocol_id = None
    item.exempt_hidden = True


def redact_decisions(
    items, *, user=None, today: dt.date | None = None, drop_exempt: bool = False
) -> tuple[list[CaseItem], dt.date | None]:
    """The decision lists' case items (with their meetings loaded), exempt ones stripped for
    readers who may not see them, or with `drop_exempt` left out (a theme's list must not reveal
    that an exempt case concerns it); and the next date on which one becomes public."""
    items = list(items)
    for item in items:
        item.attachment_entries = []
    boundary = apply_exemptions(items, user=user, today=today)
    if drop_exempt:
        items = [item for item in items if not getattr(item, "exempt_hidden", False)]
    return items, boundary


# --- attachments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str = ""
    committee_only: bool = False
    exemption_label: str = ""


def _restricted_collection_paths() -> list[str]:
    from wagtail.models import CollectionViewRestriction

    return list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))


def resolve_attachments(items: list[CaseItem], *, user=None, today: dt.date | None = None) -> None:
    """Set `item.attachment_entries` on each case item in two queries in all: the documents and
    the restricted collections. Documents in a restricted collection are left out for readers
    who may not see them; an exempt attachment shows them only its public title and legal basis
    (never its title, file name or address). `item.attachment_dates` lists the public-from dates."""
    from wagtail.documents import get_document_model

    from .blocks import attachment_basis, attachment_is_exempt
    from .models.exemption import NEUTRAL_TITLE

    today = today or timezone.localdate()

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
        item.attachment_dates = []
        for block in item.attachments.raw_data:
            value = block["value"]
            if value.get("exempt") and value.get("public_from"):
                item.attachment_dates.append(dt.date.fromisoformat(value["public_from"]))
            exempt = attachment_is_exempt(value, today=today)
            if exempt and not reader:
                title = (value.get("public_title") or "").strip() or str(NEUTRAL_TITLE)
                entries.append(Attachment(title=title, exemption_label=attachment_basis(value)))
                continue
            label = attachment_basis(value) if exempt else ""
            document = documents.get(value.get("document"))
            if document is None:
                entries.append(Attachment(title=value.get("title", ""), exemption_label=label))
                continue
            private = any(document.collection.path.startswith(path) for path in restricted)
            if private and not reader:
                if value.get("exempt"):
                    # Its exemption ended today; the daily release has not moved the file yet.
                    entries.append(Attachment(title=value.get("title") or document.title))
                continue
            entries.append(
                Attachment(
                    title=value.get("title") or document.title,
                    url=document.url,
                    committee_only=private,
                    exemption_label=label,
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


def meeting_contents(*, meeting: MeetingPage, user=None, today: dt.date | None = None) -> dict:
    """What a meeting page shows: the agenda with decisions and attachments, and its protocol
    when the reader may see it (approved and public, or any state for committee readers).
    Exempt parts are stripped for readers who may not see them (`apply_exemptions`);
    `public_changes_on` is the next date on which an exempt part becomes public."""
    from .models import ProtocolPage

    today = today or timezone.localdate()
    reader = may_read_committee_content(user=user)
    items = list(_case_items_with_links(meeting.case_items.order_by("sort_order")))
    resolve_attachments(items, user=user, today=today)
    boundary = apply_exemptions(items, meeting=meeting, user=user, today=today)
    protocols = ProtocolPage.objects.child_of(meeting).live()
    if not reader:
        protocols = public(protocols)
    protocol = protocols.first()
    dates = [boundary, meeting.public_from if meeting.exempt else None]
    if protocol is not None and protocol.exempt:
        dates.append(protocol.public_from)
    return {
        "case_items": items,
        "protocol": protocol,
        "protocol_exempt": protocol is not None and protocol.is_exempt(today=today),
        "meeting_exempt": meeting.is_exempt(today=today),
        "show_exempt": reader,
        "public_changes_on": exemption_boundary(dates, today=today),
    }


def protocol_contents(*, protocol: ProtocolPage, user=None, today: dt.date | None = None) -> dict:
    """What a protocol shows. An exempt protocol (or one of an exempt meeting) shows readers who
    may not see it only that it exists, its status and legal basis: no attendance, cases, notes
    or signatures."""
    today = today or timezone.localdate()
    reader = may_read_committee_content(user=user)
    meeting = protocol_meeting(protocol=protocol)
    items = list(_case_items_with_links(meeting.case_items.order_by("sort_order")))
    resolve_attachments(items, user=user, today=today)
    boundary = apply_exemptions(items, meeting=meeting, user=user, today=today)
    exempt_source = protocol if protocol.is_exempt(today=today) else meeting
    exempt = exempt_source.is_exempt(today=today)
    dates = [boundary, protocol.public_from if protocol.exempt else None]
    if exempt and not reader:
        return {
            "meeting": meeting,
            "protocol_exempt": True,
            "hide_protocol": True,
            "exemption_label": exempt_source.exemption_basis_display,
            "public_changes_on": exemption_boundary(dates, today=today),
            "approval": protocol_approval(protocol=protocol) if protocol.approved_at else None,
        }
    attendance = list(protocol.attendance.select_related("member", "substitute_for").order_by("sort_order"))
    return {
        "meeting": meeting,
        "protocol_exempt": exempt,
        "exemption_label": exempt_source.exemption_basis_display if exempt else "",
        "show_exempt": reader,
        "public_changes_on": exemption_boundary(dates, today=today),
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
    today: dt.date | None = None,
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
    theme_pk = id_param(theme_id)
    if (body := id_param(body_id)) is not None:
        items = items.filter(meeting__body_id=body)
    if (number := year_param(year)) is not None:
        items = items.filter(meeting__starts_at__year=number)
    if theme_pk is not None:
        items = items.filter(themes__id=theme_pk)
    if theme is not None:
        items = items.filter(themes=theme)
    if recommendation is not None:
        items = items.filter(recommendations=recommendation)
    if (text.strip() or theme_pk is not None or theme is not None or recommendation is not None) and (
        not may_read_committee_content(user=user)
    ):
        # A search hit, or a hit for a theme or a recommendation, would reveal what an exempt case
        # is about.
        items = items.exclude(case_item_exempt_now_q(today=today))
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


def themes_with_decisions(*, user=None, today: dt.date | None = None) -> QuerySet:
    """The themes that recorded decisions concern, for the register's filter; for readers who may
    not see exempt content, only through decisions that are not exempt."""
    from .models import CaseItem

    items = CaseItem.objects.filter(meeting__in=visible_meetings(user=user)).exclude(decision="")
    if not may_read_committee_content(user=user):
        items = items.exclude(case_item_exempt_now_q(today=today))
    return public_pages("programme.ThemePage").filter(decisions__in=items).distinct().order_by("number")
