"""The task engine under faults, with real processes: workers killed in the middle of a
task, the watcher (`manage.py tasks watch`) recovering what they leave behind, delayed
retries on time after a crash. Nothing here runs the sweep by hand."""

import os
import signal
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task
from jobmate.tasks.tests.test_worker_process import fresh, wait_for

pytestmark = pytest.mark.slow

# The watcher as deployed, but judging silent tasks after 2 s rather than 15 s, so that
# the tests need not wait.
WATCH = ("tasks", "watch", "--interval", "0.5", "--grace", "2")


def test_main_worker_sigkilled_its_orphaned_horse_finishes_once_and_a_new_worker_runs_new_tasks(
        worker_process, command_process, alice, client):
    command_process(*WATCH)
    first = worker_process()
    # Steps longer than the watcher's grace: the orphaned work-horse falls silent.
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 2, "seconds": 4})
    wait_for(lambda: fresh(task).progress_done >= 1)

    # kill -9 of the worker's main process alone: its work-horse lives on, orphaned.
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(10)
    # The dead worker is not counted, although RQ still has its registration.
    assert client.get(reverse("healthz")).json()["workers"] == 0

    # The watcher sees the horse still running the attempt and leaves it be: the attempt
    # ends where it began, once, without a second run beside it.
    wait_for(lambda: fresh(task).status == Task.Status.COMPLETED, timeout=20)
    task = fresh(task)
    assert (task.attempt, task.result["attempt"]) == (1, 1)

    # A task started while no worker lives waits; once a worker is back, it runs.
    newcomer = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 1, "seconds": 0})
    time.sleep(1)
    assert fresh(newcomer).status == Task.Status.PENDING
    worker_process()
    assert client.get(reverse("healthz")).json()["workers"] == 1
    wait_for(lambda: fresh(newcomer).status == Task.Status.COMPLETED, timeout=30)


def test_a_task_whose_worker_and_horse_died_is_retried_without_any_live_worker(
        worker_process, command_process, alice):
    command_process(*WATCH)
    first = worker_process()
    task = lifecycle.start("jobmate.sleep", user=alice, backoff=[0], params={"steps": 3, "seconds": 4})
    wait_for(lambda: fresh(task).progress_done >= 1)
    killed_at = time.monotonic()
    first.kill()
    wait_for(lambda: fresh(task).status == Task.Status.PENDING, timeout=15)
    assert time.monotonic() - killed_at < 15
    assert str(fresh(task).error) == "worker lost (its process died)"
    worker_process()
    wait_for(lambda: fresh(task).status == Task.Status.COMPLETED, timeout=40)
    assert fresh(task).result["attempt"] == 2


def test_whole_worker_killed_and_restarted_the_retry_runs_on_time(worker_process, command_process, alice):
    command_process(*WATCH)
    first = worker_process()
    task = lifecycle.start("jobmate.sleep", user=alice, backoff=[6],
                           params={"steps": 1, "seconds": 0, "fail_at": 1, "fail_attempts": 1})
    wait_for(lambda: fresh(task).retry_at is not None, timeout=20)
    announced = fresh(task).retry_at
    first.kill()  # worker and work-horse, as a power cut would
    worker_process()

    wait_for(lambda: fresh(task).status == Task.Status.COMPLETED, timeout=40)
    started = task.logs.get(message__code="tasks.attempt_started", message__params__attempt=2).time
    lateness = (started - announced).total_seconds()
    assert 0 <= lateness < 30, lateness


def test_a_task_on_its_last_attempt_fails_when_its_worker_dies(worker_process, command_process, alice):
    command_process(*WATCH)
    first = worker_process()
    task = lifecycle.start("jobmate.sleep", user=alice, max_attempts=1, params={"steps": 40, "seconds": 0.25})
    wait_for(lambda: fresh(task).progress_done >= 1)
    first.kill()
    wait_for(lambda: fresh(task).status == Task.Status.FAILED, timeout=15)
    assert str(fresh(task).error).startswith("worker lost")


def test_a_restarted_worker_recovers_what_the_dead_one_left_even_without_the_watcher(worker_process, alice):
    first = worker_process()
    task = lifecycle.start("jobmate.sleep", user=alice, backoff=[0], params={"steps": 40, "seconds": 0.25})
    wait_for(lambda: fresh(task).progress_done >= 1)
    first.kill()
    # Past the grace a running task gets before it is judged.
    wait_for(lambda: fresh(task).updated_at < timezone.now() - lifecycle.SWEEP_GRACE, timeout=30, interval=0.5)
    worker_process()
    wait_for(lambda: fresh(task).status == Task.Status.COMPLETED, timeout=40)
    assert fresh(task).attempt == 2


def test_healthz_counts_only_workers_whose_heartbeat_is_alive(worker_process, client, redis_conn):
    from rq import Worker

    worker = worker_process()
    assert client.get(reverse("healthz")).json()["workers"] == 1
    worker.kill()
    # RQ keeps the dead worker's registration for minutes...
    assert len(Worker.all(connection=redis_conn)) == 1
    # ...but it is not a worker any more.
    assert client.get(reverse("healthz")).json()["workers"] == 0


def test_a_silent_worker_elsewhere_stops_counting_after_its_heartbeat(redis_conn):
    from datetime import timedelta

    from rq import Worker

    # A worker registered from another host: only its heartbeat can tell.
    worker = Worker(["default"], connection=redis_conn, name="elsewhere")
    worker.hostname = "another-host"
    worker.register_birth()
    assert [w.name for w in lifecycle.live_workers(redis_conn)] == ["elsewhere"]
    later = timezone.now() + lifecycle.HEARTBEAT_SILENCE + timedelta(seconds=1)
    assert lifecycle.live_workers(redis_conn, now=later) == []
    # Within two minutes of the last heartbeat: the bound for "no worker".
    assert lifecycle.HEARTBEAT_SILENCE <= timedelta(minutes=2)
