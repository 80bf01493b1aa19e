"""The programme office lists every decision in the admin, committee-only ones too, and exports
them with the open dataset's columns."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from meetings.choices import ExemptionBasis
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


def exported(client) -> dict[str, list[str]]:
    """The admin's CSV export: its header row, and each decision's row by its id."""
    text = client.get(URL, {"export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return {"header": rows[0], **{row[0]: row for row in rows[1:]}}


def test_the_admin_list_and_export_say_which_decisions_the_public_may_not_see(
    client, programme_leader, committee_only_decision
):
    client.force_login(programme_leader)
    # Committee-only (a restricted meeting): not public, and no exemption to name.
    assert exported(client)[str(committee_only_decision.pk)][-2:] == ["Nei", ""]
    # The seed records one decision (1/21); 2/21 gets one here, exempt from public access.
    exempt = CaseItem.objects.get(case_number="2/21")
    CaseItem.objects.filter(pk=exempt.pk).update(
        decision="Møteplanen vedtas.", exempt=True, exemption_basis=ExemptionBasis.OFFL_25
    )
    exempt.refresh_from_db()
    PageViewRestriction.objects.filter(page=committee_only_decision.meeting).delete()
    rows = exported(client)
    assert rows["header"][-2:] == ["Offentlig", "Unntatt offentlighet"]
    assert rows[str(exempt.pk)][-2:] == ["Nei", exempt.exemption_basis_display]
    assert rows[str(committee_only_decision.pk)][-2:] == ["Ja", ""]
    html = client.get(URL).content.decode()
    assert f"Nei: unntatt offentlighet, {exempt.exemption_basis_display}" in html
