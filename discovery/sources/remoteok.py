"""Remote OK API: one JSON array whose first element is a legal notice, then the jobs.

GET {base}?tag=… — attribution with a link back is required (offers keep its URL)."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from discovery.sources.base import FoundOffer, get, matches_keyword, number, parse_date, require_list

NAME = "remoteok"
LABEL = "Remote OK"
ATTRIBUTION = gettext_lazy("Jobs from Remote OK (remoteok.com)")


def parse(payload) -> list[FoundOffer]:
    offers = []
    for job in require_list(payload, "Remote OK answer"):
        # The first element is {"last_updated", "legal"}; anything without a position is skipped.
        if not isinstance(job, dict) or not job.get("position") or not job.get("url"):
            continue
        offers.append(FoundOffer(
            source=NAME,
            external_id=str(job.get("id", "")),
            url=job["url"],
            apply_url=job.get("apply_url") or "",
            title=job["position"],
            company=job.get("company") or "",
            location=job.get("location") or "",
            remote="remote",
            salary_min=number(job.get("salary_min")),
            salary_max=number(job.get("salary_max")),
            salary_currency="USD" if number(job.get("salary_min")) else "",
            salary_period="year" if number(job.get("salary_min")) else "",
            description_html=job.get("description") or "",
            tags=[t for t in job.get("tags") or [] if isinstance(t, str)],
            posted_at=parse_date(job.get("epoch") or job.get("date")),
            raw=job,
        ))
    return offers


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    tag = keyword.strip().lower().replace(" ", "-")
    response = get(settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL, params={"tag": tag})
    return [offer for offer in parse(response.json()) if matches_keyword(offer, keyword)]
