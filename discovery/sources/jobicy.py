"""Jobicy remote-jobs API v2, searched by keyword.

GET {base}?count=…&tag=… → {"apiVersion", "documentationUrl", "friendlyNotice", "jobCount",
"jobs": [...]} (https://jobicy.com/jobs-rss-feed). `tag` is its search by keyword. Its terms
ask for a link back to each job and for naming Jobicy as the source, and for few calls:
offers keep their Jobicy page as their address, the search page says where they come from
(ATTRIBUTION), and a keyword's answer is kept an hour.

The person's location is not passed: Jobicy's `geo` takes its own region names (usa,
europe…), not a town, and its jobs are remote anyway."""


from django.conf import settings
from django.utils.translation import gettext_lazy

from discovery.sources.base import FoundOffer, cached, get, jobs_with, json_of, not_the_shape, number, obj, parse_date
from discovery.sources.base import keyword_key, remote_from_text, text, texts

NAME = "jobicy"
LABEL = "Jobicy"
ATTRIBUTION = gettext_lazy("Jobs from Jobicy (jobicy.com)")
SHAPE = '{"jobCount", "jobs": [{"id", "url", "jobTitle", "companyName", …}, …]}'
COUNT = 50
CACHE_SECONDS = 3600


def recognises(payload) -> bool:
    """Jobicy's answer (one finding nothing too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("jobs"), "jobTitle")


def _words(value) -> list[str]:
    """A field Jobicy writes as a list of texts, or as one text."""
    return texts(value) if isinstance(value, list) else [word for word in (text(value),) if word]


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for job in payload["jobs"]:
        job = obj(job)
        url, title = text(job.get("url")), text(job.get("jobTitle"))
        if not url or not title:
            continue
        low, high = number(job.get("annualSalaryMin")), number(job.get("annualSalaryMax"))
        geo = text(job.get("jobGeo"))
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("id")) or url,
            url=url,
            title=title,
            company=text(job.get("companyName")),
            location=geo,
            # Every job there is remote; "hybrid" in its region or title says otherwise.
            remote="hybrid" if remote_from_text(geo, title) == "hybrid" else "remote",
            contract_type=", ".join(_words(job.get("jobType"))),
            salary_min=low, salary_max=high,
            salary_currency=text(job.get("salaryCurrency"))[:3].upper() if (low or high) else "",
            salary_period="year" if (low or high) else "",
            description_html=text(job.get("jobDescription")) or text(job.get("jobExcerpt")),
            tags=_words(job.get("jobIndustry")),
            posted_at=parse_date(job.get("pubDate")),
            raw=job,
        ))
    return offers


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    payload = cached(f"jobicy:{keyword_key(keyword)}", CACHE_SECONDS, lambda: json_of(get(
        settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL, params={"count": COUNT, "tag": keyword.strip()}), LABEL))
    return parse(payload)
