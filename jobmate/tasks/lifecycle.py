"""Starting, running, cancelling, retrying, answering and recovering Tasks.

This module is the one writer of a Task's state: every change of status is one of its
public functions, whoever calls it (a page, the API, the worker's runner, a command, the
watcher). The Task row decides; RQ carries out. Every change is a conditional UPDATE on
the status (and attempt) it expects, so two actors racing — a person cancelling while the
worker finishes, a sweep while a late worker reports — never overwrite each other.

Delayed retries are not RQ's scheduled jobs: a failed attempt leaves the task PENDING
with `retry_at`, and the watcher (`manage.py tasks watch`) enqueues it when that time
comes. RQ's scheduler, after a crash, may wait ten minutes for its dead lock to expire.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import socket
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import django_rq
import psutil
import redis
from django.db import connection as db_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.utils import utcparse
from rq.worker import Worker

from jobmate.notifications.models import Notification
from jobmate.redis_connection import recently_unreachable
from jobmate.notifications.outbox import notify
from jobmate.tasks import messages as said
from jobmate.tasks.messages import Message
from jobmate.tasks.models import Task, TaskLog
from jobmate.tasks.registry import backoff_for, get_kind, kind_message

logger = logging.getLogger(__name__)
Kind = Notification.Kind

EXECUTE = "jobmate.tasks.runner.execute"
# A task claimed or updated this recently is never judged lost: its worker may simply not
# have reported yet.
SWEEP_GRACE = timedelta(seconds=15)


class QueueUnavailable(Exception):
    """Redis cannot be reached, so no work can be handed to a worker."""


def _update(task_id, *, expect: dict, **fields) -> bool:
    """Set `fields` on the task if it is still as `expect` says. True if it was."""
    fields.setdefault("updated_at", timezone.now())
    return Task.objects.filter(pk=task_id, **expect).update(**fields) == 1


def log(task_id, message: Message | str, level: str = TaskLog.Level.INFO) -> None:
    """Add a line to the task's log: a Message, or a `str` no one translates (a traceback)."""
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


def _enqueue(task: Task, *, resume: bool = False, job_id: str = "") -> None:
    """Hand one attempt of `task` to RQ now (raises redis.RedisError when Redis is down).

    `job_id`: an id already stored on the task; otherwise a new one is made and stored."""
    queue = django_rq.get_queue(get_kind(task.kind).queue)
    if not job_id:
        job_id = _new_job_id(task)
        Task.objects.filter(pk=task.pk).update(rq_job_id=job_id)
        task.rq_job_id = job_id
    queue.enqueue(
        EXECUTE, str(task.id), resume,
        job_id=job_id,
        # RQ raises JobTimeoutException inside the attempt when it runs too long; the
        # runner turns it into a failed attempt like any other error.
        job_timeout=task.timeout,
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
        description=f"{task.kind} {task.id}",
    )


def _notify_failed(task: Task, error: Message) -> None:
    """Tell the person, on the bell, that one of their tasks failed for good."""
    notify(task.user, Kind.TASK_FAILED, said.TASK_FAILED(task=task.label or kind_message(task.kind), error=error),
           link=reverse("task_detail", args=[task.pk]))


def _enqueue_or_fail(task: Task, *, resume: bool = False, job_id: str = "") -> bool:
    """Enqueue; if Redis is down, the pending task fails with a clear message."""
    try:
        _enqueue(task, resume=resume, job_id=job_id)
        return True
    except LookupError as exc:
        _fail_unknown_kind(task, exc)
        return False
    except redis.RedisError as exc:
        logger.warning("task %s: could not enqueue: %s", task.id, exc)
        now = timezone.now()
        if _update(task.pk, expect={"status": Task.Status.PENDING}, status=Task.Status.FAILED,
                   error=said.QUEUE_UNAVAILABLE(), message=said.FAILED(error=said.QUEUE_UNAVAILABLE()),
                   finished_at=now, retry_at=None):
            log(task.pk, said.QUEUE_UNREACHABLE(error=said.Text(exc)), TaskLog.Level.ERROR)
            _notify_failed(task, said.QUEUE_UNAVAILABLE())
        task.refresh_from_db()
        return False


