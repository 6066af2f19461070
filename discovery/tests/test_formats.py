"""Salaries, dates and relative times as each language writes them.

Amounts are formatted by Babel (CLDR data: no catalog of ours); the words around them
("a year", "par an") and the relative times come from locale/fr.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from discovery.models import Offer
from discovery.templatetags.offers import salary

NNBSP, NBSP = "\u202f", "\u00a0"  # CLDR's French thousands separator; the space before "€"
NOW = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


def pay(low=None, high=None, currency="EUR", period="year") -> Offer:
    return Offer(salary_min=low, salary_max=high, salary_currency=currency, salary_period=period)


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


def render(language: str, source: str, **context) -> str:
    with translation.override(language):
        return Template("{% load moments %}" + source).render(Context(context))


# --- salaries ------------------------------------------------------------------------------


def test_english_salary_has_the_symbol_before_each_amount_and_no_decimals():
    assert in_language("en", salary, pay(55000)) == "€55,000 a year"
    assert in_language("en", salary, pay(50000, 60000)) == "€50,000–€60,000 a year"
    assert in_language("en", salary, pay(4000, currency="usd", period="month")) == "$4,000 a month"
    assert in_language("en", salary, pay(30, 45, currency="GBP", period="hour")) == "£30–£45 an hour"
    assert in_language("en", salary, pay(600, period="week")) == "€600 a week"
    assert in_language("en", salary, pay(500, 500, period="day")) == "€500 a day"  # a range of one amount


def test_a_currency_without_a_symbol_is_its_code_apart_from_the_digits():
    assert in_language("en", salary, pay(55000, currency="XYZ")) == f"XYZ{NBSP}55,000 a year"
    assert in_language("en", salary, pay(90000, currency="CHF")) == f"CHF{NBSP}90,000 a year"


def test_salary_without_currency_or_period_is_the_amount_alone():
    assert in_language("en", salary, pay(50000, 60000, currency="", period="")) == "50,000–60,000"
    assert in_language("en", salary, pay(55000, period="fortnight")) == "€55,000"
    assert in_language("en", salary, pay()) == ""


def test_french_amounts_put_the_currency_once_after_the_range():
    # Babel's French, without the words: true whatever the catalog holds.
    assert in_language("fr", salary, pay(50000, 60000, period="")) == f"50{NNBSP}000–60{NNBSP}000{NBSP}€"
    assert in_language("fr", salary, pay(55000, currency="XYZ", period="")) == f"55{NNBSP}000{NBSP}XYZ"


def test_french_salary_reads_as_a_french_sentence():  # needs the French of locale/fr
    assert in_language("fr", salary, pay(55000)) == f"55{NNBSP}000{NBSP}€ par an"
    assert in_language("fr", salary, pay(50000, 60000)) == f"50{NNBSP}000–60{NNBSP}000{NBSP}€ par an"
    assert in_language("fr", salary, pay(4000, period="month")) == f"4{NNBSP}000{NBSP}€ par mois"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["2 Dec 2026", "2 Dec", "2 Dec, 15:30", "4 Jul 2026"]),
    ("fr", ["2 déc. 2026", "2 déc.", "2 déc. à 15:30", "4 juil. 2026"]),
])
def test_dates_use_the_language_s_month_abbreviations(language, expected):
    with time_machine.travel(NOW, tick=False):
        shown = render(language, '{{ day|date:"DATE_FORMAT" }}|{{ day|date:"MONTH_DAY_FORMAT" }}|'
                                 '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ july|date:"DATE_FORMAT" }}',
                       day=date(2026, 12, 2), moment=NOW, july=date(2026, 7, 4))
    assert shown.split("|") == expected


# --- relative times ------------------------------------------------------------------------


@pytest.mark.parametrize(("elapsed", "expected"), [
    (timedelta(seconds=0), "just now"),
    (timedelta(seconds=59), "just now"),
    (timedelta(seconds=-30), "just now"),  # another machine's clock, slightly ahead
    (timedelta(minutes=1), "1 min ago"),
    (timedelta(minutes=3, seconds=40), "3 min ago"),
    (timedelta(hours=2, minutes=59), "2 h ago"),
    (timedelta(days=1, hours=5), "1 day ago"),
    (timedelta(days=3), "3 days ago"),
    (timedelta(days=9), "23 Nov 2026"),  # from a week on, the date
])
def test_ago_in_english(elapsed, expected):
    with time_machine.travel(NOW, tick=False):
        assert render("en", "{{ when|ago }}", when=NOW - elapsed) == expected


def test_ago_never_says_zero_minutes():
    with time_machine.travel(NOW, tick=False):
        for seconds in (0, 1, 30, 59):
            for language in ("en", "fr"):
                assert "0" not in render(language, "{{ when|ago }}", when=NOW - timedelta(seconds=seconds))


def test_ago_of_nothing_is_empty():
    assert render("en", "{{ when|ago }}", when=None) == ""


def test_ago_in_french_is_a_date_after_a_week():  # Django's French month names: no catalog of ours
    with time_machine.travel(NOW, tick=False):
        assert render("fr", "{{ when|ago }}", when=NOW - timedelta(days=9)) == "23 nov. 2026"


@pytest.mark.parametrize(("elapsed", "expected"), [
    (timedelta(seconds=10), "à l’instant"),
    (timedelta(minutes=3), "il y a 3 min"),
    (timedelta(hours=2), "il y a 2 h"),
    (timedelta(days=1), "il y a 1 jour"),
    (timedelta(days=3), "il y a 3 jours"),
])
def test_ago_in_french(elapsed, expected):  # needs the French of locale/fr
    with time_machine.travel(NOW, tick=False):
        assert render("fr", "{{ when|ago }}", when=NOW - elapsed) == expected
