"""Rows whose text is part of pages' search entries: a budget page holds its cost categories
and funding sources, the meetings overview its treatment plans. Saving or deleting such a row
indexes those pages again once the transaction commits (then an admin form's inline rows are
saved too), so the search finds what the pages show."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver


class ShownInSearchOf:
    """Mix into a model whose rows show in pages' search entries."""

    def search_pages(self) -> list:
        """The pages whose search entries hold this row's text."""
        raise NotImplementedError


def reindex_pages(pages) -> None:
    from wagtail.search.index import insert_or_update_object

    for page in pages:
        insert_or_update_object(page.specific)


@receiver(post_save)
@receiver(post_delete)
def _row_changed(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, ShownInSearchOf):
        return
    pages = instance.search_pages()
    if pages:
        transaction.on_commit(lambda: reindex_pages(pages))
