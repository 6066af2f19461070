"""Ashby posting API: a company's whole board in one answer (can be ~800 jobs).

GET {base}/{board}?includeCompensation=true → {"jobs": [...]}"""

from django.conf import settings

from discovery.sources.base import FoundOffer, board_in_path, company_from_link, get, jobs_with, not_the_shape, number
from discovery.sources.base import obj, parse_date, text, texts

NAME = "ashby"
LABEL = "Ashby"
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite", "on-site": "onsite"}
_INTERVALS = {"1 YEAR": "year", "1 MONTH": "month", "1 DAY": "day", "1 HOUR": "hour"}


def _salary(job: dict) -> dict:
    components = obj(job.get("compensation")).get("summaryComponents")
    for component in components if isinstance(components, list) else []:
        if isinstance(component, dict) and component.get("compensationType") == "Salary":
            return component
    return {}


SHAPE = '{"apiVersion", "jobs": [{"jobUrl", "title", …}, …]}'
HOSTS = ("jobs.ashbyhq.com",)


def recognises(payload) -> bool:
    """An Ashby board's answer (an empty board too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("jobs"), "jobUrl")


def _remote(job: dict) -> str:
    """Ashby documents `isRemote` (a boolean: the job may be done remotely) and, since
    February 2026, `workplaceType` ("OnSite", "Remote" or "Hybrid"). A posting open to
    remote work is what a person looking for remote work wants to see, so `isRemote: true`
    wins over a "Hybrid" or "OnSite" workplace (the company's office policy for those who
    come in); otherwise the workplace type says it."""
    if job.get("isRemote") is True:
        return "remote"
    return _WORKPLACE.get(text(job.get("workplaceType")).lower(), "")


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    """`board` names the company; without it (a saved answer), the postings' links do."""
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    jobs = payload["jobs"]
    offers = []
    for job in jobs:
        job = obj(job)
        url, title = text(job.get("jobUrl")), text(job.get("title"))
        if not url or not title:
            continue
        salary = _salary(job)
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("id")) or url.rstrip("/").rsplit("/", 1)[-1],
            url=url,
            apply_url=text(job.get("applyUrl")),
            title=title,
            company=board.replace("-", " ").title() or company_from_link(url, HOSTS),
            location=text(job.get("location")),
            remote=_remote(job),
            contract_type=text(job.get("employmentType")),
            salary_min=number(salary.get("minValue")),
            salary_max=number(salary.get("maxValue")),
            salary_currency=text(salary.get("currencyCode")),
            salary_period=_INTERVALS.get(text(salary.get("interval")), ""),
            description_html=text(job.get("descriptionHtml")),
            tags=texts([job.get("department"), job.get("team")]),
            posted_at=parse_date(job.get("publishedAt")),
            raw=job,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get(f"{settings.JOBMATE_SOURCE_URLS[NAME]}/{name}", label=LABEL, board=name,
                   params={"includeCompensation": "true"})
    return parse(response.json(), board=name)


def board_from_url(url: str) -> str:
    """The board an Ashby job link names: https://jobs.ashbyhq.com/acme/<uuid> → "acme"."""
    return board_in_path(url, HOSTS)
