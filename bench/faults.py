"""The task engine under faults, with the processes a deployment runs (a worker and the
watcher, with their default settings).

    .venv/bin/python bench/faults.py [KILLS]

1. Worker death to recovery: a task runs a long silent step; its worker and work-horse
   are SIGKILLed. Time from the kill to the task leaving RUNNING (retried by the
   watcher), KILLS times. Goal: within the task's timeout + 2 minutes. (A worker killed
   alone leaves an orphaned work-horse that finishes its attempt: nothing to recover.)
2. Retry lateness after a crash: a first attempt fails (backoff 10 s); the whole worker is
   killed while the retry waits, and a new one started. Time from the announced retry
   to the second attempt's start. Goal: < 30 s.
3. Requests with Redis hung (SIGSTOP): server time of pages that reach Redis, with
   REDIS_TIMEOUT at its default (2 s). Goal: <= REDIS_TIMEOUT + 0.5 s.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup()

import psutil  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from discovery.models import Offer  # noqa: E402
from jobmate.tasks import lifecycle  # noqa: E402
from jobmate.tasks.models import Task  # noqa: E402
from profiles.models import User  # noqa: E402

KILLS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
user = User.objects.create_user(email="bench@example.com", password="bench-pass-123")


def manage(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=harness.BASE_DIR, env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def wait_for(predicate, timeout=300.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    raise RuntimeError("timed out")


def live_worker(process: subprocess.Popen) -> None:
    import django_rq

    connection = django_rq.get_connection("default")
    wait_for(lambda: any(w.pid == process.pid for w in lifecycle.live_workers(connection)), timeout=60)


def kill_family(process: subprocess.Popen, *, horse: bool) -> None:
    family = psutil.Process(process.pid).children(recursive=True) if horse else []
    for member in [*family, psutil.Process(process.pid)]:
        member.kill()
    process.wait(10)


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(10)


def state(task: Task) -> Task:
    task.refresh_from_db()
    return task


def recovery() -> float:
    worker = manage("rqworker", "default")
    live_worker(worker)
    task = lifecycle.start("jobmate.sleep", user=user, backoff=[600], params={"steps": 1, "seconds": 120})
    wait_for(lambda: state(task).status == Task.Status.RUNNING)
    horses = psutil.Process(worker.pid).children(recursive=True)
    time.sleep(1)
    killed = time.monotonic()
    kill_family(worker, horse=True)
    wait_for(lambda: state(task).status != Task.Status.RUNNING)
    seconds = time.monotonic() - killed
    for orphan in horses:  # the orphaned horse of this round must not outlive it
        try:
            orphan.kill()
        except psutil.NoSuchProcess:
            pass
    lifecycle.cancel(task)
    return seconds


def retry_lateness() -> float:
    worker = manage("rqworker", "default")
    live_worker(worker)
    task = lifecycle.start("jobmate.sleep", user=user, backoff=[10],
                           params={"steps": 1, "seconds": 0, "fail_at": 1, "fail_attempts": 1})
    announced = wait_for(lambda: state(task).retry_at)
    kill_family(worker, horse=True)
    replacement = manage("rqworker", "default")
    try:
        wait_for(lambda: state(task).status == Task.Status.COMPLETED, timeout=120)
        started = task.logs.get(message="Attempt 2 of 3 started").time
    finally:
        stop(replacement)
    return (started - announced).total_seconds()


def redis_hung_timings() -> list[tuple]:
    from jobmate.embedded import _redis_server_binary

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tempfile.mkdtemp()
    server = subprocess.Popen([_redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", directory], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    offers = [Offer.objects.create(user=user, source="remotive", title=f"Python developer {n}", company="Acme",
                                   canonical_url=f"https://jobs.example/{n}", fingerprint=f"print-{n}")
              for n in range(20)]
    client = Client()
    client.force_login(user)
    client.get("/inbox/")
    os.kill(server.pid, signal.SIGSTOP)
    pages = {
        "/healthz": lambda: client.get("/healthz"),
        "/inbox/ (undo peek)": lambda: client.get("/inbox/"),
        "approve (undo push)": lambda: client.post(f"/inbox/{offers.pop().pk}/approve/"),
        "start a search (enqueue)": lambda: client.post(
            "/search/", {"keywords": "python", "sources": ["remotive"], "remote_policy": "any"}),
    }
    rows = []
    try:
        for name, call in pages.items():
            seconds = []
            for _ in range(5):
                with harness.Timer() as timer:
                    call()
                seconds.append(timer.seconds)
            rows.append((name, f"{harness.median(seconds):.2f}", f"{max(seconds):.2f}"))
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.kill()
    return rows


def main() -> None:
    from django.core.management import call_command

    # Production settings: pages name their static files through the collected manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    print(harness.machine())
    watcher = manage("tasks", "watch")
    try:
        seconds = [recovery() for _ in range(KILLS)]
        print(harness.table("1. Worker and work-horse SIGKILLed → task retried (watcher: every 5 s, grace 15 s)",
                            [(KILLS, f"{harness.median(seconds):.1f}", f"{max(seconds):.1f}")],
                            ("kills", "p50 s", "max s")))
        lateness = [retry_lateness() for _ in range(KILLS)]
        print(harness.table("2. Retry lateness after the whole worker was killed (backoff 10 s)",
                            [(KILLS, f"{harness.median(lateness):.1f}", f"{max(lateness):.1f}")],
                            ("runs", "p50 s", "max s")))
    finally:
        stop(watcher)
    print(harness.table(f"3. Requests with Redis hung (REDIS_TIMEOUT = {settings.REDIS_TIMEOUT} s), 5 each",
                        redis_hung_timings(), ("request", "p50 s", "max s")))
    print(f"\n{timezone.now():%Y-%m-%d %H:%M} UTC")


main()
