"""What every source produces, and the small parsing helpers they share."""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading

from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

from dateutil import parser as dateparser
from django.utils.translation import gettext_lazy
from lxml import etree

from jobmate.tasks.messages import Message, Text, define


class SourceError(Exception):
    """A source could not be read (bad payload, refused request). `message` says why to the
    person (a task message, rendered in the reader's language; a plain `str` is kept as
    it is); `detail`, for the task's log, what exactly was wrong."""

    def __init__(self, message: Message | str, *, detail: str = ""):
        self.message = message if isinstance(message, Message) else Text(message)
        self.detail = detail
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})" if self.detail else str(self.message)


UNREADABLE = define("sources.unreadable", gettext_lazy("sent an answer JobMate could not read"))
NOT_A_BOARD_NAME = define("sources.not_a_board_name", gettext_lazy("“%(name)s” is not the name of a board."))
NO_SUCH_BOARD = define("sources.no_such_board", gettext_lazy("no %(source)s board named “%(name)s”"))
ANSWERED_HTTP = define("sources.answered_http", gettext_lazy("answered with an error (HTTP %(status)s)"))


@dataclass
class FoundOffer:
    source: str
    external_id: str
    url: str
    title: str
    company: str = ""
    location: str = ""
    remote: str = ""  # "remote", "hybrid", "onsite" or "" when unknown
    contract_type: str = ""
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str = ""
    salary_period: str = ""
    description_html: str = ""
    tags: list[str] = field(default_factory=list)
    posted_at: datetime | None = None
    apply_url: str = ""
    raw: dict = field(default_factory=dict, repr=False)


def parse_date(value) -> datetime | None:
    """ISO 8601, RFC 822 or a Unix epoch (seconds or milliseconds) → an aware datetime."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
            number = float(value)
            if number > 1e11:  # milliseconds
                number /= 1000
            return datetime.fromtimestamp(number, tz=timezone.utc)
        parsed = dateparser.parse(str(value))
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


# Days a week at the office make a job hybrid whatever else it says ("remote-friendly, three
# office days a week", "2 jours sur site", "3 days in the office").
_OFFICE_DAYS = re.compile(
    r"\b(?:\d|one|two|three|four|un|deux|trois|quatre)\s+(?:"
    r"office\s+days?|days?\s+(?:a\s+week\s+|per\s+week\s+)?(?:in|at)\s+(?:the\s+|our\s+)?office|days?\s+on[\s-]?site"
    r"|jours?\s+(?:par\s+semaine\s+)?(?:sur\s+site|au\s+bureau|en\s+pr[ée]sentiel))")


# French boards' wordings: remote work "partiel" or "occasionnel", or some days of it a
# week, is hybrid; "pas de télétravail" is on site, though it names remote work.
_TELETRAVAIL = r"t[ée]l[ée][\s-]?travail"
_PART_REMOTE = re.compile(
    r"hybride|" + _TELETRAVAIL + r"\s+(?:partiel|occasionnel|ponctuel|r[ée]gulier)"
    r"|\b(?:\d|un|deux|trois|quatre)\s+jours?\s+(?:de\s+)?" + _TELETRAVAIL)
_NO_REMOTE = re.compile(r"\b(?:pas\s+de|sans|aucun)\s+" + _TELETRAVAIL + "|" + _TELETRAVAIL
                        + r"\s+(?:non\s+autoris[ée]|impossible|non\s+possible)")


def remote_from_text(*texts: str) -> str:
    """"remote", "hybrid", "onsite" or "" from what a board says of the place of work."""
    text = " ".join(t for t in texts if isinstance(t, str) and t).lower()
    if "hybrid" in text or _OFFICE_DAYS.search(text) or _PART_REMOTE.search(text):
        return "hybrid"
    if _NO_REMOTE.search(text):
        return "onsite"
    if "remote" in text or "anywhere" in text or re.search(_TELETRAVAIL, text):
        return "remote"
    if "on-site" in text or "onsite" in text or "in office" in text:
        return "onsite"
    return ""


def number(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        result = float(str(value).replace(",", "").replace("_", ""))
    except ValueError:
        return None
    # JSON may say NaN or Infinity: neither is an amount.
    return result if math.isfinite(result) and result > 0 else None


def require_list(payload, what: str) -> list:
    if not isinstance(payload, list):
        raise SourceError(UNREADABLE(), detail=f"{what}: expected a list, got {type(payload).__name__}")
    return payload


def require_dict(payload, what: str) -> dict:
    if not isinstance(payload, dict):
        raise SourceError(UNREADABLE(), detail=f"{what}: expected an object, got {type(payload).__name__}")
    return payload


def text(value) -> str:
    """A board's text field as text: a number written out; a list, an object, null or a
    boolean where text belongs is no text ("")."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def obj(value) -> dict:
    """A board's object field, {} when it is anything else."""
    return value if isinstance(value, dict) else {}


