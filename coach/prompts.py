"""The coach's prompts: versioned files in coach/prompts/, one per language.

A file is named `<name>.v<N>.<language>.md` (analysis.v1.fr.md). A published version is
never edited: a change is a new file, `v<N+1>`, in every language, so that the version an
analysis records (and hashes into its inputs) names the exact words that produced it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

DIRECTORY = Path(__file__).resolve().parent / "prompts"
_FILE_NAME = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.(?P<language>[a-z]{2})\.md$")


class Prompt(NamedTuple):
    text: str
    # The file's name without ".md" ("analysis.v1.fr"): what the words depend on.
    version: str


def load(name: str, language: str) -> Prompt:
    """The latest version of prompt `name` in `language` ("fr", "fr-ca"), else in the
    site's default language."""
    available = _versions()
    for candidate in (language.split("-")[0].lower(), settings.LANGUAGE_CODE):
        if (name, candidate) in available:
            return _read(name, available[name, candidate], candidate)
    raise LookupError(f"no prompt {name!r} in coach/prompts/")


@functools.cache
def _versions() -> dict[tuple[str, str], int]:
    latest: dict[tuple[str, str], int] = {}
    for path in DIRECTORY.iterdir():
        if match := _FILE_NAME.match(path.name):
            key = (match["name"], match["language"])
            latest[key] = max(latest.get(key, 0), int(match["version"]))
    return latest


@functools.cache
def _read(name: str, version: int, language: str) -> Prompt:
    stem = f"{name}.v{version}.{language}"
    return Prompt(text=(DIRECTORY / f"{stem}.md").read_text(encoding="utf-8").strip(), version=stem)
