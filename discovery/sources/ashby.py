"""Ashby posting API: a company's whole board in one answer (can be ~800 jobs).

GET {base}/{board}?includeCompensation=true → {"jobs": [...]}"""

from django.conf import settings

from discovery.sources.base import FoundOffer, get, number, parse_date, require_dict, require_list

NAME = "ashby"
LABEL = "Ashby"
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite", "on-site": "onsite"}
_INTERVALS = {"1 YEAR": "year", "1 MONTH": "month", "1 DAY": "day", "1 HOUR": "hour"}


def _salary(job: dict) -> dict:
    for component in (job.get("compensation") or {}).get("summaryComponents") or []:
        if isinstance(component, dict) and component.get("compensationType") == "Salary":
            return component
    return {}


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    jobs = require_list(require_dict(payload, "Ashby answer").get("jobs"), "Ashby jobs")
    offers = []
    for job in jobs:
        if not isinstance(job, dict) or not job.get("jobUrl") or not job.get("title"):
            continue
        salary = _salary(job)
        workplace = _WORKPLACE.get(str(job.get("workplaceType") or "").lower(), "")
        offers.append(FoundOffer(
            source=NAME,
            external_id=str(job.get("id") or job["jobUrl"].rstrip("/").rsplit("/", 1)[-1]),
            url=job["jobUrl"],
            apply_url=job.get("applyUrl") or "",
            title=job["title"],
            company=board.replace("-", " ").title(),
            location=job.get("location") or "",
            remote=workplace or ("remote" if job.get("isRemote") else ""),
            contract_type=job.get("employmentType") or "",
            salary_min=number(salary.get("minValue")),
            salary_max=number(salary.get("maxValue")),
            salary_currency=salary.get("currencyCode") or "",
            salary_period=_INTERVALS.get(salary.get("interval") or "", ""),
            description_html=job.get("descriptionHtml") or "",
            tags=[t for t in (job.get("department"), job.get("team")) if t],
            posted_at=parse_date(job.get("publishedAt")),
            raw=job,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get(f"{settings.JOBMATE_SOURCE_URLS[NAME]}/{name}", label=LABEL, board=name,
                   params={"includeCompensation": "true"})
    return parse(response.json(), board=name)
