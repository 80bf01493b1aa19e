from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
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
        queries.forget_alias_paths()


@receiver(post_save)
def _page_saved(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.alias_of_id:
        queries.forget_alias_paths()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender, instance, **kwargs):
    queries.forget_restricted_paths()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete)
def _single_section_changed(sender, instance, **kwargs):
    if isinstance(instance, Page) and queries.is_section(sender):
        queries.forget_section_urls(model=sender)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed_for_sections(sender, instance, **kwargs):
    queries.forget_section_urls()
