"""What tracking costs: the task engine against raw RQ, in one run on the same Redis.

    .venv/bin/python bench/tasks.py [N] [--lang=fr]

1. Throughput of N trivial tracked tasks (jobmate.sleep with no steps) against N raw RQ
   jobs (a no-op), each drained by a real `rqworker --burst`, forking and simple.
   Goal: tracked / raw >= 0.7.
2. Enqueue-to-running latency with an idle worker (Task.created_at → Task.started_at).
   Goal: p50 <= 100 ms.
3. The polling fragment (`/tasks/<id>/?part=status`): SQL queries and server time.
   Goal: <= 3 queries, p50 <= 5 ms.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup()

import django_rq  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rq.job import Job  # noqa: E402

from jobmate.tasks import lifecycle  # noqa: E402
from jobmate.tasks.diagnostics import STEP_DONE  # noqa: E402
from jobmate.tasks.models import Task, TaskLog  # noqa: E402
from profiles.models import User  # noqa: E402

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
# The language the person reads the polling fragment in (saved on their account).
LANG = next((arg.split("=", 1)[1] for arg in sys.argv[1:] if arg.startswith("--lang=")), "en")
N = int(ARGS[0]) if ARGS else 200
user = User.objects.create_user(email="bench@example.com", password="bench-pass-123", language=LANG)
queue = django_rq.get_queue("default")
redis = django_rq.get_connection("default")


def span(job_ids: list[str]) -> float:
    """Seconds from the first job's start to the last job's end, from RQ's own records."""
    jobs = Job.fetch_many(job_ids, connection=redis)
    return (max(job.ended_at for job in jobs) - min(job.started_at for job in jobs)).total_seconds()


def drain(worker_class: str) -> None:
    harness.start_worker("default", "--burst", "--worker-class", worker_class).wait()


def raw_throughput(worker_class: str) -> tuple[float, float]:
    with harness.Timer() as enqueue:
        ids = [queue.enqueue("bench.jobs.noop", result_ttl=3600).id for _ in range(N)]
    drain(worker_class)
    return N / enqueue.seconds, N / span(ids)


def tracked_throughput(worker_class: str) -> tuple[float, float]:
    with harness.Timer() as enqueue:
        tasks = [lifecycle.start("jobmate.sleep", user=user, params={"steps": 0, "seconds": 0})
                 for _ in range(N)]
    drain(worker_class)
    done = Task.objects.filter(pk__in=[t.pk for t in tasks], status=Task.Status.COMPLETED).count()
    assert done == N, f"only {done} of {N} tracked tasks completed"
    return N / enqueue.seconds, N / span([t.rq_job_id for t in tasks])


# The machine is noisy (2 cores shared with PostgreSQL and Redis): raw and tracked runs
# alternate, ROUNDS times each, and the medians are compared.
ROUNDS = 3
rows = []
ratios = {}
for worker_class, label in (("jobmate.tasks.worker.TaskWorker", "forking TaskWorker (production)"),
                            ("rq.SimpleWorker", "SimpleWorker")):
    raw, tracked = [], []
    for _ in range(ROUNDS):
        raw.append(raw_throughput(worker_class))
        tracked.append(tracked_throughput(worker_class))
    raw_enqueue, raw_run = (harness.median([r[i] for r in raw]) for i in (0, 1))
    tracked_enqueue, tracked_run = (harness.median([t[i] for t in tracked]) for i in (0, 1))
    ratios[label] = tracked_run / raw_run
    rows.append((label, "raw RQ job", f"{raw_enqueue:,.0f}", f"{raw_run:,.0f}", ""))
    rows.append((label, "tracked task", f"{tracked_enqueue:,.0f}", f"{tracked_run:,.0f}",
                 f"{tracked_run / raw_run:.2f}"))

# --- latency with an idle worker ----------------------------------------------------------
worker = harness.start_worker("default")
time.sleep(2)  # let it start and block on the queue
latencies = []
for _ in range(60):
    task = lifecycle.start("jobmate.sleep", user=user, params={"steps": 0, "seconds": 0})
    deadline = time.monotonic() + 10
    while task.status != Task.Status.COMPLETED and time.monotonic() < deadline:
        time.sleep(0.01)
        task.refresh_from_db()
    latencies.append((task.started_at - task.created_at).total_seconds() * 1000)
    time.sleep(0.05)
worker.terminate()
worker.wait()

# --- the polling fragment -----------------------------------------------------------------
running = Task.objects.create(user=user, kind="jobmate.sleep", status=Task.Status.RUNNING,
                              progress_done=3, progress_total=10, message=STEP_DONE(step=3, steps=10),
                              counters={"offers found": 12}, attempt=1)
TaskLog.objects.bulk_create(TaskLog(task=running, message=STEP_DONE(step=n, steps=50)) for n in range(50))
client = Client()
client.force_login(user)
url = f"/tasks/{running.pk}/?part=status&seen=running"
client.get(url, HTTP_HX_REQUEST="true")  # warm up
times, queries = [], []
for _ in range(300):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url, HTTP_HX_REQUEST="true")
        times.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200
    queries.append(len(captured))

print(f"JobMate task engine benchmark — {harness.machine()}")
print(f"N = {N}, pages in {LANG}")
print(harness.table(f"Throughput, median of {ROUNDS} alternating rounds (jobs/s; run = first start to last end, from RQ's records)",
                    rows, ("worker", "work", "enqueue/s", "run/s", "tracked/raw")))
print(harness.table("Enqueue-to-running latency, idle forking worker (60 tasks)", [
    ("p50", f"{harness.median(latencies):.1f} ms"),
    ("p95", f"{harness.percentile(latencies, 0.95):.1f} ms"),
    ("max", f"{max(latencies):.1f} ms"),
], ("", "latency")))
print(harness.table("Polling fragment /tasks/<id>/?part=status (300 requests, in-process)", [
    ("SQL queries", f"{max(queries)}"),
    ("server time p50", f"{harness.median(times):.2f} ms"),
    ("server time p95", f"{harness.percentile(times, 0.95):.2f} ms"),
], ("", "value")))
production_ratio = ratios["forking TaskWorker (production)"]
print("\nGoals:")
print(f"  tracked/raw throughput >= 0.7 (forking worker): {production_ratio:.2f}"
      f" {'ok' if production_ratio >= 0.7 else 'MISSED'}")
print(f"  latency p50 <= 100 ms: {harness.median(latencies):.1f} ms"
      f" {'ok' if harness.median(latencies) <= 100 else 'MISSED'}")
print(f"  fragment <= 3 queries: {max(queries)} {'ok' if max(queries) <= 3 else 'MISSED'}")
print(f"  fragment p50 <= 5 ms: {harness.median(times):.2f} ms"
      f" {'ok' if harness.median(times) <= 5 else 'MISSED'}")
