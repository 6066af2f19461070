"""Lever postings API, paginated with skip/limit (the EU host for EU accounts).

GET {base}/{site}?mode=json&skip=N&limit=M → [posting, ...]"""

from django.conf import settings

from discovery.sources.base import FoundOffer, board_in_path, company_from_link, get, jobs_with, not_the_shape, number
from discovery.sources.base import obj, parse_date, remote_from_text, require_list, text, texts

NAME = "lever"
LABEL = "Lever"
PAGE_SIZE = 100
MAX_PAGES = 20
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}
_INTERVALS = {"per-year-salary": "year", "per-month-salary": "month", "per-day-wage": "day", "per-hour-wage": "hour"}


SHAPE = '[{"hostedUrl", "text", …}, …]'
HOSTS = ("jobs.lever.co", "jobs.eu.lever.co")


def recognises(payload) -> bool:
    """A page of a Lever site's postings (an empty one too)."""
    return jobs_with(payload, "hostedUrl")


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    """`board` names the company; without it (a saved answer), the postings' links do."""
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for posting in payload:
        posting = obj(posting)
        url, title = text(posting.get("hostedUrl")), text(posting.get("text"))
        if not url or not title:
            continue
        categories = obj(posting.get("categories"))
        location = text(categories.get("location")) or ", ".join(texts(categories.get("allLocations")))
        salary = obj(posting.get("salaryRange"))
        lists = posting.get("lists") if isinstance(posting.get("lists"), list) else []
        sections = "".join(
            f"<h3>{text(item.get('text'))}</h3>{text(item.get('content'))}" for item in lists if isinstance(item, dict)
        )
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(posting.get("id")),
            url=url,
            apply_url=text(posting.get("applyUrl")),
            title=title,
            company=board.replace("-", " ").title() or company_from_link(url, HOSTS),
            location=location,
            remote=_WORKPLACE.get(text(posting.get("workplaceType")).lower()) or remote_from_text(location),
            contract_type=text(categories.get("commitment")),
            salary_min=number(salary.get("min")),
            salary_max=number(salary.get("max")),
            salary_currency=text(salary.get("currency")),
            salary_period=_INTERVALS.get(text(salary.get("interval")), ""),
            description_html=text(posting.get("description")) + sections + text(posting.get("additional")),
            tags=texts([categories.get("team"), categories.get("department")]),
            posted_at=parse_date(posting.get("createdAt")),
            raw=posting,
        ))
    return offers


def board(name: str, *, eu: bool = False) -> list[FoundOffer]:
    base = settings.JOBMATE_SOURCE_URLS["lever_eu" if eu else NAME]
    offers = []
    for page in range(MAX_PAGES):
        response = get(f"{base}/{name}", label=LABEL, board=name,
                       params={"mode": "json", "skip": page * PAGE_SIZE, "limit": PAGE_SIZE})
        payload = response.json()
        offers += parse(payload, board=name)
        if len(require_list(payload, "Lever answer")) < PAGE_SIZE:
            break
    return offers


def board_from_url(url: str) -> str:
    """The site a Lever job link names: https://jobs.lever.co/acme/123 → "acme" (the EU host too)."""
    return board_in_path(url, HOSTS)
