"""Remotive remote-jobs API.

GET {base}?search=…&limit=… → {"job-count": N, "jobs": [...]}. Its terms ask for very few
calls a day (more than 2 a minute is blocked), listings are delayed, and a link back is
required: answers are cached for an hour per search, and offers keep Remotive's URL."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from discovery.sources.base import FoundOffer, cached, get, parse_date, require_dict, require_list
from discovery.sources.base import salary_from_text

NAME = "remotive"
LABEL = "Remotive"
ATTRIBUTION = gettext_lazy("Jobs from Remotive (remotive.com)")
CACHE_SECONDS = 3600
LIMIT = 100


def parse(payload) -> list[FoundOffer]:
    jobs = require_list(require_dict(payload, "Remotive answer").get("jobs"), "Remotive jobs")
    offers = []
    for job in jobs:
        if not isinstance(job, dict) or not job.get("url") or not job.get("title"):
            continue
        low, high, currency = salary_from_text(job.get("salary") or "")
        location = job.get("candidate_required_location") or ""
        offers.append(FoundOffer(
            source=NAME,
            external_id=str(job.get("id", "")),
            url=job["url"],
            title=job["title"],
            company=job.get("company_name") or "",
            location=location,
            remote="remote",
            contract_type=job.get("job_type") or "",
            salary_min=low, salary_max=high, salary_currency=currency,
            salary_period="year" if low else "",
            description_html=job.get("description") or "",
            tags=[t for t in job.get("tags") or [] if isinstance(t, str)],
            posted_at=parse_date(job.get("publication_date")),
            raw=job,
        ))
    return offers


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    payload = cached(f"remotive:{keyword.lower().strip()}", CACHE_SECONDS, lambda: get(
        settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL, params={"search": keyword, "limit": LIMIT}).json())
    return parse(payload)
