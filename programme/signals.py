from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from config.generation import site_structure

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
def _footer_page_changed(sender, instance, **kwargs):
    """Every page links to some pages in its footer (`linked_from_every_page`: the accessibility
    statement, open data): when such a page's address may have changed, cached copies of the
    whole site are stale. Connected before _single_section_changed, which forgets the cached
    address this compares with."""
    from config import pagecache

    model = type(instance)
    if not (isinstance(instance, Page) and getattr(model, "linked_from_every_page", False)):
        return
    key = queries.SECTION_URL_CACHE_KEY.format(model=model._meta.label_lower)
    cached = site_structure.peek(key)
    site_structure.forget(key)
    if kwargs.get("revision") is not None and cached == instance.url:
        return  # published at the same address: only the page itself changed
    transaction.on_commit(lambda: pagecache.purge_path("/", tree=True))


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


@receiver(page_published)
@receiver(page_unpublished)
def _theme_changed(sender, instance, **kwargs):
    from .models import ThemePage
    from .services import theme_milestones_reindex

    if isinstance(instance, ThemePage):
        theme_milestones_reindex(theme=instance)
