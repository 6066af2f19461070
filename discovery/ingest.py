"""From what a source found to Offer rows: normalise, filter red flags, de-duplicate,
score, insert in bulk.

Duplicates are caught twice, by the database (unique per person on the canonical URL and
on a fingerprint of company + title + location) and before it, within one batch. A job
seen again on another board is stored once: the richer record is kept and the other
board is remembered in `also_found_on`.
"""

from __future__ import annotations

import functools
import json
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field

import nh3
import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.sources.base import FoundOffer

BATCH_SIZE = 1000

# --- text ---------------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "h5", "h6",
                "blockquote", "code", "pre", "a", "div", "span", "table", "thead", "tbody", "tr", "th", "td",
                "hr", "dl", "dt", "dd", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Built once: nh3.clean() with these arguments rebuilds the same rules on every call.
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                       link_rel="noopener noreferrer nofollow")


def collapse(text: str) -> str:
    text = text or ""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def sanitise_html(markup: str) -> str:
    """Entities decoded (Greenhouse escapes its HTML), then only safe markup kept: no
    scripts, styles, event handlers or javascript: links; links get rel=noopener."""
    text = markup or ""
    if "&lt;" in text and "<" not in text:
        text = html.unescape(text)
    return _CLEANER.clean(text).strip()


_TAG = re.compile(r"<[^>]*>")


def plain_text(sanitised: str) -> str:
    """The words of HTML already sanitised by `sanitise_html` (well-formed, no scripts)."""
    return collapse(_TAG.sub(" ", sanitised or ""))


_COMBINING_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case, accents removed: "Équipe Développement" → "equipe developpement"."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text or "")).casefold()


# --- identity -----------------------------------------------------------------------------

TRACKING_PARAMS = {"gh_src", "lever-source", "lever-origin", "ref", "referrer", "source", "src", "fbclid", "gclid",
                   "msclkid", "mc_cid", "mc_eid", "trk", "trackingid", "refid", "_hsenc", "_hsmi", "igshid"}


def canonical_url(url: str) -> str:
    """Tracking parameters and fragments removed, host lower-cased, the other parameters
    (board job ids) kept, sorted. Plain string work: it runs for every offer found."""
    base = url.strip().partition("#")[0]
    base, _, query = base.partition("?")
    scheme, _, rest = base.partition("://")
    host, slash, path = rest.partition("/")
    path = ("/" + path).rstrip("/") if slash else ""
    params = sorted(
        param for param in query.split("&")
        if param and not _is_tracking(param.partition("=")[0].lower())
    )
    return f"{scheme.lower()}://{host.lower()}{path or '/'}" + (f"?{'&'.join(params)}" if params else "")


def _is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS


