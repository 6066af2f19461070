"""The task engine through the real queue, with jobs run in this process."""

import os
from datetime import timedelta

import django_rq
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rq.job import Job

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db


def _messages(task):
    return [str(entry.message) for entry in task.logs.order_by("id")]


def test_start_returns_a_pending_task_at_once_and_enqueues_it(alice, start_task, redis_conn):
    task = start_task(alice, params={"steps": 2, "seconds": 0})
    assert task.status == Task.Status.PENDING
    assert str(task.message) == "Queued"
    job = Job.fetch(task.rq_job_id, connection=redis_conn)
    assert job.origin == "default"
    assert job.args == (str(task.pk), False)


def test_start_inside_a_transaction_still_returns_the_task(alice, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        task = lifecycle.start("jobmate.sleep", user=alice)
        # Nothing is handed to a worker before the row is committed.
        assert django_rq.get_queue("default").count == 0
    assert task.pk and task.status == Task.Status.PENDING
    for callback in callbacks:
        callback()
    assert django_rq.get_queue("default").count == 1


def test_start_refuses_model_instances_as_arguments(alice):
    with pytest.raises(TypeError):
        lifecycle.start("jobmate.sleep", user=alice, params={"user": alice})
    assert not Task.objects.exists()


def test_completed_task_keeps_progress_counters_result_and_duration(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 3, "seconds": 0.01})
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert (task.progress_done, task.progress_total, task.percent) == (3, 3, 100)
    assert task.counters == {"steps": 3}
    assert task.result["steps"] == 3
    assert task.attempt == 1
    assert task.started_at <= task.finished_at
    assert task.duration > timedelta(0)
    assert str(task.message) == "Step 3 of 3 done"
    # A first attempt that succeeds adds no line of its own: its times and status say it.
    assert _messages(task) == ["Queued"]


def test_progress_writes_are_throttled(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 3000, "seconds": 0})
    with CaptureQueriesContext(connection) as queries:
        run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.progress_done == 3000
    progress_writes = [q for q in queries if q["sql"].startswith('UPDATE "tasks_task" SET "progress_done"')]
    # 3000 progress() calls in well under a second: a handful of writes, not thousands.
    assert len(progress_writes) < 20


def test_failing_attempts_are_retried_then_the_task_fails(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 2, "seconds": 0, "fail_at": 1}, backoff=[0, 0])
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED
    assert task.attempt == 3
    assert str(task.error) == "RuntimeError: Diagnostic failure at step 1"
    assert str(task.message) == "Failed: RuntimeError: Diagnostic failure at step 1"
    log = "\n".join(_messages(task))
    assert "Traceback (most recent call last)" in log
    assert "Attempt 3 of 3 started" in log
    assert "Failed after 3 attempts" in log


def test_a_retry_can_succeed(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 2, "seconds": 0, "fail_at": 1, "fail_attempts": 1}, backoff=[0])
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.result["attempt"] == 2
    assert str(task.error) == ""


def test_a_failed_attempt_waits_for_its_backoff(alice, start_task, run_worker, redis_conn):
    task = start_task(alice, params={"steps": 1, "seconds": 0, "fail_at": 1})
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING
    assert task.attempt == 1
    # Defaults: 3 attempts, 30 s then 60 s.
    assert task.max_attempts == 3 and task.backoff == [30, 60, 120]
    assert 28 <= task.retry_in_seconds <= 30
    assert str(task.message) == "Attempt 1 of 3 failed: RuntimeError: Diagnostic failure at step 1"
    # Nothing is queued until the time comes: the watcher enqueues it then.
    assert task.rq_job_id == ""
    assert django_rq.get_queue("default").count == 0
    assert lifecycle.enqueue_due_retries() == 0
    assert lifecycle.enqueue_due_retries(now=task.retry_at) == 1
    task.refresh_from_db()
    assert task.retry_at is None and django_rq.get_queue("default").job_ids == [task.rq_job_id]
    # Taken once, even by two watchers.
    assert lifecycle.enqueue_due_retries(now=timezone.now() + timedelta(minutes=5)) == 0


def test_an_attempt_that_runs_too_long_times_out(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 1, "seconds": 3}, timeout=1, max_attempts=1)
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED
    assert str(task.error) == "Timed out after 1 s"


