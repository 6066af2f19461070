"""A trivial job for raw RQ throughput (the worker imports it by dotted path)."""


def noop() -> None:
    return None
