from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .choices import ActivityStatus

if TYPE_CHECKING:
    from .models import Activity, CommunicationPlanPage, CostItem


@dataclass
class CostSummary:
    """What is known of a cost: the sum of the priced items, and how much is not priced.

    An activity with no cost items at all is not costed either: it is never counted as zero."""

    known: Decimal = Decimal("0")
    items: int = 0
    unpriced: int = 0
    activities_without_items: int = 0

    @property
    def is_complete(self) -> bool:
        return self.unpriced == 0 and self.activities_without_items == 0 and self.items > 0

    @property
    def has_known(self) -> bool:
        return self.items > self.unpriced

    def add(self, items: list[CostItem]) -> None:
        """Count one activity's cost items."""
        if not items:
            self.activities_without_items += 1
        for item in items:
            self.items += 1
            total = item.total
            if total is None:
                self.unpriced += 1
            else:
                self.known += total


@dataclass
class Budget:
    total: CostSummary = field(default_factory=CostSummary)
    by_status: dict[str, CostSummary] = field(default_factory=dict)
    by_activity: dict[int, CostSummary] = field(default_factory=dict)

    def status_rows(self) -> list[tuple[str, CostSummary]]:
        return [
            (label, self.by_status[value])
            for value, label in ActivityStatus.choices
            if value in self.by_status
        ]


def communication_plan() -> CommunicationPlanPage | None:
    from .models import CommunicationPlanPage

    return CommunicationPlanPage.objects.live().first()


def plan_url() -> str | None:
    """The plan page's URL: every link to an activity needs it."""
    from programme.queries import section_url

    from .models import CommunicationPlanPage

    return section_url(model=CommunicationPlanPage)


def activities() -> QuerySet[Activity]:
    from .models import Activity

    return Activity.objects.prefetch_related("target_groups", "cost_items")


def published_activities() -> QuerySet[Activity]:
    return activities().filter(live=True)


def disseminated_pages(*, activity: Activity) -> list[tuple[str, Page]]:
    """The live reports, findings and themes an activity disseminates, as (kind, page), in one query."""
    from programme.queries import public

    kinds = {"report": _("Rapport"), "finding": _("Funn"), "theme": _("Tema")}
    pages = (
        public(Page.objects.live())
        .filter(
            Q(researchreportpage__activities=activity)
            | Q(findingpage__activities=activity)
            | Q(themepage__activities=activity)
        )
        .annotate(
            kind=Case(
                When(researchreportpage__activities=activity, then=Value("report")),
                When(findingpage__activities=activity, then=Value("finding")),
                default=Value("theme"),
            )
        )
        .distinct()
        .order_by("path")
    )
    order = list(kinds)
    return sorted(((kinds[page.kind], page) for page in pages), key=lambda row: order.index(row[1].kind))


DISSEMINATED = {"researchreportpage": "reports", "findingpage": "findings", "themepage": "themes"}


def activities_disseminating(*, page) -> QuerySet[Activity]:
    """Published activities that disseminate a report, finding or theme page."""
    return published_activities().filter(**{DISSEMINATED[page._meta.model_name]: page})


def budget(*, activities: Iterable[Activity]) -> Budget:
    result = Budget()
    for activity in activities:
        items = list(activity.cost_items.all())
        for summary in (
            result.total,
            result.by_status.setdefault(activity.status, CostSummary()),
            result.by_activity.setdefault(activity.pk, CostSummary()),
        ):
            summary.add(items)
    return result


STATUS_ORDER = [ActivityStatus.PLANNED, ActivityStatus.ADOPTED, ActivityStatus.PROPOSED, ActivityStatus.DONE]


def activities_by_status(*, activities: Iterable[Activity]) -> list[tuple[str, str, list[Activity]]]:
    """Published activities grouped by status (planned first, rejected last), dated ones by date."""
    order = [*STATUS_ORDER, ActivityStatus.REJECTED]
    groups: dict[str, list[Activity]] = {}
    for activity in activities:
        groups.setdefault(activity.status, []).append(activity)
    result = []
    for status in order:
        members = groups.get(status)
        if members:
            members.sort(
                key=lambda a: (a.starts_on is None, a.starts_on or dt.date.max, a.sort_order, a.title)
            )
            result.append((status.value, status.label, members))
    return result


def activities_by_month(*, activities: Iterable[Activity]) -> list[tuple[dt.date, list[Activity]]]:
    """Dated activities under the first day of each month they touch, in date order."""
    months: dict[dt.date, list[Activity]] = {}
    for activity in activities:
        if not activity.starts_on:
            continue
        month = activity.starts_on.replace(day=1)
        last = (activity.ends_on or activity.starts_on).replace(day=1)
        while month <= last:
            months.setdefault(month, []).append(activity)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(months.items())
