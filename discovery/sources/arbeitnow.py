"""Arbeitnow job board API, paginated.

GET {base}?page=N → {"data": [...], "links": {"next": url | null}}. No search parameter:
pages are read (up to MAX_PAGES) and filtered by keyword here."""

from django.conf import settings

from discovery.sources.base import FoundOffer, cached, get, jobs_with, matches_keyword, not_the_shape, parse_date
from discovery.sources.base import obj, require_dict, text, texts

NAME = "arbeitnow"
LABEL = "Arbeitnow"
MAX_PAGES = 3
# Every keyword reads the same pages: keep them a few minutes, shared by the steps.
CACHE_SECONDS = 600


SHAPE = '{"data": [{"slug", "url", "title", …}, …], "links"}'


def recognises(payload) -> bool:
    """A page of Arbeitnow's board (an empty one too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("data"), "slug")


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    jobs = payload["data"]
    offers = []
    for job in jobs:
        job = obj(job)
        url, title = text(job.get("url")), text(job.get("title"))
        if not url or not title:
            continue
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("slug")),
            url=url,
            title=title,
            company=text(job.get("company_name")),
            location=text(job.get("location")),
            remote="remote" if job.get("remote") is True else "",
            contract_type=", ".join(texts(job.get("job_types"))),
            description_html=text(job.get("description")),
            tags=texts(job.get("tags")),
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
        if not obj(require_dict(payload, "Arbeitnow answer").get("links")).get("next"):
            return


def search(keyword: str, *, location: str = "", check_cancelled=lambda: None) -> list[FoundOffer]:
    return [offer for page in pages(check_cancelled=check_cancelled) for offer in page
            if matches_keyword(offer, keyword)]
