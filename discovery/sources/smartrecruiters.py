"""SmartRecruiters Posting API: a company's published postings, paginated with offset/limit.

GET {base}?offset=N&limit=M → {"offset", "limit", "totalFound", "content": [posting, ...]}
(the base names the company: https://api.smartrecruiters.com/v1/companies/{board}/postings).
A posting of the list carries no job ad (that is one more request per posting): its
department, function and experience level stand in for it when keywords are matched."""

from urllib.parse import quote

from django.conf import settings

from discovery.sources.base import FoundOffer, board_in_path, get_board, jobs_with, json_of, not_the_shape, obj
from discovery.sources.base import parse_date, remote_from_text, text, texts

NAME = "smartrecruiters"
LABEL = "SmartRecruiters"
PAGE_SIZE = 100  # the most the API gives at once
MAX_PAGES = 20
SHAPE = '{"totalFound", "content": [{"id", "name", "company", "location", …}, …]}'
HOSTS = ("jobs.smartrecruiters.com", "careers.smartrecruiters.com")


def recognises(payload) -> bool:
    """A page of a SmartRecruiters company's postings (an empty one too)."""
    return isinstance(payload, dict) and "totalFound" in payload and jobs_with(payload.get("content"), "name")


def _remote(location: dict, place: str, title: str) -> str:
    """The location's flags: `remote` (the job may be done from anywhere it names) wins, as
    Ashby's `isRemote` does; then `hybrid`; a job flagged neither is on site unless its
    place or title says otherwise."""
    if location.get("remote") is True:
        return "remote"
    if location.get("hybrid") is True:
        return "hybrid"
    return remote_from_text(place, title) or ("onsite" if location.get("remote") is False else "")


def _place(location: dict) -> str:
    return text(location.get("fullLocation")) or ", ".join(
        texts([location.get("city"), location.get("region"), text(location.get("country")).upper()]))


def parse(payload, *, board: str = "") -> list[FoundOffer]:
    """`board` names the company when the postings do not."""
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for posting in payload["content"]:
        posting = obj(posting)
        company = obj(posting.get("company"))
        identifier = text(company.get("identifier")) or board
        posting_id, title = text(posting.get("id")), text(posting.get("name"))
        url = text(posting.get("postingUrl")) or (
            f"https://jobs.smartrecruiters.com/{quote(identifier, safe='')}/{quote(posting_id, safe='')}"
            if identifier and posting_id else "")
        if not url or not title:
            continue
        location = obj(posting.get("location"))
        place = _place(location)
        offers.append(FoundOffer(
            source=NAME,
            external_id=posting_id,
            url=url,
            apply_url=text(posting.get("applyUrl")),
            title=title,
            company=text(company.get("name")) or identifier.replace("-", " ").title(),
            location=place,
            remote=_remote(location, place, title),
            contract_type=text(obj(posting.get("typeOfEmployment")).get("label")),
            tags=texts([obj(posting.get(key)).get("label") for key in ("department", "function", "experienceLevel")]),
            posted_at=parse_date(posting.get("releasedDate")),
            raw=posting,
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    offers = []
    for page in range(MAX_PAGES):
        response = get_board(settings.JOBMATE_SOURCE_URLS[NAME], name, label=LABEL,
                             params={"offset": page * PAGE_SIZE, "limit": PAGE_SIZE})
        payload = json_of(response, LABEL)
        found = parse(payload, board=name)
        offers += found
        listed = len(payload["content"])
        total = payload.get("totalFound")
        if listed < PAGE_SIZE or (isinstance(total, int) and (page + 1) * PAGE_SIZE >= total):
            break
    return offers


def board_from_url(url: str) -> str:
    """The company a SmartRecruiters job ad or careers page names:
    https://jobs.smartrecruiters.com/Acme/743999 → "Acme"."""
    return board_in_path(url, HOSTS)
