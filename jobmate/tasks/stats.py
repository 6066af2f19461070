"""Per-kind statistics of tasks: count, success rate and, for operators, durations.

A person sees how often their own tasks did what they asked; median and 95th-percentile
durations (of everyone's tasks) are for the operators, on the Task admin. The success rate
counts what people experienced: a task that completed with warnings (some boards could not
be read) is not a success."""

from datetime import timedelta

from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from jobmate.tasks.models import Task
from jobmate.tasks.registry import kind_label


class Percentile(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, percentile, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def kind_stats(*, user=None, days: int = 7, durations: bool = False) -> list[dict]:
    """One row per task kind of the last `days`: of `user`'s tasks, or of everyone's
    (user None). `durations` adds the median and 95th percentile of completed tasks."""
    since = timezone.now() - timedelta(days=days)
    completed = Q(status=Task.Status.COMPLETED)
    # A task that completed with warnings (some boards failed) did not do all its work.
    partial = completed & ~Q(warnings=[])
    tasks = Task.objects.filter(created_at__gte=since)
    if user is not None:
        tasks = tasks.filter(user=user)
    figures = {
        "count": Count("id"),
        "completed": Count("id", filter=completed),
        "partial": Count("id", filter=partial),
        "failed": Count("id", filter=Q(status=Task.Status.FAILED)),
    }
    if durations:
        duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        figures["median"] = Percentile(duration, 0.5, filter=completed)
        figures["p95"] = Percentile(duration, 0.95, filter=completed)
    rows = list(tasks.values("kind").annotate(**figures).order_by("kind"))
    for row in rows:
        row["label"] = kind_label(row["kind"])
        decided = row["completed"] + row["failed"]
        succeeded = row["completed"] - row["partial"]
        row["success_rate"] = round(100 * succeeded / decided) if decided else None
    return rows
