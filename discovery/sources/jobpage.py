"""Any job page: schema.org JobPosting in JSON-LD first, then what else the page says.

JSON-LD may be a single object, an array, or nested in "@graph"; the description is HTML;
baseSalary's value may be a number or a QuantitativeValue range; jobLocationType
"TELECOMMUTE" means remote.

Without JSON-LD (or to fill what it leaves out) the page is read, best source first:
microdata (itemprop="title", "hiringOrganization"…), labelled fields in its text
("Location:", "Lieu :", "Type de contrat :"…), the title patterns of the big boards and ATS
pages in <title>, og:title, twitter:title and <h1> ("T job at C in L", "C hiring T in L",
"T H/F - C - L", "T chez C"…), OpenGraph and Twitter meta, and at last the company's part
of an ATS address (jobs.lever.co/<company>). A job board's own name (og:site_name on a
board page, "| LinkedIn" in a title) is never taken for the employer.

The page is untrusted: it is cut to a bounded size, every text a pattern reads is short,
and no page makes `parse` raise."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy
from lxml import etree
from lxml import html as lxml_html

from discovery.sources.base import FoundOffer, number, parse_date, remote_from_text

NAME = "jobpage"
LABEL = gettext_lazy("Web page")
_PERIODS = {"YEAR": "year", "MONTH": "month", "WEEK": "week", "DAY": "day", "HOUR": "hour"}

MAX_PAGE = 3_000_000  # characters (or bytes) of a page read at all
MAX_BODY_TEXT = 200_000  # characters of the page's text searched for labelled fields
MAX_FIELD = 200  # characters kept of a title, a company or a place


def _walk(node, depth=0):
    """Every dict inside a JSON-LD document (arrays, @graph, nested values)."""
    if depth > 50:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _walk(value, depth + 1)


def _is_job_posting(node: dict) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _text(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        return ", ".join(filter(None, (_text(v) for v in value)))
    return str(value or "")


def _locations(posting: dict) -> str:
    places = posting.get("jobLocation") or []
    places = places if isinstance(places, list) else [places]
    names = []
    for place in places:
        if not isinstance(place, dict):
            continue
        address = place.get("address") or {}
        if isinstance(address, str):
            names.append(address)
            continue
        if not isinstance(address, dict):
            continue
        parts = [_text(address.get(key)) for key in ("addressLocality", "addressRegion", "addressCountry")]
        names.append(", ".join(p for p in parts if p))
    return "; ".join(n for n in names if n)


def _salary(posting: dict) -> tuple[float | None, float | None, str, str]:
    salary = posting.get("baseSalary") or posting.get("estimatedSalary")
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    if isinstance(salary, (int, float, str)):
        value = number(salary)
        return value, value, "", ""
    if not isinstance(salary, dict):
        return None, None, "", ""
    currency = str(salary.get("currency") or "")
    value = salary.get("value")
    period = ""
    if isinstance(value, dict):
        period = _PERIODS.get(str(value.get("unitText") or "").upper(), "")
        low = number(value.get("minValue")) or number(value.get("value"))
        high = number(value.get("maxValue")) or number(value.get("value"))
        return low, high, currency, period
    amount = number(value)
    period = _PERIODS.get(str(salary.get("unitText") or "").upper(), "")
    return amount, amount, currency, period


def from_json_ld(document, url: str) -> FoundOffer | None:
    for node in _walk(document):
        if not _is_job_posting(node):
            continue
        low, high, currency, period = _salary(node)
        location = _locations(node)
        telecommute = str(node.get("jobLocationType", "")).upper() == "TELECOMMUTE"
        remote = "remote" if telecommute else remote_from_text(location)
        identifier = node.get("identifier")
        return FoundOffer(
            source=NAME,
            external_id=_text(identifier.get("value") if isinstance(identifier, dict) else identifier)[:200],
            url=str(node.get("url") or url),
            title=_text(node.get("title")),
            company=_text(node.get("hiringOrganization")),
            location=location,
            remote=remote,
            contract_type=_text(node.get("employmentType")),
            salary_min=low, salary_max=high, salary_currency=currency, salary_period=period,
            description_html=str(node.get("description") or ""),
            posted_at=parse_date(node.get("datePosted")),
            raw={key: node[key] for key in node if isinstance(node[key], (str, int, float, list, dict))},
        )
    return None


# --- boards and ATS: whose name is not the employer's --------------------------------------------

# Brands as they appear in titles and og:site_name, folded (lower case, no punctuation).
BOARD_BRANDS = {
    "linkedin", "indeed", "indeed com", "indeed fr", "welcome to the jungle", "wttj", "glassdoor", "monster",
    "monster fr", "apec", "apec fr", "hellowork", "hello work", "regionsjob", "france travail", "pole emploi",
    "jobteaser", "otta", "wellfound", "angellist", "angellist talent", "stepstone", "talent com", "talent",
    "jooble", "greenhouse", "lever", "ashby", "workable", "smartrecruiters", "teamtailor", "recruitee",
    "personio", "join", "join com", "cadremploi", "meteojob", "keljob", "free work", "freework", "malt",
    "workday", "jobup", "xing", "ziprecruiter", "simplyhired", "dice", "builtin", "built in", "remotive",
    "remote ok", "remoteok", "we work remotely", "weworkremotely", "arbeitnow", "jobijoba", "choose your boss",
}
# Host names (or their last labels) of boards and ATS.
BOARD_HOSTS = (
    "linkedin.com", "indeed.com", "indeed.fr", "welcometothejungle.com", "glassdoor.com", "glassdoor.fr",
    "monster.com", "monster.fr", "apec.fr", "hellowork.com", "francetravail.fr", "pole-emploi.fr", "jobteaser.com",
    "otta.com", "wellfound.com", "angel.co", "stepstone.de", "stepstone.fr", "talent.com", "jooble.org",
    "greenhouse.io", "lever.co", "ashbyhq.com", "workable.com", "smartrecruiters.com", "teamtailor.com",
    "recruitee.com", "personio.de", "personio.com", "join.com", "cadremploi.fr", "meteojob.com", "free-work.com",
    "malt.fr", "myworkdayjobs.com", "ziprecruiter.com", "remotive.com", "remoteok.com", "weworkremotely.com",
    "arbeitnow.com", "jobijoba.com",
)
# Where the employer's name is part of an ATS address: (host pattern, path pattern).
_ATS_COMPANY = [
    (re.compile(r"^(?:job-boards(?:\.eu)?|boards)\.greenhouse\.io$"), re.compile(r"^/([\w.-]+)")),
    (re.compile(r"^jobs(?:\.eu)?\.lever\.co$"), re.compile(r"^/([\w.-]+)")),
    (re.compile(r"^jobs\.ashbyhq\.com$"), re.compile(r"^/([\w.%-]+)")),
    (re.compile(r"^apply\.workable\.com$"), re.compile(r"^/([\w.-]+)")),
    (re.compile(r"^(?:jobs|careers)\.smartrecruiters\.com$"), re.compile(r"^/([\w.-]+)")),
    (re.compile(r"^([\w-]+)\.teamtailor\.com$"), None),
    (re.compile(r"^([\w-]+)\.recruitee\.com$"), None),
    (re.compile(r"^([\w-]+)\.jobs\.personio\.(?:de|com)$"), None),
    (re.compile(r"^([\w-]+)\.workable\.com$"), None),
]
_NOT_A_COMPANY_SLUG = {"www", "api", "jobs", "careers", "embed", "apply", "app", "v1", "boards", "j", "o"}
# Words a title segment may be that name no one ("Careers – Backend dev").
GENERIC = {
    "careers", "career", "jobs", "job", "job offer", "job offers", "carrieres", "carriere", "emploi", "emplois",
    "offre d emploi", "offres d emploi", "recrutement", "recrute", "home", "accueil", "join us", "rejoignez nous",
    "we re hiring", "hiring", "open positions", "job board", "job details", "apply", "postuler",
}


def _fold(text: str) -> str:
    text = text.lower().translate(str.maketrans("àâäéèêëîïôöùûüç", "aaaeeeeiioouuuc"))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text[:MAX_FIELD]).split())


def _host(url: str) -> str:
    try:
        return (urlsplit(url[:2000]).hostname or "").lower()
    except ValueError:  # "https://[::1"
        return ""


def _host_is_board(host: str) -> bool:
    return any(host == board or host.endswith("." + board) for board in BOARD_HOSTS)


def _is_board_name(name: str) -> bool:
    folded = _fold(name)
    return folded in BOARD_BRANDS or folded in GENERIC or folded.removesuffix(" com") in BOARD_BRANDS


def _company_from_address(url: str) -> str:
    """The employer's part of an ATS address (jobs.lever.co/acme-corp → "Acme Corp")."""
    try:
        parts = urlsplit(url[:2000])
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    for host_pattern, path_pattern in _ATS_COMPANY:
        found = host_pattern.match(host)
        if not found:
            continue
        if path_pattern is None:
            slug = found.group(1)
        else:
            in_path = path_pattern.match(parts.path)
            slug = in_path.group(1) if in_path else ""
        if not slug or slug.lower() in _NOT_A_COMPANY_SLUG:
            return ""
        name = re.sub(r"[-_.\s]+", " ", unquote(slug)).strip()
        return name.title() if name.islower() else name
    return ""


