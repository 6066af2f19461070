"""The task engine against real `manage.py rqworker` processes (forking work-horses), as
in production."""

import time

import django_rq
import pytest
from django.urls import reverse
from rq.job import Job, JobStatus

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

pytestmark = pytest.mark.slow


def wait_for(predicate, timeout=20.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s")


def fresh(task):
    task.refresh_from_db()
    return task


def test_progress_reaches_the_page_while_the_worker_runs(worker_process, alice, client):
    worker_process()
    client.force_login(alice)
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 6, "seconds": 0.4})
    url = reverse("task_detail", args=[task.pk])
    seen = set()
    while True:
        document = client.get(url, HTTP_ACCEPT="application/json").json()
        seen.add((document["status"], document["progress"]["done"]))
        if document["status"] not in ("pending", "running"):
            break
        time.sleep(0.1)
        assert len(seen) < 500
    assert document["status"] == "completed"
    assert document["progress"] == {"done": 6, "total": 6, "percent": 100}
    # The page saw the task in between: running, part done.
    assert any(status == "running" and 0 < done < 6 for status, done in seen)


def test_cancelling_a_hung_step_stops_the_work_horse_within_5_seconds(worker_process, alice):
    worker_process()
    # One step of a minute: no cooperative check can happen, RQ's stop command must act.
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 1, "seconds": 60})
    wait_for(lambda: fresh(task).status == Task.Status.RUNNING)
    connection = django_rq.get_connection("default")
    job = Job.fetch(task.rq_job_id, connection=connection)
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.STARTED)

    began = time.monotonic()
    assert lifecycle.cancel(task)
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.STOPPED, timeout=5)
    stopped_after = time.monotonic() - began
    assert stopped_after < 5
    assert fresh(task).status == Task.Status.CANCELLED

    # The worker is free again: the next task runs.
    follow_up = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 1, "seconds": 0})
    wait_for(lambda: fresh(follow_up).status == Task.Status.COMPLETED)


def test_cancelling_between_steps_stops_cooperatively(worker_process, alice):
    worker_process()
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 50, "seconds": 0.1})
    wait_for(lambda: fresh(task).progress_done >= 2)
    lifecycle.cancel(task)
    done_at_cancel = fresh(task).progress_done
    time.sleep(1)
    task = fresh(task)
    assert task.status == Task.Status.CANCELLED
    assert task.progress_done <= done_at_cancel + 1
    assert task.finished_at is not None


def test_a_pending_task_cancelled_before_a_worker_exists_never_runs(worker_process, alice):
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 1, "seconds": 0})
    lifecycle.cancel(task)
    worker_process()
    marker = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 1, "seconds": 0})
    wait_for(lambda: fresh(marker).status == Task.Status.COMPLETED)
    task = fresh(task)
    assert task.status == Task.Status.CANCELLED and task.started_at is None


def test_retry_waits_its_backoff_then_the_watcher_enqueues_it(worker_process, command_process, alice):
    command_process("tasks", "watch", "--interval", "0.5")
    worker_process()
    task = lifecycle.start("jobmate.sleep", user=alice, backoff=[2],
                           params={"steps": 1, "seconds": 0, "fail_at": 1, "fail_attempts": 1})
    wait_for(lambda: fresh(task).status == Task.Status.COMPLETED, timeout=30)
    logs = {str(entry.message): entry.time for entry in task.logs.all()}
    first_failed = logs["Attempt 1 failed; next try in 2 seconds"]
    second_started = logs["Attempt 2 of 3 started"]
    assert 1.9 <= (second_started - first_failed).total_seconds() < 10
    assert fresh(task).result["attempt"] == 2


# Workers killed mid-task, and the watcher that recovers their tasks: test_faults.py.
