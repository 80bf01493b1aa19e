"""Writes that reach past one model in the programme app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import ThemePage


def theme_milestones_reindex(*, theme: ThemePage) -> int:
    """Index the theme's milestones again: their search entries hold the theme's title while the
    theme is live (`Milestone.public_theme_title`), so a theme published (perhaps renamed) or
    unpublished leaves them stale. Returns how many were indexed."""
    from wagtail.search.index import insert_or_update_object

    from .models import Milestone

    milestones = list(Milestone.objects.filter(theme_id=theme.pk).select_related("theme"))
    for milestone in milestones:
        insert_or_update_object(milestone)
    return len(milestones)
