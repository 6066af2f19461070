"""The inbox's queries: one tab of the person's offers, filtered, best fit first, a page at
a time by cursor.

The cursor is the position of the last offer shown, (relevance, created_at, id), and the
next page starts strictly after it: offers arriving while the person reads (a scrape
running) slot in before or after without shifting the pages, so nothing is shown twice or
skipped. The comparison is one row comparison, which PostgreSQL answers from the
offer_inbox index by seeking, whatever the page number.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.db import models
from django.db.models import Count, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from discovery.models import Offer, SearchConfig
from discovery.sources import BOARD_SOURCES, KEYWORD_SOURCES

PAGE_SIZE = 50
ORDER = ("-relevance", "-created_at", "-id")

TABS = {
    "pending": Offer.Status.PENDING,
    "filtered": Offer.Status.FILTERED,
    "rejected": Offer.Status.REJECTED,
}

# Only what the list and the detail show is read: never raw_data, and the (large)
# description only for the selected offer.
LIST_FIELDS = ("id", "title", "company", "location", "remote", "salary_min", "salary_max", "salary_currency",
               "salary_period", "source", "relevance", "created_at", "posted_at", "filter_reason", "status",
               "decided_at", "is_manual")


class Row(models.Func):
    """SQL row constructor, for comparing positions: ROW(a, b, c) < ROW(x, y, z)."""

    function = "ROW"
    output_field = models.Field()


def _source_choices():
    names = {**{name: module.LABEL for name, module in KEYWORD_SOURCES.items()},
             **{name: module.LABEL for name, module in BOARD_SOURCES.items()}}
    return [("", gettext_lazy("All sources")), *sorted(names.items(), key=lambda item: str(item[1])),
            ("jobpage", gettext_lazy("Job pages")), ("manual", gettext_lazy("Added by hand"))]


class InboxFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=[(key, key) for key in TABS], required=False)
    q = forms.CharField(required=False, max_length=200, label=gettext_lazy("Search"),
                        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Title, company, words…"),
                                                      "type": "search"}))
    search = forms.ModelChoiceField(queryset=SearchConfig.objects.none(), required=False,
                                    empty_label=gettext_lazy("All saved searches"), label=gettext_lazy("Saved search"))
    source = forms.ChoiceField(choices=_source_choices, required=False, label=gettext_lazy("Source"))
    remote = forms.ChoiceField(choices=[("", gettext_lazy("Remote or not"))] + [c for c in Offer.Remote.choices if c[0]],
                               required=False, label=gettext_lazy("Remote"))
    contract = forms.ChoiceField(
        choices=[("", gettext_lazy("Any contract"))] + [c for c in Offer.ContractType.choices if c[0]],
        required=False, label=gettext_lazy("Contract"))
    days = forms.TypedChoiceField(choices=[("", pgettext_lazy("posted", "Any time")),
                                           ("1", gettext_lazy("Last 24 hours")), ("3", gettext_lazy("Last 3 days")),
                                           ("7", gettext_lazy("Last week")), ("30", gettext_lazy("Last 30 days"))],
                                  coerce=int, empty_value=None, required=False,
                                  label=pgettext_lazy("the menu of when offers were posted", "Posted"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["search"].queryset = SearchConfig.objects.filter(user=user).only("id", "name")


@dataclass
class Filters:
    tab: str = "pending"
    q: str = ""
    search: SearchConfig | None = None
    source: str = ""
    remote: str = ""
    contract: str = ""
    days: int | None = None

    @classmethod
    def from_request(cls, data, *, user) -> Filters:
        """Filters from the query string (or a POST carrying them); anything malformed is
        ignored field by field rather than refused: the inbox always shows."""
        form = InboxFilterForm(data, user=user)
        form.is_valid()
        values = {name: form.cleaned_data[name] for name in form.cleaned_data if form.cleaned_data[name]}
        return cls(**values)

    @property
    def status(self) -> str:
        return TABS[self.tab]

    def as_params(self) -> dict:
        params = {"tab": self.tab if self.tab != "pending" else "", "q": self.q,
                  "search": self.search.pk if self.search else "", "source": self.source, "remote": self.remote,
                  "contract": self.contract, "days": self.days or ""}
        return {key: value for key, value in params.items() if value}

    @property
    def is_narrowed(self) -> bool:
        return bool(self.q or self.search or self.source or self.remote or self.contract or self.days)


def filter_selects(user, filters: Filters) -> list[dict]:
    """The filter bar's menus with the current choices marked. Drawn by the page's own
    template: Django's widget templates cost ~8 ms for these fields."""
    fields = InboxFilterForm.base_fields
    searches = [("", fields["search"].empty_label),
                *SearchConfig.objects.filter(user=user).values_list("pk", "name")]
    current = {"search": filters.search.pk if filters.search else "", "source": filters.source,
               "remote": filters.remote, "contract": filters.contract, "days": filters.days or ""}
    menus = [(name, fields[name].label, choices) for name, choices in [
        ("search", searches), ("source", fields["source"].choices), ("remote", fields["remote"].choices),
        ("contract", fields["contract"].choices), ("days", fields["days"].choices)]]
    return [{"name": name, "label": label,
             "options": [(value, text, str(value) == str(current[name])) for value, text in choices]}
            for name, label, choices in menus]


