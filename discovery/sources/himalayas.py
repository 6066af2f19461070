"""Himalayas public jobs API (remote jobs only), searched by keyword.

GET {base}?q=…&limit=…&offset=… → {"jobs": [...], "offset", "limit", "totalCount"}: the
documented search endpoint (https://himalayas.app/jobs/api/search); pages of at most 20
jobs are read up to MAX_PAGES. Its terms ask for a link back and for naming Himalayas as
the source: offers keep their Himalayas page (`guid`) as their address, the apply link
beside it, and the search page says where the offers come from (ATTRIBUTION). The API is
rate-limited: a keyword's pages are kept an hour, shared by every search.

The person's location is not passed: Himalayas filters by the countries a candidate may
live in, which a town typed in the search box does not say; its jobs are remote anyway."""


from django.conf import settings
from django.utils.translation import gettext_lazy

from discovery.sources.base import FoundOffer, cached, get, jobs_with, json_of, not_the_shape, number, obj, parse_date
from discovery.sources.base import keyword_key, text, texts

NAME = "himalayas"
LABEL = "Himalayas"
ATTRIBUTION = gettext_lazy("Jobs from Himalayas (himalayas.app)")
SHAPE = '{"jobs": [{"guid", "title", "companyName", …}, …], "offset", "limit", "totalCount"}'
PAGE_SIZE = 20  # the most the API gives at once
MAX_PAGES = 3
CACHE_SECONDS = 3600


def recognises(payload) -> bool:
    """A page of Himalayas' jobs (an empty one too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("jobs"), "guid")


def _places(restrictions) -> list[str]:
    """The countries a candidate may live in: documented as a list of locations, written
    as names (or objects carrying one)."""
    if not isinstance(restrictions, list):
        return []
    names = [place if isinstance(place, str) else text(obj(place).get("name")) for place in restrictions]
    return [name for name in names if name]


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for job in payload["jobs"]:
        job = obj(job)
        page, title = text(job.get("guid")), text(job.get("title"))
        apply_url = text(job.get("applicationLink"))
        url = page if page.startswith(("https://", "http://")) else apply_url
        if not url or not title:
            continue
        low, high = number(job.get("minSalary")), number(job.get("maxSalary"))
        currency = text(job.get("currency"))[:3].upper() if (low or high) else ""
        offers.append(FoundOffer(
            source=NAME,
            external_id=page or url,
            url=url,
            apply_url=apply_url,
            title=title,
            company=text(job.get("companyName")),
            location=", ".join(_places(job.get("locationRestrictions"))),
            remote="remote",  # every job on Himalayas is remote
            contract_type=text(job.get("employmentType")),
            salary_min=low, salary_max=high, salary_currency=currency,
            salary_period="year" if (low or high) else "",  # documented as annual salaries
            description_html=text(job.get("description")) or text(job.get("excerpt")),
            tags=texts(job.get("categories")),
            posted_at=parse_date(job.get("pubDate")),
            raw=job,
        ))
    return offers


def _page(keyword: str, offset: int) -> dict:
    return cached(f"himalayas:{keyword_key(keyword)}:{offset}", CACHE_SECONDS, lambda: json_of(get(
        settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL,
        params={"q": keyword.strip(), "limit": PAGE_SIZE, "offset": offset}), LABEL))


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    offers = []
    for page in range(MAX_PAGES):
        payload = _page(keyword, page * PAGE_SIZE)
        offers += parse(payload)  # refuses what is not a page of jobs
        total = number(payload.get("totalCount")) or 0
        if not payload["jobs"] or (page + 1) * PAGE_SIZE >= total:
            break
    return offers
