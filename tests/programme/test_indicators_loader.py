"""load_programme's indicators.yaml and budget.yaml: broken entries are named and change nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from programme.content import ContentError
from programme.models import FundingSource, Observation
from tests.helpers import edit_yaml

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("file", "change", "where", "message"),
    [
        (
            "indicators.yaml",
            lambda d: d["indicators"][0]["observations"][1].update(area="Arendal"),
            "indicators[0].observations[1]",
            "ukjent område «Arendal»",
        ),
        (
            "indicators.yaml",
            lambda d: d["indicators"][0]["observations"][0].update(period="i fjor"),
            "indicators[0].observations[0]",
            "ikke en gyldig periode",
        ),
        (
            "indicators.yaml",
            lambda d: d["indicators"][0]["observations"].append(d["indicators"][0]["observations"][0]),
            "indicators[0].observations[3]",
            "samme område og periode står to ganger",
        ),
        (
            "indicators.yaml",
            lambda d: d["indicators"][1].update(unit="meter"),
            "indicators[1]",
            "ukjent verdi",
        ),
        ("budget.yaml", lambda d: d["funding"][0].update(amount=-5), "funding[0]", "kan ikke være negativt"),
        ("budget.yaml", lambda d: d["funding"][2].update(status="lovet"), "funding[2]", "ukjent verdi"),
    ],
)
def test_broken_entry_is_named_and_nothing_is_written(data_dir, file, change, where, message):
    def also_change_a_value(data):
        change(data)
        if file == "indicators.yaml":
            data["indicators"][1]["observations"][0]["value"] = 1234
        else:
            data["funding"][1]["description"] = "Endret tekst som ikke skal lagres"

    edit_yaml(data_dir / "programme" / file, also_change_a_value)
    with pytest.raises(ContentError) as error:
        call_command("load_programme", data_dir=data_dir, verbosity=0)
    assert f"programme/{file}, {where}" in str(error.value).replace("\\", "/")
    assert message in str(error.value)
    assert Observation.objects.get(indicator__slug="sysselsettingsgap-asss").value == Decimal("2950")
    assert FundingSource.objects.get(name="KS Storbyforskningsprogram").description.startswith(
        "Det er foreløpig"
    )


def test_a_changed_figure_in_the_data_file_is_updated_and_imported_observations_stay(data_dir):
    Observation.objects.create(
        indicator_id=Observation.objects.first().indicator_id,
        area=Observation.objects.first().area,
        period="2020",
        value=Decimal("65"),
    )
    edit_yaml(
        data_dir / "programme" / "indicators.yaml",
        lambda d: d["indicators"][0]["observations"][0].update(value=64.7),
    )
    call_command("load_programme", data_dir=data_dir, verbosity=0)
    assert Observation.objects.get(
        indicator__slug="sysselsettingsprosent", area__name="Kristiansand", period="2019"
    ).value == Decimal("64.7")
    assert Observation.objects.filter(period="2020").exists()
