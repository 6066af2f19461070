"""How offers read on a page: salary, source names, links that are safe to follow."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from discovery.text import sanitise_html
from discovery.sources import ALL_SOURCES

register = template.Library()

_EXTRA_LABELS = {"jobpage": gettext_lazy("Job page"), "manual": gettext_lazy("Added by hand")}
_PERIODS = {"year": gettext_lazy("a year"), "month": gettext_lazy("a month"), "day": gettext_lazy("a day"),
            "hour": gettext_lazy("an hour")}


@register.filter
def source_label(name: str) -> str:
    """The board's own name (“We Work Remotely”), never JobMate's code for it."""
    module = ALL_SOURCES.get(name)
    return module.LABEL if module is not None else str(_EXTRA_LABELS.get(name, name))


@register.filter
def safe_link(url: str) -> str:
    """The URL if it is a web address, else nothing: never a javascript: link."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.filter
def source_url(offer) -> str:
    """Where to read the offer: its page, or the link to apply when it has no page."""
    return safe_link(offer.canonical_url) or safe_link(offer.apply_url)


@register.filter
def sanitised(markup: str) -> str:
    """The description as safe HTML. It was sanitised when stored; cleaning it again on
    the way out costs microseconds and protects against rows written some other way."""
    return mark_safe(sanitise_html(markup))  # noqa: S308 — nh3 output


def _amount(value: int) -> str:
    return f"{value / 1000:g}k" if value >= 1000 else str(value)


@register.simple_tag
def salary(offer) -> str:
    low, high = offer.salary_min, offer.salary_max
    if not (low or high):
        return ""
    text = f"{_amount(low)}–{_amount(high)}" if low and high and low != high else _amount(low or high)
    if offer.salary_currency:
        text = f"{text} {offer.salary_currency}"
    if offer.salary_period in _PERIODS:
        text = f"{text} {_PERIODS[offer.salary_period]}"
    return text
