"""Loads the programme page (the site root) from programme/data/programme.yaml."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Page, Site

from .choices import FundingStatus, IndicatorUnit, RoleKind, ThemeGroup
from .content import Entry, LoadContext, upsert, upsert_page
from .models import (
    AccessibilityStatementPage,
    Area,
    BudgetCategory,
    BudgetPage,
    ConformanceStatus,
    FundingSource,
    Indicator,
    IndicatorIndexPage,
    Milestone,
    Observation,
    OpenDataPage,
    Phase,
    PhaseRow,
    ProgrammePage,
    Remark,
    StatusReportPage,
    ThemeIndexPage,
    ThemePage,
    TimelinePage,
)
from .models.indicators import PERIOD_PATTERN
from .terms import Term, parse_term

TEXT_BLOCK_TYPES = {"paragraph", "points"}


def stream(entry: Entry, key: str, allowed: set[str], *, required: bool = True) -> list[dict]:
    """Read a StreamField's blocks written as `- {type: ..., value: ...}`."""
    blocks = []
    for item in entry.items(key, required=required):
        block_type = item.text("type")
        if block_type not in allowed:
            raise item.error(f"ukjent blokktype {block_type!r} (gyldige: {', '.join(sorted(allowed))})")
        value = item["value"].data
        if block_type == "points":
            value = {
                "heading": item["value"].text("heading", required=False),
                "points": item["value"].strings("points"),
            }
        blocks.append({"type": block_type, "value": value})
    return blocks


def point_stream(entry: Entry, key: str, block_type: str) -> list[dict]:
    return [{"type": block_type, "value": text} for text in entry.strings(key)]


def load(ctx: LoadContext) -> None:
    data = ctx.read("programme", "programme.yaml")
    page = data["page"]
    roles = [
        {
            "kind": role.choice("kind", RoleKind),
            "name": role.text("name"),
            "description": role.text("description", required=False),
            "mandate": "\n".join(role.strings("mandate", required=False)),
            "members": "\n".join(role.strings("members", required=False)),
            "sort_order": position,
        }
        for position, role in enumerate(data.items("roles"))
    ]
    programme = upsert_page(
        ctx,
        parent=Page.get_first_root_node(),
        model=ProgrammePage,
        slug=page.text("slug"),
        fields={
            "title": page.text("title"),
            "lead": page.text("lead"),
            "purpose": page.text("purpose"),
            "period_start": page.date("period_start"),
            "period_end": page.date("period_end"),
            "principles": point_stream(page, "principles", "principle"),
            "ambitions": stream(page, "ambitions", TEXT_BLOCK_TYPES),
            "effects": stream(page, "effects", TEXT_BLOCK_TYPES | {"figure"}),
            "target_groups": point_stream(page, "target_groups", "group"),
            "approach": stream(page, "approach", TEXT_BLOCK_TYPES, required=False),
        },
        children={"roles": roles},
    )
    _make_site_root(programme)
    ctx.state["programme"] = programme
    load_themes(ctx, programme)
    load_timeline(ctx, programme)
    load_indicators(ctx, programme)
    load_budget(ctx, programme)
    load_open_data(ctx, programme)
    load_accessibility_statement(ctx, programme)


def _remark_numbers(entry: Entry, key: str) -> list[int]:
    numbers = []
    for item in entry.items(key):
        if isinstance(item.data, bool) or not isinstance(item.data, int) or not 1 <= item.data <= 40:
            raise item.error(f"en flertallsmerknad har et nummer fra 1 til 40, fikk {item.data!r}")
        numbers.append(item.data)
    return numbers