def _fail_unknown_kind(task: Task, exc: LookupError) -> None:
    """A task whose kind this code base no longer knows (removed or renamed): nothing can
    run it, so it fails, rather than stopping whoever tried to enqueue it."""
    error = said.UNKNOWN_KIND(kind=task.kind)
    logger.warning("task %s: %s", task.pk, exc)
    if _update(task.pk, expect={"status__in": Task.ACTIVE}, status=Task.Status.FAILED, error=error,
               message=said.FAILED(error=error), finished_at=timezone.now(), retry_at=None):
        log(task.pk, error, TaskLog.Level.ERROR)
        _notify_failed(task, error)


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- Starting ---------------------------------------------------------------------------


def start(
    kind: str,
    *,
    user,
    params: dict | None = None,
    label: Message | str = "",
    max_attempts: int | None = None,
    backoff: list[int] | None = None,
    timeout: int | None = None,
    patient: bool = False,
) -> Task:
    """Write the Task and enqueue its first attempt; return the Task at once.

    Inside a transaction the job is enqueued when it commits (a worker must find the row);
    outside, right away. If Redis is down the Task comes back FAILED with a clear message —
    unless `patient` (work no one is watching start, such as an approved offer's analysis):
    then it stays PENDING and the watcher enqueues it once Redis answers, and it is not even
    tried when Redis just failed to answer this thread (one click never waits twice).
    """
    spec = get_kind(kind)
    params = params or {}
    # Arguments travel as JSON: ids and plain values, never model instances.
    json.dumps(params)
    task = Task(
        user=user,
        kind=kind,
        label=label,
        params=params,
        max_attempts=max_attempts or spec.max_attempts,
        backoff=list(backoff if backoff is not None else spec.backoff),
        timeout=timeout or spec.timeout,
        message=said.QUEUED(),
    )
    task.rq_job_id = _new_job_id(task)
    with transaction.atomic():
        task.save(force_insert=True)
        log(task.pk, said.QUEUED())
        enqueue = _enqueue_or_wait if patient else _enqueue_or_fail
        transaction.on_commit(lambda: enqueue(task, job_id=task.rq_job_id))
    return task


def _enqueue_or_wait(task: Task, *, job_id: str) -> None:
    """Enqueue a patient task; Redis unreachable, leave it due for the watcher."""
    if not recently_unreachable():
        try:
            _enqueue(task, job_id=job_id)
            return
        except LookupError as exc:
            _fail_unknown_kind(task, exc)
            return
        except redis.RedisError as exc:
            logger.warning("task %s: not enqueued yet: %s", task.pk, exc)
    _update(task.pk, expect={"status": Task.Status.PENDING, "rq_job_id": job_id}, retry_at=timezone.now(),
            rq_job_id="")
    log(task.pk, said.WAITING_FOR_QUEUE(), TaskLog.Level.WARNING)


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
    """Cancel an active task. False if it had already finished.

    `by`: "you" (the person), "operator" or "api"."""
    now = timezone.now()
    if not _update(task.pk, expect={"status__in": Task.ACTIVE}, status=Task.Status.CANCELLED,
                   cancel_requested=True, finished_at=now, retry_at=None,
                   message=said.CANCELLED_BY[by]()):
        task.refresh_from_db()
        return False
    log(task.pk, said.CANCELLED_BY[by]())
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
    try:
        spec = get_kind(task.kind)
    except LookupError:
        return False  # nothing could run it
    if not queue_is_available(spec.queue):
        raise QueueUnavailable(str(said.QUEUE_UNAVAILABLE()))
    # A task a command ran in its own process goes to the workers this time, with the
    # attempts and backoff of its kind.
    to_workers = {"in_command": False, "max_attempts": spec.max_attempts,
                  "backoff": list(spec.backoff)} if task.in_command else {}
    with transaction.atomic():
        if not _update(task.pk, expect={"status__in": Task.RETRYABLE}, status=Task.Status.PENDING,
                       attempt=0, cancel_requested=False, error="", result=None, warnings=[],
                       **to_workers, progress_done=0, progress_total=0, counters={}, retry_at=None,
                       question=None, answer=None, started_at=None, finished_at=None,
                       message=said.QUEUED_AGAIN_BY[by]()):
            return False
        log(task.pk, said.QUEUED_AGAIN_BY[by]())
        task.refresh_from_db()
        transaction.on_commit(lambda: _enqueue_or_fail(task))
    task.refresh_from_db()
    return True


