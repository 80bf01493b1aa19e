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
from django.test import override_settings

IGNORED = [".venv/*", "node_modules/*", "var/*", "artifacts/*", "bench/*", "tests/*", "static/*"]
ENTRY = re.compile(r'(#, fuzzy\n)?(?:#.*\n)*msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)')


def _text(quoted: str) -> str:
    return "".join(line[1:-1] for line in quoted.strip().splitlines())


def untranslated(po: str) -> list[str]:
    missing = []
    for fuzzy, msgid, msgstr in ENTRY.findall(po + "\n"):
        if _text(msgid) and (fuzzy or not _text(msgstr)):
            missing.append(_text(msgid))
    return missing


def test_every_string_has_an_english_translation(tmp_path, monkeypatch):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        message = "GNU gettext is missing (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    source = Path(settings.BASE_DIR) / "locale"
    shutil.copytree(source, tmp_path / "locale")
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages",
            locale=["en"],
            no_location=True,
            no_obsolete=True,
            ignore_patterns=IGNORED,
            verbosity=0,
        )
    missing = untranslated((tmp_path / "locale/en/LC_MESSAGES/django.po").read_text())
    assert not missing, (
        f"{len(missing)} strings lack an English translation (make messages-update):\n"
        + "\n".join(missing[:40])
    )
