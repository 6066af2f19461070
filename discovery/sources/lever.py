"""Lever postings API, paginated with skip/limit (the EU host for EU accounts).

GET {base}/{site}?mode=json&skip=N&limit=M → [posting, ...]"""

from django.conf import settings

from discovery.sources.base import FoundOffer, get, number, parse_date, remote_from_text, require_list

NAME = "lever"
LABEL = "Lever"
PAGE_SIZE = 100
MAX_PAGES = 20
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}
_INTERVALS = {"per-year-salary": "year", "per-month-salary": "month", "per-day-wage": "day", "per-hour-wage": "hour"}


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    offers = []
    for posting in require_list(payload, "Lever answer"):
        if not isinstance(posting, dict) or not posting.get("hostedUrl") or not posting.get("text"):
            continue
        categories = posting.get("categories") or {}
        location = categories.get("location") or ", ".join(categories.get("allLocations") or [])
        salary = posting.get("salaryRange") or {}
        sections = "".join(
            f"<h3>{item.get('text', '')}</h3>{item.get('content', '')}" for item in posting.get("lists") or []
            if isinstance(item, dict)
        )
        offers.append(FoundOffer(
            source=NAME,
            external_id=str(posting.get("id", "")),
            url=posting["hostedUrl"],
            apply_url=posting.get("applyUrl") or "",
            title=posting["text"],
            company=board.replace("-", " ").title(),
            location=location,
            remote=_WORKPLACE.get(str(posting.get("workplaceType", "")).lower()) or remote_from_text(location),
            contract_type=categories.get("commitment") or "",
            salary_min=number(salary.get("min")),
            salary_max=number(salary.get("max")),
            salary_currency=salary.get("currency") or "",
            salary_period=_INTERVALS.get(salary.get("interval") or "", ""),
            description_html=(posting.get("description") or "") + sections + (posting.get("additional") or ""),
            tags=[t for t in (categories.get("team"), categories.get("department")) if t],
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