LEGAL_SUFFIXES = {"inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation", "co",
                  "company", "sas", "sasu", "sa", "sarl", "eurl", "gmbh", "ag", "kg", "ug", "bv", "nv", "srl",
                  "spa", "ab", "as", "oy", "pty", "se", "group"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+#]+", fold(text))


def normalised_company(name: str) -> str:
    words = _words(name)
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def fingerprint(company: str, title: str, location: str) -> str:
    key = "|".join([normalised_company(company), " ".join(_words(title)), " ".join(_words(location))])
    return hashlib.sha256(key.encode()).hexdigest()


# --- red flags ----------------------------------------------------------------------------


def red_flag_patterns(terms: list[str]) -> list[tuple[str, str, re.Pattern]]:
    patterns = []
    for term in terms:
        folded = fold(term).strip()
        if folded:
            patterns.append((term.strip(), folded, re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")))
    return patterns


def red_flag(patterns, *texts: str, folded: str | None = None) -> str:
    """The first red-flag term found, on word boundaries, ignoring case and accents."""
    haystack = folded if folded is not None else fold(" ".join(texts))
    for term, needle, pattern in patterns:
        # The plain substring test is cheap and nearly always false: the word-boundary
        # pattern only runs when it might match.
        if needle in haystack and pattern.search(haystack):
            return term
    return ""


# --- relevance ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _folded_term(term: str) -> str:
    return fold(term).strip()


@functools.lru_cache(maxsize=4096)
def _word_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(_folded_term(term))}(?!\w)")


def relevance(offer: dict, *, keywords: list[str], skills: list[str], config: SearchConfig | None) -> tuple[int, dict]:
    """A cheap score (0–100) to sort the inbox: keyword and skill overlap, remote,
    location and salary fit. No LLM; the details say why."""
    title = fold(offer["title"])
    text = offer["_folded"]
    matched_keywords = [k for k in keywords if _folded_term(k) and _folded_term(k) in text]
    in_title = [k for k in keywords if _folded_term(k) and _folded_term(k) in title]
    matched_skills = [s for s in skills if _folded_term(s) and _word_pattern(s).search(text)]
    score = 0.0
    if keywords:
        score += 35 * len(matched_keywords) / len(keywords) + 15 * (1 if in_title else 0)
    if skills:
        score += 30 * min(1.0, len(matched_skills) / max(3, min(len(skills), 8)))
    details = {"keywords": matched_keywords, "skills": matched_skills}
    if config is not None:
        if config.remote_policy != RemotePolicy.ANY and offer["remote"]:
            fits = offer["remote"] == config.remote_policy or (
                config.remote_policy == RemotePolicy.HYBRID and offer["remote"] == "remote")
            details["remote_fit"] = fits
            score += 10 if fits else -10
        if config.location and offer["location"]:
            fits = fold(config.location) in fold(offer["location"]) or offer["remote"] == "remote"
            details["location_fit"] = fits
            score += 5 if fits else 0
        if config.target_salary and offer["salary_max"]:
            fits = offer["salary_max"] >= config.target_salary
            details["salary_fit"] = fits
            score += 5 if fits else -5
    return max(0, min(100, round(score))), details


# --- ingestion ----------------------------------------------------------------------------


@dataclass
class IngestReport:
    found: int = 0
    new: int = 0
    duplicates: int = 0
    filtered: int = 0
    invalid: int = 0
    new_ids: list[int] = field(default_factory=list)

    def as_counters(self) -> dict:
        return {"found": self.found, "new": self.new, "duplicates": self.duplicates, "filtered": self.filtered}


def _int(value) -> int | None:
    if value is None:
        return None
    value = int(round(value))
    return value if 0 < value < 2_000_000_000 else None


def normalise(found: FoundOffer) -> dict | None:
    """The Offer fields of `found`, or None if it has no usable title or URL."""
    title = collapse(found.title)[:300]
    url = (found.url or "").strip()
    if not title or not url.startswith(("http://", "https://")):
        return None
    low, high = _int(found.salary_min), _int(found.salary_max)
    if low and high and low > high:
        low, high = high, low
    description = sanitise_html(found.description_html)
    company, location = collapse(found.company)[:200], collapse(found.location)[:200]
    return {
        "source": found.source,
        "external_id": str(found.external_id)[:200],
        "canonical_url": canonical_url(url)[:2000],
        "apply_url": (found.apply_url or "")[:2000],
        "title": title,
        "company": company,
        "location": location,
        "remote": found.remote if found.remote in {"remote", "hybrid", "onsite"} else "",
        "contract_type": collapse(found.contract_type)[:60],
        "salary_min": low,
        "salary_max": high,
        "salary_currency": (found.salary_currency or "").upper()[:3],
        "salary_period": found.salary_period[:10],
        "description": description,
        "tags": [tag[:60] for tag in map(collapse, found.tags) if tag][:30],
        "posted_at": found.posted_at,
        "raw_data": found.raw,
        "fingerprint": fingerprint(company, title, location),
        "_text": (text := plain_text(description)),
        # Folded once, read by the red flags and the relevance score.
        "_folded": fold(" ".join([title, company, " ".join(found.tags), text])),
    }


def _richness(row: dict) -> tuple:
    return (bool(row["salary_min"]), len(row["description"]), bool(row["company"]), bool(row["location"]))


_COLUMNS = ["user_id", "search_config_id", "source", "external_id", "canonical_url", "apply_url", "title", "company",
            "location", "remote", "contract_type", "salary_min", "salary_max", "salary_currency", "salary_period",
            "description", "tags", "posted_at", "raw_data", "fingerprint", "also_found_on", "relevance",
            "relevance_details", "status", "filter_reason", "is_manual", "company_description", "why_us",
            "created_at"]
_JSON = {"raw_data", "also_found_on", "relevance_details"}


# Stored offers of one person among a batch's URLs or fingerprints. Each half is a join
# on one of the unique (user, …) indexes; "= ANY(array)" made the planner filter every
# offer of the person against the whole array instead.
_KNOWN = """
SELECT {columns} FROM {table} WHERE user_id = %s AND canonical_url IN (SELECT unnest(%s::varchar[]))
UNION
SELECT {columns} FROM {table} WHERE user_id = %s AND fingerprint IN (SELECT unnest(%s::varchar[]))
"""


def _insert(rows: list[dict]) -> list[tuple[int, str, str]]:
    """Insert the batch, skipping offers already stored; returns (id, url, fingerprint)
    of the rows actually inserted.

    The usual case — offers the person does not have yet — goes straight into the table
    with COPY, ids taken from the sequence beforehand. If another scrape inserted one of
    them meanwhile, the COPY fails as a whole and the batch goes the careful way: COPY
    into a staging table, then INSERT … SELECT … ON CONFLICT DO NOTHING."""
    table = Offer._meta.db_table
    user_id = rows[0]["user_id"]
    with connection.cursor() as cursor:
        cursor.execute(_KNOWN.format(columns="canonical_url, fingerprint", table=table),
                       [user_id, [r["canonical_url"] for r in rows], user_id, [r["fingerprint"] for r in rows]])
        known = cursor.fetchall()
        known_urls, known_prints = {url for url, _ in known}, {fp for _, fp in known}
        fresh = [r for r in rows if r["canonical_url"] not in known_urls and r["fingerprint"] not in known_prints]
        if not fresh:
            return []
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                       [len(fresh)])
        ids = [pk for (pk,) in cursor.fetchall()]
        try:
            with transaction.atomic():
                _copy(cursor, table, ["id", *_COLUMNS], fresh, ids)
            return [(pk, r["canonical_url"], r["fingerprint"]) for pk, r in zip(ids, fresh)]
        except (IntegrityError, psycopg.IntegrityError):  # COPY runs on psycopg's own cursor
            pass
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS offer_staging ON COMMIT DELETE ROWS "
                       f"AS SELECT {', '.join(_COLUMNS)} FROM {table} WITH NO DATA")
        cursor.execute("TRUNCATE offer_staging")
        _copy(cursor, "offer_staging", _COLUMNS, fresh)
        cursor.execute(f"INSERT INTO {table} ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} "
                       f"FROM offer_staging ON CONFLICT DO NOTHING RETURNING id, canonical_url, fingerprint")
        return cursor.fetchall()


