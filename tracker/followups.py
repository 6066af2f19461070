"""What needs the person's attention, counted in their own time zone: follow-ups due today
or overdue, interviews coming, and (when they asked for it) the applications that have
probably gone quiet. Snoozing a follow-up is recorded in the history like any change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from tracker.models import Application, ApplicationEvent, Interview

Status = Application.Status

# Interviews on the due list: from now to the end of this many days after today.
INTERVIEW_DAYS = 7
# Where an answer is awaited: an application "to apply" is not waiting for anyone.
WAITING = (Status.APPLIED, Status.INTERVIEW, Status.OFFER)


class SnoozeRefused(ValueError):
    """A snooze to a day that is not after today."""


@dataclass
class Due:
    follow_ups: list[Application]
    interviews: list[Interview]
    quiet: list[Application]  # probably ghosted, when the person asked for the list


def today_of(user) -> date:
    """The person's today, in their time zone (a request has it active already)."""
    return timezone.localdate(timezone.now(), timezone=user.zone)


def _interview_window(user, now: datetime) -> tuple[datetime, datetime]:
    today = timezone.localdate(now, timezone=user.zone)
    end = datetime.combine(today + timedelta(days=INTERVIEW_DAYS + 1), time.min, tzinfo=user.zone)
    return now, end


def _follow_ups(user, today: date):
    return Application.objects.filter(user=user, status__in=Application.OPEN, follow_up_on__lte=today)


def _interviews(user, now: datetime):
    start, end = _interview_window(user, now)
    return Interview.objects.filter(application__user=user, application__status__in=Application.OPEN,
                                    starts_at__gte=start, starts_at__lt=end)


def _quiet(user, now: datetime):
    """Waiting for an answer with no event for the person's number of days."""
    applications = Application.objects.filter(user=user, status__in=WAITING).annotate(
        last_event=Max("events__created_at"))
    if not user.ghost_after_days:
        return applications.none()
    return applications.filter(Q(last_event__lt=now - timedelta(days=user.ghost_after_days))
                               | Q(last_event__isnull=True))


def due_for(user, *, now: datetime | None = None) -> Due:
    """The due list of the person, at `now` (default: now)."""
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=user.zone)
    return Due(
        follow_ups=list(_follow_ups(user, today).select_related("offer").order_by("follow_up_on", "pk")),
        interviews=list(_interviews(user, now).select_related("application__offer").order_by("starts_at", "pk")),
        quiet=list(_quiet(user, now).select_related("offer").order_by("last_event", "pk")),
    )


def due_count(user) -> int:
    """How many entries the person's due list has (the navigation's count), in one query:
    the open applications with their interviews joined, each kind counted apart."""
    now = timezone.now()
    today = timezone.localdate(now, timezone=user.zone)
    start, end = _interview_window(user, now)
    counts = Application.objects.filter(user=user, status__in=Application.OPEN).aggregate(
        follow_ups=Count("pk", filter=Q(follow_up_on__lte=today), distinct=True),
        interviews=Count("interviews", filter=Q(interviews__starts_at__gte=start, interviews__starts_at__lt=end)),
    )
    return counts["follow_ups"] + counts["interviews"]


def application_snooze(*, user, application_id: int, until: date) -> Application:
    """Put the follow-up off to `until`, a day after the person's today; in the history."""
    today = today_of(user)
    if until <= today:
        raise SnoozeRefused(until)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id, user=user)
        now = timezone.now()
        previous = application.follow_up_on
        application.follow_up_on = until
        application.updated_at = now
        application.save(update_fields=["follow_up_on", "updated_at"])
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.FOLLOW_UP, created_at=now,
            data={"follow_up_on": until.isoformat(), "snoozed": True,
                  "from": previous.isoformat() if previous else None})
    return application
