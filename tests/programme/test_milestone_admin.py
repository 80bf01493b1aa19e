"""The programme office's admin: milestone forms, filters, search, export and the dashboard panel."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from programme.factories import MilestoneFactory
from programme.models import Milestone, Phase, ThemePage
from programme.models.milestones import (
    COMPLETED_DATE_ONLY_WHEN_DONE,
    COMPLETED_DATE_REQUIRED,
    COMPLETED_IN_FUTURE,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_programme_milestone:list")
ADD_URL = reverse("wagtailsnippets_programme_milestone:add")


def _post_data(**overrides):
    data = {
        "title": "Nullpunktsanalyse levert",
        "slug": "nullpunktsanalyse-levert",
        "theme": "",
        "phase": str(Phase.objects.get(number=2).pk),
        "owner_name": "Programleder",
        "owner_user": "",
        "due_date": "2021-12-31",
        "status": "i-rute",
        "completed_on": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_programme_leader_saves_a_draft_and_publishes(client, programme_leader):
    client.force_login(programme_leader)
    response = client.post(ADD_URL, _post_data())
    assert response.status_code == 302
    milestone = Milestone.objects.get(slug="nullpunktsanalyse-levert")
    assert milestone.live is False
    assert client.get("/framdrift/milepaeler/nullpunktsanalyse-levert/").status_code == 404
    edit_url = reverse("wagtailsnippets_programme_milestone:edit", args=[milestone.pk])
    response = client.post(edit_url, _post_data(**{"action-publish": "publish"}))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.live is True
    client.logout()
    assert client.get("/framdrift/milepaeler/nullpunktsanalyse-levert/").status_code == 200


def test_a_draft_needs_its_title(client, programme_leader):
    client.force_login(programme_leader)
    response = client.post(ADD_URL, _post_data(title=""))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Milestone.objects.filter(slug="nullpunktsanalyse-levert").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": "fullfort", "completed_on": ""}, COMPLETED_DATE_REQUIRED),
        ({"status": "i-rute", "completed_on": "2021-12-01"}, COMPLETED_DATE_ONLY_WHEN_DONE),
        ({"status": "fullfort", "completed_on": "2999-01-01"}, COMPLETED_IN_FUTURE),
    ],
)
def test_completed_date_rules_are_norwegian_form_errors_and_save_nothing(
    client, programme_leader, overrides, message
):
    client.force_login(programme_leader)
    before = Milestone.objects.count()
    response = client.post(ADD_URL, _post_data(**overrides))
    assert response.status_code == 200
    assert str(message) in response.content.decode()
    assert Milestone.objects.count() == before


def test_a_completed_milestone_with_its_date_is_saved(client, programme_leader):
    client.force_login(programme_leader)
    response = client.post(ADD_URL, _post_data(status="fullfort", completed_on="2021-12-20"))
    assert response.status_code == 302
    assert Milestone.objects.get(slug="nullpunktsanalyse-levert").completed_on == dt.date(2021, 12, 20)


def test_listing_filters_by_theme_status_owner_and_overdue_and_searches(
    client, programme_leader, whoosh_index, django_capture_on_commit_callbacks
):
    client.force_login(programme_leader)
    theme = ThemePage.objects.get(number=3)
    today = timezone.localdate()
    # The listing's search runs on the search index, written when the milestones are committed.
    with django_capture_on_commit_callbacks(execute=True):
        MilestoneFactory(
            title="Forfalt i tema 3", theme=theme, owner_name="Kari", due_date=today - dt.timedelta(days=5)
        )
        MilestoneFactory(
            title="Snart i tema 3", theme=theme, owner_name="Ola", due_date=today + dt.timedelta(days=5)
        )
        MilestoneFactory(
            title="Fullført i tema 3",
            theme=theme,
            status="fullfort",
            due_date=today - dt.timedelta(days=5),
            completed_on=today - dt.timedelta(days=6),
        )

    def titles(params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        html = response.content.decode()
        return {
            title for title in ("Forfalt i tema 3", "Snart i tema 3", "Fullført i tema 3") if title in html
        }

    assert titles({"theme": theme.pk}) == {"Forfalt i tema 3", "Snart i tema 3", "Fullført i tema 3"}
    assert titles({"theme": theme.pk, "overdue": "ja"}) == {"Forfalt i tema 3"}
    assert titles({"theme": theme.pk, "overdue": "nei"}) == {"Snart i tema 3", "Fullført i tema 3"}
    assert titles({"status": "fullfort"}) == {"Fullført i tema 3"}
    assert titles({"owner": "Ola"}) == {"Snart i tema 3"}
    assert titles({"phase": Phase.objects.get(number=1).pk}) == {
        "Forfalt i tema 3",
        "Snart i tema 3",
        "Fullført i tema 3",
    }
    assert titles({"q": "Snart"}) == {"Snart i tema 3"}


def test_export_to_csv_and_xlsx_with_norwegian_headings(client, programme_leader):
    client.force_login(programme_leader)
    MilestoneFactory(
        title="Eksportert milepæl",
        theme=ThemePage.objects.get(number=1),
        owner_name="Kari Nordmann",
        due_date=dt.date(2000, 1, 31),
        status="forsinket",
    )
    headings = [
        "Tittel",
        "Tema",
        "Fase",
        "Ansvarlig",
        "Frist",
        "Status",
        "Fullført dato",
        "Fristen er passert",
        "Publisert",
        "Beskrivelse",
    ]

    response = client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM and semicolons, as Excel here reads it
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == headings
    exported = next(row for row in rows if row[0] == "Eksportert milepæl")
    assert exported[1] == "Tema 1: Yrkesrettede utdanningsvalg"
    assert exported[3] == "Kari Nordmann"
    assert exported[4] == "2000-01-31"
    assert exported[5] == "Forsinket"
    assert exported[7] == "Ja"
    assert len(rows) == Milestone.objects.count() + 1

    response = client.get(LIST_URL, {"export": "xlsx"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == headings
    exported = next(row for row in values if row[0] == "Eksportert milepæl")
    assert exported[5] == "Forsinket"
    due = exported[4]
    assert (due.date() if isinstance(due, dt.datetime) else due) == dt.date(2000, 1, 31)
