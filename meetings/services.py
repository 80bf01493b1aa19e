from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from . import queries
from .choices import MeetingStatus
from .models import CaseItem, MeetingIndexPage, MeetingPage, MeetingPlan, ProtocolPage


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


def committee_groups():
    from django.contrib.auth.models import Group

    from .queries import COMMITTEE_READER_GROUPS

    return list(Group.objects.filter(name__in=COMMITTEE_READER_GROUPS))


@transaction.atomic
def protocol_sync_privacy(*, protocol: ProtocolPage) -> None:
    """A draft protocol is for committee readers only; a final one is public if its body's
    documents are. Wagtail's page privacy does the hiding (pages, lists, search, sitemap, API)."""
    meeting = queries.protocol_meeting(protocol=protocol)
    restrictions = PageViewRestriction.objects.filter(page=protocol)
    if protocol.approved_at and meeting.body.documents_public:
        restrictions.delete()
        return
    if not restrictions.exists():
        restriction = PageViewRestriction.objects.create(
            page=protocol, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set(committee_groups())


@transaction.atomic
def protocol_approve(*, protocol: ProtocolPage, case_item: CaseItem) -> bool:
    """Make `protocol` final as approved by `case_item`: its approval date is the approving
    meeting's date, it is locked, and published again with its privacy set. Repeatable."""
    protocol = ProtocolPage.objects.select_for_update().get(pk=protocol.pk)
    if protocol.approved_at:
        return False
    protocol.approved_at = timezone.localdate(case_item.meeting.starts_at)
    protocol.locked = True
    protocol.locked_at = timezone.now()
    protocol.locked_by = None
    protocol.save_revision().publish()
    protocol_sync_privacy(protocol=protocol)
    return True


def meeting_approve_protocols(*, meeting: MeetingPage) -> list[ProtocolPage]:
    """Approve the protocols that the meeting's recorded decisions approve."""
    approved = []
    items = meeting.case_items.filter(approves_protocol__isnull=False).exclude(decision="")
    for item in items.select_related("meeting", "approves_protocol"):
        if protocol_approve(protocol=item.approves_protocol, case_item=item):
            approved.append(item.approves_protocol)
    return approved


def committee_collection() -> Collection:
    """The private document collection for case documents not yet public, readable by the
    committee readers only (Wagtail checks it when it serves a document)."""
    collection = Collection.objects.filter(name=queries.COMMITTEE_COLLECTION, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=queries.COMMITTEE_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    groups = committee_groups()
    if set(restriction.groups.all()) != set(groups):
        restriction.groups.set(groups)
    return collection
