from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import QuerySet
from wagtail.models import Page, Site

if TYPE_CHECKING:
    from .models import ProgrammePage, ProgrammeRole, Remark, ThemeIndexPage, ThemePage

MENU_CACHE_KEY = "programme:menu:{root_id}"


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str


def programme_roles(*, programme: ProgrammePage) -> QuerySet[ProgrammeRole]:
    return programme.roles.all()


def menu_pages(*, root: Page) -> QuerySet[Page]:
    """The sections shown in the top navigation: live children of the root marked for menus."""
    return root.get_children().live().public().in_menu()


def menu_items(*, root: Page) -> list[MenuItem]:
    """`menu_pages` as plain values, cached: every page shows them, and they change only when a
    section is published, unpublished, moved or deleted (see `forget_menu`)."""
    key = MENU_CACHE_KEY.format(root_id=root.pk)
    items = cache.get(key)
    if items is None:
        items = [MenuItem(page.title, page.url, page.path) for page in menu_pages(root=root)]
        cache.set(key, items, None)
    return items


def forget_menu(*, page: Page) -> None:
    """Drop the cached menu of the site root above `page` if `page` is a section or the root."""
    if page.depth <= 3:
        root_path = page.path[: Page.steplen * 2]
        for root in Page.objects.filter(path=root_path):
            cache.delete(MENU_CACHE_KEY.format(root_id=root.pk))


def site_root(*, request) -> Page | None:
    site = Site.find_for_request(request)
    return site.root_page if site else None


def themes(*, index: Page | None = None) -> QuerySet[ThemePage]:
    from .models import ThemePage

    pages = ThemePage.objects.live().public().order_by("number")
    return pages.child_of(index) if index is not None else pages


def themes_by_group(*, index: ThemeIndexPage | None = None) -> list[tuple[str, str, list[ThemePage]]]:
    """The themes in their two groups, in the order the programme presents them."""
    from .choices import ThemeGroup

    pages = list(themes(index=index).prefetch_related("remarks"))
    return [
        (value, label, [page for page in pages if page.group == value])
        for value, label in ThemeGroup.choices
        if any(page.group == value for page in pages)
    ]


def theme_remarks(*, theme: ThemePage) -> QuerySet[Remark]:
    return theme.remarks.order_by("number")


def across_theme_remarks() -> QuerySet[Remark]:
    from .models import Remark

    return Remark.objects.filter(across_themes=True).order_by("number")
