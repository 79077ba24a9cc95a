"""The German catalogue is complete, well-formed, shipped compiled, and used by the pages.

German is the default language, so an untranslated or broken string shows up on
every page: these tests fail before that reaches anyone.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import REQUIRE_SERVICES

PO_PATH = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The same exclusions as the command that writes the catalogue (`make messages`):
# makemessages --locale de --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*"
#              --ignore "tests/*" --ignore "bench/*"
IGNORED_DIRS = {".venv", "staticfiles", "tests", "bench", "locale", "media", "node_modules"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# %(name)s, %s, %d, %r … (python-format), %% and {name} / {} (brace placeholders).
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"
    r"|\{[^{}\s]*\}"
)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        _skip_or_fail(f"{name} (gettext) is not installed")
    return path


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: one for a plain entry, one per plural form."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items())
    ]


def _catalog(mo_path: Path) -> dict:
    with mo_path.open("rb") as fp:
        catalog = dict(gettext.GNUTranslations(fp)._catalog)
    # The header carries creation dates that differ between compilers and runs.
    catalog.pop("", None)
    return catalog


def test_catalogue_header_is_german(catalogue):
    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Project-Id-Version"].strip()
    assert "PACKAGE" not in catalogue.metadata["Project-Id-Version"]
    assert not catalogue.metadata_is_fuzzy


def test_catalogue_every_entry_translated(catalogue):
    entries = _entries(catalogue)
    assert len(entries) > 100, "the German catalogue looks truncated"
    untranslated = [
        entry.msgid for entry in entries if not all(text.strip() for _, text in _forms(entry))
    ]
    assert untranslated == []


def test_catalogue_plural_entries_have_both_german_forms(catalogue):
    incomplete = [
        entry.msgid
        for entry in _entries(catalogue)
        if entry.msgid_plural and sorted(entry.msgstr_plural) != [0, 1]
    ]
    assert incomplete == []


def test_catalogue_no_entry_fuzzy(catalogue):
    assert [entry.msgid for entry in _entries(catalogue) if "fuzzy" in entry.flags] == []


def test_catalogue_placeholders_match_source(catalogue):
    mismatched = []
    for entry in _entries(catalogue):
        for source, text in _forms(entry):
            if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text)):
                mismatched.append((source, text))
    assert mismatched == []


def test_catalogue_html_tags_match_source(catalogue):
    mismatched = [
        (source, text)
        for entry in _entries(catalogue)
        for source, text in _forms(entry)
        if sorted(HTML_TAG.findall(source)) != sorted(HTML_TAG.findall(text))
    ]
    assert mismatched == []


def test_catalogue_leading_and_trailing_whitespace_kept(catalogue):
    def edges(value: str) -> tuple[str, str]:
        return value[: len(value) - len(value.lstrip())], value[len(value.rstrip()) :]

    mismatched = [
        (source, text)
        for entry in _entries(catalogue)
        for source, text in _forms(entry)
        if edges(source) != edges(text)
    ]
    assert mismatched == []


def test_catalogue_passes_msgfmt_check():
    msgfmt = _require_tool("msgfmt")
    result = subprocess.run(
        [msgfmt, "--check", "-o", os.devnull, str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_shipped_mo_matches_po(tmp_path):
    assert MO_PATH.exists(), "compile the catalogue: manage.py compilemessages --locale de"
    fresh = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run([msgfmt, "-o", str(fresh), str(PO_PATH)], check=True)
    else:
        polib.pofile(str(PO_PATH)).save_as_mofile(str(fresh))
    assert _catalog(MO_PATH) == _catalog(fresh), (
        "locale/de/LC_MESSAGES/django.mo is stale: run manage.py compilemessages --locale de"
    )


def _copy_sources(root: Path, target: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        relative = Path(dirpath).relative_to(root)
        dirnames[:] = [
            name
            for name in dirnames
            if not name.startswith(".") and name not in IGNORED_DIRS and name != "__pycache__"
        ]
        for filename in filenames:
            if Path(filename).suffix in SOURCE_SUFFIXES:
                (target / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(dirpath) / filename, target / relative / filename)


def test_catalogue_contains_every_source_string(tmp_path, settings, monkeypatch):
    _require_tool("xgettext")
    _require_tool("msguniq")
    copy = tmp_path / "src"
    _copy_sources(Path(settings.BASE_DIR), copy)
    (copy / "locale").mkdir()
    # makemessages writes into LOCALE_PATHS: point it at the copy, never the real catalogue.
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["de"], no_obsolete=True, verbosity=0)

    fresh = polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    shipped = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(PO_PATH))
        if not entry.obsolete
    }
    missing = []
    for entry in fresh:
        known = shipped.get((entry.msgctxt, entry.msgid))
        if (
            known is None
            or known.msgid_plural != entry.msgid_plural
            or not all(text.strip() for _, text in _forms(known))
        ):
            missing.append(entry.msgid)
    assert missing == [], (
        "strings without a German translation: run `make messages`, "
        "translate them and compile again (manage.py compilemessages --locale de)"
    )


@pytest.mark.django_db
def test_home_page_german_by_default(client):
    response = client.get("/")

    content = response.content.decode()
    assert '<html lang="de">' in content
    assert ">Anmelden<" in content
    assert ">Registrieren<" in content
    assert ">Log in<" not in content


@pytest.mark.django_db
def test_home_page_english_with_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert ">Log in<" in content
    assert ">Anmelden<" not in content


@pytest.mark.django_db
def test_home_page_english_with_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert ">Sign up<" in content
    assert ">Registrieren<" not in content
