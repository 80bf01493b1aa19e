"""Terms, the status logic and the overdue derivation (dates passed in, never the clock), and the
seed's phases and milestones as loaded."""

import datetime as dt

import pytest
from django.core.management import call_command

from programme import queries
from programme.choices import MilestoneStatus
from programme.content import ContentError
from programme.factories import MilestoneFactory
from programme.models import Milestone, Phase
from programme.terms import UNKNOWN_TERM, parse_term, span_label, term_columns
from tests.helpers import edit_yaml

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 3, 15)

SEED_ROWS = [
    (
        1,
        "Fase 1: Identifisere programmet. Planlegging, forankring, bemanning, forventede gevinster, "
        "tidsramme, risiko, mandat",
        "Vår 21",
    ),
    (2, "Fase 2: Definere programmet. Konkretisering av innhold, mål og styring.", "Vår 21 – Høst 21"),
    (2, "Fase 2: Kunnskapsgrunnlag og nullpunktsanalyser", "Vår 21 – Høst 21"),
    (3, "Fase 3: Prosjektgjennomføringer", "Høst 21 – 2024"),
    (3, "Fase 3: Evalueringer og følgeforskning", "2022 – 2024"),
    (4, "Fase 4: Forankre videreføring etter programslett", "2024 – Vår 25"),
]


def test_terms_are_the_seed_table_heads():
    columns = term_columns(dt.date(2021, 1, 1), dt.date(2025, 6, 30))
    assert [term.label for term in columns] == ["Vår 21", "Høst 21", "2022", "2023", "2024", "Vår 25"]
    assert parse_term("Vår 21").starts_on == dt.date(2021, 1, 1)
    assert parse_term("Vår 21").ends_on == dt.date(2021, 6, 30)
    assert parse_term("høst 21").starts_on == dt.date(2021, 7, 1)
    assert parse_term("2022").ends_on == dt.date(2022, 12, 31)
    assert span_label(dt.date(2021, 7, 1), dt.date(2024, 12, 31), columns) == "Høst 21 – 2024"
    assert span_label(dt.date(2021, 1, 1), dt.date(2021, 6, 30), columns) == "Vår 21"


@pytest.mark.parametrize("value", ["Sommer 21", "21", "Vår 2021x", ""])
def test_unknown_terms_are_refused_with_a_norwegian_message(value):
    with pytest.raises(ValueError) as error:
        parse_term(value)
    assert str(error.value) == UNKNOWN_TERM.format(value=value)


def test_the_six_statuses_and_which_are_closed():
    assert [label for _value, label in MilestoneStatus.choices] == [
        "Ikke startet",
        "I rute",
        "I fare",
        "Forsinket",
        "Fullført",
        "Avbrutt",
    ]
    assert set(MilestoneStatus.closed()) == {"fullfort", "avbrutt"}


@pytest.mark.parametrize(
    ("status", "due", "completed", "overdue"),
    [
        ("ikke-startet", dt.date(2023, 3, 14), None, True),
        ("i-rute", dt.date(2023, 3, 14), None, True),
        ("i-fare", dt.date(2023, 3, 14), None, True),
        ("forsinket", dt.date(2023, 3, 14), None, True),
        ("fullfort", dt.date(2023, 3, 14), dt.date(2023, 3, 1), False),
        ("avbrutt", dt.date(2023, 3, 14), None, False),
        ("i-rute", dt.date(2023, 3, 15), None, False),
        ("forsinket", dt.date(2023, 4, 1), None, False),
    ],
)
def test_overdue_is_derived_from_due_date_status_and_the_day_asked_about(status, due, completed, overdue):
    milestone = MilestoneFactory(status=status, due_date=due, completed_on=completed)
    assert milestone.is_overdue(today=TODAY) is overdue
    assert Milestone.objects.overdue(today=TODAY).filter(pk=milestone.pk).exists() is overdue
    assert queries.milestones(today=TODAY).get(pk=milestone.pk).overdue is overdue
    # The same milestone is not overdue on the day before its due date: nothing is stored.
    assert milestone.is_overdue(today=due - dt.timedelta(days=1)) is False


def test_due_within_counts_from_today_and_leaves_out_closed_milestones():
    soon = MilestoneFactory(due_date=TODAY + dt.timedelta(days=30))
    MilestoneFactory(due_date=TODAY + dt.timedelta(days=31))
    MilestoneFactory(due_date=TODAY + dt.timedelta(days=2), status="avbrutt")
    MilestoneFactory(due_date=TODAY - dt.timedelta(days=1))
    assert list(Milestone.objects.due_within(today=TODAY, days=30)) == [soon]


def test_late_at_a_past_day_counts_milestones_completed_after_it():
    late_then_done = MilestoneFactory(
        due_date=dt.date(2022, 6, 30), status="fullfort", completed_on=dt.date(2022, 9, 1)
    )
    done_in_time = MilestoneFactory(
        due_date=dt.date(2022, 6, 30), status="fullfort", completed_on=dt.date(2022, 6, 1)
    )
    MilestoneFactory(due_date=dt.date(2022, 6, 30), status="avbrutt")
    late = set(Milestone.objects.late_at(day=dt.date(2022, 8, 1)).filter(due_date=dt.date(2022, 6, 30)))
    assert late == {late_then_done}
    assert late_then_done.is_late_at(day=dt.date(2022, 8, 1))
    assert not late_then_done.is_late_at(day=dt.date(2022, 9, 1))
    assert not done_in_time.is_late_at(day=dt.date(2022, 8, 1))