def offers(user, filters: Filters):
    """The tab's offers of `user` with the filters applied, in inbox order."""
    queryset = Offer.objects.filter(user=user, status=filters.status)
    if filters.search:
        queryset = queryset.filter(search_config=filters.search)
    if filters.source == "manual":
        queryset = queryset.filter(is_manual=True)
    elif filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.remote:
        queryset = queryset.filter(remote=filters.remote)
    if filters.contract:
        queryset = queryset.filter(contract_type=filters.contract)
    if filters.days:
        queryset = queryset.filter(posted_at__gte=timezone.now() - timedelta(days=filters.days))
    for word in filters.q.split()[:8]:
        queryset = queryset.filter(Q(title__icontains=word) | Q(company__icontains=word)
                                   | Q(description__icontains=word))
    return queryset.order_by(*ORDER)


def encode_cursor(offer) -> str:
    raw = f"{offer.relevance}|{offer.created_at.isoformat()}|{offer.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        relevance, created_at, pk = raw.split("|")
        moment = datetime.fromisoformat(created_at)
        relevance, pk = int(relevance), int(pk)
        if moment.tzinfo is None or not (0 <= relevance <= 100 and 0 < pk < 2**63):
            return None
        return relevance, moment, pk
    except (ValueError, UnicodeDecodeError):
        return None


def after(queryset, position: tuple[int, datetime, int]):
    """The offers placed after `position` in inbox order."""
    relevance, created_at, pk = position
    return queryset.alias(position=Row("relevance", "created_at", "id")).filter(
        position__lt=Row(Value(relevance), Value(created_at), Value(pk)))


@dataclass
class Page:
    offers: list[Offer]
    next_cursor: str | None


def page(queryset, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        queryset = after(queryset, position)
    rows = list(queryset.only(*LIST_FIELDS)[:size + 1])
    return Page(rows[:size], encode_cursor(rows[size - 1]) if len(rows) > size else None)


def next_after(queryset, offer: Offer) -> Offer | None:
    """The offer that follows `offer` in the tab, to select once it has been decided."""
    return after(queryset, (offer.relevance, offer.created_at, offer.pk)).first()


def tab_counts(user) -> dict[str, int]:
    counts = dict.fromkeys(TABS, 0)
    rows = (Offer.objects.filter(user=user, status__in=TABS.values()).values("status")
            .annotate(n=Count("id")).order_by())
    by_status = {status: key for key, status in TABS.items()}
    for row in rows:
        counts[by_status[row["status"]]] = row["n"]
    return counts


def getting_started(user) -> str:
    """What an empty "To triage" tab should say: "search" while the person has no saved
    search (their first step), "wait" while their searches have found nothing yet, and ""
    once offers have come (then it is inbox zero)."""
    if Offer.objects.filter(user=user).exists():
        return ""
    return "wait" if SearchConfig.objects.filter(user=user).exists() else "search"
