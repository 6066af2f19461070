"""docker-compose.yml cannot run here (no Docker engine), so check what it declares
against what the app reads."""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def _settings_variables() -> set[str]:
    source = (BASE_DIR / "jobmate" / "settings.py").read_text()
    return set(re.findall(r'(?:os\.environ\.get|envbool|envint|envlist)\("([A-Z_]+)"', source))


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


def _command(service) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else command


def test_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "cron", "watcher"}


def test_redis_persists_with_append_only_file(compose):
    redis = compose["services"]["redis"]
    command = _command(redis)
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


def test_postgres_keeps_its_data_in_a_volume(compose):
    volumes = compose["services"]["postgres"]["volumes"]
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in volumes)


def test_web_migrates_then_serves_with_gunicorn(compose):
    script = " ".join(_command(compose["services"]["web"]))
    assert "manage.py migrate --noinput" in script
    assert "gunicorn jobmate.wsgi:application" in script


def test_worker_listens_on_every_queue(compose):
    command = _command(compose["services"]["worker"])
    assert command[:3] == ["python", "manage.py", "rqworker"]
    queues = [arg for arg in command[3:] if not arg.startswith("--")]
    assert sorted(queues) == sorted(settings.RQ_QUEUES)
    # Scaled with --scale worker=N: nothing may pin it to one container.
    assert "container_name" not in compose["services"]["worker"]
    assert "ports" not in compose["services"]["worker"]


def test_the_watcher_runs_beside_the_workers(compose):
    # Retries and recovery must not depend on a live worker: the watcher is its own process.
    assert _command(compose["services"]["watcher"]) == ["python", "manage.py", "tasks", "watch"]


def test_cron_runs_our_cron_config(compose):
    command = _command(compose["services"]["cron"])
    assert command == ["python", "manage.py", "rqcron", "jobmate.cron"]
    assert (BASE_DIR / "jobmate" / "cron.py").exists()


def test_app_services_get_urls_of_the_compose_servers(compose):
    for name in ("web", "worker", "cron", "watcher"):
        environment = compose["services"][name]["environment"]
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert compose["services"][name]["env_file"] == ".env"


def test_every_declared_variable_is_read_by_the_settings(compose):
    read = _settings_variables()
    declared = set(_env_example()) | set(compose["services"]["web"]["environment"])
    # POSTGRES_PASSWORD is for compose itself (the postgres service and DATABASE_URL).
    assert declared - {"POSTGRES_PASSWORD"} <= read


def test_env_example_covers_every_setting_except_what_compose_sets():
    # docker-compose.yml sets these for every service: the servers' addresses and the
    # shared volume of uploaded CVs.
    assert _settings_variables() - set(_env_example()) == {"DATABASE_URL", "REDIS_URL", "PRIVATE_ROOT"}


def test_env_example_ships_no_secret():
    example = _env_example()
    assert example["SECRET_KEY"] == ""
    assert example["POSTGRES_PASSWORD"] == ""
    assert example["DEBUG"] == "false"


def test_web_and_workers_share_the_volume_of_uploaded_cvs(compose):
    # The web keeps an uploaded CV, a worker reads it: the same directory in both.
    for name in ("web", "worker"):
        service = compose["services"][name]
        assert service["environment"]["PRIVATE_ROOT"] == "/data/private"
        assert "private-data:/data/private" in service["volumes"]
    assert "private-data" in compose["volumes"]
