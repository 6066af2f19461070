"""Starting, cancelling, retrying, answering and recovering Tasks.

The Task row decides; RQ carries out. Every change of status is a conditional UPDATE on
the status (and attempt) it expects, so two actors racing — a person cancelling while the
worker finishes, a sweep while a late worker reports — never overwrite each other.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
from collections import Counter
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import django_rq
import redis
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.worker import Worker

from jobmate.tasks.models import Task, TaskLog
from jobmate.tasks.registry import backoff_for, get_kind

logger = logging.getLogger(__name__)

EXECUTE = "jobmate.tasks.runner.execute"
QUEUE_UNAVAILABLE = "Queue unavailable: the task could not be handed to a worker. Try again in a moment."
# A task claimed or updated this recently is never judged lost: its worker may simply not
# have reported yet.
SWEEP_GRACE = timedelta(seconds=15)


class QueueUnavailable(Exception):
    """Redis cannot be reached, so no work can be handed to a worker."""


def _update(task_id, *, expect: dict, **fields) -> bool:
    """Set `fields` on the task if it is still as `expect` says. True if it was."""
    fields.setdefault("updated_at", timezone.now())
    return Task.objects.filter(pk=task_id, **expect).update(**fields) == 1


def log(task_id, message: str, level: str = TaskLog.Level.INFO) -> None:
    TaskLog.objects.create(task_id=task_id, level=level, message=message)


# --- Queue ------------------------------------------------------------------------------


def queue_is_available(queue_name: str = "default") -> bool:
    try:
        return bool(django_rq.get_connection(queue_name).ping())
    except redis.RedisError:
        return False


def _new_job_id(task: Task) -> str:
    # Our own job ids: one per enqueue, so a retry never collides with the job it follows.
    return f"{task.id}-{secrets.token_hex(4)}"


def _enqueue(task: Task, *, delay: int = 0, resume: bool = False, job_id: str = "") -> None:
    """Hand one attempt of `task` to RQ (raises redis.RedisError when Redis is down).

    `job_id`: an id already stored on the task; otherwise a new one is made and stored."""
    queue = django_rq.get_queue(get_kind(task.kind).queue)
    if not job_id:
        job_id = _new_job_id(task)
        Task.objects.filter(pk=task.pk).update(rq_job_id=job_id)
        task.rq_job_id = job_id
    options = {
        "job_id": job_id,
        # RQ raises JobTimeoutException inside the attempt when it runs too long; the
        # runner turns it into a failed attempt like any other error.
        "job_timeout": task.timeout,
        "result_ttl": 3600,
        "failure_ttl": 7 * 24 * 3600,
        "description": f"{task.kind} {task.id}",
    }
    if delay > 0:
        # RQ keeps scheduled times in whole seconds, rounded down: round up instead, so a
        # retry never comes before the time the page announced.
        when = datetime.now(dt_timezone.utc) + timedelta(seconds=delay)
        if when.microsecond:
            when = when.replace(microsecond=0) + timedelta(seconds=1)
        queue.enqueue_at(when, EXECUTE, str(task.id), resume, **options)
    else:
        queue.enqueue(EXECUTE, str(task.id), resume, **options)


def _enqueue_or_fail(task: Task, *, delay: int = 0, resume: bool = False, job_id: str = "") -> bool:
    """Enqueue; if Redis is down, the pending task fails with a clear message."""
    try:
        _enqueue(task, delay=delay, resume=resume, job_id=job_id)
        return True
    except redis.RedisError as exc:
        logger.warning("task %s: could not enqueue: %s", task.id, exc)
        now = timezone.now()
        if _update(task.pk, expect={"status": Task.Status.PENDING}, status=Task.Status.FAILED,
                   error=QUEUE_UNAVAILABLE, message="Failed: queue unavailable",
                   finished_at=now, retry_at=None):
            log(task.pk, f"Could not reach the queue: {exc}", TaskLog.Level.ERROR)
        task.refresh_from_db()
        return False


# --- Starting ---------------------------------------------------------------------------


def start(
    kind: str,
    *,
    user,
    params: dict | None = None,
    label: str = "",
    max_attempts: int | None = None,
    backoff: list[int] | None = None,
    timeout: int | None = None,
) -> Task:
    """Write the Task and enqueue its first attempt; return the Task at once.

    Inside a transaction the job is enqueued when it commits (a worker must find the row);
    outside, right away. If Redis is down the Task comes back FAILED with a clear message.
    """
    spec = get_kind(kind)
    params = params or {}
    # Arguments travel as JSON: ids and plain values, never model instances.
    json.dumps(params)
    task = Task(
        user=user,
        kind=kind,
        label=label or spec.label,
        params=params,
        max_attempts=max_attempts or spec.max_attempts,
        backoff=list(backoff if backoff is not None else spec.backoff),
        timeout=timeout or spec.timeout,
        message="Queued",
    )
    task.rq_job_id = _new_job_id(task)
    with transaction.atomic():
        task.save(force_insert=True)
        log(task.pk, "Queued")
        transaction.on_commit(lambda: _enqueue_or_fail(task, job_id=task.rq_job_id))
    return task


# --- Cancelling -------------------------------------------------------------------------


def _stop_job(job_id: str) -> None:
    """Take a queued job out, or make its worker kill the work-horse running it.

    Best effort: a job that already ended needs nothing, and without Redis the worker's
    own cancellation checks stop the task."""
    if not job_id:
        return
    try:
        connection = django_rq.get_connection("default")
        job = Job.fetch(job_id, connection=connection)
        if job.get_status() == JobStatus.STARTED:
            send_stop_job_command(connection, job_id)
        elif not job.is_finished and not job.is_failed:
            job.cancel()
    except (NoSuchJobError, InvalidJobOperation):
        pass
    except redis.RedisError as exc:
        logger.warning("could not stop job %s: %s", job_id, exc)


def cancel(task: Task, *, by: str = "you") -> bool:
    """Cancel an active task. False if it had already finished."""
    now = timezone.now()
    if not _update(task.pk, expect={"status__in": Task.ACTIVE}, status=Task.Status.CANCELLED,
                   cancel_requested=True, finished_at=now, retry_at=None,
                   message=f"Cancelled by {by}"):
        task.refresh_from_db()
        return False
    log(task.pk, f"Cancelled by {by}")
    _stop_job(task.rq_job_id)
    task.refresh_from_db()
    return True


def cancel_all(user, *, by: str = "you") -> int:
    """Cancel every active task of `user`; returns how many were cancelled."""
    return sum(cancel(task, by=by) for task in Task.objects.filter(user=user, status__in=Task.ACTIVE))


# --- Retrying and answering -------------------------------------------------------------


def retry(task: Task, *, by: str = "you") -> bool:
    """Start a failed or cancelled task again from its first attempt.

    False if the task cannot be retried; QueueUnavailable (and nothing changed) if Redis
    is down."""
    if task.status not in Task.RETRYABLE:
        return False
    if not queue_is_available(get_kind(task.kind).queue):
        raise QueueUnavailable(QUEUE_UNAVAILABLE)
    with transaction.atomic():
        if not _update(task.pk, expect={"status__in": Task.RETRYABLE}, status=Task.Status.PENDING,
                       attempt=0, cancel_requested=False, error="", result=None,
                       progress_done=0, progress_total=0, counters={}, retry_at=None,
                       question=None, answer=None, started_at=None, finished_at=None,
                       message=f"Queued again by {by}"):
            return False
        log(task.pk, f"Retried by {by}")
        task.refresh_from_db()
        transaction.on_commit(lambda: _enqueue_or_fail(task))
    task.refresh_from_db()
    return True


def answer(task: Task, values: dict) -> bool:
    """Store the person's answer to the task's question and let it go on."""
    if task.status != Task.Status.WAITING_USER or not task.question:
        return False
    if not queue_is_available(get_kind(task.kind).queue):
        raise QueueUnavailable(QUEUE_UNAVAILABLE)
    answers = {**(task.answer or {}), task.question["key"]: values}
    with transaction.atomic():
        if not _update(task.pk, expect={"status": Task.Status.WAITING_USER},
                       status=Task.Status.PENDING, answer=answers, question=None,
                       message="Resuming with your answer"):
            return False
        log(task.pk, "Answered; resuming")
        task.refresh_from_db()
        transaction.on_commit(lambda: _enqueue_or_fail(task, resume=True))
    task.refresh_from_db()
    return True


# --- Failures and recovery --------------------------------------------------------------


def fail_attempt(task: Task, error: str, *, now: datetime | None = None) -> Task.Status | None:
    """The running attempt of `task` failed: schedule the next one or fail the task.

    Returns the new status, or None if the task had moved on meanwhile (cancelled, or
    already handled by someone else)."""
    now = now or timezone.now()
    expect = {"status": Task.Status.RUNNING, "attempt": task.attempt}
    if task.attempt < task.max_attempts:
        delay = backoff_for(task.backoff, task.attempt)
        if not _update(task.pk, expect=expect, status=Task.Status.PENDING, error=error,
                       retry_at=now + timedelta(seconds=delay),
                       message=f"Attempt {task.attempt} of {task.max_attempts} failed: {error}"):
            return None
        log(task.pk, f"Attempt {task.attempt} failed; next try in {delay} s", TaskLog.Level.WARNING)
        task.refresh_from_db()
        _enqueue_or_fail(task, delay=delay)
        return task.status
    if not _update(task.pk, expect=expect, status=Task.Status.FAILED, error=error,
                   finished_at=now, retry_at=None, message=f"Failed: {error}"):
        return None
    log(task.pk, f"Failed after {task.attempt} attempt(s): {error}", TaskLog.Level.ERROR)
    return Task.Status.FAILED


def _execution_expiry(connection, job: Job) -> float | None:
    """When the running execution of `job` stops counting as alive (its heartbeat TTL)."""
    registry = StartedJobRegistry(job.origin, connection=connection)
    prefix = f"{job.id}:"
    for member, score in connection.zrange(registry.key, 0, -1, withscores=True):
        if member.decode().startswith(prefix):
            return score
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lost_reason(task: Task, connection, now: datetime) -> str | None:
    """Why the worker of a running task is gone, or None if it still works on it."""
    if not task.rq_job_id:
        return "worker lost"
    try:
        job = Job.fetch(task.rq_job_id, connection=connection)
    except NoSuchJobError:
        return "worker lost (its job is gone from the queue)"
    status = job.get_status()
    if status != JobStatus.STARTED:
        return f"worker lost (its job is {status.value})" if status else "worker lost"
    expiry = _execution_expiry(connection, job)
    if expiry is None or expiry < now.timestamp():
        return "worker lost (no heartbeat)"
    worker = None
    if job.worker_name:
        worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                    connection=connection)
    if worker is None:
        return "worker lost (the worker is gone)"
    # On this host we can see a dead worker at once instead of waiting for its heartbeat
    # to expire.
    if worker.hostname == socket.gethostname() and worker.pid and not _pid_alive(worker.pid):
        return "worker lost (its process died)"
    return None


def _job_exists(connection, job_id: str) -> bool:
    try:
        status = Job.fetch(job_id, connection=connection).get_status()
    except NoSuchJobError:
        return False
    return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED)


def sweep(*, now: datetime | None = None) -> Counter:
    """Find tasks whose worker died (SIGKILL, OOM, a reboot) or whose job Redis lost, and
    retry them or fail them. Runs every minute on the cron scheduler."""
    now = now or timezone.now()
    report = Counter()
    connection = django_rq.get_connection("default")
    running = Task.objects.filter(status=Task.Status.RUNNING, updated_at__lt=now - SWEEP_GRACE)
    for task in running:
        report["checked"] += 1
        reason = _lost_reason(task, connection, now)
        if reason is None:
            continue
        logger.warning("sweep: task %s: %s", task.pk, reason)
        outcome = fail_attempt(task, reason, now=now)
        if outcome == Task.Status.PENDING:
            report["retried"] += 1
        elif outcome == Task.Status.FAILED:
            report["failed"] += 1

    # Queued tasks whose job Redis no longer has (Redis restarted without its data).
    waiting = Task.objects.filter(status=Task.Status.PENDING, updated_at__lt=now - SWEEP_GRACE).filter(
        Q(retry_at__isnull=True) | Q(retry_at__lt=now - SWEEP_GRACE)
    )
    for task in waiting:
        report["checked"] += 1
        if not _job_exists(connection, task.rq_job_id):
            log(task.pk, "Its job was lost by the queue; queued again", TaskLog.Level.WARNING)
            if _enqueue_or_fail(task):
                report["requeued"] += 1
    return report
