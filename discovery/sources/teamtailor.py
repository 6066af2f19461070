"""Teamtailor career sites' public RSS feed (parsed with lxml).

GET https://{board}.teamtailor.com/jobs.rss → <rss xmlns:tt="https://teamtailor.com/locations">
<channel><title>Company</title><item><title>Role</title><link>…</link><guid/><pubDate/>
<description>HTML</description><tt:locations><tt:location><tt:name/><tt:city/><tt:country/>
</tt:location></tt:locations><tt:department/><tt:role/><remoteStatus>fully</remoteStatus></item>…

Teamtailor documents only its token API; this feed is public and undocumented, so it is
read by what it publishes: its own elements are taken by their local names, whichever
prefix (tt:, teamtailor:) or none they come with."""

from django.conf import settings
from lxml import etree

from discovery.sources.base import FoundOffer, SourceError, board_in_host, get_board, not_the_shape, parse_date
from discovery.sources.base import read_xml, remote_from_text

NAME = "teamtailor"
LABEL = "Teamtailor"
SHAPE = ('an RSS feed with Teamtailor\'s namespace (xmlns:tt="https://teamtailor.com/…") or items linking to '
         '<company>.teamtailor.com')
DOMAINS = ("teamtailor.com",)
# The feed's remote status: "none" (at the office), "hybrid", "fully" (remote), or
# "temporary" (remote for now), which says nothing of the job itself.
_REMOTE_STATUS = {"none": "onsite", "hybrid": "hybrid", "fully": "remote", "remote": "remote", "onsite": "onsite"}


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _is_teamtailors(root) -> bool:
    """Teamtailor's feed declares its own namespace; a feed that does not (a copy cleaned
    of it) is still Teamtailor's if it has items and all of them link to a Teamtailor site."""
    if any("teamtailor.com" in (uri or "") for uri in root.nsmap.values()):
        return True
    links = [(item.findtext("link") or "").strip() for item in root.iter("item")]
    return bool(links) and all(board_from_url(link) for link in links)


def recognises(payload: bytes) -> bool:
    """A Teamtailor career site's RSS feed."""
    try:
        root = read_xml(payload)
    except SourceError:
        return False
    return root.tag == "rss" and _is_teamtailors(root)


def _children(item, name: str) -> list:
    return [child for child in item.iter() if _local(child) == name]


def _value(item, name: str) -> str:
    """The text of the item's first element named `name` (any namespace), "" without one."""
    return next(((child.text or "").strip() for child in _children(item, name) if (child.text or "").strip()), "")


def _location(item) -> str:
    places = []
    for place in _children(item, "location"):
        named = _value(place, "name") or ", ".join(v for v in (_value(place, "city"), _value(place, "country")) if v)
        if not named and len(place) == 0:
            named = (place.text or "").strip()  # a feed that writes the place as the element's text
        if named and named not in places:
            places.append(named)
    return "; ".join(places)


def parse(payload: bytes, *, board: str = "") -> list[FoundOffer]:
    """The channel's title names the company; `board`, when it has none."""
    root = read_xml(payload)
    if root.tag != "rss" or root.find("channel") is None:
        raise not_the_shape(LABEL, SHAPE)
    channel = root.find("channel")
    company = (channel.findtext("title") or "").strip() or board.replace("-", " ").title()
    offers = []
    for item in channel.iter("item"):
        title, link = (item.findtext("title") or "").strip(), (item.findtext("link") or "").strip()
        if not title or not link:
            continue
        location = _location(item)
        status = _value(item, "remoteStatus").lower()
        offers.append(FoundOffer(
            source=NAME,
            external_id=(item.findtext("guid") or "").strip() or link,
            url=link,
            title=title,
            company=company or board_from_url(link).replace("-", " ").title(),
            location=location,
            remote=_REMOTE_STATUS.get(status) or remote_from_text(location, title),
            contract_type=_value(item, "employmentType"),
            description_html=(item.findtext("description") or "").strip(),
            tags=[tag for tag in (_value(item, "department"), _value(item, "role")) if tag],
            posted_at=parse_date((item.findtext("pubDate") or "").strip()),
            raw={"title": title, "link": link, "location": location, "remoteStatus": status,
                 "pubDate": (item.findtext("pubDate") or "").strip()},
        ))
    return offers


def board(name: str) -> list[FoundOffer]:
    response = get_board(settings.JOBMATE_SOURCE_URLS[NAME], name, label=LABEL)
    return parse(response.content, board=name)


def board_from_url(url: str) -> str:
    """The company a Teamtailor career site or job names: https://acme.teamtailor.com/jobs/1-x → "acme"."""
    return board_in_host(url, DOMAINS, reserved=("www", "app", "api", "support", "docs", "partner"))
