"""A person's decisions on their offers: approve, reject, rescue from the filter, and
the way back (undo, reconsider).

Every change is one conditional UPDATE that names the statuses it may start from, so two
requests racing on one offer change it once: the second finds the row already moved and
changes nothing. The statuses and decision times the offers had before are returned, so a
caller can put them back exactly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from discovery.models import Offer

Status = Offer.Status

# Which decision may follow which: approving a rejected offer is reconsidering it;
# a filtered offer is first rescued to the inbox (or rejected for good).
ALLOWED_FROM = {
    Status.APPROVED: (Status.PENDING, Status.REJECTED),
    Status.REJECTED: (Status.PENDING, Status.FILTERED),
    Status.PENDING: (Status.FILTERED, Status.REJECTED),
}


@dataclass(frozen=True)
class Decided:
    """One offer moved by a decision, and what it was before."""

    offer_id: int
    previous_status: str
    previous_decided_at: datetime | None


# What the statements below write, and every other field of Offer, which a decision leaves
# as it is. A field added to Offer goes in one or the other (test_sql_statements checks):
# a "decided_by", say, would otherwise never be written by a decision.
WRITES = ("status", "decided_at")
LEAVES = frozenset({
    "id", "user", "search_config", "source", "external_id", "canonical_url", "apply_url", "title", "company",
    "location", "remote", "contract_type", "salary_min", "salary_max", "salary_currency", "salary_period",
    "description", "tags", "posted_at", "raw_data", "fingerprint", "also_found_on", "relevance",
    "relevance_details", "filter_reason", "is_manual", "company_description", "why_us", "start_date", "created_at",
})


@functools.cache
def _sql(template: str) -> str:
    """`template` with Offer's quoted table ({table}) and column names ({<field name>})."""
    quote = connection.ops.quote_name
    names = {field.name: quote(field.column) for field in Offer._meta.concrete_fields}
    return template.format(table=quote(Offer._meta.db_table), **names)


_DECIDE = """
UPDATE {table} AS offer SET {status} = %s, {decided_at} = %s
FROM (SELECT {id}, {status}, {decided_at} FROM {table}
      WHERE {user} = %s AND {id} = ANY(%s) AND {status} = ANY(%s) FOR UPDATE) AS before
WHERE offer.{id} = before.{id}
RETURNING offer.{id}, before.{status}, before.{decided_at}
"""


def offers_decide(*, user_id: int, offer_ids: list[int], status: str) -> list[Decided]:
    """Move the person's offers among `offer_ids` to `status` where allowed; offers that
    are not theirs, or already moved, are left alone. Returns what moved."""
    if not offer_ids:
        return []
    decided_at = None if status == Status.PENDING else timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_sql(_DECIDE),
                       [status, decided_at, user_id, list(offer_ids), list(ALLOWED_FROM[status])])
        moved = {pk: Decided(pk, previous, at) for pk, previous, at in cursor.fetchall()}
    # In the order asked: the caller's first offer is the one it selects next to.
    return [moved[pk] for pk in offer_ids if pk in moved]


_RESTORE = """
UPDATE {table} AS offer SET {status} = before.status, {decided_at} = before.decided_at
FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[]) AS before(id, status, decided_at)
WHERE offer.{id} = before.id AND offer.{user} = %s AND offer.{status} = %s
RETURNING offer.{id}
"""


def offers_restore(*, user_id: int, decided: list[Decided], from_status: str) -> list[int]:
    """Put offers back as they were before a decision, if they are still where it left
    them (`from_status`). Returns the ids put back."""
    if not decided:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_sql(_RESTORE), [
            [d.offer_id for d in decided], [d.previous_status for d in decided],
            [d.previous_decided_at for d in decided], user_id, from_status,
        ])
        return [pk for (pk,) in cursor.fetchall()]