# --- title patterns -----------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s+[|–—·•»:]\s+|\s+-\s+|\s*\|\s*")
_TRAILING = re.compile(r"(?:\s+[|–—·•»:-]\s+|\s*\|\s*)([^|–—·•»]{1,80})$")
_PATTERNS = [  # tried in order on a title with its board's name taken off; named groups t, c, l
    re.compile(r"(?i)^(?:job application for|apply for|candidature|postuler)\s*:?\s+(?P<t>.{1,150}?) (?:at|@|chez) "
               r"(?P<c>.{1,100})$"),
    re.compile(r"(?i)^(?:offre|annonce|job|ref|r[ée]f[ée]rence)\.?\s*(?:n°|no\.?|#)\s*[\w-]{1,30}"
               r"(?:\s+[-–—|:]\s+)(?P<t>.{1,150})$"),
    re.compile(r"(?i)^(?P<t>.{1,150}?) (?:job|position|role|vacancy) at (?P<c>.{1,100}?) in (?P<l>.{1,100})$"),
    re.compile(r"^(?P<c>.{1,100}?) (?:is )?hiring(?: an?)? (?P<t>.{1,150}?)(?: in (?P<l>.{1,100}))?$"),
    re.compile(r"(?i)^(?P<t>.{1,150}?) job in (?P<l>.{1,100}?)(?: at (?P<c>.{1,100}))?$"),
    re.compile(r"(?i)^(?P<t>.{1,150}?) (?:-|–|—|\||at) (?:careers|jobs) (?:at|@) (?P<c>.{1,100})$"),
    re.compile(r"(?i)^(?:offre d['’]emploi|emploi|job)(?:\s*:\s*|\s+)(?P<t>.{1,150}?) (?:-|–|—|\||chez) "
               r"(?P<c>.{1,100})$"),
    re.compile(r"(?i)^(?:offre d['’]emploi|emploi)(?:\s*:\s*|\s+)(?P<t>.{1,150})$"),
    re.compile(r"(?i)^(?P<t>.{1,150}?) chez (?P<c>.{1,100})$"),
    re.compile(r"(?i)^(?P<t>.{1,150}?) (?:job )?(?:at|@) (?P<c>.{1,100})$"),
]
# A place rather than a company: a postcode or a department in brackets, a country, a big city.
_PLACE = re.compile(
    r"\(\d{2,5}\)|\b\d{5}\b|\b(?:france|paris|lyon|marseille|toulouse|lille|bordeaux|nantes|nice|rennes|strasbourg|"
    r"montpellier|grenoble|london|berlin|munich|amsterdam|madrid|barcelona|lisbon|brussels|bruxelles|geneva|"
    r"geneve|zurich|new york|san francisco|remote|teletravail|ile de france|germany|allemagne|united kingdom|"
    r"uk|usa|united states|spain|espagne|belgique|belgium|suisse|switzerland|canada|europe|emea)\b")
