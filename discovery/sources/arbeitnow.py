"""Arbeitnow job board API, paginated.

GET {base}?page=N → {"data": [...], "links": {"next": url | null}}. No search parameter:
pages are read (up to MAX_PAGES) and filtered by keyword here."""

from django.conf import settings

from discovery.sources.base import FoundOffer, cached, get, matches_keyword, parse_date, require_dict, require_list

NAME = "arbeitnow"
LABEL = "Arbeitnow"
MAX_PAGES = 3
# Every keyword reads the same pages: keep them a few minutes, shared by the steps.
CACHE_SECONDS = 600


def parse(payload) -> list[FoundOffer]:
    jobs = require_list(require_dict(payload, "Arbeitnow answer").get("data"), "Arbeitnow data")
    offers = []
    for job in jobs:
        if not isinstance(job, dict) or not job.get("url") or not job.get("title"):
            continue
        offers.append(FoundOffer(
            source=NAME,
            external_id=str(job.get("slug") or ""),
            url=job["url"],
            title=job["title"],
            company=job.get("company_name") or "",
            location=job.get("location") or "",
            remote="remote" if job.get("remote") else "",
            contract_type=", ".join(t for t in job.get("job_types") or [] if isinstance(t, str)),
            description_html=job.get("description") or "",
            tags=[t for t in job.get("tags") or [] if isinstance(t, str)],
            posted_at=parse_date(job.get("created_at")),
            raw=job,
        ))
    return offers


def pages(*, check_cancelled=lambda: None):
    """Yield the offers of each page, following links.next."""
    for page in range(1, MAX_PAGES + 1):
        check_cancelled()
        payload = cached(f"arbeitnow:page:{page}", CACHE_SECONDS, lambda page=page: get(
            settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL, params={"page": page}).json())
        yield parse(payload)
        if not (require_dict(payload, "Arbeitnow answer").get("links") or {}).get("next"):
            return


def search(keyword: str, *, location: str = "", check_cancelled=lambda: None) -> list[FoundOffer]:
    return [offer for page in pages(check_cancelled=check_cancelled) for offer in page
            if matches_keyword(offer, keyword)]
