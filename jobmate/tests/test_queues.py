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
    assert len(pools) == 1
    # The same pool as the cache's and every other use of Redis: one set of timeouts.
    from django.core.cache import cache

    from jobmate.redis_connection import connection_pool
    assert pools == {connection_pool()} == {cache._cache.get_client().connection_pool}


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