_GENDER = re.compile(r"(?i)\(?\s*(?:[hf]\s*/\s*[hf](?:\s*/\s*[xn])?|m\s*/\s*[fw](?:\s*/\s*[dx])?)\s*\)?")


# "CDI à Paris", "Stage - Lyon", "Full-time in Berlin": a contract, then maybe a place.
_CONTRACT_AND_PLACE = re.compile(
    r"(?i)^(?P<k>cdi|cdd|stage|alternance|freelance|int[ée]rim|internship|apprenticeship|contract|"
    r"full[- ]time|part[- ]time|temps plein|temps partiel)(?:\s+(?:à|a|in|en|-|,)\s+(?P<l>.{1,100}))?$")


def _looks_like_place(text: str) -> bool:
    return bool(_PLACE.search(_fold(text)))


def read_title(text: str) -> dict:
    """{"t": title, "c": company, "l": place, "k": contract} a page title names, by the big boards' and
    ATS's patterns ("Data Engineer job at Acme in Paris | Indeed", "Acme hiring Data
    Engineer in Paris | LinkedIn", "Développeur H/F - Acme - Lyon", "Offre d'emploi
    Développeur - Acme"); the board's own name at the end is left out."""
    text = " ".join((text or "")[:400].split())
    for _ in range(4):
        trailing = _TRAILING.search(text)
        if not trailing or not _is_board_name(trailing.group(1)):
            break
        text = text[:trailing.start()].strip()
    if not text or _is_board_name(text):
        return {}
    found = None
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            found = {k: v.strip(" -–—|,") for k, v in match.groupdict().items() if v and v.strip(" -–—|,")}
            break
    if not found:
        return _read_segments(text)
    for key in ("c", "l", "t"):  # "T at C - L", "T job in L - C"
        if key in found and _SEPARATORS.search(found[key]):
            first, *rest = _SEPARATORS.split(found[key])
            if key == "t" and "c" not in found:
                return _read_segments(found[key]) | {k: v for k, v in found.items() if k != "t"}
            found[key] = first
            for other in ("l", "c") if key == "c" else ("c", "l"):
                if rest and other not in found and not _is_board_name(rest[0]):
                    found[other] = rest.pop(0)
    if found.get("c") and _is_board_name(found["c"]):
        found.pop("c")
    return found