def test_a_cancelled_pending_task_never_starts(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 1, "seconds": 0})
    assert lifecycle.cancel(task)
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert task.started_at is None and task.attempt == 0


def test_cancelling_a_finished_task_changes_nothing(alice, start_task, run_worker):
    task = start_task(alice, params={"steps": 1, "seconds": 0})
    run_worker()
    task.refresh_from_db()
    assert not lifecycle.cancel(task)
    assert task.status == Task.Status.COMPLETED


def test_cancel_all_cancels_only_that_persons_active_tasks(alice, charlie, start_task, run_worker):
    done = start_task(alice, params={"steps": 1, "seconds": 0})
    run_worker()
    mine = [start_task(alice) for _ in range(3)]
    theirs = start_task(charlie)
    assert lifecycle.cancel_all(alice) == 3
    assert {t.status for t in Task.objects.filter(pk__in=[t.pk for t in mine])} == {Task.Status.CANCELLED}
    theirs.refresh_from_db()
    done.refresh_from_db()
    assert theirs.status == Task.Status.PENDING
    assert done.status == Task.Status.COMPLETED


def test_a_cancelled_task_can_be_retried(alice, start_task, run_worker, committed):
    task = start_task(alice, params={"steps": 2, "seconds": 0})
    lifecycle.cancel(task)
    assert committed(lifecycle.retry, task)
    assert task.status == Task.Status.PENDING and task.attempt == 0
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert "Queued again by you" in _messages(task)


def test_a_running_or_completed_task_cannot_be_retried(alice, start_task):
    task = start_task(alice)
    assert not lifecycle.retry(task)


def test_waiting_user_round_trip(alice, start_task, run_worker, committed):
    task = start_task(alice, params={"steps": 2, "seconds": 0, "ask_at": 1})
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.WAITING_USER
    assert task.question["key"] == "note"
    assert task.progress_done == 1
    assert task.status_document()["question"]["fields"][0]["name"] == "note"

    assert committed(lifecycle.answer, task, {"note": "looks fine"})
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.result["note"] == "looks fine"
    # Answering resumes the same attempt; it is not a retry.
    assert task.attempt == 1


def test_redis_down_at_start_fails_the_task_with_a_clear_message(alice, redis_down, start_task):
    task = start_task(alice)
    assert task.status == Task.Status.FAILED
    assert str(task.error).startswith("Queue unavailable")
    assert Task.objects.get().status == Task.Status.FAILED


def test_redis_down_retry_changes_nothing(alice, start_task, run_worker, settings, redis_down):
    task = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.FAILED, error="boom")
    with pytest.raises(lifecycle.QueueUnavailable):
        lifecycle.retry(task)
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED and str(task.error) == "boom"


def test_an_unknown_kind_fails_without_retrying(alice, start_task, run_worker):
    task = start_task(alice)
    Task.objects.filter(pk=task.pk).update(kind="gone.away")
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED
    assert str(task.error) == "Unknown task kind “gone.away”"


def _running_task(user, **fields):
    """A task a worker claimed, as the database shows it after that worker vanished."""
    long_ago = timezone.now() - timedelta(minutes=5)
    task = Task.objects.create(user=user, kind="jobmate.sleep", params={"steps": 1, "seconds": 0},
                               status=Task.Status.RUNNING, attempt=1, started_at=long_ago,
                               rq_job_id="gone-job", backoff=[0, 0], **fields)
    Task.objects.filter(pk=task.pk).update(updated_at=long_ago)
    return task


def test_sweep_retries_a_running_task_whose_job_is_gone(alice, redis_conn, run_worker):
    task = _running_task(alice)
    report = lifecycle.sweep()
    assert report["retried"] == 1
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING
    assert str(task.error) == "worker lost (its job is gone from the queue)"
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.attempt == 2


def test_sweep_fails_a_lost_task_on_its_last_attempt(alice, redis_conn):
    task = _running_task(alice, max_attempts=1)
    assert lifecycle.sweep()["failed"] == 1
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED
    assert str(task.error).startswith("worker lost")


