"""We Work Remotely RSS feed (parsed with lxml). Item titles read "Company: Role".

Every job there is remote, some only partly: one whose text says it is hybrid or names
days at the office is "hybrid", the others "remote"."""

from functools import partial
from urllib.parse import urlsplit

from django.conf import settings

from discovery.sources.base import FoundOffer, SourceError, cached, get, matches_keyword, not_the_shape, parse_date
from discovery.sources.base import child_text, read_xml, remote_from_text

NAME = "weworkremotely"
LABEL = "We Work Remotely"
SHAPE = "an RSS feed: <rss><channel><item><title>Company: Role</title><link>…</link>…</item>…</channel></rss>"


def recognises(payload: bytes) -> bool:
    """We Work Remotely's RSS feed: an RSS feed whose items link to weworkremotely.com (an
    empty feed too: whichever feed it is, it makes no offer)."""
    try:
        root = read_xml(payload)
    except SourceError:
        return False
    if root.tag != "rss":
        return False
    links = [(item.findtext("link") or "").strip() for item in root.iter("item")]
    return all(_on_wwr(link) for link in links)


def _on_wwr(link: str) -> bool:
    try:
        host = urlsplit(link).hostname or ""
    except ValueError:
        return False
    return host == "weworkremotely.com" or host.endswith(".weworkremotely.com")


def parse(payload: bytes) -> list[FoundOffer]:
    root = read_xml(payload)
    if root.tag != "rss":
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for item in root.iter("item"):
        text = partial(child_text, item)

        title, link = text("title"), text("link")
        if not title or not link:
            continue
        company, _, role = title.partition(":")
        if not role:
            company, role = "", title
        offers.append(FoundOffer(
            source=NAME,
            external_id=text("guid") or link,
            url=link,
            title=role.strip(),
            company=company.strip(),
            location=text("region"),
            remote="hybrid" if remote_from_text(title, text("region"), text("description")) == "hybrid" else "remote",
            contract_type=text("type"),
            description_html=text("description"),
            tags=[t for t in (text("category"),) if t],
            posted_at=parse_date(text("pubDate")),
            raw={"title": title, "link": link, "region": text("region"), "type": text("type"),
                 "pubDate": text("pubDate")},
        ))
    return offers


# One feed for every keyword: kept a few minutes, shared by the steps.
CACHE_SECONDS = 600


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    feed = cached("weworkremotely:feed", CACHE_SECONDS,
                  lambda: get(settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL).content)
    return [offer for offer in parse(feed) if matches_keyword(offer, keyword)]