def answer(task: Task, values: dict) -> bool:
    """Store the person's answer to the task's question and let it go on."""
    if task.status != Task.Status.WAITING_USER or not task.question:
        return False
    if not queue_is_available(get_kind(task.kind).queue):
        raise QueueUnavailable(str(said.QUEUE_UNAVAILABLE()))
    answers = {**(task.answer or {}), task.question["key"]: values}
    with transaction.atomic():
        if not _update(task.pk, expect={"status": Task.Status.WAITING_USER},
                       status=Task.Status.PENDING, answer=answers, question=None,
                       message=said.RESUMING_WITH_ANSWER()):
            return False
        log(task.pk, said.ANSWERED())
        task.refresh_from_db()
        transaction.on_commit(lambda: _enqueue_or_fail(task, resume=True))
    task.refresh_from_db()
    return True


# --- Running (the worker's runner, or a command running a task in its own process) --------


@functools.cache
def _sql(template: str) -> str:
    """`template` with the quoted table and column names of Task ({task}, {task_<field>})
    and TaskLog ({log}, {log_<field>}), from the models' metadata."""
    quote = db_connection.ops.quote_name
    names = {f"task_{field.name}": quote(field.column) for field in Task._meta.concrete_fields}
    names |= {f"log_{field.name}": quote(field.column) for field in TaskLog._meta.concrete_fields}
    names |= {"task": quote(Task._meta.db_table), "log": quote(TaskLog._meta.db_table)}
    return template.format(**names)


# The claim is the fixed cost of every attempt, paid in a fresh work-horse with a fresh
# database connection: one statement (one round trip, one commit) instead of three, and a
# first attempt writes no log line of its own (started_at and the status say it).
# bench/tasks.py measures it.
_CLAIM = """
WITH claimed AS (
    UPDATE {task}
    SET {task_status} = %(running)s, {task_started_at} = COALESCE({task_started_at}, %(now)s),
        {task_process} = %(process)s, {task_retry_at} = NULL, {task_message} = %(message)s::jsonb,
        {task_updated_at} = %(now)s, {task_attempt} = {task_attempt} + %(increment)s,
        -- A new attempt starts from nothing; a resumed one (an answer came) goes on.
        {task_counters} = CASE WHEN %(increment)s = 1 THEN '{{}}'::jsonb ELSE {task_counters} END,
        {task_warnings} = CASE WHEN %(increment)s = 1 THEN '[]'::jsonb ELSE {task_warnings} END
    WHERE {task_id} = %(id)s AND {task_status} = %(pending)s AND NOT {task_cancel_requested}
          AND {task_rq_job_id} = %(job_id)s
    RETURNING *
), logged AS (
    INSERT INTO {log} ({log_task}, {log_time}, {log_level}, {log_message})
    SELECT {task_id}, %(now)s, %(info)s,
           jsonb_build_object('code', %(attempt_started)s, 'params',
                              jsonb_build_object('attempt', {task_attempt}, 'max', {task_max_attempts}))
    FROM claimed WHERE %(increment)s = 1 AND {task_attempt} > 1
)
SELECT * FROM claimed
"""


def claim(task_id, *, job_id: str, resume: bool = False) -> Task | None:
    """PENDING → RUNNING for the attempt RQ's job `job_id` carries, if the task is still
    pending, not cancelled, and waiting for this very job; None otherwise (cancelled,
    claimed by someone else, or a stale job that another enqueue replaced).

    The job id is the attempt's fence: every later write of the attempt expects it, so a
    run that was handed on (or retried by the person) can never write over the next."""
    params = {
        "id": task_id,
        "now": timezone.now(),
        "job_id": job_id,
        "process": _this_process(),
        "message": json.dumps((said.RESUMING() if resume else said.RUNNING()).as_json()),
        "attempt_started": said.ATTEMPT_STARTED.code,
        "increment": 0 if resume else 1,
        "running": Task.Status.RUNNING,
        "pending": Task.Status.PENDING,
        "info": TaskLog.Level.INFO,
    }
    return next(iter(Task.objects.raw(_sql(_CLAIM), params)), None)


