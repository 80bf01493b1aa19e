from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Page, Site

from config.generation import site_structure

if TYPE_CHECKING:
    from .models import ProgrammePage, ProgrammeRole, Remark, ThemeIndexPage, ThemePage
    from .models.milestones import Milestone, MilestoneQuerySet, Phase, TimelinePage

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

    def load() -> list[str]:
        from wagtail.models import PageViewRestriction

        return sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))

    return site_structure.get_or_set(RESTRICTED_PATHS_CACHE_KEY, load)


def forget_restricted_paths() -> None:
    site_structure.forget(RESTRICTED_PATHS_CACHE_KEY)


def alias_paths() -> list[str]:
    """Tree paths of alias pages (whose restrictions are their source page's), cached."""
    return site_structure.get_or_set(
        ALIAS_PATHS_CACHE_KEY,
        lambda: sorted(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
    )


def forget_alias_paths() -> None:
    site_structure.forget(ALIAS_PATHS_CACHE_KEY)


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
    return site_structure.get_or_set(
        MENU_CACHE_KEY.format(root_id=root.pk),
        lambda: [MenuItem(page.title, page.url, page.path) for page in menu_pages(root=root)],
    )


def forget_menu(*, page: Page) -> None:
    """Drop the cached menu of the site root above `page` if `page` is a section or the root."""
    if page.depth <= 3:
        root_path = page.path[: Page.steplen * 2]
        for root in Page.objects.filter(path=root_path):
            site_structure.forget(MENU_CACHE_KEY.format(root_id=root.pk))


def forget_site_structure() -> None:
    """Forget every cached part of the site's structure, for when the database has changed
    under the caches (a restore, a change made directly in the database): the menus, restricted
    and alias paths, the sections' addresses and Wagtail's site root paths."""
    from wagtail.models import Site

    roots = Page.objects.filter(depth=2).values_list("pk", flat=True)
    site_structure.forget(
        RESTRICTED_PATHS_CACHE_KEY,
        ALIAS_PATHS_CACHE_KEY,
        *(MENU_CACHE_KEY.format(root_id=root_id) for root_id in roots),
    )
    forget_section_urls()
    Site.clear_site_root_paths_cache()


def purge_all_caches() -> None:
    """Every cached page and the whole site structure, made again from the database on their
    next use: after a restore, a change made directly in the database, or an outage of the
    shared cache during which purges were lost."""
    from config.pagecache import purge_path

    forget_site_structure()
    purge_path("/", tree=True)


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

    pages = list(themes(index=index))
    _attach_remark_numbers(pages)
    return [
        (value, label, [page for page in pages if page.group == value])
        for value, label in ThemeGroup.choices
        if any(page.group == value for page in pages)
    ]


def _attach_remark_numbers(pages: list[ThemePage]) -> None:
    """Give each theme its remark numbers (`remark_number_list`, ascending) with one query for
    them all, where the lists need no `Remark` objects."""
    from .models import ThemePage

    numbers: dict[int, list[int]] = {page.pk: [] for page in pages}
    links = ThemePage.remarks.through.objects.filter(themepage_id__in=numbers).order_by("remark__number")
    for theme_id, number in links.values_list("themepage_id", "remark__number"):
        numbers[theme_id].append(number)
    for page in pages:
        page.remark_number_list = numbers[page.pk]


def theme_remarks(*, theme: ThemePage) -> QuerySet[Remark]:
    return theme.remarks.order_by("number")


def theme_activities(*, theme: ThemePage) -> QuerySet:
    """Published communication activities that tell about the theme."""
    return theme.activities.filter(live=True).order_by("sort_order")


def across_theme_remarks() -> QuerySet[Remark]:
    from .models import Remark

    return Remark.objects.filter(across_themes=True).order_by("number")


# --- phases and milestones ------------------------------------------------------------------

MILESTONE_PATH = "milepaeler/"
WORKING_COMMITTEE = "Arbeidsutvalg Flere i arbeid"
SOON_DAYS = 30


def timeline_page() -> TimelinePage | None:
    from .models import TimelinePage

    return public(TimelinePage.objects.live()).first()


def timeline_url() -> str | None:
    """The timeline page's URL: every link to a milestone needs it."""
    from .models import TimelinePage

    return section_url(model=TimelinePage)


def progress_pages() -> list[Page]:
    """The pages that show progress across all milestones: the programme page and the timeline
    (whose status report and milestone pages lie below it)."""
    from .models import ProgrammePage, TimelinePage

    return list(Page.objects.live().type(ProgrammePage, TimelinePage))


def phases() -> QuerySet[Phase]:
    from .models import Phase

    return Phase.objects.prefetch_related("rows").order_by("number")


def current_phases(*, phases: list[Phase], today: dt.date) -> list[Phase]:
    """The phases under way on `today` (phases overlap: Høst 21 is in phases 2 and 3)."""
    return [phase for phase in phases if phase.is_current(today=today)]


def milestones(*, today: dt.date | None = None) -> MilestoneQuerySet:
    """Every milestone, published or not, with `overdue` for `today`."""
    from .models import Milestone

    today = today or timezone.localdate()
    return (
        Milestone.objects.select_related("theme", "phase")
        .with_overdue(today=today)
        .order_by("due_date", "title")
    )


def published_milestones(*, today: dt.date | None = None) -> MilestoneQuerySet:
    return milestones(today=today).filter(live=True)


def theme_milestones(*, theme: ThemePage, today: dt.date | None = None) -> MilestoneQuerySet:
    return published_milestones(today=today).filter(theme=theme)


def milestones_for_recommendation(*, recommendation, today: dt.date | None = None) -> MilestoneQuerySet:
    """Published milestones that act on a recommendation."""
    return published_milestones(today=today).filter(recommendations=recommendation)


def milestone_decisions(*, milestone: Milestone) -> QuerySet:
    """The decisions (case items) behind a milestone, on live, public meeting pages."""
    from meetings.models import MeetingPage
    from meetings.queries import case_item_exempt_now_q

    meetings = public(MeetingPage.objects.live())
    return (
        # A milestone's reader is anyone: an exempt decision (unntatt offentlighet) is left out.
        milestone.decisions.filter(meeting__in=meetings)
        .exclude(case_item_exempt_now_q())
        .select_related("meeting", "meeting__body")
        .order_by("meeting__starts_at", "sort_order")
    )


def milestone_recommendations(*, milestone: Milestone) -> QuerySet:
    return public(milestone.recommendations.live()).order_by("sort_order", "path")


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Progress:
    counts: list[StatusCount]
    overdue: int
    total: int


def milestone_progress(*, today: dt.date, milestones: QuerySet | None = None) -> Progress:
    """How many published milestones are in each of the six statuses, and how many are overdue,
    in one query."""
    from .choices import MilestoneStatus
    from .models import Milestone

    rows = milestones if milestones is not None else Milestone.objects.published()
    # Grouped by status (at most six rows): Django compiles this far faster than eight
    # filtered counts in one aggregate.
    by_status = {
        row["status"]: row
        for row in rows.order_by()
        .values("status")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)))
    }
    closed = {str(status) for status in MilestoneStatus.closed()}
    totals = {
        "total": sum(row["total"] for row in by_status.values()),
        "overdue": sum(row["late"] for status, row in by_status.items() if status not in closed),
    }
    counts = [
        StatusCount(value, label, by_status[value]["total"] if value in by_status else 0)
        for value, label in MilestoneStatus.choices
    ]
    return Progress(counts=counts, overdue=totals["overdue"], total=totals["total"])


