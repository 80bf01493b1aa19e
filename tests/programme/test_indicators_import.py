"""Importing indicator observations: both layouts, CSV and XLSX, every error case, idempotence."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from programme import imports
from programme.imports import IndicatorImportError, import_indicator_file
from programme.models import Area, Indicator, Observation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
LONG_CSV = DATA / "indikatorer_langt.csv"
SSB_CSV = DATA / "ssb_sysselsetting.csv"


def _rate(area: str, period: str = "2019") -> Decimal:
    return Observation.objects.get(
        indicator__slug="sysselsettingsprosent", area__name=area, period=period
    ).value


def _snapshot() -> list[tuple]:
    return list(Observation.objects.order_by("pk").values_list("indicator_id", "area_id", "period", "value"))


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def _import(content: bytes, filename: str = "fil.csv", **kwargs):
    return import_indicator_file(content=content, filename=filename, **kwargs)


def test_long_csv_of_the_seed_figures_is_already_loaded_and_changes_nothing():
    before = _snapshot()
    result = _import(LONG_CSV.read_bytes(), "indikatorer_langt.csv")
    assert (result.layout, result.created, result.changed, result.unchanged) == ("long", 0, 0, 4)
    assert result.summary() == "Ingen endringer: alle 4 observasjoner i filen var allerede lagret."
    assert _snapshot() == before


def test_long_csv_creates_then_reimport_changes_nothing():
    Observation.objects.all().delete()
    first = _import(LONG_CSV.read_bytes(), "indikatorer_langt.csv")
    assert (first.created, first.changed, first.unchanged) == (4, 0, 0)
    assert first.summary() == "4 nye, 0 endret, 0 uendret."
    assert _rate("Kristiansand") == Decimal("64.6")
    assert _rate("ASSS-kommunene") == Decimal("68.0")
    after_first = _snapshot()
    second = _import(LONG_CSV.read_bytes(), "indikatorer_langt.csv")
    assert (second.created, second.changed, second.unchanged) == (0, 0, 4)
    assert _snapshot() == after_first


def test_long_import_counts_created_changed_and_unchanged():
    content = _csv(
        "indikator;område;periode;verdi\n"
        "sysselsettingsprosent;Kristiansand;2019;64,6\n"
        "sysselsettingsprosent;Hele landet;2019;67,0\n"
        "sysselsettingsprosent;Kristiansand;2020;65\n"
    )
    result = _import(content)
    assert (result.created, result.changed, result.unchanged) == (1, 1, 1)
    assert _rate("Hele landet") == Decimal("67.0")
    assert _rate("Kristiansand", "2020") == Decimal("65")


def test_long_xlsx_with_numeric_cells():
    Observation.objects.filter(indicator__slug="sysselsettingsprosent").delete()
    content = _xlsx(
        [
            ["indikator", "område", "periode", "verdi"],
            ["sysselsettingsprosent", "Kristiansand", "2019", 64.6],
            ["sysselsettingsprosent", "Hele landet", 2019, "67,1"],
        ]
    )
    result = _import(content, "indikatorer.xlsx")
    assert (result.layout, result.created) == ("long", 2)
    assert _rate("Kristiansand") == Decimal("64.6")
    assert _rate("Hele landet") == Decimal("67.1")


def test_ssb_csv_with_title_line_codes_decimal_comma_and_missing_values():
    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    Observation.objects.filter(indicator=indicator).delete()
    result = _import(SSB_CSV.read_bytes(), "ssb_sysselsetting.csv", indicator=indicator)
    assert (result.layout, result.created, result.skipped_missing) == ("ssb", 2, 2)
    assert _rate("Kristiansand") == Decimal("64.6")
    assert _rate("Hele landet") == Decimal("67.1")
    assert not Observation.objects.filter(period="2020").exists()
    again = _import(SSB_CSV.read_bytes(), "ssb_sysselsetting.csv", indicator=indicator)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert again.summary().startswith("Ingen endringer")


def test_ssb_rows_find_their_indicator_by_its_statistics_variable():
    Indicator.objects.filter(slug="sysselsettingsprosent").update(
        ssb_variable="Sysselsatte i prosent av befolkningen"
    )
    result = _import(SSB_CSV.read_bytes(), "ssb_sysselsetting.csv")
    assert (result.created, result.unchanged) == (0, 2)


def test_ssb_area_found_by_its_code_and_dash_is_zero():
    Area.objects.filter(name="Kristiansand").update(code="4204")
    content = _csv(
        '"Tabell"\n\n'
        '"region";"statistikkvariabel";"2019";"2020K1"\n'
        '"4204 Kristiansand kommune";"sysselsettingsprosent";64,6;-\n'
    )
    result = _import(content)
    assert (result.created, result.unchanged) == (1, 1)
    assert _rate("Kristiansand", "2020K1") == Decimal("0")


def test_ssb_xlsx_with_title_row():
    Observation.objects.filter(indicator__slug="sysselsettingsprosent").delete()
    content = _xlsx(
        [
            ["Sysselsatte i prosent av befolkningen, etter region, statistikkvariabel og år"],
            [],
            ["region", "statistikkvariabel", "2019", "2020"],
            ["4204 Kristiansand", "Sysselsatte i prosent av befolkningen", 64.6, ".."],
            ["0 Hele landet", "Sysselsatte i prosent av befolkningen", 67.1, ":"],
        ]
    )
    result = _import(content, "ssb.xlsx", indicator=Indicator.objects.get(slug="sysselsettingsprosent"))
    assert (result.layout, result.created, result.skipped_missing) == ("ssb", 2, 2)
    assert _rate("Hele landet") == Decimal("67.1")


LONG_HEADER = "indikator;område;periode;verdi\n"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "tom.csv", imports.EMPTY_FILE),
        (b"  \n\n", "tom.csv", imports.EMPTY_FILE),
        (_csv(LONG_HEADER), "bare-overskrift.csv", imports.NO_DATA_ROWS),
        (_csv("noe;annet\n1;2\n"), "feil.csv", imports.NO_HEADER),
        (
            _csv("indikator;område;verdi\nsysselsettingsprosent;Kristiansand;64,6\n"),
            "mangler.csv",
            "Rad 1: mangler kolonnen/kolonnene «periode».",
        ),
        (
            _csv(
                "indikator;område;periode;verdi;kommentar\nsysselsettingsprosent;Kristiansand;2019;64,6;x\n"
            ),
            "ekstra.csv",
            "Rad 1, kolonne «kommentar»: ukjent kolonne",
        ),
        (
            _csv(
                LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,6\nledighet;Kristiansand;2019;3\n"
            ),
            "indikator.csv",
            "Rad 3, kolonne «indikator»: ukjent indikator «ledighet».",
        ),
        (
            _csv(LONG_HEADER + "sysselsettingsprosent;Arendal;2019;64,6\n"),
            "omrade.csv",
            "Rad 2, kolonne «område»: ukjent område «Arendal».",
        ),
        (
            _csv(
                LONG_HEADER
                + "sysselsettingsprosent;Kristiansand;2019;64,6\n"
                + "sysselsettingsprosent;Hele landet;2019;sekstisju\n"
            ),
            "tall.csv",
            "Rad 3, kolonne «verdi»: «sekstisju» er ikke et tall.",
        ),
        (
            _csv(LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;1.234,5\n"),
            "tall.csv",
            "Rad 2, kolonne «verdi»: «1.234,5» er ikke et tall.",
        ),
        (
            _csv(LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,61234\n"),
            "desimaler.csv",
            "Rad 2, kolonne «verdi»: «64,61234» har flere enn 3 desimaler.",
        ),
        (
            _csv(LONG_HEADER + "sysselsettingsprosent;Kristiansand;i fjor;64,6\n"),
            "periode.csv",
            "Rad 2, kolonne «periode»: «i fjor» er ikke en periode",
        ),
        (
            _csv(LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;\n"),
            "tom-celle.csv",
            "Rad 2, kolonne «verdi»: mangler verdi.",
        ),
        (
            _csv(
                LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,6\n"
                "sysselsettingsprosent;Hele landet;2019;67,1\n"
                "Sysselsettingsprosent;kristiansand;2019;64,7\n"
            ),
            "dobbel.csv",
            "Rad 4, kolonne «verdi»: Sysselsettingsprosent, Kristiansand, 2019 står allerede i rad 2",
        ),
        (
            _csv(LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,6;ekstra\n"),
            "felt.csv",
            "Rad 2: har 5 kolonner, men overskriften har 4.",
        ),
        (
            "indikator;område;periode;verdi\nsysselsettingsprosent;Kristiansand;2019;64,6\n".encode(
                "latin-1"
            ),
            "latin1.csv",
            "Rad 1: filen er ikke UTF-8-kodet.",
        ),
        (b"%PDF-1.7\n\x00\x01binary", "rapport.pdf", "Filtypen «.pdf» kan ikke leses."),
        (b"PK\x03\x04 not really", "falsk.csv", imports.NOT_CSV),
        (b"indikator;omr\x00de", "binar.csv", imports.NOT_CSV),
        (_csv(LONG_HEADER + "x;y;2019;1\n"), "feil.xlsx", imports.NOT_XLSX),
        (
            _csv(
                '"Tittel"\n"region";"statistikkvariabel";"2019"\n"4204 Kristiansand";"Ukjent variabel";64,6\n'
            ),
            "ssb.csv",
            "Rad 3, kolonne «statistikkvariabel»: ukjent indikator «Ukjent variabel».",
        ),
        (
            _csv(
                '"region";"statistikkvariabel";"2019";"2020"\n'
                '"4204 Kristiansand";"sysselsettingsprosent";64,6;6x\n'
            ),
            "ssb.csv",
            "Rad 2, kolonne «2020»: «6x» er ikke et tall.",
        ),
        (
            _csv('"region";"statistikkvariabel";"2019"\n"1103 Stavanger";"sysselsettingsprosent";70\n'),
            "ssb.csv",
            "Rad 2, kolonne «region»: ukjent område «1103 Stavanger».",
        ),
        (
            _csv('"region";"statistikkvariabel";"merknad"\n"4204 Kristiansand";"sysselsettingsprosent";x\n'),
            "ssb.csv",
            "Rad 1: SSB-filen har ingen periodekolonner",
        ),
        (
            _csv(
                '"region";"kjønn";"statistikkvariabel";"2019"\n'
                '"4204 Kristiansand";"Menn";"sysselsettingsprosent";66\n'
                '"4204 Kristiansand";"Kvinner";"sysselsettingsprosent";63\n'
            ),
            "ssb.csv",
            "Kolonne «kjønn»: har flere verdier («Kvinner», «Menn»).",
        ),
        (
            _csv(
                '"region";"statistikkvariabel";"2019"\n'
                '"4204 Kristiansand";"sysselsettingsprosent";64,6\n'
                '"Kristiansand";"Sysselsettingsprosent";64,6\n'
            ),
            "ssb.csv",
            "Rad 3, kolonne «2019»: Sysselsettingsprosent, Kristiansand, 2019 står allerede i rad 2",
        ),
    ],
)
def test_bad_input_names_row_and_column_and_writes_nothing(content, filename, message):
    before = _snapshot()
    with pytest.raises(IndicatorImportError) as error:
        _import(content, filename)
    assert any(text.startswith(message) or message in text for text in error.value.messages), (
        error.value.messages
    )
    assert _snapshot() == before


def test_every_error_in_the_file_is_reported_at_once_and_nothing_is_written():
    before = _snapshot()
    content = _csv(
        LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,9\n"
        "ledighet;Kristiansand;2019;3\n"
        "sysselsettingsprosent;Arendal;2019;x\n"
    )
    with pytest.raises(IndicatorImportError) as error:
        _import(content)
    assert error.value.messages == [
        "Rad 3, kolonne «indikator»: ukjent indikator «ledighet».",
        "Rad 4, kolonne «område»: ukjent område «Arendal». Områder legges inn under Program → Områder.",
        "Rad 4, kolonne «verdi»: «x» er ikke et tall.",
    ]
    assert _snapshot() == before
    assert _rate("Kristiansand") == Decimal("64.6")


def test_a_long_row_for_another_indicator_than_the_chosen_one_is_an_error():
    chosen = Indicator.objects.get(slug="sysselsettingsgap-asss")
    with pytest.raises(IndicatorImportError) as error:
        _import(_csv(LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,6\n"), indicator=chosen)
    assert error.value.messages[0].startswith("Rad 2, kolonne «indikator»: «sysselsettingsprosent» er ikke")


def test_command_imports_and_reports_counts(tmp_path, capsys):
    Observation.objects.filter(indicator__slug="sysselsettingsgap-asss").delete()
    call_command("import_indicators", str(LONG_CSV))
    out = capsys.readouterr().out
    assert "indikatorer_langt.csv: 1 nye, 0 endret, 3 uendret." in out
    call_command("import_indicators", str(SSB_CSV), "--indikator", "sysselsettingsprosent")
    assert "Ingen endringer: alle 2 observasjoner" in capsys.readouterr().out


def test_command_errors_name_row_and_column_and_write_nothing(tmp_path):
    bad = tmp_path / "feil.csv"
    bad.write_text(LONG_HEADER + "sysselsettingsprosent;Kristiansand;2019;64,9\nx;Kristiansand;2019;1\n")
    before = _snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_indicators", str(bad))
    assert "ingenting er lagret" in str(error.value)
    assert "Rad 3, kolonne «indikator»: ukjent indikator «x»." in str(error.value)
    assert _snapshot() == before
    with pytest.raises(CommandError, match="Ukjent indikator «finnes-ikke»"):
        call_command("import_indicators", str(LONG_CSV), "--indikator", "finnes-ikke")
    with pytest.raises(CommandError, match="Kan ikke lese"):
        call_command("import_indicators", str(tmp_path / "mangler.csv"))
