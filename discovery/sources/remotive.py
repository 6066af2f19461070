"""Remotive remote-jobs API.

GET {base}?search=…&limit=… → {"job-count": N, "jobs": [...]}. Its terms ask for very few
calls a day (more than 2 a minute is blocked), listings are delayed, and a link back is
required: answers are cached for an hour per search, and offers keep Remotive's URL."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from discovery.sources.base import FoundOffer, cached, get, jobs_with, not_the_shape, parse_date, salary_from_text
from discovery.sources.base import obj, text, texts

NAME = "remotive"
LABEL = "Remotive"
ATTRIBUTION = gettext_lazy("Jobs from Remotive (remotive.com)")
CACHE_SECONDS = 3600
LIMIT = 100


SHAPE = '{"job-count", "jobs": [{"url", "title", "candidate_required_location", …}, …]}'


def recognises(payload) -> bool:
    """A Remotive search's answer (one finding nothing too): its jobs say where candidates
    may live, which other boards' {"jobs": [{"url", …}]} answers do not."""
    return isinstance(payload, dict) and jobs_with(payload.get("jobs"), "candidate_required_location")


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    jobs = payload["jobs"]
    offers = []
    for job in jobs:
        job = obj(job)
        url, title = text(job.get("url")), text(job.get("title"))
        if not url or not title:
            continue
        low, high, currency = salary_from_text(text(job.get("salary")))
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("id")),
            url=url,
            title=title,
            company=text(job.get("company_name")),
            location=text(job.get("candidate_required_location")),
            remote="remote",
            contract_type=text(job.get("job_type")),
            salary_min=low, salary_max=high, salary_currency=currency,
            salary_period="year" if low else "",
            description_html=text(job.get("description")),
            tags=texts(job.get("tags")),
            posted_at=parse_date(job.get("publication_date")),
            raw=job,
        ))
    return offers


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    payload = cached(f"remotive:{keyword.lower().strip()}", CACHE_SECONDS, lambda: get(
        settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL, params={"search": keyword, "limit": LIMIT}).json())
    return parse(payload)
