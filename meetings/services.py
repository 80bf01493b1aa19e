from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from . import queries
from .choices import MeetingStatus
from .models import CaseItem, MeetingIndexPage, MeetingPage, MeetingPlan, ProtectedDocument, ProtocolPage
from .models.exemption import exemption_errors


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


@transaction.atomic
def protocol_set_exemption(
    *,
    protocol: ProtocolPage,
    user,
    exempt: bool,
    exemption_basis: str,
    exemption_basis_other: str,
    public_from: dt.date | None,
) -> ProtocolPage:
    """Exempt a final (approved, locked) protocol from public access afterwards, or change or lift
    its exemption: the one change a final protocol still takes, since what was published by
    mistake must be exempted when offentleglova requires it. Published again as a new revision in
    `user`'s name, so the page history shows who did it and when; the page cache and the search
    index follow that publish. Raises ValidationError (nothing changes) for an invalid exemption."""
    errors = exemption_errors(
        exempt=exempt, basis=exemption_basis, basis_other=exemption_basis_other, public_from=public_from
    )
    if errors:
        raise ValidationError(errors)
    protocol = ProtocolPage.objects.select_for_update().get(pk=protocol.pk)
    protocol.exempt = exempt
    protocol.exemption_basis = exemption_basis
    protocol.exemption_basis_other = exemption_basis_other
    protocol.public_from = public_from
    protocol.save_revision(user=user).publish(user=user)
    return protocol


def meeting_approve_protocols(*, meeting: MeetingPage) -> list[ProtocolPage]:
    """Approve the protocols that the meeting's recorded decisions approve, once it is held."""
    approved = []
    if meeting.status != MeetingStatus.HELD:
        return approved
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


def _exempt_document_ids(items, *, today: dt.date) -> set[int]:
    from .blocks import attachment_is_exempt

    ids = set()
    for item in items:
        item_exempt = item.is_exempt(today=today) or item.meeting.is_exempt(today=today)
        for block in item.attachments.raw_data:
            value = block["value"]
            if value.get("document") and (item_exempt or attachment_is_exempt(value, today=today)):
                ids.add(value["document"])
    return ids


@transaction.atomic
def meeting_protect_exempt_documents(*, meeting: MeetingPage, today: dt.date | None = None) -> list:
    """Move the documents of the meeting's exempt attachments (and all attachments of exempt case
    items or an exempt meeting) into the private collection «Utvalgsdokumenter», where Wagtail's
    permission-checked serving refuses them to everyone but the committee readers. Works on the
    case items as given (a form's unsaved ones too). Returns the documents moved."""
    from wagtail.documents import get_document_model

    today = today or timezone.localdate()
    items = list(meeting.case_items.all())
    for item in items:
        item.meeting = meeting
    ids = _exempt_document_ids(items, today=today)
    if not ids:
        return []
    collection = committee_collection()
    moved = list(get_document_model().objects.filter(pk__in=ids).exclude(collection=collection))
    for document in moved:
        document.collection = collection
        document.save(update_fields=["collection"])
        ProtectedDocument.objects.get_or_create(document=document)
    return moved


@transaction.atomic
def exempt_documents_release(*, today: dt.date | None = None) -> list:
    """Move documents whose exemption has ended (its public-from date has come) or was removed
    (a document an exemption had moved, `ProtectedDocument`) out of the private collection into
    the root collection, when no attachment, case item or meeting of a published meeting still
    exempts them and the body's documents are public. Run daily (`manage.py
    release_exempt_documents`) and when a meeting is published. A document an editor put in the
    private collection without an exemption stays there."""
    from wagtail.documents import get_document_model

    from .blocks import attachment_is_exempt

    today = today or timezone.localdate()
    collection = committee_collection()
    released_ids, still_exempt = set(), set()
    protected = set(ProtectedDocument.objects.values_list("document_id", flat=True))
    items = CaseItem.objects.select_related("meeting", "meeting__body")
    for item in items.filter(meeting__live=True):
        still_exempt |= _exempt_document_ids([item], today=today)
        for block in item.attachments.raw_data:
            value = block["value"]
            document = value.get("document")
            ended = [
                owner.public_from
                for owner in (item, item.meeting)
                if owner.exempt and owner.public_from and owner.public_from <= today
            ]
            if (
                value.get("exempt")
                and value.get("public_from")
                and not attachment_is_exempt(value, today=today)
            ):
                ended.append(value["public_from"])
            if document and (ended or document in protected) and item.meeting.body.documents_public:
                released_ids.add(document)
    documents = get_document_model().objects.filter(pk__in=released_ids - still_exempt, collection=collection)
    root = Collection.get_first_root_node()
    released = list(documents)
    for document in released:
        document.collection = root
        document.save(update_fields=["collection"])
    ProtectedDocument.objects.filter(document__in=released).delete()
    return released


def meeting_follow_protocol(*, meeting: MeetingPage) -> None:
    """Keep the meeting's protocol in step with the meeting: its search entry holds the note only
    while the meeting is not exempt (`ProtocolPage.public_note`), so it is indexed again when the
    meeting is published; and it is unpublished with the meeting, since a protocol under a
    meeting readers cannot see must not stay public (in its page, the API or the sitemap)."""
    from wagtail.search.index import insert_or_update_object

    protocol = queries.meeting_protocol(meeting=meeting)
    if protocol is None:
        return
    if not meeting.live and protocol.live:
        protocol.unpublish()
    elif protocol.live:
        insert_or_update_object(protocol)


def exemptions_ended_reindex(*, today: dt.date | None = None) -> int:
    """Index again what an exemption kept out of the search index and is public from `today` or
    earlier: the cases, their meetings' agendas and the protocols. The index entries were made
    while the content was exempt (its text left out), and nothing is saved when the day comes.
    Run daily with the release of documents (`manage.py release_exempt_documents`)."""
    from wagtail.search.index import insert_or_update_object

    today = today or timezone.localdate()
    ended = {"exempt": True, "public_from__lte": today}
    items = list(
        CaseItem.objects.filter(meeting__live=True).filter(
            Q(**ended) | Q(meeting__exempt=True, meeting__public_from__lte=today)
        )
    )
    meeting_ids = {item.meeting_id for item in items}
    meeting_ids |= set(MeetingPage.objects.live().filter(**ended).values_list("pk", flat=True))
    meetings = list(MeetingPage.objects.filter(pk__in=meeting_ids))
    protocols = set(ProtocolPage.objects.live().filter(**ended))
    for meeting in meetings:  # a protocol's note is searchable once its meeting is public
        protocol = queries.meeting_protocol(meeting=meeting)
        if protocol is not None and protocol.live:
            protocols.add(protocol)
    for obj in [*items, *meetings, *protocols]:
        insert_or_update_object(obj)
    return len(items) + len(meetings) + len(protocols)
