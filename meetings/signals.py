from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .models import CaseItem, MeetingPage, ProtocolPage


@receiver(page_published, sender=MeetingPage)
def _meeting_published(sender, instance, **kwargs):
    """Recording the decision of a "Godkjenning av protokoll" case makes that protocol final."""
    from .services import (
        exempt_documents_release,
        meeting_approve_protocols,
        meeting_protect_exempt_documents,
    )

    meeting_protect_exempt_documents(meeting=instance)
    exempt_documents_release()  # what an exemption removed from this meeting no longer holds
    meeting_approve_protocols(meeting=instance)
    _purge_decision_pages(instance)


@receiver(page_unpublished, sender=MeetingPage)
def _meeting_unpublished(sender, instance, **kwargs):
    _purge_decision_pages(instance)


@receiver(page_published, sender=ProtocolPage)
def _protocol_published(sender, instance, **kwargs):
    from .services import protocol_sync_privacy

    protocol_sync_privacy(protocol=instance)


def _on_commit(func) -> None:
    if settings.PAGE_CACHE_ENABLED:
        transaction.on_commit(func)


def _purge_decision_pages(meeting: MeetingPage) -> None:
    """The page cache knows a page's references, but not those of its case items: purge the
    themes and recommendations the cases concern. (The decision register and the calendars are
    sub-routes of the meeting index, which config/purges.py purges with it.)"""
    page_ids = set()
    for item in CaseItem.objects.filter(meeting_id=meeting.pk):
        page_ids |= _linked_page_ids(item)
    _purge_page_ids(page_ids)


def _linked_page_ids(item: CaseItem) -> set[int]:
    """The themes and recommendations `item` links to in the database (not in memory)."""
    ids = set()
    for relation in (CaseItem.themes.through, CaseItem.recommendations.through):
        other = next(
            f for f in relation._meta.concrete_fields if f.is_relation and f.related_model is not CaseItem
        )
        ids |= set(relation.objects.filter(caseitem_id=item.pk).values_list(other.attname, flat=True))
    return ids


def _purge_page_ids(page_ids: set[int]) -> None:
    from config.pagecache import purge_pages

    if page_ids:
        _on_commit(lambda: purge_pages(Page.objects.filter(pk__in=page_ids)))


@receiver(m2m_changed, sender=CaseItem.themes.through)
@receiver(m2m_changed, sender=CaseItem.recommendations.through)
def _links_changed(sender, instance, action, pk_set, **kwargs):
    """A theme or recommendation that gains or loses a decision shows it (or no longer does)."""
    if not isinstance(instance, CaseItem):
        return
    if action in {"post_add", "post_remove"} and pk_set:
        _purge_page_ids(set(pk_set))
    elif action == "pre_clear":
        _purge_page_ids(_linked_page_ids(instance))
