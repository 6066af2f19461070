from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago `value` was, as a person says it: "just now" under a minute (Django's
    `timesince` says "0 minutes"), else "5 minutes ago", "2 days, 3 hours ago". A moment
    slightly ahead of this server's clock (another machine's) is "just now" too."""
    if value is None:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(value)}
