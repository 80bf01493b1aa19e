"""Every string a user sees is translated: the English catalogue covers all of our own strings.

The test extracts the strings from the code and templates as they are now (Django's
makemessages, into a copy of the catalogue) and fails on any that has no English translation or
is marked fuzzy. `make messages-update` writes the same extraction into locale/ for translating.
It needs GNU gettext (apt-get install gettext): without it the test skips locally, and with
CI=true it fails.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

IGNORED = [".venv/*", "node_modules/*", "var/*", "artifacts/*", "bench/*", "tests/*", "static/*"]
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def entries(po: str):
    """Each entry of a catalogue as (flags, fields): its `#,` flags and its joined msgid, msgstr[n] …"""
    for block in re.split(r"\n[ \t]*\n", po.strip()):
        flags, fields, key = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif match := FIELD.match(line):
                key = match[1]
                fields[key] = match[2]
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        yield flags, fields


def untranslated(po: str) -> list[str]:
    """The msgids that are fuzzy or have an empty translation (any plural form counts)."""
    missing = []
    for flags, fields in entries(po):
        translations = [text for key, text in fields.items() if key.startswith("msgstr")]
        if fields.get("msgid") and ("fuzzy" in flags or not translations or not all(translations)):
            missing.append(fields["msgid"])
    return missing


def test_untranslated_finds_empty_fuzzy_and_plural_entries():
    po = """msgid ""
msgstr ""
"Language: en\\n"

#, fuzzy, python-format
msgid "Sak %(number)s"
msgstr "Phase %(number)s"

#. A comment before the flags
#, fuzzy
msgid "Vedtatt"
msgstr "Decision"

#, python-format
msgid "%(count)s post"
msgid_plural "%(count)s poster"
msgstr[0] "%(count)s item"
msgstr[1] ""

msgid ""
"Lang "
"tekst"
msgstr ""

msgid "Møte"
msgstr ""
"Meet"
"ing"

msgid "Tema"
msgstr "Theme"
"""
    assert untranslated(po) == ["Sak %(number)s", "Vedtatt", "%(count)s post", "Lang tekst"]


def _needs_gettext(*commands: str) -> None:
    if not all(shutil.which(command) for command in commands):
        message = "GNU gettext is missing (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def test_every_string_has_an_english_translation(monkeypatch):
    _needs_gettext("xgettext", "msgmerge")
    # makemessages writes the catalogue of the project's own locale/ folder whatever
    # LOCALE_PATHS says, so extract into it, read the result and put the committed file back.
    catalogue = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"
    committed = catalogue.read_bytes()
    monkeypatch.chdir(settings.BASE_DIR)
    try:
        call_command(
            "makemessages",
            locale=["en"],
            no_location=True,
            no_obsolete=True,
            ignore_patterns=IGNORED,
            verbosity=0,
        )
        extracted = catalogue.read_text()
    finally:
        catalogue.write_bytes(committed)
    missing = untranslated(extracted)
    assert not missing, (
        f"{len(missing)} strings lack an English translation (make messages-update):\n"
        + "\n".join(missing[:40])
    )


def _wagtail_catalogues(domain: str) -> list[Path]:
    """The English catalogues (every msgid, untranslated) of the Wagtail apps in use and taggit."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if config.name in {"wagtail", "taggit"} or config.name.startswith("wagtail."):
            catalogue = Path(config.path) / "locale/en/LC_MESSAGES" / f"{domain}.po"
            if catalogue.exists():
                found.append(catalogue)
    return found


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: {"n": "\n", "t": "\t"}.get(match[1], match[1]), text)


def _lacking(catalogue, path: Path) -> list[str]:
    lacking = []
    for _flags, fields in entries(path.read_text()):
        msgid = _unescape(fields.get("msgid", ""))
        if not msgid:
            continue
        key = f"{_unescape(fields['msgctxt'])}\x04{msgid}" if "msgctxt" in fields else msgid
        if "msgid_plural" in fields:
            key = (key, 0)
        if key not in catalogue:
            lacking.append(f"{path.parent.parent.parent.parent.name}: {msgid}")
    return lacking


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_wagtail_admin_is_in_bokmal(domain):
    """Every string of the Wagtail apps in use (and taggit) has bokmål: Wagtail's own nb
    catalogue where it has one, locale/wagtail/nb for the rest. After a Wagtail upgrade this lists
    the new strings to translate there."""
    from django.utils.translation import trans_real

    _needs_gettext("msgfmt")  # make messages compiles the catalogues
    catalogues = _wagtail_catalogues(domain)
    assert catalogues
    if domain == "django":
        catalogue = trans_real.translation("nb")._catalog
    else:  # as the admin's JavaScript catalogue view builds it
        localedirs = [path.parent.parent.parent for path in catalogues]
        catalogue = trans_real.DjangoTranslation("nb", domain=domain, localedirs=localedirs)._catalog
    lacking = [text for path in catalogues for text in _lacking(catalogue, path)]
    assert not lacking, f"{len(lacking)} Wagtail strings lack bokmål:\n" + "\n".join(lacking[:40])


@pytest.mark.django_db
def test_the_programme_leader_meets_the_page_editor_in_bokmal(client, programme_leader):
    """Strings Wagtail's catalogue lacks, on the page editor and in the admin's JavaScript."""
    from programme.models import ThemePage

    _needs_gettext("msgfmt")
    client.force_login(programme_leader)
    page = ThemePage.objects.live().first()
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    for english, bokmal in [
        ("Toggle sidebar", "Vis/skjul sidefelt"),
        ("Choose who can view the live version of this page", "Velg hvem som kan se den publiserte"),
        ("Keyboard shortcuts are currently enabled", "Hurtigtaster er slått på"),
    ]:
        assert english not in html and bokmal in html
    script = client.get("/admin/jsi18n/").content.decode()
    assert "(1 nytt element i denne menyen)" in script


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("nb", "Passord"), ("en", "Password")])
def test_the_admin_login_labels_the_password_in_the_interface_language(client, language, label):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/admin/login/").content.decode()
    assert re.search(rf'<label [^>]*for="id_password"[^>]*>\s*{label}<', html)
