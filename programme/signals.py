from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import queries


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _section_changed(sender, instance, **kwargs):
    queries.forget_menu(page=instance)


@receiver(post_delete)
def _section_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        queries.forget_menu(page=instance)
