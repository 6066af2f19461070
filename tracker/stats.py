"""The funnel picture (/stats/): what became of the person's applications, read from their
append-only history (`ApplicationEvent`), never from the applications' current fields.

How a history is read (`History`):

- Only the approval (the CREATED event, into "to apply") and the status moves count.
- A move undone by the very next one — a step back to correct a mistake, or reopening a
  closed application, which goes back to exactly where it was — is dropped together with
  its undoing: the application never left. (tracker/moves.py allows going back only to
  correct a mistake.) A card dragged to "interview" by mistake and dragged back reached no
  interview, and the time before and after the slip is one stay in "applied".
- An application *reached* a stage of the way forward (to apply → applied → interview →
  offer → hired) if its history went to that stage or to one after it: one moved from
  "applied" straight to "offer" passed the interview too (people skip the columns they do
  not bother with, not the steps). Closing keeps what was reached: rejected after an
  interview reached the interview.
- Time in a stage runs from the move that entered it to the move that left it, forward or
  closed, added up when the application was there more than once. Applications still in a
  stage are left out of its median and counted beside it: their time so far is not a time
  in the stage, and would pull the median down most for the stages people wait in longest.
- An answer: after applying, the company did something — an interview, an offer, a hire or
  a no (rejected from "applied" or later). Withdrawn and no answer are not answers.

Every ratio keeps its counts: under MIN_FOR_PERCENT applications it is shown as "3 of 4",
never as a percentage that would say more than it knows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext

from discovery.models import Offer
from discovery.templatetags.offers import source_label
from tracker.models import Application, ApplicationEvent

Status = Application.Status

# Under this many applications a ratio is shown as its counts, not as a percentage.
MIN_FOR_PERCENT = 5
# Weeks of triage shown, this one included.
WEEKS = 12

STAGES = Application.FORWARD
_RANK = {status: rank for rank, status in enumerate(STAGES)}
# Stages one leaves by a move: the last one (hired) is where the way ends.
TIMED_STAGES = STAGES[:-1]


@dataclass(frozen=True)
class Move:
    from_status: str  # "" for the approval
    to_status: str
    at: datetime


@dataclass
class History:
    """One application's moves, mistakes undone (see the module's docstring)."""

    application_id: int
    moves: list[Move] = field(default_factory=list)

    def add(self, move: Move) -> None:
        last = self.moves[-1] if self.moves else None
        if last is not None and last.from_status and (last.from_status, last.to_status) == (move.to_status,
                                                                                          move.from_status):
            self.moves.pop()  # the next move undid it: neither happened
        else:
            self.moves.append(move)

    @property
    def status(self) -> str:
        return self.moves[-1].to_status

    @property
    def furthest(self) -> int:
        """The rank in STAGES of the furthest stage reached (-1: none, if the history has no approval)."""
        return max((_RANK.get(move.to_status, -1) for move in self.moves), default=-1)

    def reached(self, stage: str) -> bool:
        return self.furthest >= _RANK[stage]

    def answered(self) -> bool:
        if self.reached(Status.INTERVIEW):
            return True
        return any(move.to_status == Status.REJECTED and _RANK.get(move.from_status, -1) >= _RANK[Status.APPLIED]
                   for move in self.moves)

    def time_in(self) -> dict[str, timedelta]:
        """Time spent in each stage it has left; the stage it is in now is not there."""
        spent: dict[str, timedelta] = {}
        for move, following in pairwise(self.moves):
            spent[move.to_status] = spent.get(move.to_status, timedelta()) + (following.at - move.at)
        return spent


@dataclass(frozen=True)
class Ratio:
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        """In whole percent, rounded half up; None under MIN_FOR_PERCENT applications."""
        if self.whole < MIN_FOR_PERCENT:
            return None
        return (200 * self.part + self.whole) // (2 * self.whole)

    @property
    def percent_text(self) -> str:
        return gettext("%(percent)s%%") % {"percent": self.percent}

    @property
    def counts_text(self) -> str:
        return ngettext("%(part)s of %(whole)s application", "%(part)s of %(whole)s applications",
                        self.whole) % {"part": self.part, "whole": self.whole}

    @property
    def text(self) -> str:
        """"40 %" or, under MIN_FOR_PERCENT applications, "3 of 4 applications"."""
        return self.counts_text if self.percent is None else self.percent_text


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class Step:
    """From one stage of the way forward to the next."""

    from_label: str
    to_label: str
    ratio: Ratio


@dataclass
class StageTime:
    status: str
    label: str
    median_days: float | None  # None: no application has left this stage yet
    applications: int  # how many left it: the median is theirs
    still_there: int


@dataclass
class Answers:
    """Applications that got an answer, of those applied to, for one source or saved search."""

    label: str
    ratio: Ratio


@dataclass
class Week:
    start: date  # its Monday, in the person's time zone
    approved: int
    rejected: int

    @property
    def total(self) -> int:
        return self.approved + self.rejected


@dataclass
class Stats:
    applications: int
    statuses: list[StatusCount]
    reached: list[StatusCount]  # per stage of the way forward, how many got there
    steps: list[Step]
    stage_times: list[StageTime]
    by_source: list[Answers]
    by_search: list[Answers]
    weeks: list[Week]
    this_week: date


def histories_for(user) -> list[History]:
    """The person's applications' histories, from one narrow query on the history."""
    rows = (ApplicationEvent.objects
            .filter(application__user=user, kind__in=(ApplicationEvent.Kind.CREATED, ApplicationEvent.Kind.STATUS))
            .order_by("application_id", "created_at", "pk")
            .values_list("application_id", "from_status", "to_status", "created_at"))
    histories: list[History] = []
    for application_id, from_status, to_status, at in rows:
        if not to_status:
            continue
        if not histories or histories[-1].application_id != application_id:
            histories.append(History(application_id))
        histories[-1].add(Move(from_status, to_status, at))
    return histories


def _stage_label(status: str) -> str:
    if status == Status.TO_APPLY:  # an application starts when its offer is approved
        return pgettext("funnel stage", "Approved")
    return str(Status(status).label)


def status_counts(histories: list[History]) -> list[StatusCount]:
    """Where the applications are now, every status in the board's order."""
    counts = defaultdict(int)
    for history in histories:
        counts[history.status] += 1
    return [StatusCount(status, str(label), counts[status]) for status, label in Status.choices]


