"""`manage.py scrape --sync` beside the watcher and a worker, as a real deployment runs
them: the command's task is never run a second time by the workers, and a command that
dies leaves it failed, not retried."""

import time
from pathlib import Path

import pytest

from discovery.models import Offer, SearchConfig
from jobmate.tasks.models import Task
from jobmate.tasks.tests.test_worker_process import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parent / "fixtures"
WATCH = ("tasks", "watch", "--interval", "0.5", "--grace", "1")


def _board(web_server, delay: float) -> dict:
    web_server.routes["/remoteok"] = (200, {"Content-Type": "application/json"},
                                     (FIXTURES / "remoteok_api.documented.json").read_text(), delay)
    return {"JOBMATE_SOURCE_REMOTEOK_URL": f"{web_server.url}/remoteok"}


def _board_requests(web_server) -> int:
    return sum(path.startswith("/remoteok") for path in web_server.requests)


def test_scrape_sync_beside_the_watcher_runs_once(alice, web_server, command_process, worker_process):
    env = _board(web_server, delay=4)  # longer than the watcher's grace
    config = SearchConfig.objects.create(user=alice, name="Sync", keywords=["django"], sources=["remoteok"])
    command_process(*WATCH)
    worker_process(env=env)

    sync = command_process("scrape", "--config", str(config.pk), "--sync", env=env)
    assert sync.process.wait(60) == 0, sync.output
    time.sleep(2)  # a second run, if the watcher had handed the task on, would show by now

    task = Task.objects.get()
    assert (task.status, task.attempt, task.in_command) == (Task.Status.COMPLETED, 1, True)
    assert task.rq_job_id.startswith("command-")  # never a job of the queue
    assert _board_requests(web_server) == 1
    assert Offer.objects.filter(user=alice).count() == 1
    assert "1 new offer" in sync.output


def test_a_crashed_scrape_sync_ends_failed_and_no_worker_runs_it(alice, web_server, command_process, worker_process):
    env = _board(web_server, delay=6)
    config = SearchConfig.objects.create(user=alice, name="Sync", keywords=["django"], sources=["remoteok"])
    command_process(*WATCH)
    worker_process(env=env)

    sync = command_process("scrape", "--config", str(config.pk), "--sync", env=env)
    wait_for(lambda: _board_requests(web_server) == 1, timeout=30)
    sync.kill()

    task = wait_for(lambda: Task.objects.filter(status=Task.Status.FAILED).first(), timeout=15)
    assert str(task.error) == "the command running it stopped"
    time.sleep(8)  # long enough for a worker to have run it again, had it been handed on
    task.refresh_from_db()
    assert (task.status, task.attempt) == (Task.Status.FAILED, 1)
    assert _board_requests(web_server) == 1

    # The person may run it again; the workers take it this time.
    from jobmate.tasks import lifecycle

    assert lifecycle.retry(task)
    wait_for(lambda: Task.objects.get(pk=task.pk).status == Task.Status.COMPLETED, timeout=40)
    task.refresh_from_db()
    assert not task.in_command and task.max_attempts == 3
