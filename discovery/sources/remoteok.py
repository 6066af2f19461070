"""Remote OK API: one JSON array whose first element is a legal notice, then the jobs.

GET {base}?tag=… — attribution with a link back is required (offers keep its URL)."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from discovery.sources.base import FoundOffer, get, jobs_with, matches_keyword, not_the_shape, number, parse_date
from discovery.sources.base import obj, text, texts

NAME = "remoteok"
LABEL = "Remote OK"
ATTRIBUTION = gettext_lazy("Jobs from Remote OK (remoteok.com)")


SHAPE = '[{"legal", …}, {"position", "url", …}, …]'


def recognises(payload) -> bool:
    """Remote OK's answer: its legal notice, then jobs (none at all too)."""
    return jobs_with(payload, "legal") or jobs_with(payload, "position")


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for job in payload:
        # The first element is {"last_updated", "legal"}; anything without a position is skipped.
        job = obj(job)
        url, title = text(job.get("url")), text(job.get("position"))
        if not url or not title:
            continue
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("id")),
            url=url,
            apply_url=text(job.get("apply_url")),
            title=title,
            company=text(job.get("company")),
            location=text(job.get("location")),
            remote="remote",
            salary_min=number(job.get("salary_min")),
            salary_max=number(job.get("salary_max")),
            salary_currency="USD" if number(job.get("salary_min")) else "",
            salary_period="year" if number(job.get("salary_min")) else "",
            description_html=text(job.get("description")),
            tags=texts(job.get("tags")),
            posted_at=parse_date(job.get("epoch") or job.get("date")),
            raw=job,
        ))
    return offers


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    tag = keyword.strip().lower().replace(" ", "-")
    response = get(settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL, params={"tag": tag})
    return [offer for offer in parse(response.json()) if matches_keyword(offer, keyword)]