def _copy(cursor, table: str, columns: list[str], rows: list[dict], ids: list[int] | None = None) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for index, row in enumerate(rows):
            # COPY reads every column as text: JSON goes as its text, no adapter needed.
            values = [json.dumps(row[c]) if c in _JSON else row[c] for c in _COLUMNS]
            copy.write_row([ids[index], *values] if ids is not None else values)


def _remember_duplicates(user_id: int, rows: list[dict]) -> None:
    """Rows the database refused as duplicates: note their board on the stored offer, and
    take over their richer fields while nobody has decided on it yet."""
    urls = [r["canonical_url"] for r in rows]
    prints = [r["fingerprint"] for r in rows]
    # One array parameter each instead of a thousand placeholders: far cheaper to send.
    existing = list(Offer.objects.raw(_KNOWN.format(columns="*", table=Offer._meta.db_table),
                                      [user_id, urls, user_id, prints]))
    by_url = {o.canonical_url: o for o in existing}
    by_print = {o.fingerprint: o for o in existing}
    changed = {}
    for row in rows:
        offer = by_url.get(row["canonical_url"]) or by_print.get(row["fingerprint"])
        if offer is None:
            continue
        if row["canonical_url"] != offer.canonical_url:
            seen = {entry["url"] for entry in offer.also_found_on}
            if row["canonical_url"] not in seen:
                offer.also_found_on = [*offer.also_found_on, {"source": row["source"], "url": row["canonical_url"]}]
                changed[offer.pk] = offer
        if offer.status == Offer.Status.PENDING and _richness(row) > _richness(vars(offer)):
            for name in ("description", "salary_min", "salary_max", "salary_currency", "salary_period",
                         "contract_type", "apply_url", "tags"):
                if row[name] and not getattr(offer, name):
                    setattr(offer, name, row[name])
            if len(row["description"]) > len(offer.description):
                offer.description = row["description"]
            changed[offer.pk] = offer
    if changed:
        Offer.objects.bulk_update(changed.values(), ["also_found_on", "description", "salary_min", "salary_max",
                                                     "salary_currency", "salary_period", "contract_type",
                                                     "apply_url", "tags"])