def load_themes(ctx: LoadContext, programme: ProgrammePage) -> None:
    data = ctx.read("programme", "themes.yaml")
    index_entry = data["index"]
    theme_entries = data.items("themes")
    across = set(_remark_numbers(index_entry, "across_themes_remarks"))
    per_theme = {entry.integer("number"): _remark_numbers(entry, "remarks") for entry in theme_entries}
    remarks = {
        number: upsert(ctx, Remark, lookup={"number": number}, values={"across_themes": number in across})
        for number in sorted(across.union(*per_theme.values()))
    }
    index = upsert_page(
        ctx,
        parent=programme,
        model=ThemeIndexPage,
        slug=index_entry.text("slug"),
        fields={
            "title": index_entry.text("title"),
            "intro": index_entry.text("intro"),
            "across_themes_owner": index_entry.text("across_themes_owner", required=False),
            "show_in_menus": True,
        },
    )
    ctx.state["themes"] = {}
    for entry in theme_entries:
        number = entry.integer("number")
        theme = upsert_page(
            ctx,
            parent=index,
            model=ThemePage,
            slug=entry.text("slug"),
            fields={
                "title": entry.text("title"),
                "number": number,
                "short_name": entry.text("short_name", required=False),
                "group": entry.choice("group", ThemeGroup),
                "responsible_organisation": entry.text("responsible_organisation"),
                "project_leader": entry.text("project_leader", required=False),
                "description": entry.text("description", required=False),
            },
        )
        wanted = {remarks[n].pk for n in per_theme[number]}
        if set(theme.remarks.values_list("pk", flat=True)) != wanted:
            theme.remarks = [remarks[n] for n in per_theme[number]]
            theme.save_revision().publish()
            ctx.count("updated")
        ctx.state["themes"][number] = theme


def _make_site_root(programme: ProgrammePage) -> None:
    """Point the default site at the programme page, with the public host name from settings
    (used for absolute URLs in the sitemap, feeds and the API)."""
    wanted = {
        "root_page_id": programme.pk,
        "site_name": programme.title,
        "hostname": settings.SITE_HOSTNAME,
        "port": settings.SITE_PORT,
    }
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(is_default_site=True, **wanted)
        return
    previous_root = site.root_page
    if any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()
    # Wagtail's migrations create a bare "Welcome to your new Wagtail site!" page; it has no place here.
    if (
        previous_root.pk != programme.pk
        and previous_root.specific_class is Page
        and not previous_root.get_children()
    ):
        previous_root.delete()


def _term(entry: Entry, key: str) -> Term:
    try:
        return parse_term(entry.text(key))
    except ValueError as exc:
        raise entry.error(f"«{key}»: {exc}") from None


def load_timeline(ctx: LoadContext, programme: ProgrammePage) -> None:
    """The phases with their timeline rows, the timeline and status report pages, and the
    milestones the seed implies (created when missing, never changed: see timeline.yaml)."""
    data = ctx.read("programme", "timeline.yaml")
    page = data["timeline"]
    timeline = upsert_page(
        ctx,
        parent=programme,
        model=TimelinePage,
        slug=page.text("slug"),
        fields={
            "title": page.text("title"),
            "intro": page.text("intro", required=False),
            "show_in_menus": True,
        },
    )
    report = page["status_report"]
    upsert_page(
        ctx,
        parent=timeline,
        model=StatusReportPage,
        slug=report.text("slug"),
        fields={"title": report.text("title"), "intro": report.text("intro", required=False)},
    )
    phases = {}
    for entry in data.items("phases"):
        number = entry.integer("number")
        if not 1 <= number <= 4:
            raise entry.error(f"programmet har fase 1 til 4, fikk {number}")
        if number in phases:
            raise entry.error(f"fase {number} står to ganger")
        rows = []
        for row in entry.items("rows"):
            start, end = _term(row, "from"), _term(row, "to")
            if end.ends_on < start.starts_on:
                raise row.error("«to» kan ikke være før «from»")
            rows.append(
                {"activity": row.text("activity"), "starts_on": start.starts_on, "ends_on": end.ends_on}
            )
        if not rows:
            raise entry.error("en fase må ha minst én rad i framdriftsplanen")
        phases[number] = _upsert_phase(ctx, entry, number, rows)
    themes = ctx.state.get("themes", {})
    slugs = set()
    for entry in data.items("milestones"):
        slug = entry.text("slug")
        if slug in slugs:
            raise entry.error(f"adressen {slug!r} står to ganger")
        slugs.add(slug)
        phase = phases.get(entry.integer("phase"))
        if phase is None:
            raise entry.error(f"ukjent fase {entry.get('phase')!r}")
        theme_number = entry.integer("theme", required=False)
        if theme_number is not None and theme_number not in themes:
            raise entry.error(f"ukjent tema {theme_number!r}")
        due = _term(entry, "due").ends_on
        if Milestone.objects.filter(slug=slug).exists():
            ctx.count("unchanged")
            continue
        milestone = Milestone(
            slug=slug,
            title=entry.text("title"),
            phase=phase,
            theme=themes.get(theme_number) if theme_number is not None else None,
            due_date=due,
            description=entry.text("description", required=False),
        )
        milestone.full_clean(exclude=["decisions", "recommendations"])
        milestone.save()
        milestone.save_revision().publish()
        ctx.count("created")


