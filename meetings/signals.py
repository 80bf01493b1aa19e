from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import MeetingPage, ProtocolPage


@receiver(page_published, sender=MeetingPage)
def _meeting_published(sender, instance, **kwargs):
    """Recording the decision of a "Godkjenning av protokoll" case makes that protocol final."""
    from .services import (
        exempt_documents_release,
        meeting_approve_protocols,
        meeting_follow_protocol,
        meeting_protect_exempt_documents,
    )

    meeting_protect_exempt_documents(meeting=instance)
    exempt_documents_release()  # what an exemption removed from this meeting no longer holds
    meeting_approve_protocols(meeting=instance)
    meeting_follow_protocol(meeting=instance)


@receiver(page_unpublished, sender=MeetingPage)
def _meeting_unpublished(sender, instance, **kwargs):
    from .services import meeting_follow_protocol

    meeting_follow_protocol(meeting=instance)


@receiver(page_published, sender=ProtocolPage)
def _protocol_published(sender, instance, **kwargs):
    from .services import protocol_sync_privacy

    protocol_sync_privacy(protocol=instance)