def test_progress_counts_every_status_and_the_overdue_in_one_query(django_assert_num_queries):
    Milestone.objects.all().delete()
    MilestoneFactory(status="i-rute", due_date=dt.date(2023, 1, 1))
    MilestoneFactory(status="fullfort", due_date=dt.date(2023, 1, 1), completed_on=dt.date(2022, 12, 1))
    MilestoneFactory(status="i-rute", due_date=dt.date(2024, 1, 1))
    MilestoneFactory(status="i-fare", due_date=dt.date(2024, 1, 1), live=False)
    with django_assert_num_queries(1):
        progress = queries.milestone_progress(today=TODAY)
    assert {count.value: count.count for count in progress.counts} == {
        "ikke-startet": 0,
        "i-rute": 2,
        "i-fare": 0,
        "forsinket": 0,
        "fullfort": 1,
        "avbrutt": 0,
    }
    assert progress.overdue == 1
    assert progress.total == 3


def test_current_phase_follows_the_day():
    phases = list(Phase.objects.order_by("number"))
    assert [p.number for p in queries.current_phases(phases=phases, today=dt.date(2021, 3, 1))] == [1, 2]
    assert [p.number for p in queries.current_phases(phases=phases, today=dt.date(2021, 9, 1))] == [2, 3]
    assert [p.number for p in queries.current_phases(phases=phases, today=dt.date(2024, 5, 1))] == [3, 4]
    assert queries.current_phases(phases=phases, today=dt.date(2025, 7, 1)) == []


def test_phases_and_timeline_rows_exactly_as_the_seed_table():
    phases = list(Phase.objects.prefetch_related("rows").order_by("number"))
    assert [(p.number, p.name) for p in phases] == [
        (1, "Identifisere programmet"),
        (2, "Definere programmet"),
        (3, "Prosjektgjennomføringer"),
        (4, "Forankre videreføring etter programslett"),
    ]
    columns = term_columns(phases[0].starts_on, phases[-1].ends_on)
    rows = [
        (p.number, row.activity, span_label(row.starts_on, row.ends_on, columns))
        for p in phases
        for row in p.rows.all()
    ]
    assert rows == SEED_ROWS
    assert (phases[0].starts_on, phases[-1].ends_on) == (dt.date(2021, 1, 1), dt.date(2025, 6, 30))


def test_seed_milestones_carry_only_the_seed_dates():
    milestones = {m.slug: m for m in Milestone.objects.filter(live=True)}
    assert {slug: m.due_date for slug, m in milestones.items()} == {
        "fase-1-avsluttet": dt.date(2021, 6, 30),
        "fase-2-avsluttet": dt.date(2021, 12, 31),
        "fase-3-avsluttet": dt.date(2024, 12, 31),
        "videreforing-forankret": dt.date(2025, 6, 30),
        "programslutt": dt.date(2025, 6, 30),
    }
    for milestone in milestones.values():
        assert milestone.status == "ikke-startet"
        assert milestone.owner_name == "" and milestone.owner_user is None
        assert milestone.theme is None and milestone.completed_on is None


def test_reloading_never_overwrites_what_the_programme_office_changed():
    milestone = Milestone.objects.get(slug="fase-1-avsluttet")
    milestone.status = "fullfort"
    milestone.completed_on = dt.date(2021, 6, 20)
    milestone.owner_name = "Programleder"
    milestone.save()
    call_command("load_programme", verbosity=0)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.owner_name) == (
        "fullfort",
        dt.date(2021, 6, 20),
        "Programleder",
    )
    assert Milestone.objects.count() == 5


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda d: d["phases"][2]["rows"][1].update({"to": "Sommer 24"}),
            "phases[2].rows[1]",
            "ukjent termin",
        ),
        (lambda d: d["milestones"][1].update({"phase": 7}), "milestones[1]", "ukjent fase"),
        (lambda d: d["phases"][0].update({"number": 9}), "phases[0]", "fase 1 til 4"),
        (
            lambda d: d["phases"][1]["rows"][0].update({"from": "2022"}),
            "phases[1].rows[0]",
            "kan ikke være før",
        ),
        (lambda d: d["milestones"][0].pop("due"), "milestones[0]", "mangler feltet «due»"),
    ],
)
def test_broken_timeline_file_names_file_and_entry_and_writes_nothing(data_dir, change, where, message):
    def also_rename_phase(data):
        change(data)
        data["phases"][3]["name"] = "Skal ikke lagres"

    edit_yaml(data_dir / "programme" / "timeline.yaml", also_rename_phase)
    with pytest.raises(ContentError) as error:
        call_command("load_programme", data_dir=data_dir, verbosity=0)
    assert "timeline.yaml" in str(error.value)
    assert where in str(error.value)
    assert message in str(error.value)
    assert Phase.objects.get(number=4).name == "Forankre videreføring etter programslett"
