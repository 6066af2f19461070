"""Triage: the person's decisions on the offers of their inbox, and undoing them.

Approving is the tracker's workflow: in one transaction the offer becomes APPROVED (through
discovery's own decision function) and its Application opens in TO_APPLY with its first
history event; after the commit, the offer's analysis starts (`_after_approval`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from coach import analysis as coach
from discovery.decisions import Decided, offers_decide, offers_restore
from discovery.models import Offer
from tracker.models import Application, ApplicationEvent

logger = logging.getLogger(__name__)


@dataclass
class Decision:
    """What one click (or one bulk action) changed, enough to undo it."""

    action: str  # "approve", "reject" or "rescue"
    to_status: str
    moved: list[Decided] = field(default_factory=list)
    application_ids: list[int] = field(default_factory=list)

    @property
    def offer_ids(self) -> list[int]:
        return [d.offer_id for d in self.moved]

    def as_dict(self) -> dict:
        return {
            "action": self.action, "to_status": self.to_status, "application_ids": self.application_ids,
            "moved": [[d.offer_id, d.previous_status, d.previous_decided_at.isoformat() if d.previous_decided_at else None]
                      for d in self.moved],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Decision:
        return cls(action=data["action"], to_status=data["to_status"], application_ids=data["application_ids"],
                   moved=[Decided(pk, status, datetime.fromisoformat(at) if at else None)
                          for pk, status, at in data["moved"]])


def offers_approve(*, user, offer_ids: list[int]) -> Decision:
    """Approve the person's offers (pending, or rejected and reconsidered) and open an
    Application for each. Offers already approved are left as they are: a replay or a
    double click creates nothing twice."""
    with transaction.atomic():
        moved = offers_decide(user_id=user.pk, offer_ids=offer_ids, status=Offer.Status.APPROVED)
        application_ids = _open_applications(user_id=user.pk, offer_ids=[d.offer_id for d in moved])
        decision = Decision("approve", Offer.Status.APPROVED, moved, application_ids)
        if moved:
            offer_ids = decision.offer_ids
            transaction.on_commit(lambda: _after_approval(user=user, offer_ids=offer_ids))
    return decision


# The applications and their first history event, in one statement (one round trip on
# the path of every approval click). The columns it writes, and the fields it leaves to the
# database: ids from their sequences; nothing is rated or due for a follow-up yet. A field
# added to either model goes in one list or the other (tests/test_triage_sql.py checks).
OPEN_WRITES = {
    Application: ("user", "offer", "status", "cover_letter", "position", "created_at", "updated_at"),
    ApplicationEvent: ("application", "kind", "from_status", "to_status", "note", "data", "created_at"),
}
OPEN_LEAVES_TO_DEFAULT = {Application: {"id", "rating", "follow_up_on", "applied_on"},
                          ApplicationEvent: {"id", "rating"}}
_OPEN = """
WITH opened AS (
    INSERT INTO {applications} (user_id, offer_id, status, cover_letter, position, created_at, updated_at)
    SELECT %(user_id)s, offer_id, %(status)s, '', 0, %(now)s, %(now)s FROM unnest(%(offer_ids)s::bigint[]) AS offer_id
    RETURNING id, offer_id
), history AS (
    INSERT INTO {events} (application_id, kind, from_status, to_status, note, data, created_at)
    SELECT id, %(kind)s, '', %(status)s, '', '{{}}'::jsonb, %(now)s FROM opened
)
SELECT id FROM opened ORDER BY array_position(%(offer_ids)s::bigint[], offer_id)
"""


def _open_applications(*, user_id: int, offer_ids: list[int]) -> list[int]:
    if not offer_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_OPEN.format(applications=Application._meta.db_table, events=ApplicationEvent._meta.db_table),
                       {"user_id": user_id, "offer_ids": offer_ids, "status": Application.Status.TO_APPLY,
                        "kind": ApplicationEvent.Kind.CREATED, "now": timezone.now()})
        return [pk for (pk,) in cursor.fetchall()]


def _after_approval(*, user, offer_ids: list[int]) -> None:
    """The one place where approved offers go on to the next step of the funnel: the
    coach's analysis of each (one background task on the `llm` queue: the offline analysis,
    then the LLM's within the person's budget). A queue that cannot be reached leaves the
    approval as it is: the task says so, and the page shows the offline analysis anyway."""
    coach.start(user, offer_ids)


def offers_reject(*, user, offer_ids: list[int]) -> Decision:
    """Reject pending offers, or filtered ones for good (undo puts them back where they were)."""
    moved = offers_decide(user_id=user.pk, offer_ids=offer_ids, status=Offer.Status.REJECTED)
    return Decision("reject", Offer.Status.REJECTED, moved)


def offers_return_to_inbox(*, user, offer_ids: list[int]) -> Decision:
    """Rescue filtered offers, or reconsider rejected ones: back to PENDING."""
    moved = offers_decide(user_id=user.pk, offer_ids=offer_ids, status=Offer.Status.PENDING)
    return Decision("rescue", Offer.Status.PENDING, moved)


@dataclass
class Undone:
    offer_ids: list[int]
    kept_applications: int = 0


def decision_undo(*, user, decision: Decision) -> Undone:
    """Put the offers back exactly as they were. An application the approval opened is
    removed with it if nothing happened to it yet; one the person already worked on
    keeps its offer approved."""
    with transaction.atomic():
        kept: set[int] = set()
        removed: set[int] = set()
        if decision.application_ids:
            applications = (Application.objects.select_for_update()
                            .filter(user=user, pk__in=decision.application_ids))
            for application in applications:
                if application.is_untouched():
                    application.delete()
                    removed.add(application.offer_id)
                else:
                    kept.add(application.offer_id)
        restorable = decision.moved
        if decision.action == "approve":
            # Only offers whose application this undo removed: one whose application is
            # gone already was undone before (and may have been approved again since).
            restorable = [d for d in decision.moved if d.offer_id in removed]
        restored = offers_restore(user_id=user.pk, decided=restorable, from_status=decision.to_status)
    return Undone(offer_ids=restored, kept_applications=len(kept))
