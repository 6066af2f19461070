import logging
import signal
import threading
import uuid
from datetime import timedelta

import redis

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Inspect and steer background tasks."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        commands.add_parser("list", help="list active tasks")

        cancel = commands.add_parser("cancel", help="cancel one task, or every active task")
        target = cancel.add_mutually_exclusive_group(required=True)
        target.add_argument("task_id", nargs="?")
        target.add_argument("--all", action="store_true")

        retry = commands.add_parser("retry", help="retry one task, or every failed task")
        target = retry.add_mutually_exclusive_group(required=True)
        target.add_argument("task_id", nargs="?")
        target.add_argument("--failed", action="store_true")

        commands.add_parser("sweep", help="one recovery pass by hand: due retries, tasks whose worker died")

        watch = commands.add_parser(
            "watch", help="the watcher: enqueue due retries and recover tasks whose worker or command died, "
                          "every few seconds (run it beside the workers; several may run)")
        watch.add_argument("--interval", type=float, default=5.0, help="seconds between passes (default 5)")
        watch.add_argument("--grace", type=float, default=lifecycle.SWEEP_GRACE.total_seconds(),
                           help="seconds a running task may stay silent before its worker is checked (default 15)")

        diagnostic = commands.add_parser("start-diagnostic", help="start a jobmate.sleep task")
        diagnostic.add_argument("--user", required=True, help="email of the task's owner")
        diagnostic.add_argument("--steps", type=int, default=5)
        diagnostic.add_argument("--seconds", type=float, default=1.0)
        diagnostic.add_argument("--fail-at", type=int, default=None, help="step that raises")

    def handle(self, *args, subcommand, **options):
        getattr(self, "handle_" + subcommand.replace("-", "_"))(**options)

    def _task(self, task_id) -> Task:
        try:
            return Task.objects.get(pk=uuid.UUID(task_id))
        except (ValueError, Task.DoesNotExist):
            raise CommandError(f"No task with id {task_id!r}.") from None

    def handle_list(self, **options):
        tasks = Task.objects.filter(status__in=Task.ACTIVE).select_related("user").order_by("created_at")
        if not tasks:
            self.stdout.write("No active task.")
            return
        for task in tasks:
            progress = f"{task.progress_done}/{task.progress_total}" if task.progress_total else "-"
            self.stdout.write(
                f"{task.pk}  {task.status:<12} {task.kind:<24} {progress:>9}  "
                f"attempt {task.attempt}/{task.max_attempts}  {task.user.email}  {task.message}"
            )

    def handle_cancel(self, *, task_id=None, all=False, **options):
        if all:
            count = sum(lifecycle.cancel(task, by="operator")
                        for task in Task.objects.filter(status__in=Task.ACTIVE))
            self.stdout.write(f"Cancelled {count} task(s).")
            return
        task = self._task(task_id)
        if not lifecycle.cancel(task, by="operator"):
            raise CommandError(f"Task {task.pk} is already {task.status}.")
        self.stdout.write(f"Cancelled {task.pk}.")

    def handle_retry(self, *, task_id=None, failed=False, **options):
        tasks = Task.objects.filter(status=Task.Status.FAILED) if failed else [self._task(task_id)]
        try:
            count = sum(lifecycle.retry(task, by="operator") for task in tasks)
        except lifecycle.QueueUnavailable as exc:
            raise CommandError(str(exc)) from None
        if not failed and not count:
            raise CommandError(f"Task {task_id} is not failed or cancelled.")
        self.stdout.write(f"Queued {count} task(s) again.")

    def handle_sweep(self, **options):
        report = lifecycle.watch_once()
        self.stdout.write(
            f"Checked {report['checked']}, retried {report['retried']}, failed {report['failed']}, "
            f"requeued {report['requeued']}, due retries enqueued {report['enqueued']}."
        )

    def handle_watch(self, *, interval, grace, **options):
        """Recovery that needs no live worker: this process, not an RQ job, runs the sweep
        and enqueues the retries whose time has come. A pass that cannot reach PostgreSQL
        or Redis is logged and tried again on the next one."""
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        grace = timedelta(seconds=grace)
        self.stdout.write(f"Watching tasks every {interval:g} s.")
        self.stdout.flush()
        while not stop.is_set():
            try:
                report = lifecycle.watch_once(grace=grace)
            except (DatabaseError, redis.RedisError) as exc:
                logger.warning("watch: pass skipped: %s", exc)
                close_old_connections()
            except Exception:
                # A bug met on one pass must not end recovery for everyone.
                logger.exception("watch: pass failed")
            else:
                if any(report[name] for name in ("enqueued", "retried", "failed", "requeued")):
                    logger.info("watch: %s", ", ".join(f"{name} {count}" for name, count in sorted(report.items())))
            stop.wait(interval)

    def handle_start_diagnostic(self, *, user, steps, seconds, fail_at, **options):
        try:
            owner = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user with the email address {user!r}.") from None
        task = lifecycle.start(
            "jobmate.sleep", user=owner,
            params={"steps": steps, "seconds": seconds, "fail_at": fail_at},
        )
        if task.status == Task.Status.FAILED:
            raise CommandError(f"{task.error} (task {task.pk})")
        self.stdout.write(f"Started diagnostic task {task.pk}")
