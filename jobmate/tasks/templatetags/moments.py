from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago `value` was, short, as a person says it: "just now" under a minute
    (never "0 minutes ago"), "3 min ago", "2 h ago", "3 days ago", then from a week on the
    date itself ("2 Dec 2026"). A moment ahead of this server's clock (another machine's)
    is "just now" too. Callers put it in a sentence ("Last run %(when)s") or alone."""
    if value is None:
        return ""
    elapsed = timezone.now() - value
    if elapsed < timedelta(minutes=1):
        return gettext("just now")
    if elapsed < timedelta(hours=1):
        minutes = elapsed // timedelta(minutes=1)
        return ngettext("%(count)d min ago", "%(count)d min ago", minutes) % {"count": minutes}
    if elapsed < timedelta(days=1):
        hours = elapsed // timedelta(hours=1)
        return ngettext("%(count)d h ago", "%(count)d h ago", hours) % {"count": hours}
    if elapsed < timedelta(days=7):
        days = elapsed.days
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATE_FORMAT")
