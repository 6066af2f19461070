"""Per-kind statistics of a person's tasks: count, success rate, median and p95 duration.

The success rate counts what people experienced: a task that completed with warnings
(some boards could not be read) is not a success."""

from datetime import timedelta

from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from jobmate.tasks.models import Task


class Percentile(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, percentile, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def kind_stats(user, *, days: int = 7) -> list[dict]:
    since = timezone.now() - timedelta(days=days)
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    completed = Q(status=Task.Status.COMPLETED)
    # A task that completed with warnings (some boards failed) did not do all its work.
    partial = completed & ~Q(warnings=[])
    rows = (
        Task.objects.filter(user=user, created_at__gte=since)
        .values("kind")
        .annotate(
            count=Count("id"),
            completed=Count("id", filter=completed),
            partial=Count("id", filter=partial),
            failed=Count("id", filter=Q(status=Task.Status.FAILED)),
            median=Percentile(duration, 0.5, filter=completed),
            p95=Percentile(duration, 0.95, filter=completed),
        )
        .order_by("kind")
    )
    for row in rows:
        decided = row["completed"] + row["failed"]
        succeeded = row["completed"] - row["partial"]
        row["success_rate"] = round(100 * succeeded / decided) if decided else None
    return list(rows)