def test_sweep_leaves_recent_tasks_alone(alice, redis_conn):
    task = _running_task(alice)
    Task.objects.filter(pk=task.pk).update(updated_at=timezone.now())
    assert lifecycle.sweep()["checked"] == 0
    task.refresh_from_db()
    assert task.status == Task.Status.RUNNING


def test_sweep_requeues_a_pending_task_whose_job_redis_lost(alice, start_task, redis_conn, run_worker):
    task = start_task(alice, params={"steps": 1, "seconds": 0})
    redis_conn.flushdb()  # Redis restarted without its data
    Task.objects.filter(pk=task.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert lifecycle.sweep()["requeued"] == 1
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED


def test_the_claim_statement_follows_the_models_fields(alice, start_task):
    """The claim is raw SQL built from the models' metadata: a field added to Task comes
    back loaded, and a renamed column cannot leave the statement behind."""
    task = start_task(alice)
    # A job the task no longer waits for (replaced by a later enqueue) claims nothing.
    assert lifecycle.claim(task.pk, job_id="some-stale-job") is None
    claimed = lifecycle.claim(task.pk, job_id=task.rq_job_id)
    assert claimed.get_deferred_fields() == set()
    assert {field.attname for field in Task._meta.concrete_fields} <= set(claimed.__dict__)
    assert (claimed.status, claimed.attempt, claimed.rq_job_id) == (Task.Status.RUNNING, 1, task.rq_job_id)
    assert claimed.process.endswith(f":{os.getpid()}")
    # Claimed once: a second worker holding the same job gets nothing.
    assert lifecycle.claim(task.pk, job_id=task.rq_job_id) is None


def test_a_run_handed_on_never_writes_over_the_next(alice, start_task, committed):
    """The job id fences each run: after the person retries a task whose old run still
    goes on somewhere, the old run's writes change nothing."""
    task = start_task(alice)
    old_run = lifecycle.claim(task.pk, job_id=task.rq_job_id)
    lifecycle.cancel(task)
    assert committed(lifecycle.retry, Task.objects.get(pk=task.pk))
    new_run = lifecycle.claim(task.pk, job_id=Task.objects.get(pk=task.pk).rq_job_id)
    assert new_run.attempt == old_run.attempt == 1
    assert not lifecycle.complete(old_run, result_json="{}", message="old", done=1, total=1, counters={}, warnings=[])
    assert not lifecycle.fail(old_run, "old")
    assert not lifecycle.record_progress(old_run, done=1, total=1, message="old", counters={}, warnings=[])
    assert lifecycle.complete(new_run, result_json="{}", message="new", done=1, total=1, counters={}, warnings=[])
    assert str(Task.objects.get(pk=task.pk).message) == "new"


def test_a_waiting_retry_of_a_kind_that_no_longer_exists_fails_without_stopping_the_others(alice, redis_conn):
    now = timezone.now()
    gone = Task.objects.create(user=alice, kind="app.renamed", status=Task.Status.PENDING, attempt=1,
                               retry_at=now - timedelta(seconds=1))
    due = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.PENDING, attempt=1,
                              retry_at=now - timedelta(seconds=1))
    assert lifecycle.enqueue_due_retries() == 1
    gone.refresh_from_db()
    assert (gone.status, str(gone.error)) == (Task.Status.FAILED, "Unknown task kind “app.renamed”")
    assert django_rq.get_queue("default").job_ids == [Task.objects.get(pk=due.pk).rq_job_id]
    assert not lifecycle.retry(gone)


def test_an_immediate_retry_with_redis_down_waits_for_the_watcher(alice, start_task, run_worker, settings,
                                                                   throwaway_redis):
    task = start_task(alice, params={"steps": 1, "seconds": 0, "fail_at": 1}, backoff=[0])
    claimed = lifecycle.claim(task.pk, job_id=task.rq_job_id)
    throwaway_redis.stop()
    settings.REDIS_URL, settings.REDIS_TIMEOUT = throwaway_redis.url, 1
    assert lifecycle.fail_attempt(claimed, "boom") == Task.Status.PENDING
    task.refresh_from_db()
    # Not failed for a moment without Redis: due now, for the watcher's next pass.
    assert task.status == Task.Status.PENDING and task.retry_at is not None
