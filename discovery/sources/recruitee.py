"""Recruitee careers site API: a company's published offers in one answer.

GET https://{board}.recruitee.com/api/offers/ → {"offers": [{"id", "title", "careers_url",
"remote", "hybrid", "on_site", "employment_type_code", "salary", …}, …]}"""

from django.conf import settings

from discovery.sources.base import FoundOffer, board_in_host, get_board, jobs_with, json_of, not_the_shape, number
from discovery.sources.base import obj, parse_date, remote_from_text, text, texts

NAME = "recruitee"
LABEL = "Recruitee"
SHAPE = '{"offers": [{"careers_url", "title", …}, …]}'
DOMAINS = ("recruitee.com",)
_PERIODS = {"year": "year", "yearly": "year", "annual": "year", "month": "month", "monthly": "month",
            "day": "day", "daily": "day", "hour": "hour", "hourly": "hour"}


def recognises(payload) -> bool:
    """A Recruitee careers site's answer (one without offers too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("offers"), "careers_url")


def _remote(offer: dict, location: str, title: str) -> str:
    """Recruitee flags each way of working an offer allows; the most remote one it allows
    is what a person looking for remote work wants to see."""
    for flag, meaning in (("remote", "remote"), ("hybrid", "hybrid"), ("on_site", "onsite")):
        if offer.get(flag) is True:
            return meaning
    return remote_from_text(location, title)


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    """`board` names the company when the offers do not."""
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for offer in payload["offers"]:
        offer = obj(offer)
        url, title = text(offer.get("careers_url")), text(offer.get("title"))
        if not url or not title:
            continue
        location = text(offer.get("location")) or ", ".join(texts([offer.get("city"), offer.get("country")]))
        salary = obj(offer.get("salary"))
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(offer.get("id")) or text(offer.get("slug")),
            url=url,
            apply_url=text(offer.get("careers_apply_url")),
            title=title,
            company=text(offer.get("company_name")) or board.replace("-", " ").title() or board_from_url(url).title(),
            location=location,
            remote=_remote(offer, location, title),
            # A code such as "fulltime_permanent" (discovery/contracts.py reads it).
            contract_type=text(offer.get("employment_type_code")),
            salary_min=number(salary.get("min")),
            salary_max=number(salary.get("max")),
            salary_currency=text(salary.get("currency")).upper(),
            salary_period=_PERIODS.get(text(salary.get("period")).lower(), ""),
            description_html=text(offer.get("description")) + text(offer.get("requirements")),
            tags=list(dict.fromkeys(texts([offer.get("department")]) + texts(offer.get("tags")))),
            posted_at=parse_date(offer.get("published_at") or offer.get("created_at")),
            raw=offer,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get_board(settings.JOBMATE_SOURCE_URLS[NAME], name, label=LABEL)
    return parse(json_of(response, LABEL), board=name)


def board_from_url(url: str) -> str:
    """The company a Recruitee careers site or offer names: https://acme.recruitee.com/o/python-dev → "acme"."""
    return board_in_host(url, DOMAINS, reserved=("www", "api", "app", "careers", "blog", "help", "support"))
