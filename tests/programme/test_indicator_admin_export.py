"""The programme office lists every indicator measurement in the admin and exports them."""

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_observations_are_listed_filtered_and_exported_in_the_admin(client, programme_leader):
    from programme.models import Observation

    client.force_login(programme_leader)
    listing = client.get("/admin/snippets/programme/observation/")
    assert listing.status_code == 200
    assert "Kristiansand" in listing.content.decode()
    exported = client.get("/admin/snippets/programme/observation/", {"export": "csv"})
    content = b"".join(exported.streaming_content)
    # As Excel in Norwegian opens it: a byte order mark, semicolons, decimal commas.
    assert content.startswith(b"\xef\xbb\xbf") and exported["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Indikator", "Område", "Periode", "Verdi"]
    assert len(rows) - 1 == Observation.objects.count()
    assert ["Sysselsettingsprosent", "Kristiansand", "2019", "64,6"] in [row[:4] for row in rows[1:]]
    workbook = load_workbook(
        io.BytesIO(
            b"".join(
                client.get("/admin/snippets/programme/observation/", {"export": "xlsx"}).streaming_content
            )
        )
    )
    assert workbook.active.max_row - 1 == Observation.objects.count()


def test_an_exported_csv_imports_back_unchanged(client, programme_leader):
    from programme.imports import import_indicator_file
    from programme.models import Observation

    client.force_login(programme_leader)
    exported = client.get("/admin/snippets/programme/observation/", {"export": "csv"})
    result = import_indicator_file(content=b"".join(exported.streaming_content), filename="målinger.csv")
    assert (result.created, result.changed, result.unchanged) == (0, 0, Observation.objects.count())


def test_committee_members_cannot_reach_the_observation_list(client, committee_member):
    client.force_login(committee_member)
    assert client.get("/admin/snippets/programme/observation/").status_code in {302, 403}