def ingest(*, user_id: int, found: list[FoundOffer], config: SearchConfig | None = None,
           skills: list[str] = (), keywords: list[str] | None = None, is_manual: bool = False) -> IngestReport:
    """Normalise what a source found, then `store` it."""
    rows = [normalise(item) for item in found]
    valid = [row for row in rows if row is not None]
    report = store(user_id=user_id, rows=valid, config=config, skills=skills, keywords=keywords, is_manual=is_manual)
    report.found, report.invalid = len(found), len(rows) - len(valid)
    return report


def store(*, user_id: int, rows: list[dict], config: SearchConfig | None = None,
          skills: list[str] = (), keywords: list[str] | None = None, is_manual: bool = False) -> IngestReport:
    """Normalised offers (from `normalise`) through red flags, de-duplication within the
    batch and against the person's stored offers, relevance and the bulk insert."""
    report = IngestReport(found=len(rows))
    patterns = red_flag_patterns(config.red_flags if config else [])
    keywords = list(keywords if keywords is not None else (config.keywords if config else []))
    skills = list(skills)
    now = timezone.now()
    unique: dict[str, dict] = {}
    by_print: dict[str, str] = {}
    for row in rows:
        # Within the batch: the same URL or the same fingerprint twice keeps the richer one.
        key = row["canonical_url"] if row["canonical_url"] in unique else by_print.get(row["fingerprint"])
        if key is not None and key in unique:
            report.duplicates += 1
            kept = unique[key]
            if _richness(row) > _richness(kept):
                row["also_found_on"] = [*kept.get("also_found_on", []),
                                        {"source": kept["source"], "url": kept["canonical_url"]}]
                del unique[key]
            else:
                unique[key].setdefault("also_found_on", []).append(
                    {"source": row["source"], "url": row["canonical_url"]})
                continue
        unique[row["canonical_url"]] = row
        by_print[row["fingerprint"]] = row["canonical_url"]

    rows = []
    for row in unique.values():
        flag = red_flag(patterns, folded=row["_folded"])
        score, details = relevance(row, keywords=keywords, skills=skills, config=config)
        row.update(user_id=user_id, search_config_id=config.pk if config else None, relevance=score,
                   relevance_details=details, status=Offer.Status.FILTERED if flag else Offer.Status.PENDING,
                   filter_reason=flag[:200], is_manual=is_manual, company_description="", why_us="",
                   created_at=now)
        row.setdefault("also_found_on", [])
        rows.append(row)

    with transaction.atomic():
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start:start + BATCH_SIZE]
            inserted = _insert(batch)
            inserted_urls = {url for _, url, _ in inserted}
            report.new_ids += [pk for pk, _, _ in inserted]
            duplicates = [r for r in batch if r["canonical_url"] not in inserted_urls]
            report.duplicates += len(duplicates)
            report.filtered += sum(1 for r in batch if r["canonical_url"] in inserted_urls and r["filter_reason"])
            if duplicates:
                _remember_duplicates(user_id, duplicates)
    report.new = len(report.new_ids)
    return report
