from datetime import timedelta

from django import template

from jobmate.tasks import registry

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """A task kind as people call it ("Job board search"), never its code name."""
    return registry.kind_label(kind)


@register.filter
def counters_shown(task) -> list[tuple[str, int]]:
    """The task's counters as (label, value): those its kind declares in their order (the
    database keeps JSON keys in an order of its own), then any other."""
    try:
        declared = list(registry.get_kind(task.kind).counters)
    except LookupError:
        declared = []
    names = sorted(task.counters, key=lambda name: declared.index(name) if name in declared else len(declared))
    return [(registry.counter_label(task.kind, name), task.counters[name]) for name in names]


@register.filter
def duration(value: timedelta | None) -> str:
    """A duration as a person reads it: 340 ms, 4.2 s, 3 min 5 s, 2 h 10 min."""
    if value is None:
        return "—"
    seconds = value.total_seconds()
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
