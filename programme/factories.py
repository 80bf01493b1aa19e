"""Factories for tests and generated content (shared, as STYLE.md asks)."""

import datetime as dt

import factory

from .choices import MilestoneStatus
from .models import Milestone, Phase, PhaseRow


class PhaseFactory(factory.django.DjangoModelFactory):
    number = factory.Sequence(lambda n: n % 4 + 1)
    name = factory.Sequence(lambda n: f"Fase {n}")
    starts_on = dt.date(2021, 1, 1)
    ends_on = dt.date(2025, 6, 30)

    class Meta:
        model = Phase
        django_get_or_create = ("number",)


class PhaseRowFactory(factory.django.DjangoModelFactory):
    phase = factory.SubFactory(PhaseFactory)
    activity = factory.Sequence(lambda n: f"Aktivitet {n}")
    starts_on = dt.date(2022, 1, 1)
    ends_on = dt.date(2022, 12, 31)

    class Meta:
        model = PhaseRow


class MilestoneFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Milepæl {n}")
    slug = factory.Sequence(lambda n: f"milepael-{n}")
    phase = factory.LazyFunction(lambda: Phase.objects.order_by("number").first() or PhaseFactory(number=1))
    due_date = dt.date(2023, 6, 30)
    status = MilestoneStatus.NOT_STARTED
    live = True

    class Meta:
        model = Milestone


def bulk_content(*, scale: int) -> None:
    """Generated milestones for the benchmarks: `scale` times the seed's number, spread over the
    themes, phases and statuses, each linked to a recommendation and a decision when there are any."""
    from knowledge.models import RecommendationPage
    from meetings.models import CaseItem

    from .models import ThemePage

    themes = [None, *ThemePage.objects.order_by("number")]
    phases = list(Phase.objects.order_by("number"))
    recommendations = list(RecommendationPage.objects.all()[:3])
    decisions = list(CaseItem.objects.all()[:3])
    statuses = [value for value, _label in MilestoneStatus.choices]
    for n in range(Milestone.objects.count() * (scale - 1)):
        status = statuses[n % len(statuses)]
        phase = phases[n % len(phases)]
        milestone = MilestoneFactory(
            title=f"Generert milepæl {n}",
            slug=f"generert-milepael-{n}",
            theme=themes[n % len(themes)],
            phase=phase,
            due_date=phase.starts_on
            + dt.timedelta(days=(n * 37) % max((phase.ends_on - phase.starts_on).days, 1)),
            status=status,
            completed_on=phase.starts_on if status == MilestoneStatus.DONE else None,
        )
        if recommendations:
            milestone.recommendations.set([recommendations[n % len(recommendations)]])
        if decisions:
            milestone.decisions.set([decisions[n % len(decisions)]])
        milestone.save()
