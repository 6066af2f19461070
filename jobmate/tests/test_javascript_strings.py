"""Our JavaScript holds no word a person reads: every such word comes from the page.

A script that shows text takes it from the element it works on, written by the template in
the reader's language (profile.html's Copy button: `data-copied="{% translate 'Copied' %}"`,
read by profile.js), so our scripts need no translation catalog of their own. This checker
reads each file's string literals (comments left out) and fails on one that reads as words
or that a script puts where people read it (textContent, title, alert…).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

SCRIPTS = sorted((Path(settings.BASE_DIR) / "static" / "js").glob("*.js"))

# A comment, a string literal, or a regular expression literal (so that a quote inside one
# is not read as the start of a string).
TOKEN = re.compile(r"""//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`"""
                   r"""|(?<=[(,=:!&|?{};\s])/(?![/*])(?:[^/\\\n\[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[a-z]*""", re.DOTALL)
# Where text is shown to people: a literal right after one of these is a sentence.
SHOWN = re.compile(r"""(?:\.(?:textContent|innerText|innerHTML|outerHTML|title|placeholder|ariaLabel|value)\s*\+?=\s*"""
                   r"""|\b(?:alert|confirm|prompt)\s*\(\s*"""
                   r"""|setAttribute\(\s*["'](?:title|placeholder|aria-label|aria-description|alt)["']\s*,\s*)$""")
WORDS = re.compile(r"[^\W\d_]{2,}(?:\s+[^\W\d_]+)+")  # two words or more: a phrase
CODE_PUNCTUATION = re.compile(r"[#.\[\]:()>=,*]")  # a CSS selector or a media query, not prose
# Literals that look like words but are code, each for a reason.
ALLOWED = {
    "use strict",  # the directive
    "DOMContentLoaded",  # an event's name
    "Enter",  # names of keys, as KeyboardEvent.key gives them
    "Escape",
}


def user_facing(source: str) -> list[str]:
    """The string literals of `source` that a person would read."""
    found = []
    for match in TOKEN.finditer(source):
        token = match.group()
        if token[0] not in "\"'`":
            continue  # a comment or a regular expression
        text = token[1:-1]
        if text in ALLOWED:
            continue
        before = source[max(0, match.start() - 80):match.start()]
        prose = WORDS.search(text) and not CODE_PUNCTUATION.search(text)
        capitalised = re.fullmatch(r"[A-Z][a-z]+[.!?…]?", text)
        if prose or capitalised or (SHOWN.search(before) and re.search(r"[^\W\d_]", text)):
            found.append(token)
    return found


def test_the_checker_sees_words_and_passes_code():
    assert user_facing('button.textContent = "Copied";') == ['"Copied"']
    assert user_facing("if (!confirm('Delete it?')) return;") == ["'Delete it?'"]
    assert user_facing('var said = "Link copied to the clipboard";') == ['"Link copied to the clipboard"']
    assert user_facing('el.setAttribute("aria-label", "close");') == ['"close"']
    assert user_facing('"use strict";\n// "A comment" is not code\nvar x = /a "b/;') == []
    assert user_facing("""document.querySelector("#offer-detail [data-key='a']").click();""") == []
    assert user_facing('button.textContent = button.dataset.copied;') == []


def test_there_are_scripts_to_check():
    assert {path.name for path in SCRIPTS} >= {"app.js", "inbox.js", "profile.js"}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_script_holds_no_text_for_people(path):
    words = user_facing(path.read_text())
    assert not words, (f"static/js/{path.name} shows text that is not translated: {words}. Have the template "
                       "write it in a data-* attribute with {% translate %} and read it from there.")