def _read_segments(text: str) -> dict:
    """ "T | C", "T – C – L", "T - L" (a place recognised as one); a title starting with a
    word that names no one ("Careers – Backend dev") is kept whole."""
    parts = [p for p in _SEPARATORS.split(text) if p]
    lead = _CONTRACT_AND_PLACE.match(parts[0]) if len(parts) > 1 else None
    if lead and not lead.group("l"):  # "Stage - Assistant marketing - L'Oréal - Clichy"
        return _read_segments(text[text.index(parts[1], len(parts[0])):]) | {"k": lead.group("k")}
    if not parts or _is_board_name(parts[0]):
        return {"t": text, "whole": "yes"} if text else {}
    found = {"t": parts[0]}
    rest = []
    for part in parts[1:]:
        contract = _CONTRACT_AND_PLACE.match(part)
        if contract:
            found.update({k: v for k, v in contract.groupdict().items() if v})
        elif not _is_board_name(part):
            rest.append(part)
    if rest and _GENDER.fullmatch(rest[0]):  # "T - H/F - C"
        found["t"] += " " + rest.pop(0)
    if "l" in found and rest:
        found["c"] = rest.pop(0)
    elif rest and _looks_like_place(rest[0]) and (len(rest) == 1 or not _looks_like_place(rest[1])):
        found["l"] = rest.pop(0)
        if rest:
            found["c"] = rest.pop(0)
    elif rest:
        found["c"] = rest.pop(0)
        if rest:
            found["l"] = rest.pop(0)
    return found


# --- remote wording -----------------------------------------------------------------------------

