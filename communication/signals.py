from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import queries
from .models import CommunicationPlanPage


@receiver(page_published, sender=CommunicationPlanPage)
@receiver(page_unpublished, sender=CommunicationPlanPage)
@receiver(post_page_move)
@receiver(post_delete, sender=CommunicationPlanPage)
def _plan_moved_or_changed(sender, instance, **kwargs):
    if isinstance(instance, CommunicationPlanPage):
        queries.forget_plan_url()
