"""Compiling the translations (locale/*/LC_MESSAGES/django.po → .mo) in pure Python.

Django's `compilemessages` needs GNU gettext's msgfmt, which a fresh clone's machine may
lack; polib reads and writes the same files. `make run`, `make test`, the test suite and
the Docker image compile before they start, and so does every `manage.py` command; a
.mo older than its .po is compiled again.
The .mo files are build output: never committed.

This module must not import Django: `jobmate.dev` uses it before settings exist.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_translations(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every .po whose .mo is missing or older; return the .mo files written."""
    import polib

    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalog = polib.pofile(str(po_path))
        # Like msgfmt: fuzzy entries are not used.
        for entry in catalog.fuzzy_entries():
            catalog.remove(entry)
        # Written aside, then moved into place: the processes `make run` starts together
        # may compile at once, and none may read a half-written catalog.
        partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        catalog.save_as_mofile(str(partial))
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written
