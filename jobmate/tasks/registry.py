"""Task kinds: the background work apps declare.

    from jobmate.tasks.registry import task_kind

    @task_kind("discovery.scrape", queue="scraping", timeout=600)
    def scrape(ctx, *, search_config_id: int) -> dict:
        ...

A kind's function receives a `TaskContext` and the task's params as keyword arguments
(ids and plain values, never model instances) and returns a JSON-serialisable result.
Apps put their kinds in a `tasks.py` module; it is imported when Django starts, in the web
process and in every worker alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF = (30, 60, 120)
DEFAULT_TIMEOUT = 300
QUEUES = ("default", "scraping", "llm")


@dataclass(frozen=True)
class TaskKind:
    name: str
    func: Callable
    queue: str = "default"
    timeout: int = DEFAULT_TIMEOUT
    max_attempts: int = DEFAULT_ATTEMPTS
    backoff: tuple[int, ...] = field(default=DEFAULT_BACKOFF)
    label: str = ""

    def __post_init__(self):
        if self.queue not in QUEUES:
            raise ValueError(f"task kind {self.name}: unknown queue {self.queue!r}")
        if self.max_attempts < 1:
            raise ValueError(f"task kind {self.name}: max_attempts must be at least 1")
        if self.max_attempts > 1 and not self.backoff:
            raise ValueError(f"task kind {self.name}: retries need a backoff")


_kinds: dict[str, TaskKind] = {}


def task_kind(
    name: str,
    *,
    queue: str = "default",
    timeout: int = DEFAULT_TIMEOUT,
    max_attempts: int = DEFAULT_ATTEMPTS,
    backoff: tuple[int, ...] = DEFAULT_BACKOFF,
    label: str = "",
):
    """Register the decorated function as the task kind `name`."""

    def register(func: Callable) -> Callable:
        if name in _kinds and _kinds[name].func is not func:
            raise ValueError(f"task kind {name!r} is registered twice")
        _kinds[name] = TaskKind(
            name=name, func=func, queue=queue, timeout=timeout,
            max_attempts=max_attempts, backoff=tuple(backoff), label=label,
        )
        return func

    return register


def get_kind(name: str) -> TaskKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no task kind named {name!r}") from None


def backoff_for(backoff: list[int] | tuple[int, ...], attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt` (1-based); the last interval
    repeats when there are more retries than intervals."""
    if not backoff:
        return 0
    return int(backoff[min(attempt, len(backoff)) - 1])
