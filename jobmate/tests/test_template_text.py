"""Every word a person reads in our templates goes through the translation tags.

The checker reads each template of ours with Django's own lexer, keeps the literal text that
is outside `{% translate %}` / `{% blocktranslate %}` (tags and variables are not text),
and reads that text as HTML: the text between tags and the attributes people read or hear
(title, placeholder, aria-label, alt, value of a button) must hold no word.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path for path in ROOT.rglob("*.html")
    if "templates" in path.parts and ".venv" not in path.parts and "var" not in path.parts
)

# Literal text allowed outside the translation tags, each for a reason.
ALLOWED = {
    "JobMate",  # the product's name, the same in every language
    "×",  # the close sign of a toast and a dialog (its button has a translated aria-label)
    "·",  # a separator between facts
    "—",  # a separator between facts
    "–",  # between two numbers of a range
    "/",  # between two numbers of a fraction
    "%",  # after a number
    "…",  # an ellipsis after a translated word
    "→",  # an arrow after a translated word
    "←",
    "↑",
    "↓",
    "↩",
    "Esc",  # names of keys, printed on the keys themselves
    "Enter",
    "Ctrl",
    "Shift",
    "?",
    "a",
    "r",
    "j",
    "k",
    "u",
    "x",
    "o",
    "/",
    "API",  # the word is the same in French
    "URL",
    "CV",
    "©",
    "&times;",
    "&nbsp;",
    "&middot;",
    "&mdash;",
    "&ndash;",
    "&hellip;",
    "&rarr;",
    "&larr;",
    "EUR",  # ISO currency codes, the same in every language
    "USD",
    "GBP",
    "CHF",
}
READABLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description", "data-confirm"}
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
HOLE = "\x00"  # where a tag or a variable stood


def literal_html(source: str) -> str:
    """The template's text outside translation tags, tags and variables replaced by a hole."""
    parts = []
    in_translation = in_comment = in_class = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                in_translation += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                in_translation -= 1
            elif name == "comment":
                in_comment += 1
            elif name == "endcomment":
                in_comment -= 1
            elif name == "block" and token.contents.split()[1].endswith("_class"):
                in_class += 1  # {% block body_class %}page--wide{% endblock %}: a CSS class
            elif name == "endblock" and in_class:
                in_class -= 1
            parts.append(HOLE)
        elif token.token_type == TokenType.TEXT and not (in_translation or in_comment or in_class):
            parts.append(token.contents)
        else:
            parts.append(HOLE)
    return "".join(parts)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.words: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READABLE_ATTRIBUTES and value:
                self._keep(value)
            if name == "value" and tag == "input" and ("type", "submit") in attrs and value:
                self._keep(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._keep(data)

    def handle_entityref(self, name):
        pass

    def handle_charref(self, name):
        pass

    def _keep(self, text):
        for piece in text.split(HOLE):
            piece = " ".join(piece.split())
            words = [word for word in piece.split() if word not in ALLOWED]
            if any(LETTER.search(word) for word in words):
                self.words.append(piece)


def untranslated_text(source: str) -> list[str]:
    reader = _Reader()
    reader.feed(literal_html(source))
    reader.close()
    return reader.words


def test_the_checker_sees_literal_text_and_passes_translated_text():
    assert untranslated_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_text('<input placeholder="Search offers">') == ["Search offers"]
    assert untranslated_text('<button aria-label="Close">×</button>') == ["Close"]
    assert untranslated_text("<p>{% translate 'Hello' %} {{ name }}</p>") == []
    assert untranslated_text("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}") == []
    assert untranslated_text("{% comment %}Notes for us{% endcomment %}<script>let a = 'x';</script>") == []
    assert untranslated_text('<a href="/inbox/" class="button">{{ label }}</a> · JobMate') == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_template_holds_no_literal_text(path):
    words = untranslated_text(path.read_text())
    assert not words, f"{path.relative_to(ROOT)}: text outside the translation tags: {words}"
