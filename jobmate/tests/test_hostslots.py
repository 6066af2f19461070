"""The per-host request limit holds across processes: real worker-like processes share it
through Redis, a process killed while it holds a slot gives it back when its lease ends,
and a Redis that does not answer leaves each process its own slots instead of stopping it."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from django.conf import settings as django_settings

from jobmate.http import FetchError, fetch

# A process that sends `count` requests to `url` at once from threads, as a scrape's pool
# does, and says when it is done.
SENDER = textwrap.dedent("""
    import sys, threading, django
    django.setup()
    from jobmate.http import fetch
    url, count = sys.argv[1], int(sys.argv[2])
    threads = [threading.Thread(target=fetch, args=(url,)) for _ in range(count)]
    [t.start() for t in threads]
    print("started", flush=True)
    [t.join() for t in threads]
    print("done", flush=True)
""")


# `redis_conn` empties Redis: slots an earlier test left on the same port do not count.


class Counter:
    """A route that holds each request `seconds` and counts how many it holds at once."""

    def __init__(self, seconds):
        self.seconds, self.now, self.most, self.served = seconds, 0, 0, 0
        self.lock = threading.Lock()

    def __call__(self, handler):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(self.seconds)
        with self.lock:
            self.now -= 1
            self.served += 1
        return 200, {}, "ok"


def sender(url, count, **settings_env):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jobmate.settings", "REDIS_URL": django_settings.REDIS_URL,
           "SECRET_KEY": "x", **{name: str(value) for name, value in settings_env.items()}}
    return subprocess.Popen([sys.executable, "-c", SENDER, url, str(count)], env=env, stdout=subprocess.PIPE,
                            text=True, cwd=django_settings.BASE_DIR)


def test_processes_share_the_hosts_slots(settings, web_server, redis_conn):
    counter = web_server.routes["/slow"] = Counter(0.4)
    processes = [sender(f"{web_server.url}/slow", 3, JOBMATE_HTTP_PER_HOST=2) for _ in range(3)]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "started"
        for process in processes:
            assert process.wait(60) == 0
    finally:
        for process in processes:
            process.kill()
    # Nine requests from three processes of three threads each: never more than two at a time.
    assert counter.served == 9
    assert counter.most == 2


def test_a_killed_processs_slot_frees_itself_when_its_lease_ends(settings, web_server, redis_conn):
    settings.JOBMATE_HTTP_PER_HOST = 1
    web_server.routes["/hang"] = (200, {}, "late", 30)
    web_server.routes["/page"] = (200, {}, "a page")
    holder = sender(f"{web_server.url}/hang", 1, JOBMATE_HTTP_PER_HOST=1, JOBMATE_HTTP_SLOT_LEASE=3)
    try:
        assert holder.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 10
        while "/hang" not in web_server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "/hang" in web_server.requests  # it holds the host's only slot
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    started = time.monotonic()
    waiting = threading.Thread(target=fetch, args=(f"{web_server.url}/page",))
    waiting.start()
    waiting.join(1)
    assert waiting.is_alive() and "/page" not in web_server.requests  # the dead process's slot still counts
    waiting.join(10)
    assert not waiting.is_alive() and "/page" in web_server.requests
    assert time.monotonic() - started < 5  # freed by the lease's end, not by the wait's


def test_a_request_waits_no_longer_than_the_slot_wait(settings, web_server, redis_conn):
    settings.JOBMATE_HTTP_PER_HOST, settings.JOBMATE_HTTP_SLOT_WAIT = 1, 1
    settings.JOBMATE_HTTP_ATTEMPTS = 1
    web_server.routes["/hang"] = (200, {}, "late", 5)
    web_server.routes["/page"] = (200, {}, "a page")
    holder = threading.Thread(target=fetch, args=(f"{web_server.url}/hang",), daemon=True)
    holder.start()
    deadline = time.monotonic() + 5
    while "/hang" not in web_server.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{web_server.url}/page")
    assert "/page" not in web_server.requests


def test_without_redis_each_process_keeps_its_own_slots(settings, web_server):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    counter = web_server.routes["/slow"] = Counter(0.2)
    threads = [threading.Thread(target=fetch, args=(f"{web_server.url}/slow",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert counter.served == 4
    assert counter.most == settings.JOBMATE_HTTP_PER_HOST
