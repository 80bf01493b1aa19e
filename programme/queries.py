from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Q, QuerySet
from wagtail.models import Page, Site

if TYPE_CHECKING:
    from .models import ProgrammePage, ProgrammeRole, Remark, ThemeIndexPage, ThemePage

MENU_CACHE_KEY = "programme:menu:{root_id}"
RESTRICTED_PATHS_CACHE_KEY = "programme:restricted-paths"
ALIAS_PATHS_CACHE_KEY = "programme:alias-paths"


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str


def programme_roles(*, programme: ProgrammePage) -> QuerySet[ProgrammeRole]:
    return programme.roles.all()


def restricted_paths() -> list[str]:
    """Tree paths of pages with a view restriction, cached until a restriction changes.

    Wagtail's `QuerySet.public()` reads every restriction on each call; public pages call it
    for each list they show, so the paths are kept in the cache instead (see signals.py)."""
    paths = cache.get(RESTRICTED_PATHS_CACHE_KEY)
    if paths is None:
        from wagtail.models import PageViewRestriction

        paths = sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
        cache.set(RESTRICTED_PATHS_CACHE_KEY, paths, None)
    return paths


def forget_restricted_paths() -> None:
    cache.delete(RESTRICTED_PATHS_CACHE_KEY)


def alias_paths() -> list[str]:
    """Tree paths of alias pages (whose restrictions are their source page's), cached."""
    paths = cache.get(ALIAS_PATHS_CACHE_KEY)
    if paths is None:
        paths = sorted(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))
        cache.set(ALIAS_PATHS_CACHE_KEY, paths, None)
    return paths


def forget_alias_paths() -> None:
    cache.delete(ALIAS_PATHS_CACHE_KEY)


def may_be_restricted(*, page: Page) -> bool:
    """Whether a view restriction can apply to `page`: one on it or an ancestor, or an alias on
    its path (Wagtail then checks the alias's source)."""
    return any(page.path.startswith(path) for path in (*restricted_paths(), *alias_paths()))


def public(pages: QuerySet) -> QuerySet:
    """`pages` without those under a view restriction (what `.public()` does, from the cache)."""
    query = Q()
    for path in restricted_paths():
        query |= Q(path__startswith=path)
    return pages.exclude(query) if query else pages


def menu_pages(*, root: Page) -> QuerySet[Page]:
    """The sections shown in the top navigation: live children of the root marked for menus."""
    return public(root.get_children().live().in_menu())


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

    pages = public(ThemePage.objects.live().order_by("number"))
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


def theme_activities(*, theme: ThemePage) -> QuerySet:
    """Published communication activities that tell about the theme."""
    return theme.activities.filter(live=True).order_by("sort_order")


def across_theme_remarks() -> QuerySet[Remark]:
    from .models import Remark

    return Remark.objects.filter(across_themes=True).order_by("number")


# --- indicators, budget and funding --------------------------------------------------------


if TYPE_CHECKING:
    from decimal import Decimal

    from .models import BudgetCategory, BudgetPage, FundingSource, Indicator, IndicatorIndexPage


def indicators_with_observations() -> QuerySet[Indicator]:
    """Every indicator with its observations and their areas, in two queries whatever their number."""
    from django.db.models import Prefetch

    from .models import Indicator, Observation

    return Indicator.objects.select_related("baseline_area").prefetch_related(
        Prefetch("observations", queryset=Observation.objects.select_related("area"))
    )


def indicator_index_page() -> IndicatorIndexPage | None:
    from .models import IndicatorIndexPage

    return public(IndicatorIndexPage.objects.live()).first()


def budget_page() -> BudgetPage | None:
    from .models import BudgetPage

    return public(BudgetPage.objects.live()).first()


SECTION_URL_CACHE_KEY = "programme:section-url:{model}"
SECTION_MODELS = ("programme.indicatorindexpage", "programme.budgetpage")


def section_url(*, model: type[Page]) -> str | None:
    """The URL of the live, public page of `model` (a section with one page, such as the
    indicators or the budget), cached: the programme page links to them on every request.
    Forgotten when such a page is published, unpublished, moved or deleted (see signals.py)."""
    key = SECTION_URL_CACHE_KEY.format(model=model._meta.label_lower)
    url = cache.get(key)
    if url is None:
        page = public(model.objects.live()).first()
        url = page.url if page else ""
        cache.set(key, url, None)
    return url or None


def forget_section_urls() -> None:
    cache.delete_many([SECTION_URL_CACHE_KEY.format(model=label) for label in SECTION_MODELS])


def budget_categories() -> QuerySet[BudgetCategory]:
    from .models import BudgetCategory

    return BudgetCategory.objects.all()


@dataclass(frozen=True)
class FundingOverview:
    """Funding sources per status (granted first), and what is known of the granted total:
    the sum of the known amounts, and how many granted sources have none (never counted as 0)."""

    groups: list[tuple[str, str, list[FundingSource]]]
    granted_total: Decimal
    granted_without_amount: int

    @property
    def has_granted(self) -> bool:
        from .choices import FundingStatus

        return any(value == FundingStatus.GRANTED for value, _label, _sources in self.groups)


def funding_overview() -> FundingOverview:
    from decimal import Decimal

    from .choices import FundingStatus
    from .models import FundingSource

    sources = list(FundingSource.objects.all())
    order = [FundingStatus.GRANTED, FundingStatus.APPLIED, FundingStatus.POSSIBLE]
    groups = [
        (status.value, status.label, [source for source in sources if source.status == status])
        for status in order
        if any(source.status == status for source in sources)
    ]
    granted = [source for source in sources if source.status == FundingStatus.GRANTED]
    return FundingOverview(
        groups=groups,
        granted_total=sum((s.amount for s in granted if s.amount is not None), Decimal("0")),
        granted_without_amount=sum(1 for s in granted if s.amount is None),
    )