def texts(values) -> list[str]:
    """The non-empty texts of a board's list field ([] when it is not a list)."""
    return [value for value in values if isinstance(value, str) and value] if isinstance(values, list) else []


def jobs_with(items, key: str) -> bool:
    """`items` is a list of a board's jobs, known by `key`: empty, or with at least one
    object carrying it (a job the source then skips for a missing title still counts)."""
    return isinstance(items, list) and (not items or any(isinstance(item, dict) and key in item for item in items))


def is_available(module) -> bool:
    """Whether a source can be used on this JobMate: one that needs what the operator may
    not have configured (credentials) says so with an `available()`; the others always can."""
    available = getattr(module, "available", None)
    return available() if available is not None else True


def available_sources(sources: dict) -> dict:
    """The sources of `sources` ({name: module}) this JobMate can use now."""
    return {name: module for name, module in sources.items() if is_available(module)}


def not_the_shape(label: str, shape: str) -> SourceError:
    """The error for a payload that is not the answer `label` sends (`shape` describes it)."""
    return SourceError(UNREADABLE(), detail=f"not a {label} answer: expected {shape}")


def company_from_link(url: str, hosts: tuple[str, ...]) -> str:
    """The company a board's posting link names (https://<host>/<board>/…) as a name:
    "acme-corp" → "Acme Corp"; "" when the link is on another host."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    name = parts.path.strip("/").split("/", 1)[0]
    if (parts.hostname or "") not in hosts or not BOARD_NAME.fullmatch(name):
        return ""
    return name.replace("-", " ").title()


def matches_keyword(offer: FoundOffer, keyword: str) -> bool:
    """For sources without a search parameter: every word of the keyword appears in the
    title, the tags or the description (case-insensitive)."""
    haystack = " ".join([offer.title, " ".join(offer.tags), offer.description_html, offer.company]).lower()
    return all(word in haystack for word in keyword.lower().split())


_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "usd": "USD", "eur": "EUR", "gbp": "GBP", "chf": "CHF",
                   "cad": "CAD", "aud": "AUD"}


def salary_from_text(text: str) -> tuple[float | None, float | None, str]:
    """"$80k - $100k", "€60,000–75,000 per year", "60000 EUR" → (min, max, currency)."""
    if not text:
        return None, None, ""
    lowered = text.lower()
    currency = next((code for sign, code in _CURRENCY_SIGNS.items() if sign in lowered), "")
    amounts = []
    for digits, thousands in re.findall(r"(\d[\d,. ]*\d|\d)\s*(k)?\b", lowered):
        value = number(digits.replace(" ", "").replace(".", "") if thousands is None else digits.replace(" ", ""))
        if value is None:
            continue
        if thousands:
            value *= 1000
        if value >= 1000:
            amounts.append(value)
    if not amounts:
        return None, None, currency
    return min(amounts), max(amounts), currency


# A board's name comes from a person (a saved search, a pasted link) while the base URL it
# is joined to is the operator's, trusted and unguarded: the name must be one plain path
# segment, so that it cannot lead the request elsewhere on that host ("..") or off it.
BOARD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


# A board whose address puts the company in the host name (acme.recruitee.com): its name
# is one DNS label, so that it cannot lead the request off the board's domain
# ("acme.evil.example" has dots; "evil.example#" is no label).
HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def board_address(base: str, board: str) -> str:
    """The address of `board` on a source whose base URL is a template naming it ("{board}":
    "https://{board}.recruitee.com/api/offers/"), or else a plain base URL that takes the
    name as its next path segment (an operator's mirror, the tests' local server).
    SourceError for a name that is not one plain path segment, or not one host-name label
    where the template puts it in the host name."""
    if not BOARD_NAME.fullmatch(board):
        raise SourceError(NOT_A_BOARD_NAME(name=board[:100]))
    if "{board}" not in base:
        return f"{base.rstrip('/')}/{board}"
    if _board_in_host_name(base) and not HOST_LABEL.fullmatch(board):
        raise SourceError(NOT_A_BOARD_NAME(name=board[:100]))
    return base.replace("{board}", board)


def get_board(base: str, board: str, *, label: str, params: dict | None = None):
    """`get` a company board's answer at `board_address(base, board)`.

    Where the board's name makes the host name (acme.recruitee.com), that host is the
    board's customer's as much as the vendor's: it may redirect to the customer's own
    domain, which may resolve anywhere. So it is fetched like a link a person gives
    (`guarded`: every hop's address must be public), not like the operator's base URLs."""
    return get(board_address(base, board), label=label, params=params, board=board,
               guarded=_board_in_host_name(base))


def _board_in_host_name(base: str) -> bool:
    return "{board}" in base.split("://", 1)[-1].split("/", 1)[0]


def json_of(response, label: str):
    """The JSON document a board answered with; SourceError when it is not JSON (a
    maintenance page, a cut answer)."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError) as exc:
        detail = f"{label} answered with something other than JSON: {exc}"
        raise SourceError(UNREADABLE(), detail=detail[:300]) from None


def read_xml(payload: bytes):
    """The root element of an XML document (SourceError if it is not well-formed)."""
    try:
        # No network, no entity expansion: the feed is data.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
        return etree.fromstring(payload, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SourceError(UNREADABLE(), detail=f"not valid XML: {exc}") from exc


def board_in_path(url: str, hosts: tuple[str, ...]) -> str:
    """The board a link on one of `hosts` names as its first path segment
    (https://jobs.lever.co/acme/123 → "acme"); "" for any other link, one with a user or a
    port before the host, or a segment that is not a board's name."""
    parts = _plain_link(url)
    if parts is None or parts.hostname not in hosts:
        return ""
    name = parts.path.lstrip("/").split("/", 1)[0]
    return name if BOARD_NAME.fullmatch(name) else ""


def board_in_host(url: str, domains: tuple[str, ...], *, reserved: tuple[str, ...] = ()) -> str:
    """The board a link names as the label before one of `domains`
    (https://acme.recruitee.com/o/dev → "acme"); "" for any other link, one with a user or a
    port before the host, a deeper host (acme.recruitee.com.evil.example, a.b.recruitee.com)
    or one of the domain's own hosts (`reserved`: www, api…)."""
    parts = _plain_link(url)
    if parts is None:
        return ""
    for domain in domains:
        label = parts.hostname.removesuffix("." + domain)
        if label != parts.hostname and HOST_LABEL.fullmatch(label) and label not in reserved:
            return label
    return ""


def _plain_link(url: str):
    """`url` split, if it is an http(s) link whose host is written plainly (no user, no
    port: "https://jobs.lever.co@evil.example/acme" goes to evil.example)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.netloc.lower() != parts.hostname:
        return None
    return parts


def get(url: str, *, label: str, params: dict | None = None, board: str | None = None, guarded: bool = False):
    """Fetch a source's answer (`url` is the source's base URL, plus `board`'s name for a
    company board): a 404 for a board means it does not exist; any other answer than 200
    is a SourceError naming the board and the status."""
    from jobmate.http import fetch

    if board is not None and not BOARD_NAME.fullmatch(board):
        raise SourceError(NOT_A_BOARD_NAME(name=board[:100]))
    response = fetch(url, params=params, guarded=guarded)
    if response.status_code == 404 and board is not None:
        raise SourceError(NO_SUCH_BOARD(source=label, name=board))
    if response.status_code != 200:
        raise SourceError(ANSWERED_HTTP(status=response.status_code))
    return response


_flight_locks: dict[str, threading.Lock] = {}
_flight_guard = threading.Lock()


def keyword_key(keyword: str) -> str:
    """A keyword as one cache-key word, whatever it holds ("Python " and "python" alike)."""
    return hashlib.sha256(keyword.lower().strip().encode("utf-8", "surrogatepass")).hexdigest()[:24]


def child_text(element, tag: str) -> str:
    """The stripped text of `element`'s first `tag` child ("" when it has none)."""
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def cached(key: str, seconds: int, produce):
    """`produce()`'s value, kept `seconds` in the shared cache (Redis). Steps of one scrape
    asking for the same answer at the same time wait for the first instead of each
    sending the request.

    The key names the boards' addresses too: `make demo`'s sample boards and the real ones
    share the development Redis, and one's answers must never stand for the other's."""
    from django.conf import settings
    from django.core.cache import cache

    addresses = json.dumps(settings.JOBMATE_SOURCE_URLS, sort_keys=True).encode()
    key = f"{key}@{hashlib.sha256(addresses).hexdigest()[:16]}"
    value = cache.get(key)
    if value is not None:
        return value
    with _flight_guard:
        lock = _flight_locks.setdefault(key, threading.Lock())
    with lock:
        value = cache.get(key)
        if value is None:
            value = produce()
            cache.set(key, value, seconds)
    return value
