"""Workable's public widget API: an account's published jobs in one answer.

GET {base}/{account}?details=true → {"name", "description", "jobs": [{"title", "shortcode",
"url", "employment_type", "telecommuting", "locations": [...], …}, …]} (`details` adds each
job's description)."""

from urllib.parse import urlsplit

from django.conf import settings

from discovery.sources.base import BOARD_NAME, FoundOffer, board_in_host, board_in_path, get_board, jobs_with, json_of
from discovery.sources.base import not_the_shape, obj, parse_date, remote_from_text, text, texts

NAME = "workable"
LABEL = "Workable"
SHAPE = '{"name", "jobs": [{"shortcode", "title", "url", …}, …]}'
HOSTS = ("apply.workable.com",)
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "on_site": "onsite", "onsite": "onsite"}
# Paths of apply.workable.com that are no account: its short links (/j/<shortcode>) and its API.
_NOT_ACCOUNTS = ("j", "api")
_WIDGET = "/api/v1/widget/accounts/"


def recognises(payload) -> bool:
    """A Workable account's answer (one without jobs too)."""
    return isinstance(payload, dict) and jobs_with(payload.get("jobs"), "shortcode")


def _location(job: dict) -> str:
    """Every place the job shows (a hidden one is not for candidates to see), else the
    job's own city, state and country."""
    places = [", ".join(texts([place.get("city"), place.get("region"), place.get("country")]))
              for place in map(obj, job.get("locations") if isinstance(job.get("locations"), list) else [])
              if place.get("hidden") is not True]
    return "; ".join(p for p in places if p) or ", ".join(texts([job.get("city"), job.get("state"),
                                                                   job.get("country")]))


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    """`board` names the company when the account's answer does not."""
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    company = text(payload.get("name")) or board.replace("-", " ").title()
    offers = []
    for job in payload["jobs"]:
        job = obj(job)
        url, title = text(job.get("url")) or text(job.get("shortlink")), text(job.get("title"))
        if not url or not title:
            continue
        location = _location(job)
        offers.append(FoundOffer(
            source=NAME,
            external_id=text(job.get("shortcode")),
            url=url,
            apply_url=text(job.get("application_url")),
            title=title,
            company=company,
            location=location,
            # `telecommuting` says the job may be done remotely; a newer `workplace_type`, when
            # there, says it in full.
            remote=("remote" if job.get("telecommuting") is True else
                    _WORKPLACE.get(text(job.get("workplace_type")).lower()) or remote_from_text(location, title)),
            contract_type=text(job.get("employment_type")),
            description_html=text(job.get("description")),
            tags=list(dict.fromkeys(texts([job.get("department"), job.get("function")]))),
            posted_at=parse_date(job.get("published_on") or job.get("created_at")),
            raw=job,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get_board(settings.JOBMATE_SOURCE_URLS[NAME], name, label=LABEL, params={"details": "true"})
    return parse(json_of(response, LABEL), board=name)


def board_from_url(url: str) -> str:
    """The account a Workable careers page or job names: https://apply.workable.com/acme/j/ABC123/
    → "acme" (and the older https://acme.workable.com/jobs/1 → "acme"), or the one the
    careers widget a company's own page embeds asks for:
    https://apply.workable.com/api/v1/widget/accounts/acme → "acme"."""
    name = board_in_path(url, HOSTS)
    if name == "api":
        path = urlsplit(url.strip()).path
        if not path.startswith(_WIDGET):
            return ""
        account = path.removeprefix(_WIDGET).split("/", 1)[0]
        return account if BOARD_NAME.fullmatch(account) and account not in _NOT_ACCOUNTS else ""
    if name:
        return "" if name in _NOT_ACCOUNTS else name
    return board_in_host(url, ("workable.com",), reserved=("apply", "www", "jobs", "api", "help", "resources"))
