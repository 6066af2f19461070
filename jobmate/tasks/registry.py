"""Task kinds: the background work apps declare.

    from jobmate.tasks.registry import task_kind

    @task_kind("discovery.scrape", queue="scraping", timeout=600, label=gettext_lazy("Job board search"),
               counters={"found": gettext_lazy("Offers found")})
    def scrape(ctx, *, search_config_id: int) -> dict:
        ...

A kind's function receives a `TaskContext` and the task's params as keyword arguments
(ids and plain values, never model instances) and returns a JSON-serialisable result.
Its `label` and `counters` (counter name → label) are what people read: pages never show
a kind's or a counter's code name.
Apps put their kinds in a `tasks.py` module; it is imported when Django starts, in the web
process and in every worker alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from jobmate.tasks import messages

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
    counters: dict = field(default_factory=dict)

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
    counters: dict | None = None,
):
    """Register the decorated function as the task kind `name`. `label` and `counters`
    may be lazy translations: they are read in the reader's language."""

    def register(func: Callable) -> Callable:
        if name in _kinds and _kinds[name].func is not func:
            raise ValueError(f"task kind {name!r} is registered twice")
        _kinds[name] = TaskKind(
            name=name, func=func, queue=queue, timeout=timeout,
            max_attempts=max_attempts, backoff=tuple(backoff), label=label,
            counters=dict(counters or {}),
        )
        if isinstance(label, Promise):  # so that a stored message can name the kind
            messages.define(kind_message_code(name), label)
        return func

    return register


def get_kind(name: str) -> TaskKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no task kind named {name!r}") from None


def kind_message_code(name: str) -> str:
    return f"tasks.kind.{name}"


BACKGROUND_TASK = messages.define("tasks.kind", gettext_lazy("Background task"))


def kind_message(name: str) -> messages.Message:
    """The kind's label as a message to store: rendered later in the reader's language."""
    code = kind_message_code(name)
    return messages.Message(code) if messages.is_defined(code) else BACKGROUND_TASK()


def kind_label(name: str) -> str:
    """What people call the kind `name`: its label, never its code name."""
    kind = _kinds.get(name)
    return str(kind.label) if kind is not None and kind.label else gettext("Background task")


def counter_label(kind_name: str, counter: str) -> str:
    """What people call counter `counter` of the kind `kind_name`."""
    kind = _kinds.get(kind_name)
    label = kind.counters.get(counter) if kind is not None else None
    return str(label) if label else counter.replace("_", " ").capitalize()


def backoff_for(backoff: list[int] | tuple[int, ...], attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt` (1-based); the last interval
    repeats when there are more retries than intervals."""
    if not backoff:
        return 0
    return int(backoff[min(attempt, len(backoff)) - 1])
