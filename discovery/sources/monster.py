"""Monster.fr's RSS search feed.

Monster documents no API. Its RSS search (rss.jobsearch.monster.com/rssquery.ashx) is
what open-source job fetchers read: GET {base}?q=…&cy=FR&baseurl=offre-emploi.monster.fr
→ <rss><channel><item><title>, <link> (the offer on offre-emploi.monster.fr), <description>,
<pubDate>, <guid>… (see the fixtures' README). The items name no company nor contract:
those stay unknown. `q` is the search; `cy=FR` keeps it to France. The person's location
is not passed: the feed's place filter takes Monster's own place ids.

Any RSS feed looks like this one: it is known by its items linking to a Monster site."""

from functools import partial
from urllib.parse import urlsplit

from django.conf import settings

from discovery.sources.base import FoundOffer, SourceError, get, not_the_shape, parse_date, read_xml
from discovery.sources.base import child_text, remote_from_text

NAME = "monster"
LABEL = "Monster"
SHAPE = "an RSS feed whose items link to Monster: <rss><channel><item><title>…</title><link>…</link>…</item>…</rss>"
COUNTRY = "FR"
OFFER_SITE = "offre-emploi.monster.fr"


def _on_monster(link: str) -> bool:
    try:
        host = (urlsplit(link).hostname or "").lower()
    except ValueError:
        return False
    return any(host == domain or host.endswith("." + domain) for domain in ("monster.fr", "monster.com"))


def _item_links(root) -> list[str]:
    return [(item.findtext("link") or "").strip() for item in root.iter("item")]


def recognises(payload: bytes) -> bool:
    """Monster's RSS feed: an RSS feed with items, each linking to a Monster site."""
    try:
        root = read_xml(payload)
    except SourceError:
        return False
    links = _item_links(root) if root.tag == "rss" else []
    return bool(links) and all(_on_monster(link) for link in links)


def parse(payload: bytes) -> list[FoundOffer]:
    root = read_xml(payload)
    if root.tag != "rss":
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for item in root.iter("item"):
        field = partial(child_text, item)

        title, link, description = field("title"), field("link"), field("description")
        if not title or not link:
            continue
        offers.append(FoundOffer(
            source=NAME,
            external_id=field("guid") or link,
            url=link,
            title=title,
            remote=remote_from_text(title, description),
            description_html=description,
            posted_at=parse_date(field("pubDate")),
            raw={"title": title, "link": link, "guid": field("guid"), "pubDate": field("pubDate")},
        ))
    return offers


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    feed = get(settings.JOBMATE_SOURCE_URLS[NAME], label=LABEL,
               params={"q": keyword.strip(), "cy": COUNTRY, "baseurl": OFFER_SITE}).content
    return parse(feed)
