"""A whole scrape: saved search → task → sources on a local server → offers."""

import time
from pathlib import Path

import pytest

from discovery.models import Offer, SearchConfig
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

FIXTURES = Path(__file__).parent / "fixtures"
JSON = {"Content-Type": "application/json"}


def serve_fixtures(server, delay=0.0):
    server.routes.update({
        "/remotive": (200, JSON, (FIXTURES / "remotive_search.documented.json").read_text(), delay),
        "/remoteok": (200, JSON, (FIXTURES / "remoteok_api.documented.json").read_text(), delay),
        "/weworkremotely": (200, {"Content-Type": "application/rss+xml"},
                            (FIXTURES / "weworkremotely.documented.rss").read_bytes(), delay),
        "/greenhouse/acme/jobs": (200, JSON, (FIXTURES / "greenhouse_jobs.documented.json").read_text(), delay),
        "/arbeitnow": (500, {}, "down for maintenance", delay),
    })


def source_urls(server):
    from django.conf import settings

    return {name: f"{server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}


@pytest.mark.django_db
def test_a_scrape_ingests_every_source_and_survives_a_failing_one(alice, settings, web_server, run_worker,
                                                                   django_capture_on_commit_callbacks):
    settings.JOBMATE_SOURCE_URLS = source_urls(web_server)
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    serve_fixtures(web_server)
    from django.core.cache import cache

    cache.clear()
    config = SearchConfig.objects.create(
        user=alice, name="Python", keywords=["python"], red_flags=["stage"],
        sources=["remotive", "remoteok", "weworkremotely", "arbeitnow"], company_boards={"greenhouse": ["acme"]})
    with django_capture_on_commit_callbacks(execute=True):
        task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED, task.error
    assert (task.progress_done, task.progress_total) == (5, 5)
    assert task.counters["errors"] == 1  # Arbeitnow answered 500
    assert "Arbeitnow · 'python': HTTP 500" in "\n".join(task.logs.values_list("message", flat=True))
    offers = Offer.objects.filter(user=alice)
    assert task.counters["new"] == offers.count() > 0
    assert set(offers.values_list("source", flat=True)) == {"remotive", "remoteok", "weworkremotely", "greenhouse"}
    # Greenhouse's board is filtered by the keywords, and its stage offer by the red flag.
    assert not offers.filter(title__icontains="Analyst", status=Offer.Status.PENDING).exists()
    config.refresh_from_db()
    assert config.last_run_at is not None
    assert task.message.startswith(f"{task.counters['new']} new offers")

    # Once more: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
    run_worker()
    again.refresh_from_db()
    assert again.status == Task.Status.COMPLETED
    assert again.counters["new"] == 0
    assert Offer.objects.filter(user=alice).count() == offers.count()


@pytest.mark.slow
def test_offers_appear_while_the_scrape_runs_and_cancel_stops_it(worker_process, alice, web_server):
    serve_fixtures(web_server, delay=1.5)
    config = SearchConfig.objects.create(
        user=alice, name="Slow boards", keywords=["python", "django", "go"],
        sources=["remotive", "remoteok", "weworkremotely"])
    env = {f"JOBMATE_SOURCE_{name.upper()}_URL": url for name, url in source_urls(web_server).items()}
    worker_process(queues=("scraping",), env=env)
    task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})

    deadline = time.monotonic() + 30
    while not Offer.objects.filter(user=alice).exists():
        assert time.monotonic() < deadline, "no offer appeared"
        time.sleep(0.1)
    for _ in range(20):  # the step's progress is written right after its offers
        task.refresh_from_db()
        if task.progress_done:
            break
        time.sleep(0.1)
    assert task.status == Task.Status.RUNNING  # offers are visible before the end
    assert 0 < task.progress_done < task.progress_total == 9

    lifecycle.cancel(task)
    time.sleep(3)
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    settled = Offer.objects.filter(user=alice).count()
    time.sleep(2)
    assert Offer.objects.filter(user=alice).count() == settled
