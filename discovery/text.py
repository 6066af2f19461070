"""Text as the boards send it, made safe and comparable: whitespace collapsed, HTML
sanitised, the plain words of sanitised HTML, and a folded form (lower case, no accents)
for matching words whatever their case or accents.

Pure functions: ingestion, the relevance score, the templates and the coach's offline
analyzer all use them, and none of them needs the database.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "h5", "h6",
                "blockquote", "code", "pre", "a", "div", "span", "table", "thead", "tbody", "tr", "th", "td",
                "hr", "dl", "dt", "dd", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Built once: nh3.clean() with these arguments rebuilds the same rules on every call.
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                       link_rel="noopener noreferrer nofollow")


def collapse(text: str) -> str:
    text = text or ""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def sanitise_html(markup: str) -> str:
    """Entities decoded (Greenhouse escapes its HTML), then only safe markup kept: no
    scripts, styles, event handlers or javascript: links; links get rel=noopener."""
    text = markup or ""
    if "&lt;" in text and "<" not in text:
        text = html.unescape(text)
    return _CLEANER.clean(text).strip()


_TAG = re.compile(r"<[^>]*>")


def plain_text(sanitised: str) -> str:
    """The words of HTML already sanitised by `sanitise_html` (well-formed, no scripts)."""
    return collapse(_TAG.sub(" ", sanitised or ""))


_COMBINING_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case, accents removed: "Équipe Développement" → "equipe developpement"."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text or "")).casefold()
