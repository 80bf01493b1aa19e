from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

from programme.queries import public

if TYPE_CHECKING:
    from .models import FindingPage, LibraryIndexPage, RecommendationPage, ResearchReportPage


def reports(*, library: LibraryIndexPage | None = None) -> QuerySet[ResearchReportPage]:
    from .models import ResearchReportPage

    pages = public(ResearchReportPage.objects.live())
    return pages.child_of(library) if library is not None else pages


def findings(*, report: ResearchReportPage | None = None) -> QuerySet[FindingPage]:
    from .models import FindingPage

    pages = public(FindingPage.objects.live().order_by("sort_order", "path"))
    return pages.child_of(report) if report is not None else pages


def recommendations(*, report: ResearchReportPage | None = None) -> QuerySet[RecommendationPage]:
    from .models import RecommendationPage

    pages = public(RecommendationPage.objects.live().order_by("sort_order", "path"))
    return pages.child_of(report) if report is not None else pages


def newest_findings_and_recommendations(*, limit: int) -> list:
    """The most recently first-published findings and recommendations, newest first; a live page
    without a publication date (made by an import, not by publishing) comes last."""
    newest_first = F("first_published_at").desc(nulls_last=True)
    newest = [
        *findings().prefetch_related("tags").order_by(newest_first, "path")[:limit],
        *recommendations().prefetch_related("tags").order_by(newest_first, "path")[:limit],
    ]
    return sorted(newest, key=_published_first, reverse=True)[:limit]


def _published_first(page) -> tuple:
    return (page.first_published_at is not None, page.first_published_at or 0)


def legal_sources(*, library: LibraryIndexPage | None = None):
    from .models import LegalSourcePage

    pages = public(LegalSourcePage.objects.live().order_by("title"))
    return pages.child_of(library) if library is not None else pages


def library_overview(*, library: LibraryIndexPage, tag: str = "") -> dict:
    """What the library's front page lists; `tag` narrows reports, findings and recommendations."""
    report_pages = reports(library=library).prefetch_related("tags")
    finding_pages = findings()
    recommendation_pages = recommendations()
    if tag:
        # The tag's own view lists everything that carries it (a finding or a recommendation is
        # often tagged without its report), and no legal sources: they carry no tags.
        tagged_findings = list(finding_pages.filter(tags__name=tag).distinct())
        tagged_recommendations = list(recommendation_pages.filter(tags__name=tag).distinct())
        return {
            "reports": report_pages.filter(tags__name=tag).distinct(),
            "findings": tagged_findings,
            "recommendations": tagged_recommendations,
            "finding_count": len(tagged_findings),
            "recommendation_count": len(tagged_recommendations),
            "legal_sources": [],
            "tag": tag,
        }
    return {
        "reports": report_pages,
        "finding_count": finding_pages.count(),
        "recommendation_count": recommendation_pages.count(),
        "legal_sources": legal_sources(library=library),
        "tag": tag,
    }


def report_contents(*, report: ResearchReportPage) -> dict:
    return {
        "part_reports": reports().child_of(report).order_by("path"),
        "findings": findings(report=report),
        "recommendations": recommendations(report=report),
        "tags": report.tags.all(),
        "activities": report.activities.filter(live=True).order_by("sort_order"),
    }


def finding_links(*, finding: FindingPage) -> dict:
    return {
        "recommendations": public(finding.recommendations.live().order_by("sort_order")),
        "legal_sections": finding.legal_sections.select_related("page"),
        "tags": finding.tags.all(),
        "activities": finding.activities.filter(live=True).order_by("sort_order"),
        "report": _parent_report(finding),
    }


def recommendation_links(*, recommendation: RecommendationPage) -> dict:
    return {
        "findings": public(recommendation.findings.live().order_by("sort_order")),
        "tags": recommendation.tags.all(),
        "report": _parent_report(recommendation),
    }


def _parent_report(page) -> ResearchReportPage:
    from .models import ResearchReportPage

    return ResearchReportPage.objects.only("title", "url_path", "path", "depth").get(
        path=page.path[: -page.steplen]
    )