def start_in_command(kind: str, *, user, params: dict | None = None, label: Message | str = "") -> Task:
    """A Task that this process runs itself, now (`manage.py scrape --sync`).

    It is RUNNING from the start, marked with this process, and has one attempt: the
    sweep never hands it to a worker beside the command, and if the command dies the
    task ends failed rather than being run again by the workers."""
    spec = get_kind(kind)
    now = timezone.now()
    task = Task.objects.create(
        user=user, kind=kind, label=label, params=params or {},
        status=Task.Status.RUNNING, attempt=1, max_attempts=1, backoff=[], timeout=spec.timeout,
        in_command=True, process=_this_process(), rq_job_id=f"command-{secrets.token_hex(4)}",
        message=said.RUNNING(), started_at=now,
    )
    log(task.pk, said.IN_COMMAND(pid=os.getpid()))
    return task


def record_progress(task: Task, *, done: int, total: int, message: Message, counters: dict,
                    warnings: list[Message]) -> bool:
    """Progress of the running attempt; False if the attempt is no longer the live one."""
    return _update(task.pk, expect={"status": Task.Status.RUNNING, "rq_job_id": task.rq_job_id},
                   progress_done=done, progress_total=total, message=message,
                   counters=counters, warnings=warnings)


# The completion, like the claim, is paid by every attempt: one statement.
_COMPLETE = """
UPDATE {task}
SET {task_status} = %(completed)s, {task_result} = %(result)s::jsonb, {task_finished_at} = %(now)s,
    {task_message} = %(message)s::jsonb, {task_error} = '""'::jsonb, {task_progress_done} = %(done)s,
    {task_progress_total} = %(total)s, {task_counters} = %(counters)s::jsonb,
    {task_warnings} = %(warnings)s::jsonb, {task_updated_at} = %(now)s
WHERE {task_id} = %(id)s AND {task_status} = %(running)s AND {task_rq_job_id} = %(job_id)s
"""


def complete(task: Task, *, result_json: str, message: Message, done: int, total: int, counters: dict,
             warnings: list[Message]) -> bool:
    """The running attempt succeeded (`result_json`: its result, as JSON). False if it had
    been cancelled or superseded."""
    params = {
        "id": task.pk, "job_id": task.rq_job_id, "now": timezone.now(), "result": result_json,
        "message": json.dumps(said.dump(message)), "done": done, "total": total, "counters": json.dumps(counters),
        "warnings": json.dumps(said.dump(warnings)), "completed": Task.Status.COMPLETED, "running": Task.Status.RUNNING,
    }
    with db_connection.cursor() as cursor:
        cursor.execute(_sql(_COMPLETE), params)
        return cursor.rowcount == 1


def fail(task: Task, error: Message) -> bool:
    """Fail the running attempt's task at once, without retrying: retrying cannot help."""
    if not _update(task.pk, expect={"status": Task.Status.RUNNING, "rq_job_id": task.rq_job_id},
                   status=Task.Status.FAILED, error=error, finished_at=timezone.now(),
                   retry_at=None, message=said.FAILED(error=error)):
        return False
    log(task.pk, said.FAILED(error=error), TaskLog.Level.ERROR)
    _notify_failed(task, error)
    return True


def wait_for_answer(task: Task, question: dict) -> bool:
    """The running attempt needs the person: pause the task on `question`."""
    if not _update(task.pk, expect={"status": Task.Status.RUNNING, "rq_job_id": task.rq_job_id},
                   status=Task.Status.WAITING_USER, question=question,
                   message=said.load(question["prompt"])):
        return False
    log(task.pk, said.WAITING_FOR_ANSWER(prompt=question["prompt"]))
    return True


# --- Failures and recovery --------------------------------------------------------------


