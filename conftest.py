"""Fixtures shared by every app's tests.

Tests run against real PostgreSQL and real Redis (the embedded ones under `make test`).
They flush the Redis database named by REDIS_URL: never point it at one that matters.
"""

import django_rq
import pytest
from django.conf import settings


def pytest_configure(config):
    from jobmate.translations import compile_translations

    compile_translations()
    # Pages are rendered without collectstatic, so no hashed-name manifest exists.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_conn():
    """The real Redis behind the queues, emptied before the test."""
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield connection
    connection.flushdb()


PASSWORD = "correct horse battery staple"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(email="alice@example.com", password=PASSWORD)


@pytest.fixture
def charlie(django_user_model):
    return django_user_model.objects.create_user(email="charlie@example.com", password=PASSWORD)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


class ThrowawayRedis:
    """A Redis server of the test's own on a free loopback port, to stop at will."""

    def __init__(self, directory):
        import socket
        import subprocess

        from jobmate.embedded import _redis_server_binary

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [_redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
        )
        self._wait_until_up()

    def _wait_until_up(self):
        import time

        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def throwaway_redis(tmp_path):
    server = ThrowawayRedis(tmp_path)
    yield server
    server.stop()


def database_url_for_subprocesses() -> str:
    """DATABASE_URL pointing at the test database, for processes the tests start."""
    from urllib.parse import urlsplit

    from django.db import connection

    return urlsplit(settings.DATABASE_URL)._replace(path="/" + connection.settings_dict["NAME"]).geturl()


class CommandProcess:
    """A real `manage.py …` process of one test, on the test database and Redis, in a
    session of its own; its output is printed when it stops (pytest shows it for a
    failing test)."""

    def __init__(self, *args, env=None):
        import os
        import subprocess
        import sys
        import tempfile
        from pathlib import Path

        env = {**os.environ, "DATABASE_URL": database_url_for_subprocesses(), "REDIS_URL": settings.REDIS_URL,
               "PRIVATE_ROOT": str(settings.PRIVATE_ROOT), **(env or {})}
        self.args = args
        self.log = tempfile.NamedTemporaryFile(prefix="jobmate-process-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=Path(__file__).resolve().parent, env=env, start_new_session=True,
            stdout=self.log, stderr=subprocess.STDOUT,
        )

    @property
    def output(self) -> str:
        with open(self.log.name, errors="replace") as log:
            return log.read()

    def kill(self):
        """SIGKILL the process and its children, as a power cut or the OOM killer would.

        (An RQ work-horse runs in a session of its own, so the process group is not enough.)"""
        import psutil

        try:
            parent = psutil.Process(self.process.pid)
            family = [*parent.children(recursive=True), parent]
        except psutil.NoSuchProcess:
            family = []
        for process in family:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        self.process.wait(10)

    def stop(self):
        """Stop the process and everything in its process group, even when the test
        already killed the process itself."""
        import os
        import signal
        import subprocess

        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        self.log.close()
        print(f"--- {' '.join(self.args[:2])} {self.process.pid} output ---\n{self.output[-20000:]}")
        os.unlink(self.log.name)


