"""Fixtures shared by every app's tests.

Tests run against real PostgreSQL and real Redis (the embedded ones under `make test`).
They flush the Redis database named by REDIS_URL: never point it at one that matters.
"""

import django_rq
import pytest
from django.conf import settings


def pytest_configure(config):
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