def fail_attempt(task: Task, error: Message, *, now: datetime | None = None) -> Task.Status | None:
    """The running attempt of `task` failed: schedule the next one or fail the task.

    The next attempt waits for its backoff as a PENDING task with `retry_at`; the watcher
    enqueues it when the time comes. Returns the new status, or None if the task had
    moved on meanwhile (cancelled, or already handled by someone else)."""
    now = now or timezone.now()
    expect = {"status": Task.Status.RUNNING, "rq_job_id": task.rq_job_id}
    if task.attempt < task.max_attempts and not task.in_command:
        delay = backoff_for(task.backoff, task.attempt)
        if not _update(task.pk, expect=expect, status=Task.Status.PENDING, error=error,
                       retry_at=now + timedelta(seconds=delay) if delay else None, rq_job_id="",
                       message=said.ATTEMPT_FAILED(attempt=task.attempt, max=task.max_attempts, error=error)):
            return None
        log(task.pk, said.RETRY_IN(attempt=task.attempt, seconds=delay), TaskLog.Level.WARNING)
        task.refresh_from_db()
        if not delay:
            try:
                _enqueue(task)
            except redis.RedisError as exc:
                # Not a reason to fail the task: the watcher enqueues it once Redis answers.
                logger.warning("task %s: retry not enqueued yet: %s", task.pk, exc)
                _update(task.pk, expect={"status": Task.Status.PENDING}, retry_at=now, rq_job_id="")
        return Task.Status.PENDING
    if not _update(task.pk, expect=expect, status=Task.Status.FAILED, error=error,
                   finished_at=now, retry_at=None, message=said.FAILED(error=error)):
        return None
    log(task.pk, said.FAILED_AFTER(attempts=task.attempt, error=error), TaskLog.Level.ERROR)
    _notify_failed(task, error)
    return Task.Status.FAILED


def enqueue_due_retries(*, now: datetime | None = None) -> int:
    """Hand to RQ every retry whose time has come; returns how many.

    Safe to run in several processes at once: each retry is taken by one conditional
    UPDATE. With Redis unreachable the retries stay due and are taken on a later pass."""
    now = now or timezone.now()
    enqueued = 0
    for task in Task.objects.filter(status=Task.Status.PENDING, retry_at__lte=now):
        job_id = _new_job_id(task)
        if not _update(task.pk, expect={"status": Task.Status.PENDING, "retry_at": task.retry_at},
                       retry_at=None, rq_job_id=job_id):
            continue
        task.rq_job_id, task.retry_at = job_id, None
        try:
            _enqueue(task, job_id=job_id)
        except LookupError as exc:
            _fail_unknown_kind(task, exc)
            continue
        except redis.RedisError as exc:
            logger.warning("task %s: retry not enqueued yet: %s", task.pk, exc)
            _update(task.pk, expect={"status": Task.Status.PENDING, "rq_job_id": job_id},
                    retry_at=now, rq_job_id="")
            break
        enqueued += 1
    return enqueued


def _execution_expiry(connection, job: Job) -> float | None:
    """When the running execution of `job` stops counting as alive (its heartbeat TTL)."""
    registry = StartedJobRegistry(job.origin, connection=connection)
    prefix = f"{job.id}:"
    for member, score in connection.zrange(registry.key, 0, -1, withscores=True):
        if member.decode().startswith(prefix):
            return score
    return None


