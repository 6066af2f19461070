"""The RQ worker JobMate runs (`RQ["WORKER_CLASS"]` in settings).

RQ forks a work-horse for every job, and every tracked attempt talks to PostgreSQL. A
work-horse inherits the parent's Python state but not its database connection, so the
first connection of a process — loading the driver's adapters, Django's connection setup
— would be paid again in every horse. The worker pays it once, at start, and closes the
connection before forking. bench/tasks.py measures the difference.

An idle RQ worker heartbeats once per dequeue timeout (its TTL − 15 s; 405 s by default),
so a dead worker looks alive for minutes. JobMate's workers keep a short TTL: /healthz and
the sweep know within a minute or two that one is gone.
"""

import logging

from django.db import connection
from rq.defaults import DEFAULT_WORKER_TTL
from rq.worker import Worker

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

logger = logging.getLogger(__name__)

class TaskWorker(Worker):
    def __init__(self, *args, worker_ttl=None, **kwargs):
        # `rqworker` passes RQ's default explicitly: take ours unless one was chosen.
        if worker_ttl in (None, DEFAULT_WORKER_TTL):
            worker_ttl = lifecycle.WORKER_TTL
        super().__init__(*args, worker_ttl=worker_ttl, **kwargs)

    def work(self, *args, **kwargs):
        self._warm_up()
        return super().work(*args, **kwargs)

    @staticmethod
    def _warm_up() -> None:
        try:
            Task.objects.filter(pk=None).exists()
            # A worker that (re)starts picks up at once what a dead one left behind,
            # before the watcher's next pass.
            report = lifecycle.watch_once()
            if report["retried"] or report["failed"] or report["requeued"] or report["enqueued"]:
                logger.info("worker start: recovered %s", dict(report))
        except Exception:
            logger.exception("worker start: recovery pass failed; the watcher will retry it")
        finally:
            # A forked horse must never share this connection: close it before any fork.
            connection.close()