def reached_counts(histories: list[History]) -> list[StatusCount]:
    counts = defaultdict(int)
    for history in histories:
        for stage in STAGES[:history.furthest + 1]:
            counts[stage] += 1
    return [StatusCount(stage, _stage_label(stage), counts[stage]) for stage in STAGES]


def steps_from(reached: list[StatusCount]) -> list[Step]:
    """Conversion: of the applications that reached a stage, those that reached the next."""
    return [Step(before.label, after.label, Ratio(after.count, before.count))
            for before, after in pairwise(reached)]


def stage_times(histories: list[History]) -> list[StageTime]:
    days: dict[str, list[float]] = defaultdict(list)
    still_there = defaultdict(int)
    for history in histories:
        for stage, spent in history.time_in().items():
            if stage in TIMED_STAGES:
                days[stage].append(spent.total_seconds() / 86400)
        still_there[history.status] += 1
    return [StageTime(stage, str(Status(stage).label), statistics.median(days[stage]) if days[stage] else None,
                      len(days[stage]), still_there[stage])
            for stage in TIMED_STAGES]


def answers(histories: list[History], user) -> tuple[list[Answers], list[Answers]]:
    """Answers by the offer's source and by the saved search that found it, most applied first."""
    offers = {pk: (source, search_id, search_name) for pk, source, search_id, search_name in
              Application.objects.filter(user=user)
              .values_list("pk", "offer__source", "offer__search_config_id", "offer__search_config__name")}
    by_source: dict[str, list[int]] = {}
    by_search: dict[int | None, list[int]] = {}
    search_names: dict[int | None, str] = {None: gettext("Not from a saved search")}
    for history in histories:
        if not history.reached(Status.APPLIED) or history.application_id not in offers:
            continue
        source, search_id, search_name = offers[history.application_id]
        search_names.setdefault(search_id, search_name)
        answered = int(history.answered())
        for counts in (by_source.setdefault(source, [0, 0]), by_search.setdefault(search_id, [0, 0])):
            counts[0] += answered
            counts[1] += 1
    sources = [Answers(str(source_label(source)), Ratio(*counts)) for source, counts in by_source.items()]
    searches = [Answers(search_names[search_id], Ratio(*counts)) for search_id, counts in by_search.items()]
    return sorted(sources, key=_most_applied), sorted(searches, key=_most_applied)


def _most_applied(answers: Answers):
    return -answers.ratio.whole, answers.label.casefold()


def triage_weeks(user, histories: list[History], *, now: datetime) -> tuple[list[Week], date]:
    """Offers approved and rejected in each of the last WEEKS ISO weeks of the person's time
    zone, this week first; and this week's Monday.

    Approvals are the histories' first events. A rejection has no history of its own: it is
    the offer's status and decision time (discovery/decisions.py), counted from the offers
    still there — rejected offers are purged after a while, so older weeks may show fewer."""
    zone = user.zone
    today = timezone.localdate(now, timezone=zone)
    this_week = today - timedelta(days=today.weekday())
    first = this_week - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first, time.min, tzinfo=zone)
    approved = defaultdict(int)
    for history in histories:
        approval = history.moves[0]
        if approval.from_status == "" and approval.at >= since:
            day = timezone.localdate(approval.at, timezone=zone)
            approved[day - timedelta(days=day.weekday())] += 1
    rejected = {week.date(): count for week, count in
                Offer.objects.filter(user=user, status=Offer.Status.REJECTED, decided_at__gte=since)
                .annotate(week=TruncWeek("decided_at", tzinfo=zone)).values("week")
                .annotate(count=Count("pk")).values_list("week", "count")}
    weeks = [this_week - timedelta(weeks=n) for n in range(WEEKS)]
    return [Week(start, approved[start], rejected.get(start, 0)) for start in weeks], this_week


def stats_for(user, *, now: datetime | None = None) -> Stats:
    """Every figure of the funnel picture, from the person's history (three queries)."""
    histories = histories_for(user)
    reached = reached_counts(histories)
    by_source, by_search = answers(histories, user)
    weeks, this_week = triage_weeks(user, histories, now=now or timezone.now())
    return Stats(applications=len(histories), statuses=status_counts(histories), reached=reached,
                 steps=steps_from(reached), stage_times=stage_times(histories), by_source=by_source,
                 by_search=by_search, weeks=weeks, this_week=this_week)

