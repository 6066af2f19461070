"""Functions the queue tests enqueue (workers import them by dotted path)."""

import os


def report(queue_name: str) -> dict:
    return {"queue": queue_name, "pid": os.getpid()}
