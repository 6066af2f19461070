"""Greenhouse job board API: a company's whole board in one answer.

GET {base}/{board}/jobs?content=true → {"jobs": [...], "meta": {"total": N}}; `content`
is HTML escaped as entities (ingestion unescapes, then sanitises)."""

from django.conf import settings

from discovery.sources.base import FoundOffer, get, parse_date, remote_from_text, require_dict, require_list

NAME = "greenhouse"
LABEL = "Greenhouse"


def _employment_type(job: dict) -> str:
    """Greenhouse has no contract field of its own: companies that say it keep it among
    their public custom fields ("metadata"), as "Employment Type" or "Contract type"."""
    metadata = job.get("metadata")
    for entry in metadata if isinstance(metadata, list) else []:
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("name") or "").lower()
        if "employment" in name or "contract" in name or "contrat" in name:
            value = entry.get("value")
            return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")
    return ""


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    jobs = require_list(require_dict(payload, "Greenhouse answer").get("jobs"), "Greenhouse jobs")
    offers = []
    for job in jobs:
        if not isinstance(job, dict) or not job.get("absolute_url") or not job.get("title"):
            continue
        location = (job.get("location") or {}).get("name", "")
        offers.append(FoundOffer(
            source=NAME,
            external_id=str(job.get("id", "")),
            url=job["absolute_url"],
            title=job["title"],
            company=job.get("company_name") or board.replace("-", " ").title(),
            location=location,
            remote=remote_from_text(location),
            contract_type=_employment_type(job),
            description_html=job.get("content") or "",
            tags=[d["name"] for d in job.get("departments") or [] if isinstance(d, dict) and d.get("name")],
            posted_at=parse_date(job.get("first_published") or job.get("updated_at")),
            raw=job,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get(f"{settings.JOBMATE_SOURCE_URLS[NAME]}/{name}/jobs", label=LABEL, board=name,
                   params={"content": "true"})
    return parse(response.json(), board=name)
