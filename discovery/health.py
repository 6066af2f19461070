"""How each job board has been answering: read from the searches JobMate ran (`SourceCall`).

Every search of a board by a scrape is recorded with its outcome. A source's health is
its last success, its last failure and why, and how many of the last day's searches
failed. A source is *failing* while its last search failed, and *degraded* once it has
failed every search for a whole day (no success since a failure at least a day old): the
saved-search page says so, since such a board brings nothing however often it is asked.

"No such board" is a person's board name that the source does not know: the source
answered, so it counts as a success of the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from discovery.models import SearchConfig, SourceCall
from discovery.sources import ALL_SOURCES, BOARD_SOURCES, KEYWORD_SOURCES
from jobmate.tasks.messages import Message

DEGRADED_AFTER = timedelta(days=1)
KEPT = timedelta(days=7)
_ANSWERED = Q(outcome__in=[SourceCall.Outcome.OK, SourceCall.Outcome.NO_BOARD])
_FAILED = Q(outcome=SourceCall.Outcome.FAILED)


def record(*, source: str, board: str = "", outcome: str, reason: Message | str = "", detail: str = "",
           seconds: float | None = None) -> SourceCall:
    return SourceCall.objects.create(source=source, board=board[:100], outcome=outcome, reason=reason,
                                     detail=detail[:300], seconds=seconds)


@dataclass
class Health:
    source: str
    label: str
    is_company_board: bool
    available: bool = True
    last_success: datetime | None = None
    last_failure: datetime | None = None
    last_reason: Message | str = ""
    last_detail: str = ""
    calls: int = 0  # in the last day
    failures: int = 0  # in the last day
    failing_since: datetime | None = None
    now: datetime | None = None

    @property
    def failure_rate(self) -> float | None:
        """The share of the last day's searches that failed (None: none was run)."""
        return self.failures / self.calls if self.calls else None

    @property
    def failure_percent(self) -> int | None:
        return None if self.failure_rate is None else round(100 * self.failure_rate)

    @property
    def status(self) -> str:
        """"unknown" (never searched this week), "ok", "failing" or "degraded"."""
        if self.last_success is None and self.last_failure is None:
            return "unknown"
        if self.failing_since is None:
            return "ok"
        return "degraded" if self.failing_since <= self.now - DEGRADED_AFTER else "failing"


def report(sources: list[str] | None = None) -> list[Health]:
    """The health of `sources` (every source by default), in the order ALL_SOURCES has them."""
    names = [name for name in ALL_SOURCES if sources is None or name in sources]
    now = timezone.now()
    day_ago = now - DEGRADED_AFTER
    rows = {row["source"]: row for row in (
        SourceCall.objects.filter(source__in=names, at__gte=now - KEPT).values("source").annotate(
            last_success=Max("at", filter=_ANSWERED),
            last_failure=Max("at", filter=_FAILED),
            calls=Count("id", filter=Q(at__gte=day_ago)),
            failures=Count("id", filter=_FAILED & Q(at__gte=day_ago)),
        ))}
    # Since when each source has failed every search: its first failure after its last success.
    last_success = SourceCall.objects.filter(_ANSWERED, source=OuterRef("source")).order_by("-at").values("at")[:1]
    failing_since = dict(
        SourceCall.objects.filter(_FAILED, source__in=names, at__gte=now - KEPT)
        .annotate(after=Subquery(last_success))
        .filter(Q(after__isnull=True) | Q(at__gt=F("after")))
        .values("source").annotate(first=Min("at")).values_list("source", "first"))
    reasons = {row["source"]: row for row in (
        SourceCall.objects.filter(_FAILED, source__in=[name for name, row in rows.items() if row["last_failure"]])
        .order_by("source", "-at").distinct("source").values("source", "reason", "detail"))}
    report = []
    for name in names:
        module = ALL_SOURCES[name]
        health = Health(source=name, label=module.LABEL, is_company_board=name in BOARD_SOURCES,
                        available=getattr(module, "available", lambda: True)(), now=now)
        row = rows.get(name)
        if row:
            health.last_success, health.last_failure = row["last_success"], row["last_failure"]
            health.calls, health.failures = row["calls"], row["failures"]
            if name in reasons:
                health.last_reason, health.last_detail = reasons[name]["reason"], reasons[name]["detail"]
            health.failing_since = failing_since.get(name)
        report.append(health)
    return report


def degraded_for(config: SearchConfig) -> list[Health]:
    """The sources a saved search asks that have failed every search for a day."""
    used = [name for name in config.sources if name in KEYWORD_SOURCES]
    used += [name for name, boards in (config.company_boards or {}).items() if boards and name in BOARD_SOURCES]
    if not used:
        return []
    return [health for health in report(used) if health.status == "degraded"]


def purge(older_than: timedelta = KEPT) -> int:
    deleted, _ = SourceCall.objects.filter(at__lt=timezone.now() - older_than).delete()
    return deleted
