"""`make run` (python -m jobmate.dev run) as a person runs it: a process that dies is
restarted, and stopping it leaves nothing behind."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django_rq
import psutil
import pytest
from django.conf import settings

from conftest import database_url_for_subprocesses
from jobmate.dev import free_port
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task
from jobmate.tasks.tests.test_worker_process import fresh, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _live_worker_pids() -> set[int]:
    return {worker.pid for worker in lifecycle.live_workers(django_rq.get_connection("default"))}


@pytest.fixture
def make_run(redis_conn):
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocesses(), "REDIS_URL": settings.REDIS_URL,
           "DEBUG": "true"}
    log = tempfile.NamedTemporaryFile(prefix="jobmate-make-run-", suffix=".log", delete=False)
    process = subprocess.Popen([sys.executable, "-m", "jobmate.dev", "run", "--port", str(free_port())],
                               cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
    process.wait(10)
    print(Path(log.name).read_text(errors="replace")[-20000:])
    os.unlink(log.name)


def test_make_run_restarts_a_killed_worker_and_stops_everything(make_run, alice):
    first = wait_for(_live_worker_pids, timeout=60)
    (worker_pid,) = first
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 2, "seconds": 3})
    wait_for(lambda: fresh(task).status == Task.Status.RUNNING, timeout=20)
    # Every process make run has at this moment, the work-horse running the task included.
    family = psutil.Process(make_run.pid).children(recursive=True)
    assert any(p.pid != worker_pid and "rqworker" in " ".join(p.cmdline()) and p.ppid() == worker_pid
               for p in family)

    os.kill(worker_pid, signal.SIGKILL)  # the worker's main process, as the OOM killer would
    restarted = wait_for(lambda: _live_worker_pids() - {worker_pid}, timeout=60)
    assert worker_pid not in restarted

    newcomer = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 1, "seconds": 0})
    wait_for(lambda: fresh(newcomer).status == Task.Status.COMPLETED, timeout=30)
    wait_for(lambda: fresh(task).status == Task.Status.COMPLETED, timeout=60)

    family += psutil.Process(make_run.pid).children(recursive=True)  # the restarted worker too
    make_run.send_signal(signal.SIGINT)  # Ctrl-C
    assert make_run.wait(30) == 0
    time.sleep(0.5)
    assert [p.pid for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
