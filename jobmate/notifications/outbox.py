"""Writing notifications: `notify(user, kind, message, link)`, from any app.

Knows no app: the caller gives the kind, the message (`jobmate.tasks.messages`, a code with
parameters, rendered in the reader's language) and a path on this site. When the person
asked for that kind by email, the email goes once the notification is committed, in their
language; a mail server that fails loses the email, never the notification."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from jobmate.notifications.models import EmailChoice, Notification
from jobmate.tasks.messages import Message

logger = logging.getLogger(__name__)

Kind = Notification.Kind

# Whether something may still write a notification for a person (a scheduled search, a task
# under way, an open application): the bell polls only while one says so. Apps register
# theirs in AppConfig.ready, as they register task kinds.
_activity_checks: list[Callable] = []


def register_activity(check: Callable) -> Callable:
    """`check(user) -> bool`: may this app write a notification for `user` soon?"""
    _activity_checks.append(check)
    return check


def may_change(user) -> bool:
    return any(check(user) for check in _activity_checks)


def _safe_link(link: str) -> str:
    # A path on this site only: a notification never sends anyone elsewhere.
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    return link[:500]


def notify(user, kind: str, message: Message, *, link: str = "") -> Notification:
    """Record `message` for `user`'s bell; email it too if they asked for this kind."""
    notification = Notification.objects.create(user=user, kind=kind, message=message, link=_safe_link(link))
    if kind in Notification.EMAILED and EmailChoice.objects.filter(user=user, kinds__contains=[kind]).exists():
        transaction.on_commit(lambda: send_email(notification))
    return notification


def absolute(link: str) -> str:
    return settings.SITE_URL.rstrip("/") + link if link else settings.SITE_URL


def send_email(notification: Notification) -> bool:
    user = notification.user
    with translation.override(user.preferred_language), timezone.override(user.zone):
        subject = str(notification.message)
        body = render_to_string("notifications/email.txt", {
            "notification": notification, "url": absolute(notification.link),
            "settings_url": absolute(reverse("profile") + "#notifications"),
        })
    try:
        EmailMessage(subject=subject[:200], body=body, to=[user.email]).send()
    except Exception:  # the mail server's trouble is logged, not the writer's
        logger.exception("notification %s: email to %s not sent", notification.pk, user.pk)
        return False
    return True