def _upsert_phase(ctx: LoadContext, entry: Entry, number: int, rows: list[dict]) -> Phase:
    values = {
        "name": entry.text("name"),
        "description": entry.text("description", required=False),
        "starts_on": min(row["starts_on"] for row in rows),
        "ends_on": max(row["ends_on"] for row in rows),
    }
    phase = Phase.objects.filter(number=number).first()
    wanted = [{**row, "sort_order": i} for i, row in enumerate(rows)]
    if phase is not None:
        existing = [
            {
                "activity": r.activity,
                "starts_on": r.starts_on,
                "ends_on": r.ends_on,
                "sort_order": r.sort_order,
            }
            for r in phase.rows.all()
        ]
        if existing == wanted and all(getattr(phase, key) == value for key, value in values.items()):
            ctx.count("unchanged")
            return phase
    created = phase is None
    phase = phase or Phase(number=number)
    for key, value in values.items():
        setattr(phase, key, value)
    phase.rows = [PhaseRow(**row) for row in wanted]
    phase.save()
    ctx.count("created" if created else "updated")
    return phase


def load_indicators(ctx: LoadContext, programme: ProgrammePage) -> None:
    """The indicators page, areas, indicators and their observations from indicators.yaml.

    Observations are only added or updated, never removed: later ones come from imports."""
    data = ctx.read("programme", "indicators.yaml")
    page = data["page"]
    upsert_page(
        ctx,
        parent=programme,
        model=IndicatorIndexPage,
        slug=page.text("slug"),
        fields={
            "title": page.text("title"),
            "intro": page.text("intro", required=False),
            "show_in_menus": True,
        },
    )
    areas = {
        entry.text("name"): upsert(
            ctx,
            Area,
            lookup={"name": entry.text("name")},
            values={"code": entry.text("code", required=False), "sort_order": position},
        )
        for position, entry in enumerate(data.items("areas"))
    }

    def area(entry: Entry) -> Area:
        name = entry.text("area")
        if name not in areas:
            raise entry.error(f"ukjent område «{name}» (gyldige: {', '.join(areas)})")
        return areas[name]

    for position, entry in enumerate(data.items("indicators")):
        baseline = entry.optional("baseline")
        target = entry.optional("target")
        values = {
            "name": entry.text("name"),
            "unit": entry.choice("unit", IndicatorUnit),
            "decimals": entry.integer("decimals"),
            "source": entry.text("source", required=False),
            "ssb_variable": entry.text("ssb_variable", required=False),
            "description": entry.text("description", required=False),
            "baseline_value": baseline.decimal("value") if baseline else None,
            "baseline_period": _period(baseline, "period") if baseline else "",
            "baseline_area": area(baseline) if baseline and baseline.get("area") else None,
            "target_value": target.decimal("value") if target else None,
            "target_period": _period(target, "period") if target else "",
            "sort_order": position,
        }
        indicator = upsert(ctx, Indicator, lookup={"slug": entry.text("slug")}, values=values)
        seen = set()
        for item in entry.items("observations", required=False):
            key = (area(item).pk, _period(item, "period"))
            if key in seen:
                raise item.error("samme område og periode står to ganger")
            seen.add(key)
            upsert(
                ctx,
                Observation,
                lookup={"indicator": indicator, "area": area(item), "period": key[1]},
                values={"value": item.decimal("value")},
            )