_FULLY_REMOTE = re.compile(
    r"\b(?:fully|full|100\s*%|totally|100 percent) ?-?(?:remote|t[ée]l[ée]travail)\b|"
    r"t[ée]l[ée]travail (?:complet|total|int[ée]gral|[àa] 100\s*%)|remote[- ]first|remote only|remote-only|"
    r"full[- ]time remote|work from anywhere|\ben remote\b")
_HYBRID = re.compile(
    r"\bhybrid[e]?\b|t[ée]l[ée]travail (?:partiel|occasionnel|possible|r[ée]gulier|fr[ée]quent)|"
    r"\b\d\s*(?:jours?|j|days?)(?: par semaine| per week| a week| /\s*semaine)? (?:sur site|au bureau|"
    r"de t[ée]l[ée]travail|en t[ée]l[ée]travail|on[- ]?site|in (?:the )?office|remote|from home)\b|"
    r"partial(?:ly)? remote|remote[- ]friendly|flex(?:ible)? remote")
_NOT_REMOTE = re.compile(
    r"\bno remote\b|\bpas de t[ée]l[ée]travail\b|\bnot remote\b|\bt[ée]l[ée]travail non\b|\b100\s*% (?:sur site|"
    r"pr[ée]sentiel|on[- ]?site)")
_REMOTE = re.compile(r"\bremote\b|\bt[ée]l[ée]travail\b|work from home|\bwfh\b|\bdistanciel\b|\btelecommute\b")
# The answer to a "Remote:" or "Télétravail :" label, folded.
_REMOTE_ANSWERS = {"yes": "remote", "oui": "remote", "total": "remote", "complet": "remote", "full": "remote",
                   "partial": "hybrid", "partiel": "hybrid", "possible": "hybrid", "occasionnel": "hybrid",
                   "ponctuel": "hybrid", "frequent": "hybrid", "flexible": "hybrid",
                   "no": "onsite", "non": "onsite", "none": "onsite", "aucun": "onsite", "not possible": "onsite",
                   "non autorise": "onsite", "pas de teletravail": "onsite"}
_ONSITE = re.compile(
    r"\bon[- ]?site\b|\bsur site\b|\bpr[ée]sentiel\b|\bin[- ]office\b|\bau bureau\b|\bon[- ]premises\b")


def remote_from_wording(*texts: str) -> str:
    """"remote", "hybrid", "onsite" or "" from wording in English or French ("fully remote",
    "télétravail complet", "hybride", "3 jours sur site", "présentiel"…)."""
    text = " ".join(t[:MAX_BODY_TEXT] for t in texts if t).lower()
    if not text:
        return ""
    if _FULLY_REMOTE.search(text):
        return "remote"
    if _HYBRID.search(text):
        return "hybrid"
    if _NOT_REMOTE.search(text):
        return "onsite"
    remote, onsite = _REMOTE.search(text), _ONSITE.search(text)
    if remote and onsite:
        return "hybrid"
    return "remote" if remote else "onsite" if onsite else ""


# --- labelled fields and microdata --------------------------------------------------------------

_LABELS = {
    "location": r"location|lieu(?: de travail)?|localisation|ville|city|place|workplace|based in|office",
    "company": r"company|entreprise|soci[ée]t[ée]|employer|employeur|organisation|organization",
    "contract": r"type de contrat|contrat|contract(?: type)?|employment type|job type|type d['’]emploi|"
                r"type de poste|commitment",
    "remote": r"remote|t[ée]l[ée]travail|work(?:ing)? model|mode de travail|workplace type|remote policy",
}
_LABEL = re.compile(
    r"^\s*(?:(?P<location>" + _LABELS["location"] + r")|(?P<company>" + _LABELS["company"] + r")|(?P<contract>"
    + _LABELS["contract"] + r")|(?P<remote>" + _LABELS["remote"] + r"))\s*[:：]\s*(?P<value>.{0,150})$", re.IGNORECASE)