def timeline_context(*, today: dt.date, timeline: TimelinePage | None = None) -> dict:
    """Everything the timeline page shows, in four queries."""
    from .timeline import build_timeline

    phase_list = list(phases())
    milestone_list = list(published_milestones(today=today).order_by("phase__number", "due_date", "title"))
    chart = build_timeline(phases=phase_list, milestones=milestone_list, today=today)
    sections = [
        (phase, chart.phase_spans.get(phase.pk, ""), [m for m in milestone_list if m.phase_id == phase.pk])
        for phase in phase_list
    ]
    return {
        "timeline": chart,
        "phase_sections": sections,
        "current_phases": [
            (phase, chart.phase_spans.get(phase.pk, ""))
            for phase in current_phases(phases=phase_list, today=today)
        ],
        "status_report_page": status_report_page(timeline=timeline) if timeline is not None else None,
        "milestone_base": f"{timeline.url}{MILESTONE_PATH}" if timeline is not None else milestone_base_url(),
        "today": today,
    }


def status_report_page(*, timeline: TimelinePage):
    from .models import StatusReportPage

    return public(StatusReportPage.objects.live().child_of(timeline)).first()


def programme_progress(*, today: dt.date) -> dict:
    """What the programme page shows of the progress: the current phase(s) and the counts."""
    from .models import Phase
    from .terms import span_label, term_columns

    phase_list = list(Phase.objects.order_by("number"))
    columns = (
        term_columns(min(p.starts_on for p in phase_list), max(p.ends_on for p in phase_list))
        if phase_list
        else []
    )
    current = current_phases(phases=phase_list, today=today)
    return {
        "current_phases": [(phase, span_label(phase.starts_on, phase.ends_on, columns)) for phase in current],
        "programme_over": bool(phase_list) and today > max(p.ends_on for p in phase_list),
        "programme_ahead": bool(phase_list) and today < min(p.starts_on for p in phase_list),
        "progress": milestone_progress(today=today),
        "timeline_url": timeline_url(),
        "today": today,
    }


def last_committee_meeting(*, before: dt.datetime, body_name: str = WORKING_COMMITTEE):
    """The working committee's last held meeting before `before`, or None."""
    from meetings.choices import MeetingStatus
    from meetings.models import MeetingPage

    return (
        public(MeetingPage.objects.live())
        .filter(body__name=body_name, status=MeetingStatus.HELD, starts_at__lt=before)
        .order_by("-starts_at")
        .first()
    )


