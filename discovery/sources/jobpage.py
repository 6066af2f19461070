"""Any job page: schema.org JobPosting in JSON-LD first, then OpenGraph/meta/<title>.

JSON-LD may be a single object, an array, or nested in "@graph"; the description is HTML;
baseSalary's value may be a number or a QuantitativeValue range; jobLocationType
"TELECOMMUTE" means remote."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy
from lxml import html as lxml_html

from discovery.sources.base import FoundOffer, number, parse_date, remote_from_text

NAME = "jobpage"
LABEL = gettext_lazy("Web page")
_PERIODS = {"YEAR": "year", "MONTH": "month", "WEEK": "week", "DAY": "day", "HOUR": "hour"}


def _walk(node):
    """Every dict inside a JSON-LD document (arrays, @graph, nested values)."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _walk(value)


def _is_job_posting(node: dict) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _text(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        return ", ".join(filter(None, (_text(v) for v in value)))
    return str(value or "")


def _locations(posting: dict) -> str:
    places = posting.get("jobLocation") or []
    places = places if isinstance(places, list) else [places]
    names = []
    for place in places:
        if not isinstance(place, dict):
            continue
        address = place.get("address") or {}
        if isinstance(address, str):
            names.append(address)
            continue
        parts = [_text(address.get(key)) for key in ("addressLocality", "addressRegion", "addressCountry")]
        names.append(", ".join(p for p in parts if p))
    return "; ".join(n for n in names if n)


def _salary(posting: dict) -> tuple[float | None, float | None, str, str]:
    salary = posting.get("baseSalary") or posting.get("estimatedSalary")
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    if isinstance(salary, (int, float, str)):
        value = number(salary)
        return value, value, "", ""
    if not isinstance(salary, dict):
        return None, None, "", ""
    currency = str(salary.get("currency") or "")
    value = salary.get("value")
    period = ""
    if isinstance(value, dict):
        period = _PERIODS.get(str(value.get("unitText") or "").upper(), "")
        low = number(value.get("minValue")) or number(value.get("value"))
        high = number(value.get("maxValue")) or number(value.get("value"))
        return low, high, currency, period
    amount = number(value)
    period = _PERIODS.get(str(salary.get("unitText") or "").upper(), "")
    return amount, amount, currency, period


def from_json_ld(document, url: str) -> FoundOffer | None:
    for node in _walk(document):
        if not _is_job_posting(node):
            continue
        low, high, currency, period = _salary(node)
        location = _locations(node)
        remote = "remote" if str(node.get("jobLocationType", "")).upper() == "TELECOMMUTE" else remote_from_text(location)
        identifier = node.get("identifier")
        return FoundOffer(
            source=NAME,
            external_id=_text(identifier.get("value") if isinstance(identifier, dict) else identifier)[:200],
            url=str(node.get("url") or url),
            title=_text(node.get("title")),
            company=_text(node.get("hiringOrganization")),
            location=location,
            remote=remote,
            contract_type=_text(node.get("employmentType")),
            salary_min=low, salary_max=high, salary_currency=currency, salary_period=period,
            description_html=str(node.get("description") or ""),
            posted_at=parse_date(node.get("datePosted")),
            raw={key: node[key] for key in node if isinstance(node[key], (str, int, float, list, dict))},
        )
    return None


def parse(page: str | bytes, url: str) -> FoundOffer:
    """The offer a job page describes; title or company may be empty when the page does
    not say (the caller then asks the person)."""
    tree = lxml_html.fromstring(page or "<html></html>")
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = re.sub(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$", "", script.text or "")
        try:
            offer = from_json_ld(json.loads(text), url)
        except ValueError:
            continue
        if offer is not None:
            return offer

    def meta(*names):
        for name in names:
            values = tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
            if values and values[0].strip():
                return values[0].strip()
        return ""

    titles = tree.xpath("//title/text()")
    title = meta("og:title", "twitter:title") or (titles[0].strip() if titles else "")
    return FoundOffer(
        source=NAME,
        external_id="",
        url=meta("og:url") or url,
        title=title,
        company=meta("og:site_name", "application-name"),
        description_html=meta("og:description", "description", "twitter:description"),
        raw={"fallback": "opengraph", "host": urlsplit(url).hostname or ""},
    )
