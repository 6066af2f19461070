"""Moving an application from one status to another: the one place that changes it.

The allowed moves are one table (`ALLOWED`): forward along to_apply → applied → interview →
offer → hired, skipping steps if need be; closed as rejected, withdrawn or ghosted from any
open status; back one step to correct a mistake; and from a closed status only back to the
status it had before it closed ("reopen"). Every move writes its history event in the same
transaction; replaying the history gives the status (`status_from_history`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Min, OuterRef, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext

from tracker import sending
from tracker.models import Application, ApplicationEvent

Status = Application.Status


def _table() -> dict[str, frozenset[str]]:
    allowed: dict[str, set[str]] = {status: set() for status in Status.values}
    forward = list(Application.FORWARD)
    for i, status in enumerate(forward):
        if status in Application.OPEN:
            allowed[status] |= set(forward[i + 1:])  # forward, skipping allowed
            allowed[status] |= {Status.REJECTED, Status.WITHDRAWN, Status.GHOSTED}
            if i > 0:
                allowed[status].add(forward[i - 1])  # back one step, to correct a mistake
    return {status: frozenset(targets) for status, targets in allowed.items()}


# From an open status: where it may go. A closed status goes back only to the status it
# had before it closed, which the history tells (see `allowed_from`).
ALLOWED = _table()


class MoveError(Exception):
    """A move that changes nothing; `str()` says why, for the person."""


class UnknownStatus(MoveError):
    pass


class MoveRefused(MoveError):
    pass


class MovedMeanwhile(MoveError):
    """The application is no longer where the person saw it (another tab moved it)."""

    def __init__(self, message: str, application: Application):
        super().__init__(message)
        self.application = application


@dataclass
class Moved:
    application: Application
    from_status: str
    changed: bool


def _closing_events(application):
    """The moves that closed `application` (an Application, or OuterRef("pk") in a
    subquery), latest first: the first one's from_status is where it may reopen to."""
    status = application.status if isinstance(application, Application) else OuterRef("status")
    return (ApplicationEvent.objects.filter(application=application, kind=ApplicationEvent.Kind.STATUS,
                                            to_status=status)
            .exclude(from_status__in=Application.CLOSED).order_by("-created_at", "-pk"))


def status_before_close(application: Application) -> str | None:
    """The open status a closed application had before it closed (from its history)."""
    event = _closing_events(application).first()
    return event.from_status if event else None


def reopen_to():
    """`status_before_close` for every row of an Application query at once (an annotation:
    one query for a whole board); None for an open application."""
    return Case(When(status__in=Application.CLOSED,
                     then=Subquery(_closing_events(OuterRef("pk")).values("from_status")[:1])))


def allowed_from(application: Application) -> list[str]:
    """The statuses this application may move to now, in the board's order."""
    if application.is_closed:
        before = status_before_close(application)
        targets = {before} if before else set()
    else:
        targets = ALLOWED[application.status]
    return [status for status in Status.values if status in targets]


def status_from_history(events) -> str | None:
    """The status an application's history leads to: what the last move says."""
    status = None
    for event in events:
        if event.kind in (ApplicationEvent.Kind.CREATED, ApplicationEvent.Kind.STATUS) and event.to_status:
            status = event.to_status
    return status


def _label(status: str) -> str:
    return str(Status(status).label)


def application_move(*, user, application_id: int, to_status: str, seen_status: str | None = None) -> Moved:
    """Move the person's application to `to_status`. `seen_status`: the status the person
    saw, if known; when the application has moved since, nothing changes.

    Raises Application.DoesNotExist (not theirs, or gone), UnknownStatus, MoveRefused or
    MovedMeanwhile; moving to the status it has changes nothing and writes no event."""
    if to_status not in Status.values:
        raise UnknownStatus(gettext("“%(status)s” is not a status of an application.") % {"status": to_status[:40]})
    if seen_status is not None and seen_status not in Status.values:
        raise UnknownStatus(gettext("“%(status)s” is not a status of an application.")
                            % {"status": seen_status[:40]})
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("offer").get(
            pk=application_id, user=user)
        if seen_status is not None and seen_status != application.status:
            raise MovedMeanwhile(gettext("This application moved meanwhile: it is now in “%(status)s”.")
                                 % {"status": _label(application.status)}, application)
        from_status = application.status
        if to_status == from_status:
            return Moved(application, from_status, changed=False)
        if to_status not in allowed_from(application):
            if application.is_closed:
                message = gettext("“%(from)s” is closed: it can only go back to where it was before.")
            else:
                message = gettext("An application cannot go from “%(from)s” to “%(to)s”.")
            raise MoveRefused(message % {"from": _label(from_status), "to": _label(to_status)})
        now = timezone.now()
        # On top of its new column.
        top = (Application.objects.filter(user=user, status=to_status).aggregate(top=Min("position"))["top"])
        application.status = to_status
        application.position = (top - 1) if top is not None else 0
        application.updated_at = now
        fields = ["status", "position", "updated_at"]
        if to_status == Status.APPLIED and application.applied_on is None:
            application.applied_on = timezone.localdate(now)
            fields.append("applied_on")
        application.save(update_fields=fields)
        ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.STATUS,
                                        from_status=from_status, to_status=to_status, created_at=now)
        if to_status == Status.APPLIED and from_status == Status.TO_APPLY:
            # What left with the application, as it was then (tracker/sending.py).
            sending.keep_sent(application, now=now)
    return Moved(application, from_status, changed=True)


# Room left between two cards when a column is renumbered: the next drops between them
# take a position in the gap, one UPDATE each, until a gap is used up.
POSITION_GAP = 1024


def application_place(*, user, application_id: int, before_id: int | None) -> Application:
    """Put the application just above `before_id` in its column (None: at the bottom). The
    order is only an order: it writes no history."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id, user=user)
        column = list(Application.objects.select_for_update().filter(user=user, status=application.status)
                      .exclude(pk=application.pk).order_by("position", "-created_at", "pk").only("position"))
        index = next((i for i, card in enumerate(column) if card.pk == before_id), len(column))
        above = column[index - 1].position if index > 0 else None
        below = column[index].position if index < len(column) else None
        if above is None or below is None or below - above > 1:
            if above is None and below is None:
                position = 0
            elif above is None:
                position = below - POSITION_GAP
            elif below is None:
                position = above + POSITION_GAP
            else:
                position = (above + below) // 2
            Application.objects.filter(pk=application.pk).update(position=position)
            application.position = position
            return application
        # No room between its neighbours: the whole column again, with gaps.
        column.insert(index, application)
        changed = []
        for n, card in enumerate(column):
            if card.position != n * POSITION_GAP:
                card.position = n * POSITION_GAP
                changed.append(card)
        Application.objects.bulk_update(changed, ["position"], batch_size=500)  # one UPDATE, not one a card
    return application
