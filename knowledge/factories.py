"""Factories for tests and generated content (shared, as STYLE.md asks)."""

from __future__ import annotations

import factory
from wagtail_factories import PageFactory

from .choices import Addressee
from .models import FindingPage, LibraryIndexPage, RecommendationPage, ResearchReportPage


class ResearchReportPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Rapport {n}")
    slug = factory.Sequence(lambda n: f"rapport-{n}")
    summary = "Generert rapport."

    class Meta:
        model = ResearchReportPage


class FindingPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Funn {n}")
    slug = factory.Sequence(lambda n: f"funn-{n}")
    statement = "Generert funn om arbeidsmarkedsbedrifter."

    class Meta:
        model = FindingPage


class RecommendationPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Anbefaling {n}")
    slug = factory.Sequence(lambda n: f"anbefaling-{n}")
    text = "Generert anbefaling til kommunene."
    addressee = Addressee.choices[0][0]

    class Meta:
        model = RecommendationPage


def bulk_content(*, scale: int) -> None:
    """Generated library content for the benchmarks and the 10x query-budget test: `scale - 1`
    more reports, each with as many findings and recommendations as the seed's first report,
    tagged and linked to each other like the real ones."""
    library = LibraryIndexPage.objects.first()
    seed = ResearchReportPage.objects.child_of(library).first() if library else None
    if seed is None:
        return
    findings = FindingPage.objects.child_of(seed).count()
    recommendations = RecommendationPage.objects.child_of(seed).count()
    for n in range(scale - 1):
        report = ResearchReportPageFactory(
            parent=library, title=f"Generert rapport {n}", slug=f"generert-rapport-{n}"
        )
        report.tags.add("Generert", f"Rapport {n}")
        report.save_revision().publish()
        made = []
        for m in range(findings):
            finding = FindingPageFactory(
                parent=report, title=f"Generert funn {n}.{m}", slug=f"generert-funn-{n}-{m}"
            )
            finding.tags.add("Generert")
            finding.save()
            made.append(finding)
        for m in range(recommendations):
            recommendation = RecommendationPageFactory(
                parent=report, title=f"Generert anbefaling {n}.{m}", slug=f"generert-anbefaling-{n}-{m}"
            )
            recommendation.findings.set(made[m % len(made) : m % len(made) + 2] if made else [])
            recommendation.tags.add("Generert")
            recommendation.save()