def _period(entry: Entry, key: str) -> str:
    value = entry.text(key)
    if not PERIOD_PATTERN.match(value):
        raise entry.error(
            f'«{key}» er ikke en gyldig periode: {value!r} (skriv f.eks. "2019" eller "2019K4")'
        )
    return value


def load_budget(ctx: LoadContext, programme: ProgrammePage) -> None:
    """The budget page, the expected cost categories and the funding sources from budget.yaml."""
    data = ctx.read("programme", "budget.yaml")
    page = data["page"]
    upsert_page(
        ctx,
        parent=programme,
        model=BudgetPage,
        slug=page.text("slug"),
        fields={
            "title": page.text("title"),
            "intro": page.text("intro", required=False),
            "costs_note": page.text("costs_note", required=False),
        },
    )
    for position, entry in enumerate(data.items("categories")):
        upsert(
            ctx,
            BudgetCategory,
            lookup={"name": entry.text("name")},
            values={
                "description": entry.text("description", required=False),
                "planned_amount": _amount(entry, "planned_amount"),
                "sort_order": position,
            },
        )
    for position, entry in enumerate(data.items("funding")):
        upsert(
            ctx,
            FundingSource,
            lookup={"name": entry.text("name")},
            values={
                "description": entry.text("description", required=False),
                "status": entry.choice("status", FundingStatus),
                "amount": _amount(entry, "amount"),
                "purpose": entry.text("purpose", required=False),
                "sort_order": position,
            },
        )


def _amount(entry: Entry, key: str):
    amount = entry.decimal(key, required=False)
    if amount is not None and amount < 0:
        raise entry.error(f"«{key}» kan ikke være negativt")
    return amount


def load_accessibility_statement(ctx: LoadContext, programme: ProgrammePage) -> None:
    """The accessibility statement and the success criteria it lists as not met, from
    accessibility.yaml."""
    data = ctx.read("programme", "accessibility.yaml")
    page = data["page"]
    made_on = page.date("made_on")
    reviewed_on = page.date("reviewed_on")
    if reviewed_on < made_on:
        raise page.error("«reviewed_on» kan ikke være før «made_on»")
    deviations = [
        {
            "criterion": entry.text("criterion"),
            "problem": entry.text("problem"),
            "reason": entry.text("reason"),
            "sort_order": position,
        }
        for position, entry in enumerate(data.items("deviations", required=False))
    ]
    upsert_page(
        ctx,
        parent=programme,
        model=AccessibilityStatementPage,
        slug=page.text("slug"),
        fields={
            "title": page.text("title"),
            "organisation": page.text("organisation"),
            "website": page.text("website"),
            "standard": page.text("standard"),
            "status": page.choice("status", ConformanceStatus),
            "status_note": page.text("status_note", required=False),
            "method": page.text("method"),
            "made_on": made_on,
            "reviewed_on": reviewed_on,
            "feedback_email": page.text("feedback_email", required=False),
            "feedback_phone": page.text("feedback_phone", required=False),
            "feedback_url": page.text("feedback_url", required=False),
            "uustatus_url": page.text("uustatus_url", required=False),
            "report_url": page.text("report_url"),
        },
        children={"deviations": deviations},
    )


def load_open_data(ctx: LoadContext, programme: ProgrammePage) -> None:
    """The open data page's texts (its lists come from the apps' registrations)."""
    page = ctx.read("programme", "open_data.yaml")["page"]
    upsert_page(
        ctx,
        parent=programme,
        model=OpenDataPage,
        slug=page.text("slug"),
        fields={
            "title": page.text("title"),
            "intro": page.text("intro"),
            "licence_name": page.text("licence_name"),
            "licence_url": page.text("licence_url"),
        },
    )
