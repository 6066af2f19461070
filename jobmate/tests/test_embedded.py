"""With DATABASE_URL/REDIS_URL unset, JobMate brings its own PostgreSQL and Redis."""

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

SMOKE = """
from django.test import Client
from django.contrib.auth import get_user_model
import django_rq
from rq import SimpleWorker

get_user_model().objects.create_user(email="smoke@example.com", password="a long pass phrase")
response = Client().get("/accounts/signup/", HTTP_HOST="localhost")
print("signup page", response.status_code)

queue = django_rq.get_queue("default")
job = queue.enqueue("jobmate.tests.jobs.report", "default")
SimpleWorker([queue], connection=queue.connection).work(burst=True)
job.refresh()
print("job", job.get_status().value, job.return_value()["queue"])
print("users", get_user_model().objects.count())
"""


def _env(var_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"JOBMATE_VAR_DIR": str(var_dir), "DEBUG": "true", **extra})
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def _servers_on(var_dir):
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(var_dir) in cmdline and ("postgres" in cmdline or "redis-server" in cmdline):
            found.append(cmdline)
    return found


@pytest.mark.slow
def test_fresh_var_dir_migrates_serves_and_runs_a_job(tmp_path):
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    try:
        migrate = _manage(env, "migrate", "--noinput")
        assert migrate.returncode == 0, migrate.stderr
        assert (var_dir / "postgres" / "PG_VERSION").exists()

        smoke = _manage(env, "shell", "-c", SMOKE)
        assert smoke.returncode == 0, smoke.stderr
        assert "signup page 200" in smoke.stdout
        assert "job finished default" in smoke.stdout

        # A second start finds the same data.
        again = _manage(env, "shell", "-c",
                        "from profiles.models import User; print('users', User.objects.count())")
        assert "users 1" in again.stdout, again.stderr

        # A second terminal beside `make run`: no DEBUG, no SECRET_KEY in its environment,
        # and the README's commands work as written.
        terminal = {k: v for k, v in env.items() if k not in ("DEBUG", "SECRET_KEY")}
        admin = _manage({**terminal, "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
                         "DJANGO_SUPERUSER_PASSWORD": "a long pass phrase"}, "createsuperuser", "--noinput")
        assert admin.returncode == 0, admin.stderr
        listed = _manage(terminal, "tasks", "list")
        assert (listed.returncode, listed.stdout.strip()) == (0, "No active task."), listed.stderr
    finally:
        stop = subprocess.run(
            [sys.executable, "-m", "jobmate.dev", "stop"],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        )
    assert "postgres" in stop.stdout and "redis" in stop.stdout, stop.stdout + stop.stderr
    assert _servers_on(var_dir) == []


def test_nothing_embedded_starts_when_urls_are_set(tmp_path):
    var_dir = tmp_path / "var"
    env = _env(var_dir, DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=os.environ["REDIS_URL"],
               DEBUG="false", SECRET_KEY="test-only-key")
    check = _manage(env, "check")
    assert check.returncode == 0, check.stderr
    assert not (var_dir / "postgres").exists()
    assert not (var_dir / "redis").exists()


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _env(tmp_path / "var", DATABASE_URL=os.environ["DATABASE_URL"],
               REDIS_URL=os.environ["REDIS_URL"], DEBUG="false")
    env.pop("SECRET_KEY", None)
    check = _manage(env, "check")
    assert check.returncode != 0
    assert "SECRET_KEY is not set" in check.stderr


def test_a_bad_boolean_fails_loudly(tmp_path):
    env = _env(tmp_path / "var", DATABASE_URL=os.environ["DATABASE_URL"],
               REDIS_URL=os.environ["REDIS_URL"], DEBUG="maybe")
    check = _manage(env, "check")
    assert check.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in check.stderr
