"""Factories for tests and generated content (shared, as STYLE.md asks)."""

import factory

from .models import Activity, CostItem, TargetGroup


class TargetGroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Målgruppe {n}")

    class Meta:
        model = TargetGroup


class ActivityFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    slug = factory.Sequence(lambda n: f"aktivitet-{n}")
    kind = "foredrag"
    status = "planlagt"
    live = True

    class Meta:
        model = Activity


class CostItemFactory(factory.django.DjangoModelFactory):
    activity = factory.SubFactory(ActivityFactory)
    description = factory.Sequence(lambda n: f"Post {n}")

    class Meta:
        model = CostItem


def bulk_content(*, scale: int) -> None:
    """Generated activities for the web benchmark: `scale` times the seed's number."""
    for n in range(Activity.objects.count() * (scale - 1)):
        activity = ActivityFactory(title=f"Generert aktivitet {n}", slug=f"generert-{n}")
        CostItemFactory(activity=activity, amount=1000 + n)
