"""The French catalog is complete, current and compiled.

`locale/fr/LC_MESSAGES/django.po` is what translators edit; the `.mo` beside it is build
output that `jobmate/translations.py` compiles at `make run`, `make test` and in the image.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from jobmate.translations import compile_translations

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> tuple:
    return entry.msgctxt, entry.msgid, entry.msgid_plural


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {PO.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {PO.name} (check them, then remove the flag): {fuzzy}"
    assert not catalog.obsolete_entries(), "obsolete entries: run makemessages with --no-obsolete"


def test_placeholders_are_the_same_in_french():
    """A French sentence that drops or renames a placeholder would fail when rendered or
    lose a value; a singular may leave its count out ("Une offre" for "%(count)d offer")."""
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for entry in polib.pofile(str(PO)):
        if not entry.msgid_plural:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), entry.msgid
            continue
        plural = set(placeholder.findall(entry.msgid_plural))
        assert set(placeholder.findall(entry.msgstr_plural[1])) == plural, entry.msgid_plural
        assert set(placeholder.findall(entry.msgstr_plural[0])) <= plural, entry.msgid


def test_the_catalog_holds_every_string_of_the_code_and_no_other(tmp_path, settings, monkeypatch):
    """makemessages on today's code adds nothing to the catalog and finds nothing stale.

    It runs on a copy of the sources: makemessages writes to the `locale` directory above
    the files it reads."""
    assert shutil.which("xgettext"), "GNU gettext's xgettext is needed to read the code's strings: apt install gettext"
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "node_modules", "__pycache__", "static", "*.mo", ".hypothesis", "test-results"))
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command("makemessages", locale=["fr"], domain="django", add_location="file", no_obsolete=True,
                 verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    ours = {_key(entry) for entry in polib.pofile(str(PO))}
    theirs = {_key(entry) for entry in fresh}
    assert not theirs - ours, f"strings of the code missing from {PO.name}: {sorted(theirs - ours, key=str)[:20]}"
    assert not ours - theirs, f"entries no string of the code uses any more: {sorted(ours - theirs, key=str)[:20]}"


def test_the_compiled_catalog_matches_its_source(tmp_path):
    """The .mo the app reads says what the .po says (it is compiled when older)."""
    compile_translations()
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(PO.with_suffix(".mo")))}
    for entry in polib.pofile(str(PO)).translated_entries():
        mo = compiled.get((entry.msgctxt, entry.msgid))
        assert mo is not None, f"{entry.msgid!r} is not in the compiled catalog"
        if entry.msgid_plural:
            assert mo.msgstr_plural == entry.msgstr_plural, entry.msgid
        else:
            assert mo.msgstr == entry.msgstr, entry.msgid


def test_a_changed_catalog_is_compiled_again(tmp_path):
    locale = tmp_path / "fr" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Inbox", msgstr="Boîte de réception"))
    catalog.save(str(locale / "django.po"))
    assert compile_translations(tmp_path) == [locale / "django.mo"]
    assert compile_translations(tmp_path) == []  # up to date: left alone
    catalog[0].msgstr = "Réception"
    catalog.save(str(locale / "django.po"))
    mo = locale / "django.mo"
    os.utime(mo, (mo.stat().st_atime, mo.stat().st_mtime - 10))
    assert compile_translations(tmp_path) == [mo]
    assert polib.mofile(str(mo)).find("Inbox").msgstr == "Réception"


def test_french_is_served_from_the_catalog():
    with translation.override("fr"):
        assert translation.gettext("Inbox") != "Inbox"
