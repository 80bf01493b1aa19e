import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from communication.models import Activity

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_communication_activity:list")
ADD_URL = reverse("wagtailsnippets_communication_activity:add")


def _post_data(**overrides):
    data = {
        "title": "Innspill til NAV",
        "slug": "innspill-til-nav",
        "kind": "foredrag",
        "status": "planlagt",
        "summary": "",
        "purposes": "",
        "target_group_note": "",
        "starts_on": "2022-03-01",
        "ends_on": "",
        "timing_note": "",
        "place": "",
        "responsible": "",
        "funding_note": "",
        "outcome": "",
        "reached": "",
        "sort_order": "0",
        "cost_items": inline_formset(
            [{"description": "Forberedelse", "amount": "2000", "unit": "", "quantity": "", "note": ""}]
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_programme_leader_lists_filters_and_exports_activities(client, programme_leader):
    client.force_login(programme_leader)
    listing = client.get(LIST_URL, {"status": "forslag"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Forslag 5: Utarbeide korte informasjonsfilmer" in html
    assert "Sluttpresentasjon for deltakerkommunene" not in html
    assert "ikke kostnadsberegnet" in html
    csv = client.get(LIST_URL, {"export": "csv"})
    assert csv.status_code == 200
    text = (
        b"".join(csv.streaming_content).decode("utf-8-sig")
        if csv.streaming
        else csv.content.decode("utf-8-sig")
    )
    assert text.splitlines()[0].startswith("Tittel;Type;Status")
    assert "Standardpresentasjonen for hver enkelt kommune" in text
    # Labels, not the stored codes or Python's booleans; the chosen target groups too.
    rows = list(__import__("csv").reader(text.splitlines(), delimiter=";"))
    kinds, statuses = {row[1] for row in rows[1:]}, {row[2] for row in rows[1:]}
    assert "foredrag" not in kinds and "Foredrag" in kinds
    assert statuses <= {"Forslag", "Vedtatt", "Planlagt", "Gjennomført", "Forkastet"}
    assert "True" not in text and "False" not in text
    assert any("NAV" in row[8] for row in rows[1:])
    xlsx = client.get(LIST_URL, {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_month_list_shows_dated_and_undated_activities_and_the_budget(client, programme_leader):
    client.force_login(programme_leader)
    response = client.get(reverse("formidling-maned:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Januar 2022" in html
    assert "Uten dato" in html
    assert "Hele planen" in html


def test_valid_activity_is_saved_with_its_cost_items(client, programme_leader):
    client.force_login(programme_leader)
    response = client.post(ADD_URL, _post_data())
    assert response.status_code == 302
    activity = Activity.objects.get(slug="innspill-til-nav")
    assert [item.amount for item in activity.cost_items.all()] == [2000]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2022-02-01"}, "Sluttdatoen kan ikke være før startdatoen."),
        ({"status": "gjennomfort", "starts_on": ""}, "En gjennomført aktivitet må ha datoen"),
        (
            {
                "cost_items": inline_formset(
                    [{"description": "Reise", "amount": "-5", "unit": "", "quantity": "", "note": ""}]
                )
            },
            "Beløpet kan ikke være negativt.",
        ),
    ],
)
def test_bad_input_is_a_norwegian_form_error_and_saves_nothing(client, programme_leader, overrides, message):
    client.force_login(programme_leader)
    before = Activity.objects.count()
    response = client.post(ADD_URL, _post_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Activity.objects.count() == before


def test_cost_amounts_take_the_norwegian_decimal_comma(client, programme_leader):
    from decimal import Decimal

    client.force_login(programme_leader)
    items = inline_formset(
        [{"description": "Leie av lokale", "amount": "1 500,50", "unit": "", "quantity": "", "note": ""}]
    )
    response = client.post(ADD_URL, _post_data(cost_items=items))
    assert response.status_code == 302
    activity = Activity.objects.get(slug="innspill-til-nav")
    assert [item.amount for item in activity.cost_items.all()] == [Decimal("1500.50")]


def test_the_month_list_is_in_the_menu_only_for_those_who_may_open_it(client, programme_leader, editor):
    url = "/admin/formidling/maned/"
    client.force_login(programme_leader)
    assert f'"url": "{url}"' in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert f'"url": "{url}"' not in client.get("/admin/").content.decode()
    assert client.get(url).status_code in {302, 403}
