"""What sharing the per-host request slots through Redis costs (jobmate/hostslots.py).

    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/hostslots.py

Six requests at once to one loopback host answering after 300 ms, two at a time
(JOBMATE_HTTP_PER_HOST=2): 0.90 s at best. Timed five times with the slots shared through
Redis, then five times with each process's own slots (as when Redis does not answer)."""

import http.server
import logging
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django

django.setup()

from bench.harness import machine, table
from jobmate import hostslots
from jobmate.http import fetch

LATENCY, REQUESTS, RUNS = 0.3, 6, 5


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(LATENCY)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def runs(url: str) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        threads = [threading.Thread(target=fetch, args=(url,)) for _ in range(REQUESTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        times.append(time.perf_counter() - started)
    return times


def main():
    logging.disable(logging.INFO)
    print(machine())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    fetch(url)  # the connection pool and the script, once
    shared = runs(url)
    hostslots.recently_unreachable = lambda: True  # as after Redis failed to answer
    local = runs(url)
    ideal = LATENCY * REQUESTS / 2

    def row(name, times):
        return (name, f"{min(times):.3f}–{max(times):.3f} s", f"{sorted(times)[len(times) // 2] / ideal:.3f}")

    print(table(f"{REQUESTS} requests to one host, 2 at a time ({ideal:.2f} s ideal), {RUNS} runs",
                [row("shared through Redis", shared), row("each process's own", local)],
                ("slots", "time", "median / ideal")))
    server.shutdown()


if __name__ == "__main__":
    main()
