"""Which offers are the same job: the canonical form of an offer's URL, and a fingerprint
of company + title + location that sees through legal suffixes, case, accents and
spacing ("Acme Corp." and "ACME Corp" are one company).

The database holds one offer per person for each canonical URL and each fingerprint.
"""

from __future__ import annotations

import hashlib
import re

from discovery.text import fold

TRACKING_PARAMS = {"gh_src", "lever-source", "lever-origin", "ref", "referrer", "source", "src", "fbclid", "gclid",
                   "msclkid", "mc_cid", "mc_eid", "trk", "trackingid", "refid", "_hsenc", "_hsmi", "igshid"}


def canonical_url(url: str) -> str:
    """Tracking parameters and fragments removed, host lower-cased, the other parameters
    (board job ids) kept, sorted. Plain string work: it runs for every offer found."""
    base = url.strip().partition("#")[0]
    base, _, query = base.partition("?")
    scheme, _, rest = base.partition("://")
    host, slash, path = rest.partition("/")
    path = ("/" + path).rstrip("/") if slash else ""
    params = sorted(
        param for param in query.split("&")
        if param and not _is_tracking(param.partition("=")[0].lower())
    )
    return f"{scheme.lower()}://{host.lower()}{path or '/'}" + (f"?{'&'.join(params)}" if params else "")


def _is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS


LEGAL_SUFFIXES = {"inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation", "co",
                  "company", "sas", "sasu", "sa", "sarl", "eurl", "gmbh", "ag", "kg", "ug", "bv", "nv", "srl",
                  "spa", "ab", "as", "oy", "pty", "se", "group"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+#]+", fold(text))


def normalised_company(name: str) -> str:
    words = _words(name)
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def fingerprint(company: str, title: str, location: str, *, url: str = "") -> str:
    """The same job's mark on every board: its company, title and place, folded. A board
    that names no company (Monster's feed) cannot tell two "Développeur Python" in Paris
    apart by that: the offer's own address (`url`) then stands for its company, so such
    offers are told apart, and matched only by their link."""
    employer = normalised_company(company) or (f"@{url}" if url else "")
    key = "|".join([employer, " ".join(_words(title)), " ".join(_words(location))])
    return hashlib.sha256(key.encode()).hexdigest()
