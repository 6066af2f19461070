"""What runs inside the worker: one attempt of one Task.

RQ calls `execute(task_id)`. It claims the Task (PENDING → RUNNING, a conditional UPDATE
whose row count must be 1), runs the kind's function with a `TaskContext`, and records
the outcome. A cancelled, superseded or unknown task is skipped without a sound.
`run_in_command` runs a task a management command started in its own process.
Every state change goes through `jobmate.tasks.lifecycle`, the one writer of Task state.
"""

from __future__ import annotations

import json
import logging
import time
import traceback

from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, connection
from rq import get_current_job
from rq.timeouts import JobTimeoutException

from jobmate.tasks import lifecycle
from jobmate.tasks import messages as said
from jobmate.tasks.messages import Message
from jobmate.tasks.models import Task, TaskLog
from jobmate.tasks.registry import get_kind

logger = logging.getLogger(__name__)


class TaskCancelled(Exception):
    """Raised by `TaskContext.check_cancelled()`: stop now, the person cancelled."""


class _Said(Exception):
    """An exception carrying a `Message` for the person; `str()` renders it."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class TaskFailed(_Said):
    """Raise to fail the task at once, without retrying: retrying cannot help (a refused
    URL, a page that does not exist). Its Message is shown to the person."""


class AttemptFailed(_Said):
    """Raise to fail this attempt with a Message written for the person (no exception
    name in front of it); it is retried like any failure."""


class WaitingForUser(Exception):
    """Raised by `TaskContext.ask()`: pause until the person answers the question."""

    def __init__(self, question: dict):
        super().__init__(question["key"])
        self.question = question


class TaskContext:
    """The handle a task function gets: progress, counters, log, cancel checks, questions.

    Progress and counters are kept in memory and written at most every
    `write_interval` seconds (and at the end), so a tight loop does not hammer the
    database; cancellation is read at most every `cancel_interval` seconds.
    """

    write_interval = 0.5
    cancel_interval = 0.5

    def __init__(self, task: Task):
        self.task_id = task.pk
        self.user_id = task.user_id
        self.attempt = task.attempt
        self._job_id = task.rq_job_id
        self.max_attempts = task.max_attempts
        self._answers = task.answer or {}
        self._done = task.progress_done
        self._total = task.progress_total
        self._message = task.message
        self._counters = dict(task.counters)
        self._warnings = list(task.warnings)
        self._task = task
        self._dirty = False
        self._last_write = time.monotonic()
        self._last_cancel_check = time.monotonic()

    # --- reporting ---

    def progress(self, done: int, total: int | None = None, message: Message | None = None) -> None:
        self._done = max(0, int(done))
        if total is not None:
            self._total = max(0, int(total))
        if message is not None:
            self._message = message
        self._dirty = True
        self._maybe_flush(force=bool(self._total) and self._done >= self._total)

    def message(self, message: Message) -> None:
        """What the task says now (a Message: it is rendered in the reader's language)."""
        self._message = message
        self._dirty = True
        self._maybe_flush()

    def count(self, name: str, n: int = 1) -> None:
        self._counters[name] = self._counters.get(name, 0) + n
        self._dirty = True
        self._maybe_flush()

    def warn(self, message: Message) -> None:
        """Something went wrong without failing the task: the outcome shows it (amber)."""
        self._warnings.append(message)
        self._dirty = True
        self._maybe_flush()

    @property
    def counters(self) -> dict:
        return dict(self._counters)

    @property
    def final_message(self) -> Message:
        """The last message the task gave, unless it never gave one."""
        if not self._message or self._message.code in (said.RUNNING.code, said.RESUMING.code):
            return said.COMPLETED()
        return self._message

    def log(self, level: str, message: Message | str) -> None:
        lifecycle.log(self.task_id, message, level)

    def flush(self) -> None:
        if not self._dirty:
            return
        lifecycle.record_progress(self._task, done=self._done, total=self._total, message=self._message,
                                  counters=self._counters, warnings=self._warnings)
        self._dirty = False
        self._last_write = time.monotonic()

    def _maybe_flush(self, force: bool = False) -> None:
        if force or time.monotonic() - self._last_write >= self.write_interval:
            self.flush()

    # --- control ---

    def check_cancelled(self, force: bool = False) -> None:
        """Raise TaskCancelled if the person cancelled (or this attempt was superseded)."""
        now = time.monotonic()
        if not force and now - self._last_cancel_check < self.cancel_interval:
            return
        self._last_cancel_check = now
        row = Task.objects.filter(pk=self.task_id).values("status", "rq_job_id", "cancel_requested").first()
        if row is None or row["cancel_requested"] or row["status"] == Task.Status.CANCELLED:
            raise TaskCancelled(said.CANCELLED())
        if row["status"] != Task.Status.RUNNING or row["rq_job_id"] != self._job_id:
            # The sweep gave up on this attempt (its worker looked dead) and another one
            # took over: this one must stop writing.
            raise TaskCancelled(said.SUPERSEDED(attempt=self.attempt))

    def ask(self, key: str, prompt: Message, fields: list[dict], *, link: str = "") -> dict:
        """Return the person's answer to question `key`, pausing the task until there is one.

        `fields` describe a form: [{"name", "label": Message, "type": "text"|"textarea"|"url",
        "required": bool, "initial": str, "help": Message}]. The prompt and the labels are
        rendered in the reader's language. The task function runs again from its start once
        the answer arrives, so the work before `ask` must be safe to redo. `link`: a page of
        this site that asks the question itself (and calls `lifecycle.answer`), instead of
        the task page's form built from `fields`.
        """
        if key in self._answers:
            return self._answers[key]
        question = {"key": key, "prompt": said.dump(prompt), "fields": said.dump(fields)}
        if link:
            question["link"] = link
        raise WaitingForUser(question)


def _short_error(exc: BaseException, task: Task) -> Message:
    if isinstance(exc, JobTimeoutException):
        return said.TIMED_OUT(seconds=task.timeout)
    if isinstance(exc, AttemptFailed):
        return exc.message
    # An unexpected error: its own words, which no one translates.
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return said.Text(f"{name}: {text}"[:300] if text else name)


def execute(task_id: str, resume: bool = False) -> str:
    """The RQ job function. Returns the status the attempt ended in (for RQ's records)."""
    # A forked work-horse must not reuse a connection from before the fork, and a worker
    # that lives for days must not keep a broken one. (Inside a test's transaction, with a
    # SimpleWorker, the connection is the test's own.)
    if not connection.in_atomic_block:
        close_old_connections()
    try:
        return _execute(task_id, resume)
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


def _claim(task_id: str, resume: bool) -> Task | None:
    job = get_current_job()
    return lifecycle.claim(task_id, job_id=job.id if job else "", resume=resume)


def _execute(task_id: str, resume: bool) -> str:
    task = _claim(task_id, resume)
    if task is None:
        logger.info("task %s: not pending any more, skipped", task_id)
        return "skipped"
    return _run(task)


def run_in_command(task: Task, context_class: type[TaskContext] = TaskContext) -> Task:
    """Run `task` (made by `lifecycle.start_in_command`) here, in this process; return it
    as it ended. `context_class` may draw the progress (a terminal's progress bar)."""
    _run(task, context_class)
    task.refresh_from_db()
    return task


def _run(task: Task, context_class: type[TaskContext] = TaskContext) -> str:
    """Run the claimed attempt of `task` and record how it ended."""
    try:
        kind = get_kind(task.kind)
    except LookupError:
        # Nothing to retry: this code base does not know the kind (removed or renamed).
        lifecycle.fail(task, said.UNKNOWN_KIND(kind=task.kind))
        return Task.Status.FAILED

    ctx = context_class(task)
    try:
        # A result that is not JSON fails the attempt here, not later in the database.
        result = json.dumps(kind.func(ctx, **task.params), cls=DjangoJSONEncoder)
    except TaskCancelled as stop:
        reason = stop.args[0] if stop.args and isinstance(stop.args[0], Message) else said.Text(str(stop))
        ctx.log(TaskLog.Level.INFO, said.STOPPED(reason=reason))
        return Task.Status.CANCELLED
    except WaitingForUser as waiting:
        ctx.flush()
        lifecycle.wait_for_answer(task, waiting.question)
        return Task.Status.WAITING_USER
    except TaskFailed as exc:
        ctx.flush()
        lifecycle.fail(task, exc.message)
        return Task.Status.FAILED
    except Exception as exc:
        ctx.flush()
        ctx.log(TaskLog.Level.ERROR, traceback.format_exc())
        status = lifecycle.fail_attempt(task, _short_error(exc, task))
        return status or "superseded"

    if lifecycle.complete(task, result_json=result, message=ctx.final_message, done=ctx._done, total=ctx._total,
                          counters=ctx._counters, warnings=ctx._warnings):
        return Task.Status.COMPLETED
    return "superseded"
