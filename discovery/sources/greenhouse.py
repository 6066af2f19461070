"""Greenhouse job board API: a company's whole board in one answer.

GET {base}/{board}/jobs?content=true → {"jobs": [...], "meta": {"total": N}}; `content`
is HTML escaped as entities (ingestion unescapes, then sanitises)."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from discovery.sources.base import BOARD_NAME, FoundOffer, board_in_path, get, jobs_with, not_the_shape, obj
from discovery.sources.base import parse_date, remote_from_text, text, texts

NAME = "greenhouse"
LABEL = "Greenhouse"


def _employment_type(job: dict) -> str:
    """Greenhouse has no contract field of its own: companies that say it keep it among
    their public custom fields ("metadata"), as "Employment Type" or "Contract type"."""
    metadata = job.get("metadata")
    for entry in metadata if isinstance(metadata, list) else []:
        if not isinstance(entry, dict):
            continue
        name = text(entry.get("name")).lower()
        if "employment" in name or "contract" in name or "contrat" in name:
            value = entry.get("value")
            return ", ".join(texts(value)) if isinstance(value, list) else text(value)
    return ""


SHAPE = '{"jobs": [{"absolute_url", "title", …}, …]}'


def recognises(payload) -> bool:
    """A Greenhouse board's answer (an empty board too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("jobs"), "absolute_url")


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    jobs = payload["jobs"]
    offers = []
    for job in jobs:
        if not isinstance(job, dict) or not text(job.get("absolute_url")) or not text(job.get("title")):
            continue
        location = text(obj(job.get("location")).get("name"))
        departments = job.get("departments")
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("id")),
            url=text(job["absolute_url"]),
            title=text(job["title"]),
            company=text(job.get("company_name")) or board.replace("-", " ").title(),
            location=location,
            remote=remote_from_text(location),
            contract_type=_employment_type(job),
            description_html=text(job.get("content")),
            tags=texts([obj(d).get("name") for d in departments]) if isinstance(departments, list) else [],
            posted_at=parse_date(job.get("first_published") or job.get("updated_at")),
            raw=job,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get(f"{settings.JOBMATE_SOURCE_URLS[NAME]}/{name}/jobs", label=LABEL, board=name,
                   params={"content": "true"})
    return parse(response.json(), board=name)


HOSTS = ("boards.greenhouse.io", "job-boards.greenhouse.io", "job-boards.eu.greenhouse.io")


def board_from_url(url: str) -> str:
    """The board a Greenhouse board or job link names: https://boards.greenhouse.io/acme/jobs/1
    and https://job-boards.greenhouse.io/acme → "acme"; an embedded board says it in its
    query (https://boards.greenhouse.io/embed/job_board?for=acme)."""
    name = board_in_path(url, HOSTS)
    if name != "embed":
        return name
    named = parse_qs(urlsplit(url.strip()).query).get("for", [""])[0]
    return named if BOARD_NAME.fullmatch(named) else ""
