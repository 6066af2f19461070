"""Shared setup for the bench/ scripts.

A benchmark runs against real services (embedded ones when DATABASE_URL/REDIS_URL are
unset, as for `make run`), but in a database and a Redis database of its own, created
fresh for the run, so it never touches development data.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DB = "jobmate_bench"
BENCH_REDIS_DB = 2


def setup(database: str = BENCH_DB) -> None:
    """Start services if needed, create a fresh bench database (`database`: another name
    leaves the other scripts' database alone), migrate, set up Django."""
    sys.path.insert(0, str(BASE_DIR))
    from jobmate import dev

    dev._start_services(redis_db=BENCH_REDIS_DB)
    # Production settings (DEBUG off); pages are requested in-process as "testserver".
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")

    import psycopg

    admin_url = os.environ["DATABASE_URL"]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")
    os.environ["DATABASE_URL"] = urlsplit(admin_url)._replace(path=f"/{database}").geturl()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import django_rq

    django_rq.get_connection("default").flushdb()


def start_worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", *args],
        cwd=BASE_DIR, env=os.environ.copy(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    cores = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.node()}: {platform.processor() or platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}"


def table(title: str, rows: list[tuple], headers: tuple) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    out = [f"\n{title}", line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
