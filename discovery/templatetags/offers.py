"""How offers read on a page: salary, source names, links that are safe to follow."""

import copy
import functools

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, format_decimal, get_currency_symbol
from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, to_locale

from discovery.sources import ALL_SOURCES
from discovery.text import sanitise_html

register = template.Library()

_EXTRA_LABELS = {"jobpage": gettext_lazy("Job page"), "manual": gettext_lazy("Added by hand")}


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


# Each period's sentence, whole, for the amount alone and for a range: in French the
# words go around the amount differently ("55 000 € par an"), and a translator sees the
# full phrase. A period the sentences do not know shows the amount alone.
_SALARY_SENTENCES = {
    "year": (gettext_lazy("%(amount)s a year"), gettext_lazy("%(low)s–%(high)s a year")),
    "month": (gettext_lazy("%(amount)s a month"), gettext_lazy("%(low)s–%(high)s a month")),
    "week": (gettext_lazy("%(amount)s a week"), gettext_lazy("%(low)s–%(high)s a week")),
    "day": (gettext_lazy("%(amount)s a day"), gettext_lazy("%(low)s–%(high)s a day")),
    "hour": (gettext_lazy("%(amount)s an hour"), gettext_lazy("%(low)s–%(high)s an hour")),
}


@functools.cache
def _money_format(language: str) -> tuple[Locale, NumberPattern, bool]:
    """The language's CLDR locale, its currency pattern without decimals (amounts are whole
    numbers), and whether the currency comes after the number ("55 000 €")."""
    try:
        locale = Locale.parse(to_locale(language))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return locale, pattern, "¤" in pattern.suffix[0]


@functools.lru_cache(maxsize=4096)  # an inbox page shows the same few amounts; Babel takes ~10 µs each
def money(amount: int, currency: str, language: str) -> str:
    """An amount in the currency as the language writes it: "€55,000", "55 000 €". A code
    CLDR does not know is shown as the code, set apart from the digits ("XYZ 55,000")."""
    locale, pattern, _ = _money_format(language)
    if not currency:
        return format_decimal(amount, locale=locale)
    text = pattern.apply(amount, locale, currency=currency, currency_digits=False)
    symbol = get_currency_symbol(currency, locale)
    if symbol[-1:].isalpha() and text.startswith(symbol) and text[len(symbol):][:1].isdigit():
        text = f"{symbol}\u00a0{text[len(symbol):]}"  # CLDR's currency spacing: "CHF 55,000"
    return text


@register.simple_tag
def salary(offer) -> str:
    """The offer's pay in the reader's language: "€50,000–€60,000 a year",
    "50 000–60 000 € par an". In a language that writes the currency after the number it
    is written once, after the range."""
    low, high = offer.salary_min, offer.salary_max
    if not (low or high):
        return ""
    language = get_language() or settings.LANGUAGE_CODE
    currency = (offer.salary_currency or "").upper()
    one, between = _SALARY_SENTENCES.get(offer.salary_period, (None, None))
    if low and high and low != high:
        _, _, currency_after = _money_format(language)
        low_text = money(low, "" if currency_after else currency, language)
        values = {"low": low_text, "high": money(high, currency, language)}
        return between % values if between else "{low}–{high}".format(**values)
    amount = money(low or high, currency, language)
    return one % {"amount": amount} if one else amount