@dataclass(frozen=True)
class StatusReport:
    start: dt.date
    end: dt.date
    completed: list[Milestone]
    due: list[Milestone]
    late: list[Milestone]


def status_report(*, start: dt.date, end: dt.date) -> StatusReport:
    """Published milestones completed in the period, due in it, and late at its end, in one query."""
    from .choices import MilestoneStatus

    completed = Q(completed_on__gte=start, completed_on__lte=end)
    due = Q(due_date__gte=start, due_date__lte=end)
    late = (
        ~Q(status=MilestoneStatus.CANCELLED)
        & Q(due_date__lt=end)
        & (Q(completed_on__isnull=True) | Q(completed_on__gt=end))
    )
    rows = list(published_milestones(today=end + dt.timedelta(days=1)).filter(completed | due | late))
    return StatusReport(
        start=start,
        end=end,
        completed=sorted(
            (m for m in rows if m.completed_on and start <= m.completed_on <= end),
            key=lambda m: (m.completed_on, m.title),
        ),
        due=[m for m in rows if start <= m.due_date <= end],
        late=[m for m in rows if m.is_late_at(day=end)],
    )


@dataclass
class ThemeStatusRow:
    label: str
    counts: list[int]
    total: int


def status_counts_by_theme() -> list[ThemeStatusRow]:
    """Milestones per theme and status (drafts included), in one query; programme-wide last."""
    from .choices import MilestoneStatus
    from .models import Milestone

    values = [value for value, _label in MilestoneStatus.choices]
    rows: dict[tuple[int, str], dict[str, int]] = {}
    for row in (
        Milestone.objects.values("theme__number", "theme__title", "status")
        .annotate(n=Count("pk"))
        .order_by("theme__number", "status")
    ):
        key = (row["theme__number"] or 99, row["theme__title"] or "")
        rows.setdefault(key, {})[row["status"]] = row["n"]
    result = []
    for (_number, title), counts in sorted(rows.items()):
        per_status = [counts.get(value, 0) for value in values]
        result.append(ThemeStatusRow(title or gettext("Hele programmet"), per_status, sum(per_status)))
    return result


def dashboard(*, today: dt.date, days: int = SOON_DAYS) -> dict:
    """The admin home panel: overdue, soon due, and the status count per theme (four queries)."""
    from .choices import MilestoneStatus

    rows = milestones(today=today)
    return {
        "overdue": list(rows.overdue(today=today)),
        "due_soon": list(rows.due_within(today=today, days=days)),
        "by_theme": status_counts_by_theme(),
        "statuses": MilestoneStatus.choices,
        "days": days,
        "today": today,
    }


def reminders(*, today: dt.date, days: int) -> dict:
    """Published, open milestones overdue or due within `days`, per owner account with an
    e-mail address; and how many such milestones have no owner to tell."""
    rows = list(
        published_milestones(today=today)
        .open()
        .filter(due_date__lte=today + dt.timedelta(days=days))
        .select_related("owner_user")
    )
    per_owner: dict = {}
    unreachable = 0
    for milestone in rows:
        user = milestone.owner_user
        if user is None or not user.email or not user.is_active:
            unreachable += 1
            continue
        overdue, soon = per_owner.setdefault(user, ([], []))
        (overdue if milestone.due_date < today else soon).append(milestone)
    return {"per_owner": per_owner, "unreachable": unreachable}


def milestone_owner_choices() -> list[tuple[str, str]]:
    """The owners named on milestones, for the admin's filter."""
    from .models import Milestone

    names = (
        Milestone.objects.exclude(owner_name="").order_by("owner_name").values_list("owner_name", flat=True)
    )
    return [(name, name) for name in names.distinct()]


def milestone_base_url() -> str | None:
    """Where milestone pages live (the timeline page's URL plus `MILESTONE_PATH`), cached."""
    url = timeline_url()
    return f"{url}{MILESTONE_PATH}" if url else None


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


def section_url(*, model: type[Page]) -> str | None:
    """The URL of the live, public page of `model`, a section with one page (`max_count = 1`:
    the timeline, the indicators, the communication plan …), cached: links to them and to what
    lies below them are on every page. Forgotten when such a page is published, unpublished,
    moved or deleted, or a view restriction changes (see signals.py)."""

    def load() -> str:
        page = public(model.objects.live()).first()
        return page.url if page else ""

    key = SECTION_URL_CACHE_KEY.format(model=model._meta.label_lower)
    return site_structure.get_or_set(key, load) or None


def is_section(model) -> bool:
    return getattr(model, "max_count", None) == 1


def forget_section_urls(*, model: type[Page] | None = None) -> None:
    """Forget the cached URL of one section's page, or of every section's."""
    from wagtail.models import get_page_models

    models = [model] if model is not None else [m for m in get_page_models() if is_section(m)]
    site_structure.forget(*(SECTION_URL_CACHE_KEY.format(model=m._meta.label_lower) for m in models))


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