_BLOCKS = {"p", "div", "li", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section",
           "article", "header", "footer", "ul", "ol", "dl", "table", "label", "main", "aside", "nav"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer"}


def _lines(body) -> list[str]:
    """The page's text but its menus and footers, one line per block element, at most
    MAX_BODY_TEXT characters."""
    pieces, size, skipping = [], 0, 0
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if size > MAX_BODY_TEXT:
            break
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            skipping += tag in _SKIP
            if tag in _BLOCKS:
                pieces.append("\n")
            if tag and element.text and not skipping:
                pieces.append(element.text)
                size += len(element.text)
        else:
            skipping -= tag in _SKIP
            if tag in _BLOCKS:
                pieces.append("\n")
            if element.tail and not skipping:
                pieces.append(element.tail)
                size += len(element.tail)
    text = "".join(pieces)[:MAX_BODY_TEXT]
    return [" ".join(line.split())[:300] for line in text.split("\n") if line.strip()]


def read_labels(lines: list[str]) -> dict:
    """{"location", "company", "contract", "remote"}: the first value of each labelled field
    ("Lieu : Lyon", "Type de contrat : CDI"), a label alone on its line taking the next."""
    found = {}
    for index, line in enumerate(lines[:5000]):
        match = _LABEL.match(line)
        if not match:
            continue
        key = next(k for k in _LABELS if match.group(k))
        value = match.group("value").strip()
        if not value and index + 1 < len(lines) and not _LABEL.match(lines[index + 1]):
            value = lines[index + 1]
        if value and key not in found:
            found[key] = value[:MAX_FIELD]
    return found


def _item_text(element) -> str:
    for attribute in ("content", "datetime", "value"):
        if element.get(attribute):
            return element.get(attribute)
    names = element.xpath('.//*[@itemprop="name"]')
    if names:
        return _item_text(names[0])
    return " ".join(element.text_content()[:1000].split())


def _place_by_class(tree) -> str:
    """The text of an element of class "location", "job-location"… (Greenhouse's and Lever's
    pages), when short."""
    for element in tree.xpath('//*[contains(@class, "ocation")]')[:20]:
        if not any(name.lower().endswith("location") for name in element.get("class", "").split()):
            continue
        text = " ".join(element.text_content()[:300].split())
        if 0 < len(text) <= 100:
            return text
    return ""


def read_microdata(tree) -> dict:
    """schema.org JobPosting in microdata (itemprop attributes)."""
    def first(*props):
        for prop in props:
            for element in tree.xpath(f'//*[@itemprop="{prop}"]')[:5]:
                value = _item_text(element).strip()
                if value:
                    return value[:MAX_FIELD]
        return ""

    place = ", ".join(p for p in (first("addressLocality"), first("addressRegion"), first("addressCountry")) if p)
    return {"title": first("title"), "company": first("hiringOrganization"),
            "location": place or first("jobLocation"), "contract": first("employmentType"),
            "posted": first("datePosted"), "remote": first("jobLocationType")}


# --- the page -----------------------------------------------------------------------------------

_COMPANY_SUFFIX = re.compile(r"(?i)\s+(?:careers|jobs|recrutement|carri[èe]res|emplois?|hiring)$")
_BAD_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _tree(page: str | bytes):
    """The page's tree, or an empty one for what lxml cannot read."""
    page = (page or "")[:MAX_PAGE]
    if isinstance(page, str):
        page = _BAD_CHARACTERS.sub("", page)
        page = re.sub(r"^\s*<\?xml[^>]{0,200}\?>", "", page)
    else:
        page = page.replace(b"\x00", b"")
    try:
        tree = lxml_html.fromstring(page) if page.strip() else None
    except (etree.ParserError, ValueError, TypeError):
        tree = None
    return tree if tree is not None else lxml_html.fromstring("<html></html>")


def _clean(text: str) -> str:
    return " ".join(str(text or "").split())[:MAX_FIELD]


def fallback(tree, url: str) -> FoundOffer:
    """What a page without JSON-LD says of its offer (see the module's docstring)."""
    metas = {}
    for element in tree.iter("meta"):
        if len(metas) > 500:
            break
        key, content = element.get("property") or element.get("name"), (element.get("content") or "").strip()
        if key and content:
            metas.setdefault(key.lower(), content[:100_000])

    def meta(*names):
        return next((metas[name] for name in names if name in metas), "")

    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), "").strip()
    canonical = canonical if canonical.startswith(("http://", "https://")) else ""
    page_url = meta("og:url") if meta("og:url").startswith(("http://", "https://")) else ""
    page_url = page_url or canonical or url
    on_board = any(_host_is_board(_host(address)) for address in (url, canonical, page_url))

    titles = [meta("og:title"), meta("twitter:title"), *tree.xpath("//title/text()")[:1],
              *(" ".join(h.text_content()[:400].split()) for h in tree.xpath("//h1")[:1])]
    read = [read_title(_clean(t)) for t in titles if t and t.strip()]
    micro = read_microdata(tree)
    body = tree.find("body")
    lines = _lines(body if body is not None else tree)
    labels = read_labels(lines)
    description = meta("og:description", "description", "twitter:description")

    address_company = _company_from_address(page_url) or _company_from_address(url)
    if address_company:  # "Mistral AI - Research Engineer" on jobs.lever.co/mistral: the company comes first
        slug = _fold(address_company).replace(" ", "")
        for found in read:
            if slug and found.get("c") and found.get("t") and _fold(found["t"]).replace(" ", "").startswith(slug) \
                    and not _fold(found["c"]).replace(" ", "").startswith(slug):
                found["t"], found["c"] = found["c"], found["t"]

    def pick(key):
        return next((r[key] for r in read if r.get(key) and not r.get("whole")), "") or \
            next((r[key] for r in read if r.get(key)), "")

    site_name = meta("og:site_name", "application-name")
    companies = [micro["company"], labels.get("company", ""), pick("c"),
                 "" if on_board else site_name]
    companies = (_COMPANY_SUFFIX.sub("", _clean(c)) for c in companies)
    company = next((c for c in companies if c and not _is_board_name(c)), "")
    company = company or address_company
    title = _clean(micro["title"] or pick("t"))
    location = _clean(micro["location"] or labels.get("location") or _place_by_class(tree) or pick("l"))
    answer = _fold(labels.get("remote", ""))
    remote = (_REMOTE_ANSWERS.get(answer) or _REMOTE_ANSWERS.get(answer.split(" ")[0])
              or remote_from_wording(labels.get("remote", ""), micro["remote"])
              or remote_from_wording(title, location, *titles)
              or remote_from_wording(description[:5000])
              or remote_from_wording("\n".join(lines)))
    posted = parse_date(micro["posted"]) if micro["posted"] else None
    return FoundOffer(
        source=NAME,
        external_id="",
        url=page_url,
        title=title,
        company=company,
        location=location,
        remote=remote,
        contract_type=_clean(labels.get("contract") or micro["contract"] or pick("k")),
        description_html=description,
        posted_at=posted,
        raw={"fallback": "page", "host": _host(url),
             **({"canonical": canonical} if canonical else {})},
    )


def _json_ld(tree, url: str) -> FoundOffer | None:
    for script in tree.xpath('//script[@type="application/ld+json"]')[:20]:
        text = re.sub(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$", "", script.text or "")
        try:
            offer = from_json_ld(json.loads(text), url)
        except (ValueError, TypeError, AttributeError, RecursionError):
            continue
        if offer is not None:
            return offer
    return None


def parse(page: str | bytes, url: str) -> FoundOffer:
    """The offer a job page describes; title or company may be empty when the page does
    not say (the caller then asks the person). JSON-LD wins where it says something; the
    rest of the page fills what it leaves empty."""
    tree = _tree(page)
    offer = _json_ld(tree, url)
    if offer is not None and offer.title and offer.company and offer.location and offer.remote \
            and offer.contract_type:
        return offer
    found = fallback(tree, url)
    if offer is None:
        return found
    for key in ("title", "company", "location", "remote", "contract_type", "description_html"):
        if not getattr(offer, key):
            setattr(offer, key, getattr(found, key))
    offer.posted_at = offer.posted_at or found.posted_at
    return offer
