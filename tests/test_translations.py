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


def test_every_string_has_an_english_translation(monkeypatch):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        message = "GNU gettext is missing (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
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
