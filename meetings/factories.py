"""Factories for tests and generated content (shared, as STYLE.md asks)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from wagtail_factories import PageFactory

from .choices import MeetingStatus, VoteKind
from .models import Body, CaseItem, MeetingIndexPage, MeetingPage


class BodyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Utvalg {n}")

    class Meta:
        model = Body


class MeetingPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Møte {n}")
    slug = factory.Sequence(lambda n: f"mote-{n}")
    body = factory.LazyFunction(lambda: Body.objects.first() or BodyFactory())
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2022, 3, 9, 11, 0)))
    status = MeetingStatus.HELD

    class Meta:
        model = MeetingPage


def bulk_content(*, scale: int) -> None:
    """Generated meetings for the benchmarks and the 10x query-budget test: `scale - 1` times the
    seed's meetings, each with a decided case linked to a theme and a recommendation."""
    from knowledge.models import RecommendationPage
    from programme.models import ThemePage

    index = MeetingIndexPage.objects.first()
    if index is None:
        return
    body = Body.objects.order_by("pk").first()
    themes = list(ThemePage.objects.order_by("number"))
    recommendations = list(RecommendationPage.objects.order_by("pk")[:3])
    start = timezone.make_aware(dt.datetime(2022, 1, 5, 11, 0))
    for n in range(MeetingPage.objects.count() * (scale - 1)):
        meeting = MeetingPageFactory(
            parent=index,
            title=f"Generert møte {n}",
            slug=f"generert-mote-{n}",
            body=body,
            starts_at=start + dt.timedelta(days=7 * n),
        )
        item = CaseItem.objects.create(
            meeting=meeting,
            title=f"Generert sak {n}",
            decision="Forslaget vedtas.",
            vote=VoteKind.UNANIMOUS,
            case_number=f"{n + 1}/{(start + dt.timedelta(days=7 * n)).year % 100:02d}",
        )
        if themes:
            item.themes.add(themes[n % len(themes)])
        if recommendations:
            item.recommendations.add(recommendations[n % len(recommendations)])
