"""The whole CV import task in a real worker: from the upload to the review waiting for the
person, and the memory it takes — the worker's work-horse (the forked process running the
task) and the child process that reads the PDF (coach/pdftext.py), sampled every 10 ms.

    DATABASE_URL=postgres://…/postgres REDIS_URL=redis://…/12 .venv/bin/python bench/cv_task.py [N]

A two-page CV and a 4.8 MB one (a large photo: the size the upload allows), N imports of
each (default 5), no LLM. Goal: the import task's peak memory known and bounded for a 5 MB
PDF; reading a two-page CV <= 1 s."""

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup("jobmate_bench_cv")

import psutil  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from coach import cvimport  # noqa: E402
from coach.models import Cv  # noqa: E402
from coach.tests import pdfs  # noqa: E402
from jobmate.tasks.models import Task  # noqa: E402
from profiles.models import User  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5
HEADER = ["Camille Martin", "Backend developer", "camille@example.com · Lyon"]
JOB = ["**Backend developer — Acme, Lyon", "Sep 2021 – Present", "• Built the billing API in Django on PostgreSQL",
       "• Cut the search's p95 latency from 900 ms to 120 ms", "• Ran the weekly architecture review"]
SECTIONS = [("Skills", ["Python, Django, PostgreSQL, Redis, Docker, Kubernetes, AWS, Terraform"]),
            ("Experience", JOB * 8),
            ("Education", ["**MSc Computer Science — Université de Lyon", "2016 – 2018"]),
            ("Languages", ["English — fluent (C1)", "French — native"])]


class Peaks:
    """The largest resident memory seen, in MB, of the worker's work-horse and of the
    PDF-reading child (a process running `coach.pdftext`)."""

    def __init__(self, worker_pid: int):
        self.worker = psutil.Process(worker_pid)
        self.horse = self.reader = 0.0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while self.running:
            try:
                for child in self.worker.children(recursive=True):
                    rss = child.memory_info().rss / 1e6
                    if "coach.pdftext" in " ".join(child.cmdline()):
                        self.reader = max(self.reader, rss)
                    else:
                        self.horse = max(self.horse, rss)
            except psutil.Error:
                pass
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.thread.join()


def import_once(user, data: bytes) -> float:
    started = time.perf_counter()
    cv = cvimport.upload(user, SimpleUploadedFile("cv.pdf", data, content_type="application/pdf"))
    while Task.objects.filter(pk=cv.task_id, status__in=(Task.Status.PENDING, Task.Status.RUNNING)).exists():
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    cv.refresh_from_db()
    assert cv.status == Cv.Status.REVIEW, (cv.status, Task.objects.get(pk=cv.task_id).error)
    return seconds


def main():
    user = User.objects.create_user(email="bench-cv@example.com", password="x")
    cases = [("two-page CV", pdfs.cv_pdf(HEADER, SECTIONS)),
             ("CV with a large photo", pdfs.with_large_picture(HEADER, SECTIONS, megabytes=4.8))]
    worker = harness.start_worker("llm")
    time.sleep(3)  # the worker imports Django and registers
    rows = []
    try:
        import_once(user, cases[0][1])  # the worker's first job: its imports, not the reading
        for name, data in cases:
            peaks = Peaks(worker.pid)
            seconds = [import_once(user, data) for _ in range(N)]
            peaks.stop()
            rows.append((name, f"{len(data) / 1024:,.0f} KB", f"{harness.median(seconds):.2f}",
                         f"{max(seconds):.2f}", f"{peaks.horse:.0f}", f"{peaks.reader:.0f}"))
    finally:
        worker.terminate()
    print(harness.machine())
    print(harness.table(f"CV import task, upload to review, {N} runs each, real worker, no LLM", rows, (
        "CV", "size", "median s", "max s", "work-horse peak MB", "reading child peak MB (sampled)")))


if __name__ == "__main__":
    main()
