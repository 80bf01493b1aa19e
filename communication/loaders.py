"""Loads the communication plan, its target groups and activities from communication/data/."""

from __future__ import annotations

from knowledge.models import FindingPage, ResearchReportPage
from programme.content import Entry, LoadContext, upsert, upsert_page
from programme.models import ThemePage

from .choices import ActivityKind, ActivityStatus
from .models import Activity, CommunicationPlanPage, CostItem, TargetGroup


def load(ctx: LoadContext) -> None:
    data = ctx.read("communication", "communication.yaml")
    plan = data["plan"]
    upsert_page(
        ctx,
        parent=ctx.state["programme"],
        model=CommunicationPlanPage,
        slug=plan.text("slug"),
        fields={
            "title": plan.text("title"),
            "purpose": plan.text("purpose"),
            "background": plan.text("background", required=False),
            "period_start": plan.date("period_start", required=False),
            "period_end": plan.date("period_end", required=False),
            "show_in_menus": True,
        },
    )
    groups = {
        entry.text("name"): upsert(
            ctx,
            TargetGroup,
            lookup={"name": entry.text("name")},
            values={"description": entry.text("description", required=False)},
        )
        for entry in data.items("target_groups")
    }
    for position, entry in enumerate(data.items("activities")):
        _load_activity(ctx, entry, position, groups)


def _activity_values(entry: Entry, position: int) -> dict:
    return {
        "title": entry.text("title"),
        "kind": entry.choice("kind", ActivityKind),
        "status": entry.choice("status", ActivityStatus),
        "summary": entry.text("summary", required=False),
        "purposes": "\n".join(entry.strings("purposes", required=False)),
        "target_group_note": entry.text("target_group_note", required=False),
        "starts_on": entry.date("starts_on", required=False),
        "ends_on": entry.date("ends_on", required=False),
        "timing_note": entry.text("timing_note", required=False),
        "place": entry.text("place", required=False),
        "responsible": entry.text("responsible", required=False),
        "covered_by_contract": entry.boolean("covered_by_contract"),
        "funding_note": entry.text("funding_note", required=False),
        "sort_order": position,
    }


def _load_activity(ctx: LoadContext, entry: Entry, position: int, groups: dict[str, TargetGroup]) -> None:
    values = _activity_values(entry, position)
    items = [
        {
            "description": item.text("description"),
            "amount": item.decimal("amount", required=False),
            "unit": item.text("unit", required=False),
            "quantity": item.integer("quantity", required=False),
            "note": item.text("note", required=False),
        }
        for item in entry.items("cost_items", required=False)
    ]
    for item, row in zip(entry.items("cost_items", required=False), items, strict=True):
        if row["amount"] is not None and row["amount"] < 0:
            raise item.error("beløpet kan ikke være negativt")
    group_names = entry.strings("target_groups", required=False)
    unknown = [name for name in group_names if name not in groups]
    if unknown:
        raise entry.error(f"ukjent målgruppe: {', '.join(unknown)}")
    links = {
        "reports": _pages(entry, "reports", ResearchReportPage),
        "findings": _pages(entry, "findings", FindingPage),
        "themes": _pages(entry, "themes", ThemePage),
    }
    activity = Activity.objects.filter(slug=entry.text("slug")).first()
    if (
        activity is not None
        and activity.live
        and not _differs(activity, values, items, group_names)
        and not _links_differ(activity, links)
    ):
        ctx.count("unchanged")
        return
    created = activity is None
    activity = activity or Activity(slug=entry.text("slug"))
    for name, value in values.items():
        setattr(activity, name, value)
    activity.cost_items = [CostItem(sort_order=i, **row) for i, row in enumerate(items)]
    activity.target_groups = [groups[name] for name in group_names]
    for relation, pages in links.items():
        setattr(activity, relation, pages)
    activity.full_clean(exclude=["target_groups", *links])
    activity.save()
    activity.save_revision().publish()
    ctx.count("created" if created else "updated")


def _differs(activity: Activity, values: dict, items: list[dict], group_names: list[str]) -> bool:
    if any(getattr(activity, name) != value for name, value in values.items()):
        return True
    existing = (
        [{key: getattr(item, key) for key in items[0]} for item in activity.cost_items.all()] if items else []
    )
    if existing != items or activity.cost_items.count() != len(items):
        return True
    return sorted(group.name for group in activity.target_groups.all()) != sorted(group_names)


def _pages(entry: Entry, key: str, model) -> list:
    slugs = entry.strings(key, required=False)
    pages = {page.slug: page for page in model.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in pages]
    if missing:
        raise entry.error(f"«{key}» viser til sider som ikke finnes: {', '.join(missing)}")
    return [pages[slug] for slug in slugs]


def _links_differ(activity: Activity, links: dict[str, list]) -> bool:
    return any(
        set(getattr(activity, relation).values_list("pk", flat=True)) != {page.pk for page in pages}
        for relation, pages in links.items()
    )