class WorkerProcess(CommandProcess):
    """A real `manage.py rqworker` (forking work-horses) for one test."""

    def __init__(self, queues=("default", "scraping", "llm"), env=None):
        super().__init__("rqworker", *queues, env=env)
        self._wait_until_registered()

    def _wait_until_registered(self):
        import time

        from rq import Worker

        connection = django_rq.get_connection("default")
        deadline = time.monotonic() + 30
        while not any(worker.pid == self.process.pid for worker in Worker.all(connection=connection)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test worker did not start")
            time.sleep(0.1)


@pytest.fixture
def worker_process(redis_conn, transactional_db):
    """Start real worker processes on demand; all are stopped after the test."""
    started = []

    def start(**kwargs):
        worker = WorkerProcess(**kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def command_process(redis_conn, transactional_db):
    """Start real `manage.py` processes on demand (a watcher, a command); all are
    stopped after the test."""
    started = []

    def start(*args, env=None):
        process = CommandProcess(*args, env=env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def run_worker(redis_conn):
    """Run every queued job in this process (SimpleWorker, burst), inside the test's
    transaction. Returns how many jobs ran."""
    from rq import SimpleWorker

    def run() -> None:
        queues = [django_rq.get_queue(name) for name in settings.RQ_QUEUES]
        SimpleWorker(queues, connection=redis_conn).work(burst=True)

    return run


@pytest.fixture
def redis_down(settings, throwaway_redis):
    """The queues point at a Redis that has stopped."""
    throwaway_redis.stop()
    # Every use of Redis goes through jobmate.redis_connection, which follows REDIS_URL.
    settings.REDIS_URL = throwaway_redis.url
    settings.REDIS_TIMEOUT = 1


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def slow_network():
    return _slow_network


def _slow_network(page, url_pattern: str, milliseconds: int) -> None:
    """From now on, the page's requests whose address matches `url_pattern` (a
    JavaScript regular expression) leave the browser `milliseconds` late: a slow network,
    so that people's clicks and keys can land while a request travels."""
    page.evaluate("""([pattern, delay]) => {
        const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
        XMLHttpRequest.prototype.open = function (method, url) { this._url = url; return open.apply(this, arguments); };
        XMLHttpRequest.prototype.send = function (body) {
            if (new RegExp(pattern).test(String(this._url))) { setTimeout(() => send.call(this, body), delay); }
            else { send.call(this, body); }
        };
    }""", [url_pattern, milliseconds])


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A Chromium page (Playwright) on the live server. Needs Debian's chromium."""
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.fixture
def log_in(live_server):
    def log_in(page, email, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return log_in


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Worker processes killed by the tests (on purpose) can leave a session behind for a
    moment; end them so the test database can be dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


class LocalWebServer:
    """A loopback HTTP server serving canned answers: the network edge, for tests.

    routes: path (without the query) → (status, headers, body[, delay in seconds]) or a
    callable taking the request handler (a POST's body in `handler.body`) and returning
    such a tuple."""

    def __init__(self):
        import http.server
        import threading

        self.routes = {}
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                import time
                from urllib.parse import urlsplit

                server.requests.append(self.path)
                answer = server.routes.get(urlsplit(self.path).path)
                if callable(answer):
                    answer = answer(self)
                if answer is None:
                    answer = (404, {"Content-Type": "text/plain"}, b"not found")
                status, headers, body, *delay = answer
                if delay:
                    time.sleep(delay[0])
                body = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                # Read before answering (a route may look at it): an unread body makes
                # the closing socket reset the connection under the client's feet.
                self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def web_server():
    server = LocalWebServer()
    yield server
    server.stop()


@pytest.fixture
def make_web_server():
    servers = []

    def make():
        servers.append(LocalWebServer())
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def test_resolver(monkeypatch):
    """Host names the test gives (a dict: name → address) resolve here, never through DNS;
    any other name than an address or localhost does not resolve at all."""
    import socket

    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in names:
            return real(names[name], port, *args, **kwargs)
        if name == "localhost" or all(c.isdigit() or c in ".:" for c in name or ""):
            return real(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (test resolver)")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.fixture(autouse=True)
def _redis_failures_forgotten():
    """Each test starts as a request does: no failure of Redis noted a moment ago."""
    from jobmate.redis_connection import forget_failures

    forget_failures()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a page asked for in French activates
    French in this thread, and Django leaves it active after the answer."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_files(tmp_path_factory):
    """Uploaded CVs go to a directory of the test's own, never to the checkout's var/.
    (Not through the `settings` fixture: that would restore other tests' settings later.)"""
    from django.test import override_settings

    with override_settings(PRIVATE_ROOT=tmp_path_factory.mktemp("private")):
        yield
