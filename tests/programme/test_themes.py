import pytest

from programme import queries
from programme.models import Remark, ThemePage

pytestmark = pytest.mark.django_db

SEED_TABLE = {
    1: ("Oppvekst", [20, 29]),
    2: ("Agder fylkeskommune", [7, 15, 16, 18, 20]),
    3: ("Helse og mestring", [1, 5, 6, 7, 11, 14, 17, 18, 25, 28, 31, 34, 36, 37, 40]),
    4: ("Organisasjon", [2, 3, 9, 12, 13, 23, 26, 30, 32]),
    5: ("Næringsforeningen i Kristiansand", [9, 15, 18, 24, 38]),
    6: ("Business Region Kristiansand", [4, 12, 13, 20, 21, 22]),
}


def test_six_themes_with_responsibility_and_remarks_exactly_as_in_the_seed():
    themes = {theme.number: theme for theme in ThemePage.objects.live()}
    assert sorted(themes) == [1, 2, 3, 4, 5, 6]
    for number, (owner, remarks) in SEED_TABLE.items():
        assert themes[number].responsible_organisation == owner
        assert list(themes[number].remarks.order_by("number").values_list("number", flat=True)) == remarks


def test_across_theme_remarks_and_no_invented_remark():
    assert list(queries.across_theme_remarks().values_list("number", flat=True)) == [8, 10, 27, 33, 35, 39]
    assert not Remark.objects.filter(number=19).exists()
    assert Remark.objects.count() == 39


def test_themes_come_in_their_two_groups():
    groups = queries.themes_by_group()
    assert [label for _value, label, _members in groups] == [
        "Kvalifisering av potensiell arbeidskraft",
        "Etterspørsel etter arbeidskraft",
    ]
    assert [[theme.number for theme in members] for _value, _label, members in groups] == [
        [1, 2, 3],
        [4, 5, 6],
    ]
    themes = [theme for _value, _label, members in groups for theme in members]
    assert any(theme.remark_number_list for theme in themes)
    for theme in themes:
        assert theme.remark_number_list == theme.remark_numbers  # ascending, from the remarks


def test_the_theme_cards_list_each_theme_s_remark_numbers(client):
    from programme.models import ThemePage

    theme = max(ThemePage.objects.all(), key=lambda page: len(page.remark_numbers))
    assert len(theme.remark_numbers) >= 2
    listing = client.get("/temaer/").content.decode()
    assert ", ".join(str(number) for number in theme.remark_numbers) in listing


def test_programme_page_and_theme_pages_show_the_themes(client):
    home = client.get("/").content.decode()
    assert "Tema 3: Fra stønad til arbeid" in home
    assert "Etterspørsel etter arbeidskraft" in home
    theme = client.get("/temaer/fra-stonad-til-arbeid/").content.decode()
    assert "Helse og mestring" in theme
    assert "Merknad 40" in theme
    assert "Ikke utnevnt ennå" in theme
    index = client.get("/temaer/").content.decode()
    assert "På tvers av tema" in index
    assert "Programledelsen" in index


@pytest.mark.parametrize(
    ("number", "valid"), [(0, False), (1, True), (99, True), (100, False), (99999, False)]
)
def test_a_theme_number_is_a_small_positive_number(number, valid):
    from django.core.exceptions import ValidationError

    field = ThemePage._meta.get_field("number")
    if valid:
        field.clean(number, ThemePage())
    else:
        with pytest.raises(ValidationError):
            field.clean(number, ThemePage())
