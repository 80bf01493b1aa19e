from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from wagtail.models import Page, Site

if TYPE_CHECKING:
    from .models import ProgrammePage, ProgrammeRole


def programme_roles(*, programme: ProgrammePage) -> QuerySet[ProgrammeRole]:
    return programme.roles.all()


def menu_pages(*, root: Page) -> QuerySet[Page]:
    """The sections shown in the top navigation: live children of the root marked for menus."""
    return root.get_children().live().public().in_menu()


def site_root(*, request) -> Page | None:
    site = Site.find_for_request(request)
    return site.root_page if site else None
