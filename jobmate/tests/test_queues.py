import os
from datetime import timedelta

import django_rq
import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from rq import SimpleWorker

from jobmate.tests.jobs import report

QUEUES = ["default", "scraping", "llm"]


def test_the_three_queues_share_one_redis_connection_factory():
    assert sorted(settings.RQ_QUEUES) == sorted(QUEUES)
    pools = {django_rq.get_connection(name).connection_pool for name in QUEUES}
    from django.core.cache import cache

    from jobmate.redis_connection import connection_pool

    # One factory, one set of timeouts: the queues on a pool of their own, the cache (and
    # undo, the throttle, /healthz) on the other.
    assert pools == {connection_pool("queues")}
    assert cache._cache.get_client().connection_pool is connection_pool()
    assert connection_pool().connection_kwargs["socket_timeout"] == settings.REDIS_TIMEOUT
    for pool in (connection_pool(), connection_pool("queues")):
        # (The queues' socket timeout is raised in a process that builds an RQ Worker, as
        # other tests of this process do: that is what their pool of their own is for.)
        assert pool.connection_kwargs["socket_connect_timeout"] == settings.REDIS_TIMEOUT
        assert pool.connection_kwargs["retry"].get_retries() == 0


@pytest.mark.django_db
def test_looking_at_workers_keeps_the_short_redis_timeouts(redis_conn, client):
    """An RQ Worker raises its connection's socket timeout for its blocking dequeue; the
    health check and the sweep read worker registrations without building one, so the web
    process keeps REDIS_TIMEOUT on every pool."""
    from rq import Worker

    import redis

    from jobmate.redis_connection import connection_pool
    from jobmate.tasks import lifecycle

    # A worker registered by another process (its own connection).
    Worker(["default"], connection=redis.Redis.from_url(settings.REDIS_URL), name="elsewhere").register_birth()
    before = {name: connection_pool(name).connection_kwargs["socket_timeout"] for name in ("default", "queues")}
    assert client.get("/healthz").json()["workers"] == 1
    lifecycle.sweep()
    after = {name: connection_pool(name).connection_kwargs["socket_timeout"] for name in ("default", "queues")}
    assert after == before and after["default"] == settings.REDIS_TIMEOUT


@pytest.mark.django_db
@pytest.mark.parametrize("queue_name", QUEUES)
def test_a_real_worker_runs_a_job_from_each_queue(redis_conn, queue_name):
    queue = django_rq.get_queue(queue_name)
    job = queue.enqueue(report, queue_name)
    assert job is not None, "enqueue must not be deferred outside a transaction"

    # The worker JobMate runs (forking): the job runs in a work-horse process.
    worker = django_rq.get_worker(*QUEUES)
    assert type(worker).__name__ == "TaskWorker"
    assert worker.work(burst=True)

    job.refresh()
    assert job.is_finished
    result = job.return_value()
    assert result["queue"] == queue_name
    assert result["pid"] != os.getpid()


@pytest.mark.django_db
def test_cron_job_clears_expired_sessions(redis_conn):
    from django_rq.cron import DjangoCronScheduler

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("jobmate.cron")
    jobs = {job.func_name: job for job in scheduler.get_jobs()}
    # The sweep is the watcher's, a process of its own: an RQ job would need a live worker.
    assert not any("sweep" in name for name in jobs)
    cron_job = jobs["jobmate.housekeeping.clear_expired_sessions"]

    live = SessionStore()
    live["k"] = "v"
    live.create()
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    queue = django_rq.get_queue(cron_job.queue_name)
    queue.enqueue(cron_job.func)
    # SimpleWorker: same process, so it sees this test's transaction.
    SimpleWorker([queue], connection=redis_conn).work(burst=True)

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
