"""The private calendar feed: one event per follow-up and per interview (RFC 5545).

A calendar client subscribes to /calendar/<secret>.ics and fetches it again now and then.
Each event keeps its UID for good — `followup-<application id>@…`, `interview-<id>@…` — so
a moved follow-up or interview replaces its event rather than adding one. SEQUENCE is the
number of entries in the application's append-only history, so it grows with each change;
LAST-MODIFIED is the application's last change. Follow-ups are all-day events on their date;
interviews keep the time zone they were given in (their VTIMEZONE is included), one hour
long as the tracker does not record an end. A coming interview of an application closed
since leaves the feed (a subscribed calendar drops it); held ones stay for PAST_DAYS.
Texts are in the person's language.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event

from jobmate.notifications.outbox import absolute
from tracker.models import Application, Interview

# Interviews already held stay in the calendar this long.
PAST_DAYS = 90
INTERVIEW_LENGTH = timedelta(hours=1)


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "jobmate"


def _follow_up(application: Application, domain: str) -> Event:
    event = Event()
    event.add("uid", f"followup-{application.pk}@{domain}")
    event.add("dtstamp", application.updated_at)
    event.add("last-modified", application.updated_at)
    event.add("sequence", application.changes)
    event.add("dtstart", application.follow_up_on)
    event.add("dtend", application.follow_up_on + timedelta(days=1))
    event.add("summary", gettext("Follow up: %(title)s — %(company)s")
              % {"title": application.offer.title, "company": application.offer.company})
    event.add("url", absolute(reverse("application_detail", args=[application.pk])))
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
    return event


def _interview(interview: Interview, domain: str) -> Event:
    offer = interview.application.offer
    try:
        zone = zoneinfo.ZoneInfo(interview.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    starts = interview.starts_at.astimezone(zone)
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{domain}")
    changed = max(interview.created_at, interview.application.updated_at)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", interview.changes)
    event.add("dtstart", starts)
    event.add("dtend", starts + INTERVIEW_LENGTH)
    event.add("summary", gettext("Interview (%(kind)s): %(title)s — %(company)s")
              % {"kind": interview.get_kind_display(), "title": offer.title, "company": offer.company})
    details = []
    if interview.with_whom:
        details.append(gettext("With: %(who)s") % {"who": interview.with_whom})
    if interview.preparation:
        details.append(interview.preparation)
    if details:
        event.add("description", "\n\n".join(details))
    event.add("url", absolute(reverse("application_detail", args=[interview.application_id])))
    return event


def feed(user) -> bytes:
    """The person's calendar, as the bytes of an .ics file."""
    domain = _domain()
    now = timezone.now()
    with translation.override(user.preferred_language):
        calendar = Calendar()
        calendar.add("prodid", "-//JobMate//Follow-ups and interviews//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", gettext("JobMate: follow-ups and interviews"))
        calendar.add("x-wr-timezone", user.zone.key)
        # Clients that honour it fetch the feed again each hour.
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        follow_ups = (Application.objects.filter(user=user, status__in=Application.OPEN, follow_up_on__isnull=False)
                      .select_related("offer").annotate(changes=Count("events")).order_by("follow_up_on", "pk"))
        for application in follow_ups:
            calendar.add_component(_follow_up(application, domain))
        interviews = (Interview.objects.filter(application__user=user, starts_at__gte=now - timedelta(days=PAST_DAYS))
                      .filter(Q(application__status__in=Application.OPEN) | Q(starts_at__lt=now))
                      .select_related("application__offer").annotate(changes=Count("application__events"))
                      .order_by("starts_at", "pk"))
        for interview in interviews:
            calendar.add_component(_interview(interview, domain))
        calendar.add_missing_timezones()
    return calendar.to_ical()
