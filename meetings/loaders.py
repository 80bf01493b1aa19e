"""Loads bodies, the meeting of 3 Feb 2021, the 2021 meeting plan and the treatment plan."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from programme.content import Entry, LoadContext, upsert, upsert_page

from .choices import BodyKind, CaseKind, MeetingStatus, VoteKind
from .models import (
    Body,
    MeetingIndexPage,
    MeetingPage,
    MeetingPlan,
    ProtocolPage,
    TreatmentPlan,
    TreatmentStep,
)
from .services import committee_collection, meeting_plan_create_meetings


def _datetime(entry: Entry, key: str) -> dt.datetime | None:
    value = entry.get(key)
    if value is None:
        return None
    try:
        naive = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise entry.error(f"«{key}» må være dato og klokkeslett (ÅÅÅÅ-MM-DDTtt:mm), fikk {value!r}") from None
    return naive if timezone.is_aware(naive) else timezone.make_aware(naive)


def _time(entry: Entry, key: str) -> dt.time:
    try:
        return dt.time.fromisoformat(entry.text(key))
    except ValueError:
        raise entry.error(f"«{key}» må være et klokkeslett (tt:mm)") from None


def load(ctx: LoadContext) -> None:
    data = ctx.read("meetings", "meetings.yaml")
    entry = data["index"]
    index = upsert_page(
        ctx,
        parent=ctx.state["programme"],
        model=MeetingIndexPage,
        slug=entry.text("slug"),
        fields={
            "title": entry.text("title"),
            "intro": entry.text("intro", required=False),
            "show_in_menus": True,
        },
    )
    bodies = {}
    for item in data.items("bodies"):
        bodies[item.text("name")] = upsert(
            ctx,
            Body,
            lookup={"name": item.text("name")},
            values={
                "short_name": item.text("short_name", required=False),
                "kind": item.choice("kind", BodyKind),
            },
        )

    def body(item: Entry, key: str = "body") -> Body:
        name = item.text(key)
        if name not in bodies:
            raise item.error(f"ukjent organ {name!r}")
        return bodies[name]

    committee_collection()
    protocols: dict[str, ProtocolPage] = {}
    for item in data.items("meetings"):
        meeting = upsert_page(
            ctx,
            parent=index,
            model=MeetingPage,
            slug=item.text("slug"),
            fields={
                "title": item.text("title"),
                "body": body(item),
                "starts_at": _datetime(item, "starts_at"),
                "time_unknown": item.boolean("time_unknown"),
                "ends_at": _datetime(item, "ends_at"),
                "place": item.text("place", required=False),
                "online": item.boolean("online"),
                "status": item.choice("status", MeetingStatus),
            },
            children={
                "case_items": [
                    _case_item(case, position, protocols)
                    for position, case in enumerate(item.items("case_items", required=False))
                ]
            },
            # Decisions keep their identity (milestones link to them) when the seed changes.
            child_keys={"case_items": ("case_number", "title")},
        )
        if protocol := item.optional("protocol"):
            protocols[meeting.slug] = upsert_page(
                ctx,
                parent=meeting,
                model=ProtocolPage,
                slug=protocol.text("slug"),
                fields={"title": protocol.text("title"), "note": protocol.text("note", required=False)},
            )
    for item in data.items("meeting_plans"):
        plan = upsert(
            ctx,
            MeetingPlan,
            lookup={"body": body(item), "year": item.integer("year")},
            values={
                "starts": _time(item, "starts"),
                "ends": _time(item, "ends"),
                "place": item.text("place", required=False),
                "note": item.text("note", required=False),
                "dates": "\n".join(day.isoformat() for day in _dates(item, "dates")),
            },
        )
        for _meeting in meeting_plan_create_meetings(plan=plan, index=index):
            ctx.count("created")
    for item in data.items("treatment_plans"):
        plan = upsert(
            ctx,
            TreatmentPlan,
            lookup={"title": item.text("title")},
            values={"archive_reference": item.text("archive_reference", required=False)},
        )
        steps = [(body(step), step.date("date")) for step in item.items("steps")]
        existing = [(s.body, s.planned_date) for s in plan.steps.order_by("sort_order")]
        if existing != steps:
            plan.steps.all().delete()
            for position, (step_body, day) in enumerate(steps):
                TreatmentStep.objects.create(plan=plan, body=step_body, planned_date=day, sort_order=position)
            ctx.count("updated")


def _dates(entry: Entry, key: str) -> list[dt.date]:
    days = []
    for item in entry.items(key):
        value = item.data
        if not isinstance(value, dt.date):
            raise item.error(f"forventet en dato (ÅÅÅÅ-MM-DD), fikk {value!r}")
        days.append(value)
    return days


def _case_item(case: Entry, position: int, protocols: dict[str, ProtocolPage]) -> dict:
    approves = case.text("approves_protocol_of", required=False)
    if approves and approves not in protocols:
        raise case.error(
            f"«approves_protocol_of»: ingen protokoll er lastet for møtet {approves!r} før denne saken"
        )
    return {
        "kind": case.choice("kind", CaseKind),
        "case_number": case.text("case_number", required=False),
        "archive_reference": case.text("archive_reference", required=False),
        "title": case.text("title"),
        "case_officer": case.text("case_officer", required=False),
        "approved_by": case.text("approved_by", required=False),
        "document_date": case.date("document_date", required=False),
        "route": "\n".join(case.strings("route", required=False)),
        # Titles only: the seed names these documents, but we have none of the files.
        "attachments": [
            {"type": "attachment", "value": {"title": title, "document": None}}
            for title in case.strings("attachments", required=False)
        ],
        "proposed_decision": case.text("proposed_decision", required=False),
        "summary": case.text("summary", required=False),
        "decision": case.text("decision", required=False),
        "case_protocol_date": case.date("case_protocol_date", required=False),
        "approves_protocol": protocols.get(approves),
        "vote": case.choice("vote", VoteKind, default="") if case.get("vote") else "",
        "sort_order": position,
    }
