"""We Work Remotely RSS feed (parsed with lxml). Item titles read "Company: Role"."""

from django.conf import settings
from lxml import etree

from discovery.sources.base import FoundOffer, SourceError, cached, get, matches_keyword, parse_date

NAME = "weworkremotely"
LABEL = "We Work Remotely"


def parse(payload: bytes) -> list[FoundOffer]:
    try:
        # No network, no entity expansion: the feed is data.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
        root = etree.fromstring(payload, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"We Work Remotely feed is not valid XML: {exc}") from exc
    offers = []
    for item in root.iter("item"):
        def text(tag):
            element = item.find(tag)
            return (element.text or "").strip() if element is not None else ""

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
            remote="remote",
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
    feed = cached("weworkremotely:feed", CACHE_SECONDS, lambda: get(settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL).content)
    return [offer for offer in parse(feed) if matches_keyword(offer, keyword)]
