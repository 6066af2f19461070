"""Development entry points behind `make run` and `make test`.

    python -m jobmate.dev run [--port 8000]   web, worker, cron and watcher, logs interleaved;
                                              a process that dies is restarted
    python -m jobmate.dev demo [--port 8000]  the same, with the demo account (seed_demo) and
                                              every job board served by the sample boards
    python -m jobmate.dev test [pytest args]  the whole test suite
    python -m jobmate.dev env                 start the embedded servers, print their URLs
    python -m jobmate.dev stop                stop the embedded servers

With DATABASE_URL / REDIS_URL unset, the embedded PostgreSQL and Redis (jobmate/embedded.py)
are started first and the URLs passed on to every child process; with them set, nothing
embedded starts. `run` and `test` stop on exit only the servers they started themselves.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

from discovery.demo import boards as sample_boards
from jobmate import embedded
from jobmate.supervisor import Supervisor, read_procfile
from jobmate.translations import compile_translations

BASE_DIR = Path(__file__).resolve().parent.parent
# Tests use their own Redis database on the embedded server, so that a `make run` next to
# a `make test` never sees the other's queues.
_TEST_REDIS_DB = 1
# `make demo`'s process beside those of Procfile.dev; $BOARDS_PORT is chosen at start.
DEMO_PROCESSES = {"boards": "python -m discovery.demo.boards --port $BOARDS_PORT"}


def _start_services(*, redis_db: int = 0) -> list[str]:
    """Fill DATABASE_URL/REDIS_URL from the embedded servers where unset.

    Returns the names of the servers this call started."""
    started = []
    if not os.environ.get("DATABASE_URL"):
        service = embedded.ensure_postgres()
        os.environ["DATABASE_URL"] = service.url
        if service.started:
            started.append("postgres")
    if not os.environ.get("REDIS_URL"):
        service = embedded.ensure_redis()
        os.environ["REDIS_URL"] = service.url.replace("db=0", f"db={redis_db}")
        if service.started:
            started.append("redis")
    return started


def _stop_services(names: list[str]) -> None:
    if "postgres" in names:
        embedded.stop_postgres()
    if "redis" in names:
        embedded.stop_redis()


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)


def _wait_for(process: subprocess.Popen) -> int:
    """Wait for a child that runs the show, passing shutdown signals on to it.

    Ctrl-C reaches the whole foreground process group, so the child gets it directly and
    we only wait; SIGTERM or SIGHUP (from `kill`, a closed terminal, a supervisor) reach
    only us, so we pass them on. Either way we return once the child has stopped."""

    def forward(signum, frame):
        process.send_signal(signum)

    handlers = {
        signal.SIGINT: signal.SIG_IGN,
        signal.SIGTERM: forward,
        signal.SIGHUP: forward,
    }
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        return process.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def free_port() -> int:
    """A TCP port nothing listens on now, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _demo_password() -> str:
    """The demo account's password, kept under var/ so that every `make demo` prints (and
    keeps) the same one: a restart does not sign the person out."""
    path = embedded.var_dir() / "demo_password"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(12))
    return path.read_text().strip()


def _seed_demo() -> str:
    """Run `manage.py seed_demo` (idempotent) and return what it printed."""
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "seed_demo", "--password", _demo_password()],
        env={**os.environ, "LOG_LEVEL": "WARNING"}, capture_output=True, text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"seed_demo failed (exit code {result.returncode}); nothing was started.")
    return result.stdout


def run(port: int, *, demo: bool = False) -> int:
    os.environ.setdefault("DEBUG", "true")
    # Procfile.dev says `python`: make it this virtualenv's.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    started = _start_services()
    try:
        _manage("migrate", "--noinput", "-v", "0")
        url = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1"}
        processes = read_procfile(BASE_DIR / "Procfile.dev")
        if demo:
            boards_url = f"http://127.0.0.1:{free_port()}"
            # Every process (web, worker, cron, watcher) reads the boards there.
            env |= {"BOARDS_PORT": boards_url.rsplit(":", 1)[1], **sample_boards.environment(boards_url)}
            processes = {**DEMO_PROCESSES, **processes}
            seeded = _seed_demo()
            print(
                "\n"
                f"  JobMate's demo is starting at {url}\n"
                + "".join(f"  {line}\n" for line in seeded.splitlines())
                + f"  Every job board is served by the sample boards at {boards_url}/ (no internet needed):\n"
                "  press \"Run now\" on the saved search \"Data engineering, Lyon\", or search for react at\n"
                f"  {url}search/\n"
                "  Press Ctrl-C to stop everything.\n",
                flush=True,
            )
        else:
            print(
                "\n"
                f"  JobMate is starting at {url}\n"
                f"  Create your account at {url}accounts/signup/\n"
                "  For the admin, create a superuser in another terminal:\n"
                "      .venv/bin/python manage.py createsuperuser\n"
                "  Press Ctrl-C to stop everything.\n",
                flush=True,
            )
        supervisor = Supervisor(processes, cwd=BASE_DIR, env=env)
        return supervisor.run()
    except KeyboardInterrupt:
        return 130
    finally:
        _stop_services(started)


def test(pytest_args: list[str]) -> int:
    # Tests run with production settings (DEBUG off), which require a secret key.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    started = _start_services(redis_db=_TEST_REDIS_DB)
    try:
        command = [sys.executable, "-m", "pytest", *pytest_args]
        return _wait_for(subprocess.Popen(command, cwd=BASE_DIR))
    finally:
        _stop_services(started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jobmate.dev")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="web server, worker, cron scheduler and watcher")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    demo_parser = commands.add_parser("demo", help="the same as run, with a demo account and sample job boards")
    demo_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    commands.add_parser("test", help="the test suite (extra arguments go to pytest)")
    commands.add_parser("env", help="start the embedded servers and print their URLs")
    commands.add_parser("stop", help="stop the embedded servers")
    args, rest = parser.parse_known_args(argv)
    compile_translations()
    # WhiteNoise warns about a missing STATIC_ROOT; collectstatic fills it in deployments.
    (BASE_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)

    if args.command in ("run", "demo"):
        return run(args.port, demo=args.command == "demo")
    if args.command == "test":
        return test(rest)
    if args.command == "env":
        _start_services()
        print(f"export DATABASE_URL='{os.environ['DATABASE_URL']}'")
        print(f"export REDIS_URL='{os.environ['REDIS_URL']}'")
        return 0
    stopped = [name for name, stop in (("postgres", embedded.stop_postgres),
                                       ("redis", embedded.stop_redis)) if stop()]
    print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
