"""Personio's XML feed of a company's published positions (parsed with lxml).

GET https://{board}.jobs.personio.de/xml?language=en → <workzag-jobs><position><id/>
<subcompany/><office/><additionalOffices><office/>…</additionalOffices><department/>
<recruitingCategory/><name/><jobDescriptions><jobDescription><name/><value>HTML</value>
</jobDescription>…</jobDescriptions><employmentType/><seniority/><schedule/>
<yearsOfExperience/><keywords/><occupation/><occupationCategory/><createdAt/></position>…

The feed has no links: a position's page is https://{board}.jobs.personio.de/job/{id}, so a
feed read without its board's name (a saved file) makes offers without an address. It is
in German unless asked in English (`language=en`); a position written in one language only
comes in that one."""

from html import escape
from urllib.parse import quote

from django.conf import settings

from discovery.sources.base import FoundOffer, SourceError, board_in_host, get_board, not_the_shape, parse_date
from discovery.sources.base import read_xml, remote_from_text

NAME = "personio"
LABEL = "Personio"
SHAPE = "an XML feed <workzag-jobs><position><id/><name/>…</position>…</workzag-jobs>"
DOMAINS = ("jobs.personio.de", "jobs.personio.com")


def recognises(payload: bytes) -> bool:
    """A Personio company's feed (one without positions too): its root is <workzag-jobs>."""
    try:
        return read_xml(payload).tag == "workzag-jobs"
    except SourceError:
        return False


def _text(element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _description(position) -> str:
    """The position's description blocks, each under its own heading."""
    return "".join(
        f"<h3>{escape(_text(block, 'name'))}</h3>{_text(block, 'value')}" if _text(block, "name") else
        _text(block, "value")
        for block in position.iterfind("jobDescriptions/jobDescription"))


def parse(payload: bytes, *, board: str = "") -> list[FoundOffer]:
    """`board` gives the positions their address, and names the company when the positions
    name no subcompany."""
    root = read_xml(payload)
    if root.tag != "workzag-jobs":
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for position in root.iterfind("position"):
        position_id, title = _text(position, "id"), _text(position, "name")
        if not title:
            continue
        offices = [_text(position, "office")] + [(o.text or "").strip()
                                                  for o in position.iterfind("additionalOffices/office")]
        location = "; ".join(dict.fromkeys(o for o in offices if o))
        keywords = [k.strip() for k in _text(position, "keywords").split(",") if k.strip()]
        offers.append(FoundOffer(
            source=NAME,
            external_id=position_id,
            url=f"https://{board}.jobs.personio.de/job/{quote(position_id, safe='')}" if board and position_id else "",
            title=title,
            company=_text(position, "subcompany") or board.replace("-", " ").title(),
            location=location,
            remote=remote_from_text(location, title),
            # "permanent", "intern", "trainee" or "freelance", and "full-time" or "part-time".
            contract_type=", ".join(v for v in (_text(position, "employmentType"), _text(position, "schedule")) if v),
            description_html=_description(position),
            tags=list(dict.fromkeys(
                [tag for tag in (_text(position, "department"), _text(position, "recruitingCategory")) if tag]
                + keywords)),
            posted_at=parse_date(_text(position, "createdAt")),
            raw={name: _text(position, name) for name in (
                "id", "subcompany", "office", "department", "recruitingCategory", "name", "employmentType",
                "seniority", "schedule", "yearsOfExperience", "keywords", "occupation", "occupationCategory",
                "createdAt")},
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get_board(settings.JOBMATE_SOURCE_URLS[NAME], name, label=LABEL, params={"language": "en"})
    return parse(response.content, board=name)


def board_from_url(url: str) -> str:
    """The company a Personio job page names: https://acme.jobs.personio.de/job/1 → "acme" (.com too)."""
    return board_in_host(url, DOMAINS)
