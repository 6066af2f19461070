"""The RQ worker JobMate runs (`RQ["WORKER_CLASS"]` in settings).

RQ forks a work-horse for every job, and every tracked attempt talks to PostgreSQL. A
work-horse inherits the parent's Python state but not its database connection, so the
first connection of a process — loading the driver's adapters, Django's connection setup
— would be paid again in every horse. The worker pays it once, at start, and closes the
connection before forking. bench/tasks.py measures the difference.
"""

from django.db import connection
from rq.worker import Worker

from jobmate.tasks.models import Task


class TaskWorker(Worker):
    def work(self, *args, **kwargs):
        self._warm_up()
        return super().work(*args, **kwargs)

    @staticmethod
    def _warm_up() -> None:
        try:
            Task.objects.filter(pk=None).exists()
        finally:
            # A forked horse must never share this connection: close it before any fork.
            connection.close()
