"""Loads the knowledge library from knowledge/data/: legal sources, the research project with its
part-reports, findings and recommendations."""

from __future__ import annotations

from programme import roles
from programme.content import Entry, LoadContext, upsert_page
from programme.loaders import TEXT_BLOCK_TYPES, stream

from .choices import Addressee, FollowUpStatus, LegalKind
from .models import (
    FindingPage,
    LegalSection,
    LegalSourcePage,
    LibraryIndexPage,
    RecommendationPage,
    ResearchReportPage,
)


def _points(entry: Entry, key: str) -> list[dict]:
    """A plain list of strings in the data file, stored as one point list block."""
    points = entry.strings(key, required=False)
    return [{"type": "points", "value": {"heading": "", "points": points}}] if points else []


def _set_tags(ctx: LoadContext, page, names: list[str]) -> None:
    if sorted(page.tags.names()) != sorted(names):
        page.tags.set(names, clear=True)
        page.save_revision().publish()
        ctx.count("updated")


def _set_relation(ctx: LoadContext, page, relation: str, targets: list) -> None:
    if set(getattr(page, relation).values_list("pk", flat=True)) != {target.pk for target in targets}:
        setattr(page, relation, targets)
        page.save_revision().publish()
        ctx.count("updated")


def load(ctx: LoadContext) -> None:
    library_data = ctx.read("knowledge", "library.yaml")
    entry = library_data["library"]
    library = upsert_page(
        ctx,
        parent=ctx.state["programme"],
        model=LibraryIndexPage,
        slug=entry.text("slug"),
        fields={"title": entry.text("title"), "intro": entry.text("intro"), "show_in_menus": True},
    )
    roles.grant_page_permissions(roles.EDITOR, library)
    sections = _load_legal_sources(ctx, library)
    report = _load_report(ctx, library, library_data["report"])
    findings = {}
    for position, item in enumerate(library_data.items("findings")):
        finding = upsert_page(
            ctx,
            parent=report,
            model=FindingPage,
            slug=item.text("slug"),
            fields={
                "title": item.text("title"),
                "statement": item.text("statement"),
                "evidence": _points(item, "evidence"),
                "sort_order": position,
            },
        )
        cited = []
        for reference in item.items("legal_sections", required=False):
            if reference.data not in sections:
                raise reference.error(f"ukjent bestemmelse {reference.data!r} (skriv «kilde#anker»)")
            cited.append(sections[reference.data])
        _set_relation(ctx, finding, "legal_sections", cited)
        _set_tags(ctx, finding, item.strings("tags", required=False))
        findings[item.text("slug")] = finding
    ctx.state["findings"] = findings
    for position, item in enumerate(library_data.items("recommendations")):
        recommendation = upsert_page(
            ctx,
            parent=report,
            model=RecommendationPage,
            slug=item.text("slug"),
            fields={
                "title": item.text("title"),
                "text": item.text("text"),
                "details": _points(item, "details"),
                "addressee": item.choice("addressee", Addressee),
                "status": item.choice("status", FollowUpStatus, default=FollowUpStatus.NOT_ASSESSED),
                "sort_order": position,
            },
        )
        behind = []
        for slug in item.items("findings", required=False):
            if slug.data not in findings:
                raise slug.error(f"ukjent funn {slug.data!r}")
            behind.append(findings[slug.data])
        _set_relation(ctx, recommendation, "findings", behind)
        _set_tags(ctx, recommendation, item.strings("tags", required=False))


def _load_report(ctx: LoadContext, library: LibraryIndexPage, entry: Entry) -> ResearchReportPage:
    fields = {
        "title": entry.text("title"),
        "subtitle": entry.text("subtitle", required=False),
        "authors": entry.text("authors", required=False),
        "commissioner": entry.text("commissioner", required=False),
        "funding_programme": entry.text("funding_programme", required=False),
        "year": entry.integer("year", required=False),
        "summary": entry.text("summary", required=False),
        "background": stream(entry, "background", TEXT_BLOCK_TYPES, required=False),
        "research_questions": stream(entry, "research_questions", TEXT_BLOCK_TYPES, required=False),
        "methods": stream(entry, "methods", TEXT_BLOCK_TYPES, required=False),
        "timeline": [
            {
                "type": "entry",
                "value": {
                    "when": step.text("when"),
                    "what": step.text("what"),
                    "details": step.strings("details", required=False),
                },
            }
            for step in entry.items("timeline", required=False)
        ],
    }
    report = upsert_page(
        ctx, parent=library, model=ResearchReportPage, slug=entry.text("slug"), fields=fields
    )
    _set_tags(ctx, report, entry.strings("tags", required=False))
    ctx.state["report"] = report
    for part in entry.items("part_reports", required=False):
        upsert_page(
            ctx,
            parent=report,
            model=ResearchReportPage,
            slug=part.text("slug"),
            fields={
                "title": part.text("title"),
                "subtitle": part.text("subtitle", required=False),
                "authors": fields["authors"],
                "commissioner": fields["commissioner"],
                "funding_programme": fields["funding_programme"],
            },
        )
    return report


def _load_legal_sources(ctx: LoadContext, library: LibraryIndexPage) -> dict[str, LegalSection]:
    data = ctx.read("knowledge", "legal.yaml")
    sections: dict[str, LegalSection] = {}
    for entry in data.items("sources"):
        rows = []
        for position, section in enumerate(entry.items("sections")):
            label = section.text("label", required=False)
            rows.append(
                {
                    "label": label,
                    "text": section.text("text", required=False),
                    "note": section.text("note", required=False),
                    "anchor": section.text("anchor", required=False)
                    or LegalSection.anchor_for(label, position),
                    "sort_order": position,
                }
            )
        anchors = [row["anchor"] for row in rows]
        if len(set(anchors)) != len(anchors):
            raise entry.error("to bestemmelser har samme anker")
        source = upsert_page(
            ctx,
            parent=library,
            model=LegalSourcePage,
            slug=entry.text("slug"),
            fields={
                "title": entry.text("short_title"),
                "kind": entry.choice("kind", LegalKind),
                "short_title": entry.text("short_title"),
                "official_title": entry.text("official_title", required=False),
                "lovdata_id": entry.text("lovdata_id", required=False),
                "note": entry.text("note", required=False),
            },
            children={"sections": rows},
        )
        for section in source.sections.all():
            sections[f"{source.slug}#{section.anchor}"] = section
    return sections
