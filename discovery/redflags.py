"""Red flags: the words a person never wants to see in an offer ("stage", "PHP"). An
offer holding one is stored FILTERED with the word as its reason, so the person can audit
the filter and rescue an offer."""

from __future__ import annotations

import re

from discovery.text import fold


def red_flag_patterns(terms: list[str]) -> list[tuple[str, str, re.Pattern]]:
    patterns = []
    for term in terms:
        folded = fold(term).strip()
        if folded:
            patterns.append((term.strip(), folded, re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")))
    return patterns


def red_flag(patterns, *texts: str, folded: str | None = None) -> str:
    """The first red-flag term found, on word boundaries, ignoring case and accents."""
    haystack = folded if folded is not None else fold(" ".join(texts))
    for term, needle, pattern in patterns:
        # The plain substring test is cheap and nearly always false: the word-boundary
        # pattern only runs when it might match.
        if needle in haystack and pattern.search(haystack):
            return term
    return ""
