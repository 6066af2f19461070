"""Reading an uploaded CV: how long the upload request's check() and the task's
extract() + parse() take on a two-page CV, and how much memory the reading child
process takes at most, for a normal CV, a 4.8 MB CV (a large photo), a page crowded enough
to make pdfminer's layout analysis blow up, and a decompression bomb (2.5 GiB of zeros in a
2.6 MB file).

    .venv/bin/python bench/cv_import.py [N]      # default 20 runs of each step

No database, no Redis: coach.pdftext runs its child process (`python -m coach.pdftext`)
exactly as the web process and the worker do. The PDFs are made on the spot with fpdf2
(coach/tests/pdfs.py). Goal: check() and extract() + parse() each <= 1 s at p95; the child
held below its 768 MB address-space limit whatever the file."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django

django.setup()

from bench.harness import machine, median, percentile, table
from coach import cvparse, pdftext
from coach.tests import pdfs

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def timed(function, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return seconds


def peak_in_fresh_process(step: str, case: str) -> tuple[float, float, float, str]:
    """(seconds, peak MB, file KB, answer) of one child reading `case`, measured in a fresh Python
    that runs nothing else, so RUSAGE_CHILDREN is that one child."""
    code = (
        "import resource, subprocess, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from coach.tests import pdfs\n"
        f"data = {case}\n"
        "started = time.perf_counter()\n"
        f"done = subprocess.run([sys.executable, '-m', 'coach.pdftext', {step!r}], input=data, capture_output=True,\n"
        f"                      cwd={str(ROOT)!r}, timeout=60)\n"
        "seconds = time.perf_counter() - started\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "ending = done.stdout[:40].decode() or f'exit {done.returncode}'\n"
        "print(f'{seconds:.2f}|{peak:.0f}|{len(data) / 1024:.0f}|{ending}')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True).stdout.strip()
    seconds, peak, size, ending = out.split("|", 3)
    return float(seconds), float(peak), float(size), ending


def main():
    data = pdfs.two_page_cv()
    pages = pdftext.extract(data)
    assert len(pages) == 2, len(pages)
    print(f"{machine()}; {N} runs each; two-page CV of {len(data) / 1024:.0f} KB, "
          f"{sum(map(len, pages)):,} characters of text")

    startup = timed(lambda: subprocess.run([sys.executable, "-m", "coach.pdftext", "check"], input=b"",
                                           capture_output=True, cwd=ROOT, check=True), N)
    bare = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), N)
    check = timed(lambda: pdftext.check(data), N)
    extract = timed(lambda: pdftext.extract(data), N)
    both = timed(lambda: cvparse.parse(pdftext.extract(data)), N)
    parse = timed(lambda: cvparse.parse(pages), N * 10)
    rows = [(label, f"{1000 * median(values):.0f}", f"{1000 * percentile(values, 0.95):.0f}") for label, values in (
        ("python -c pass (interpreter start)", bare),
        ("child start + pdfminer import (empty input)", startup),
        ("check() — upload request", check),
        ("extract()", extract),
        ("extract() + parse() — background task", both),
        ("parse() alone", parse),
    )]
    print(table("Time, two-page CV", rows, ("step", "median ms", "p95 ms")))

    cases = (
        ("two-page CV", "check", "pdfs.two_page_cv()"),
        ("two-page CV", "extract", "pdfs.two_page_cv()"),
        ("CV with a large photo", "check", "pdfs.with_large_picture(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS)"),
        ("CV with a large photo", "extract", "pdfs.with_large_picture(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS)"),
        ("2,000 pages", "check", "pdfs.many_pages(2000)"),
        ("crowded page: 40,000 letters, quadratic layout", "extract", "pdfs.crowded_page()"),
        ("decompression bomb, 2.5 GiB inflated", "check", "pdfs.decompression_bomb()"),
        ("decompression bomb, 2.5 GiB inflated", "extract", "pdfs.decompression_bomb()"),
    )
    rows = []
    for label, step, case in cases:
        seconds, peak, size, ending = peak_in_fresh_process(step, case)
        rows.append((label, f"{size:,.0f}", step, f"{seconds:.2f}", f"{peak:.0f}", ending))
    print(table("The reading child: one run each, peak resident memory (ru_maxrss)",
                rows, ("file", "KB", "step", "seconds", "child peak MB", "answer")))


if __name__ == "__main__":
    main()
