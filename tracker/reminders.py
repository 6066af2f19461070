"""The morning reminder: once a day, in each person's own morning, what is due.

`manage.py send_followups` (hourly on RQ's cron scheduler, see jobmate/cron.py) looks at
everyone whose local time has passed `MORNING` and who has not had today's reminder: when
follow-ups are due or an interview is today or tomorrow, the bell says so and — unless they
turned it off — an email lists it, in their language and time zone. The person's local day
is claimed before anything is sent (`User.followups_sent_on`, one conditional UPDATE), so
two runs at once, or a run after a crash, never remind anyone twice the same day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from jobmate.notifications.models import Notification
from jobmate.notifications.outbox import absolute, notify
from jobmate.tasks.messages import define
from profiles.models import User
from tracker import followups
from tracker.models import Application, Interview

logger = logging.getLogger(__name__)

# No reminder before this local time: it waits for the person's morning.
MORNING = time(7, 0)
# An interview this many days ahead (today included) is reason enough for a reminder.
INTERVIEW_SOON_DAYS = 2

FOLLOW_UPS = define("tracker.reminder_follow_ups", ngettext_lazy(
    "%(count)d follow-up due", "%(count)d follow-ups due", "count"))
INTERVIEWS = define("tracker.reminder_interviews", ngettext_lazy(
    "%(count)d interview coming", "%(count)d interviews coming", "count"))
DUE_TODAY = define("tracker.reminder", gettext_lazy("Today: %(what)s"))
DUE_TODAY_BOTH = define("tracker.reminder_both", gettext_lazy("Today: %(follow_ups)s and %(interviews)s"))


@dataclass
class Report:
    reminded: int = 0
    emailed: int = 0
    failed: list[str] = field(default_factory=list)


def _candidates(now: datetime):
    """People who may have something due somewhere on Earth now: anyone with an open
    application to follow up by tomorrow (UTC) or an interview in the coming days."""
    latest_today = now.astimezone(dt_timezone.utc).date() + timedelta(days=1)
    owners = Application.objects.filter(status__in=Application.OPEN).filter(
        Q(follow_up_on__lte=latest_today)
        | Q(interviews__starts_at__gte=now,
            interviews__starts_at__lt=now + timedelta(days=INTERVIEW_SOON_DAYS + 1))
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=owners).order_by("pk")


def _soon(interview: Interview, today: date, zone) -> bool:
    return timezone.localdate(interview.starts_at, timezone=zone) < today + timedelta(days=INTERVIEW_SOON_DAYS)


def _claim(user: User, today: date) -> date | None | bool:
    """Take the person's `today` for this reminder; False if it was taken already."""
    previous = user.followups_sent_on
    taken = User.objects.filter(pk=user.pk).filter(
        Q(followups_sent_on__isnull=True) | Q(followups_sent_on__lt=today)).update(followups_sent_on=today)
    return previous if taken else False


def _release(user: User, today: date, previous: date | None) -> None:
    """The email could not go: a later run tries again today."""
    User.objects.filter(pk=user.pk, followups_sent_on=today).update(followups_sent_on=previous)


def email_for(user: User, due: followups.Due, today: date) -> EmailMessage:
    with translation.override(user.preferred_language), timezone.override(user.zone):
        subject = ngettext("JobMate: %(count)d thing to do today", "JobMate: %(count)d things to do today",
                           len(due.follow_ups) + len(due.interviews)) % {
            "count": len(due.follow_ups) + len(due.interviews)}
        body = render_to_string("tracker/reminder_email.txt", {
            "user": user, "due": due, "today": today,
            "due_url": absolute(reverse("board_due")),
            "applications": {application.pk: absolute(reverse("application_detail", args=[application.pk]))
                             for application in due.follow_ups},
            "settings_url": absolute(reverse("profile") + "#reminders"),
        })
    return EmailMessage(subject=subject, body=body, to=[user.email])


def send_followups(*, now: datetime | None = None, dry_run: bool = False) -> Report:
    """Remind everyone whose morning it is of what is due; see the module's docstring."""
    now = now or timezone.now()
    report = Report()
    connection = None
    try:
        for user in _candidates(now).iterator(chunk_size=200):
            zone = user.zone
            local = timezone.localtime(now, zone)
            today = local.date()
            if local.time() < MORNING or (user.followups_sent_on and user.followups_sent_on >= today):
                continue
            due = followups.due_for(user, now=now)
            soon = [interview for interview in due.interviews if _soon(interview, today, zone)]
            if not due.follow_ups and not soon:
                continue
            if dry_run:
                report.reminded += 1
                continue
            previous = _claim(user, today)
            if previous is False:
                continue  # another run reminded them meanwhile
            if user.followup_emails:
                try:
                    if connection is None:
                        connection = get_connection()
                        connection.open()
                    connection.send_messages([email_for(user, due, today)])
                except Exception as exc:  # one mail server hiccup loses no one's reminder
                    logger.warning("send_followups: email to user %s not sent: %s", user.pk, exc)
                    _release(user, today, previous)
                    report.failed.append(user.email)
                    connection = None
                    continue
                report.emailed += 1
            follow_ups, interviews = FOLLOW_UPS(count=len(due.follow_ups)), INTERVIEWS(count=len(due.interviews))
            if due.follow_ups and due.interviews:
                said = DUE_TODAY_BOTH(follow_ups=follow_ups, interviews=interviews)
            else:
                said = DUE_TODAY(what=follow_ups if due.follow_ups else interviews)
            notify(user, Notification.Kind.DUE, said, link=reverse("board_due"))
            report.reminded += 1
    finally:
        if connection is not None:
            connection.close()
    return report


def send_followups_job() -> int:
    """The hourly cron entry (jobmate/cron.py): how many people were reminded."""
    return send_followups().reminded