def _pid_alive(pid: int) -> bool:
    """Whether process `pid` of this host runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


# A command on another host cannot be seen: it is judged by its silence. It writes its
# progress as it goes; one that said nothing for its timeout and this long has stopped.
COMMAND_SILENCE = timedelta(minutes=2)


def _process_alive_here(task: Task) -> bool | None:
    """Whether the process running the task's attempt is alive, if it runs on this host
    (None: it runs elsewhere, or nobody knows where)."""
    host, _, pid = task.process.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    return _pid_alive(int(pid))


def _command_lost_reason(task: Task, now: datetime) -> Message | None:
    alive = _process_alive_here(task)
    if alive is not None:
        return None if alive else said.WORKER_LOST["command"]()
    if task.updated_at < now - timedelta(seconds=task.timeout) - COMMAND_SILENCE:
        return said.WORKER_LOST["command_silent"]()
    return None


def _lost_reason(task: Task, connection, now: datetime) -> Message | None:
    """Why the worker of a running task is gone, or None if it still works on it."""
    # On this host the work-horse itself tells: alive, it still runs the attempt, even if
    # its worker died (an orphaned horse goes on, its own timeout still armed); dead, the
    # attempt is lost whatever RQ's records say.
    alive = _process_alive_here(task)
    if alive is not None:
        return None if alive else said.WORKER_LOST["died"]()
    if not task.rq_job_id:
        return said.WORKER_LOST[""]()
    try:
        job = Job.fetch(task.rq_job_id, connection=connection)
    except NoSuchJobError:
        return said.WORKER_LOST["gone"]()
    status = job.get_status()
    if status != JobStatus.STARTED:
        return said.WORKER_LOST["job"](status=status.value) if status else said.WORKER_LOST[""]()
    expiry = _execution_expiry(connection, job)
    if expiry is None or expiry < now.timestamp():
        return said.WORKER_LOST["heartbeat"]()
    worker = _worker(connection, Worker.redis_worker_namespace_prefix + job.worker_name) if job.worker_name else None
    if worker is None:
        return said.WORKER_LOST["worker"]()
    return None


# Seconds: JobMate's workers (jobmate.tasks.worker) heartbeat every WORKER_TTL - 15 s when
# idle and every 30 s while a job runs.
WORKER_TTL = 60
HEARTBEAT_SILENCE = timedelta(seconds=WORKER_TTL + 30)


@dataclass(frozen=True)
class WorkerRecord:
    """What RQ keeps of a registered worker, read without building an RQ Worker (whose
    constructor raises the socket timeout of the connection it is given, for the blocking
    dequeue only a worker does)."""

    name: str
    hostname: str
    pid: int | None
    last_heartbeat: datetime | None


def _worker(connection, key: str) -> WorkerRecord | None:
    birth, hostname, pid, heartbeat = connection.hmget(key, "birth", "hostname", "pid", "last_heartbeat")
    if birth is None:
        return None
    return WorkerRecord(name=key.removeprefix(Worker.redis_worker_namespace_prefix), hostname=(hostname or b"").decode(),
                        pid=int(pid) if pid else None, last_heartbeat=utcparse(heartbeat.decode()) if heartbeat else None)


def live_workers(connection, *, now: datetime | None = None) -> list[WorkerRecord]:
    """The workers whose heartbeat is alive. RQ keeps a dead worker's registration until
    it expires, minutes later; on this host a dead process is seen at once."""
    now = now or timezone.now()
    alive = []
    for key in sorted(connection.smembers(Worker.redis_workers_keys)):
        worker = _worker(connection, key.decode())
        if worker is None or worker.last_heartbeat is None or worker.last_heartbeat < now - HEARTBEAT_SILENCE:
            continue
        if worker.hostname == socket.gethostname() and worker.pid and not _pid_alive(worker.pid):
            continue
        alive.append(worker)
    return alive


def _job_exists(connection, job_id: str) -> bool:
    if not job_id:
        return False
    try:
        status = Job.fetch(job_id, connection=connection).get_status()
    except NoSuchJobError:
        return False
    return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED)


def sweep(*, now: datetime | None = None, grace: timedelta = SWEEP_GRACE) -> Counter:
    """Find tasks whose worker died (SIGKILL, OOM, a reboot), whose command died, or whose
    job Redis lost, and retry them or fail them. The watcher runs it every few seconds.

    `grace`: a task that reported within this long is never judged."""
    now = now or timezone.now()
    report = Counter()
    connection = django_rq.get_connection("default")
    running = Task.objects.filter(status=Task.Status.RUNNING, updated_at__lt=now - grace)
    for task in running:
        report["checked"] += 1
        if task.in_command:
            reason = _command_lost_reason(task, now)
        else:
            reason = _lost_reason(task, connection, now)
        if reason is None:
            continue
        logger.warning("sweep: task %s: %s", task.pk, reason.code)
        # A command's task is never handed to a worker: fail_attempt fails it.
        outcome = fail_attempt(task, reason, now=now)
        if outcome == Task.Status.PENDING:
            report["retried"] += 1
        elif outcome == Task.Status.FAILED:
            report["failed"] += 1

    # Queued tasks whose job Redis no longer has (Redis restarted without its data).
    waiting = Task.objects.filter(status=Task.Status.PENDING, retry_at__isnull=True,
                                  updated_at__lt=now - grace)
    for task in waiting:
        report["checked"] += 1
        if not _job_exists(connection, task.rq_job_id):
            log(task.pk, said.JOB_LOST(), TaskLog.Level.WARNING)
            if _enqueue_or_fail(task):
                report["requeued"] += 1
    return report


def watch_once(*, grace: timedelta = SWEEP_GRACE) -> Counter:
    """One pass of the watcher: enqueue the retries that are due, then sweep."""
    report = Counter(enqueued=enqueue_due_retries())
    report.update(sweep(grace=grace))
    return report
