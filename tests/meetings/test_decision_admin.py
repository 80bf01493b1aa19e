"""The programme office lists every decision in the admin, committee-only ones too, and exports
them with the open dataset's columns."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from meetings.models import CaseItem

pytestmark = pytest.mark.django_db

URL = "/admin/moter/vedtak/"


@pytest.fixture
def committee_only_decision():
    item = CaseItem.objects.exclude(decision="").get(case_number="1/21")
    restriction = PageViewRestriction.objects.create(
        page=item.meeting, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Utvalgsmedlem"))
    return item


def test_the_programme_office_sees_and_exports_committee_only_decisions(
    client, programme_leader, committee_only_decision
):
    client.force_login(programme_leader)
    html = client.get(URL).content.decode()
    assert committee_only_decision.decision in html
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="vedtak.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["ID", "Organ", "Møtedato", "Saksnummer"]
    assert committee_only_decision.decision in {row[6] for row in rows[1:]}
    sheet = load_workbook(io.BytesIO(client.get(URL, {"export": "xlsx"}).content)).active
    assert sheet.max_row == len(rows)
    # The public dataset leaves it out.
    assert committee_only_decision.decision not in client.get("/api/data/vedtak.csv").content.decode(
        "utf-8-sig"
    )


def test_readers_without_admin_access_are_refused(client, committee_member):
    client.force_login(committee_member)
    assert client.get(URL).status_code in {302, 403}
    assert client.get(URL, {"export": "csv"}).status_code in {302, 403}
