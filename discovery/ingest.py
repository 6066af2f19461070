"""From what a source found to Offer rows: normalise, filter red flags, de-duplicate,
score, insert in bulk. The pieces it assembles live apart, each free of storage: text
cleaning (`discovery.text`), identity (`discovery.identity`), contract types
(`discovery.contracts`), red flags (`discovery.redflags`) and the relevance score
(`discovery.relevance`).

Duplicates are caught twice, by the database (unique per person on the canonical URL and
on a fingerprint of company + title + location) and before it, within one batch. A job
seen again on another board is stored once: the richer record is kept and the other
board is remembered in `also_found_on`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from discovery.contracts import contract_type
from discovery.identity import canonical_url, fingerprint
from discovery.models import Offer, SearchConfig
from discovery.redflags import red_flag, red_flag_patterns
from discovery.relevance import folded_text, relevance
from discovery.sources.base import FoundOffer
from discovery.text import collapse, plain_text, sanitise_html

BATCH_SIZE = 1000


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
        # The board's wording stays in raw_data.
        "contract_type": contract_type(found.contract_type),
        "salary_min": low,
        "salary_max": high,
        "salary_currency": (found.salary_currency or "").upper()[:3],
        "salary_period": found.salary_period[:10],
        "description": description,
        "tags": [tag[:60] for tag in map(collapse, found.tags) if tag][:30],
        "posted_at": found.posted_at,
        "raw_data": found.raw,
        "fingerprint": fingerprint(company, title, location, url=canonical_url(url)[:2000]),
        "_text": (text := plain_text(description)),
        # Folded once, read by the red flags and the relevance score.
        "_folded": folded_text(title=title, company=company, tags=found.tags, text=text),
    }


def _richness(row: dict) -> tuple:
    return (bool(row["salary_min"]), len(row["description"]), bool(row["company"]), bool(row["location"]))


# Every column of an offer found on a board, in the order COPY receives them. The others
# are left to the database: the id comes from the sequence (taken beforehand), and a found
# offer has no start date (the person types one for offers they add) and no decision yet.
# A field added to Offer belongs in one list or the other (test_sql_statements checks).
LEFT_TO_DEFAULT = {"id", "start_date", "decided_at"}
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
