"""What a saved document is, and the offers its source makes of it (for `manage.py parse_offer`).

A board's JSON answer is known by its shape: each JSON source's `recognises(payload)` says
whether the payload is its answer (an empty one included), and the first that does reads
it. Sources whose empty answers look alike ({"jobs": []} for Greenhouse, Ashby and
Remotive; [] for Lever and Remote OK) all make no offer of it, so which one reads it does
not matter. Then an XML feed is read by the source that knows it by a mark of its own (the
host its items link to, its root element), and an HTML page is a job page.
Anything else is a SourceError saying what was expected.

A job page's address is the one given (`url`); else the page's own, `<link rel="canonical">`
first, then its JSON-LD `url` or `og:url`; else the offer has none (`url` ""), and is never
given a file's path or any other made-up link.
"""

from __future__ import annotations

import json

from lxml import etree
from lxml import html as lxml_html

from discovery.sources import (
    apec,
    arbeitnow,
    ashby,
    francetravail,
    greenhouse,
    himalayas,
    jobicy,
    jobpage,
    lever,
    monster,
    personio,
    recruitee,
    remoteok,
    remotive,
    smartrecruiters,
    teamtailor,
    weworkremotely,
    workable,
)
from discovery.sources.base import UNREADABLE, FoundOffer, SourceError

# In the order they are tried: the most particular shapes first. A JSON source's
# `recognises` takes the decoded payload; an XML source's takes the document's bytes, and
# must know its own feed by a mark of its own (a namespace, the root element, the host its
# items link to), since RSS feeds all look alike.
JSON_SOURCES = (greenhouse, ashby, smartrecruiters, workable, recruitee, lever, himalayas, jobicy, francetravail,
                apec, remoteok, remotive, arbeitnow)
XML_SOURCES = (personio, teamtailor, weworkremotely, monster)
READABLE = (
    "a board's JSON answer (" + "; ".join(f"{module.LABEL}: {module.SHAPE}" for module in JSON_SOURCES)
    + "), a board's XML feed (" + "; ".join(f"{module.LABEL}: {module.SHAPE}" for module in XML_SOURCES)
    + ") or an HTML page"
)


def detect(content: bytes) -> str:
    """The name of the source that reads `content`."""
    payload = _json(content)
    if payload is not _NOT_JSON:
        for module in JSON_SOURCES:
            if module.recognises(payload):
                return module.NAME
        raise SourceError(UNREADABLE(), detail=f"JSON of no known board's shape; expected {READABLE}")
    for module in XML_SOURCES:
        if module.recognises(content):
            return module.NAME
    try:
        root = weworkremotely.read_xml(content)
    except SourceError:
        root = None  # not well-formed XML: HTML may well be
    if root is not None and etree.QName(root).localname.lower() != "html":
        raise SourceError(UNREADABLE(), detail=f"an XML document <{root.tag}> of no known board's feed; "
                                               f"expected {READABLE}")
    if _is_html(content):
        return jobpage.NAME
    raise SourceError(UNREADABLE(), detail=f"neither JSON, XML nor HTML; expected {READABLE}")


def read(content: bytes, *, source: str = "", url: str = "") -> tuple[str, list[FoundOffer]]:
    """(source name, offers) of a saved document, read by `source` or by the source it is
    detected to be; `url` is a job page's address. SourceError if it cannot be read."""
    name = source or detect(content)
    if name == jobpage.NAME:
        return name, [page_offer(content, url=url)]
    xml_module = next((m for m in XML_SOURCES if m.NAME == name), None)
    if xml_module is not None:
        return name, xml_module.parse(content)
    module = next(m for m in JSON_SOURCES if m.NAME == name)
    payload = _json(content)
    if payload is _NOT_JSON:
        raise SourceError(UNREADABLE(), detail=f"not JSON: expected a {module.LABEL} answer, {module.SHAPE}")
    return name, module.parse(payload)


def page_offer(content: bytes, *, url: str = "") -> FoundOffer:
    """The offer a job page describes, its address as the module says (`url` first)."""
    try:
        tree = lxml_html.fromstring(content)
    except (etree.LxmlError, ValueError) as exc:
        raise SourceError(UNREADABLE(), detail=f"not an HTML page: {exc}") from None

    def first(xpath: str) -> str:
        return next((v.strip() for v in tree.xpath(xpath) if isinstance(v, str) and v.strip()), "")

    canonical = first('//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href')
    og_url = first('//meta[@property="og:url" or @name="og:url"]/@content')
    try:
        offer = jobpage.parse(content, url or canonical or og_url)
    except (etree.LxmlError, ValueError, RecursionError) as exc:  # JSON-LD nested too deep, for one
        raise SourceError(UNREADABLE(), detail=f"a page JobMate could not read: {exc!r}"[:300]) from None
    # jobpage puts the JSON-LD `url` before the one it is given: a given or canonical address comes first here.
    offer.url = url or canonical or offer.url or ""
    if not offer.url.startswith(("http://", "https://")):
        offer.url = ""  # a relative or odd link is no address without a page to resolve it against
    return offer


_NOT_JSON = object()


def _json(content: bytes):
    """The JSON document `content` holds, or _NOT_JSON."""
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _is_html(content: bytes) -> bool:
    start = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html")) or any(
        tag in start for tag in (b"<html", b"<head", b"<body", b"<meta ", b"<title"))
