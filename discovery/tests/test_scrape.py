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
def test_a_scrape_ingests_every_source_and_survives_a_failing_one(alice, settings, web_server, run_worker, client,
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
    assert "Arbeitnow · “python”: answered with an error (HTTP 500) — HTTP 500 from 127.0.0.1 after 3 attempts" in "\n".join(
        str(entry.message) for entry in task.logs.all())
    offers = Offer.objects.filter(user=alice)
    assert task.counters["new"] == offers.count() > 0
    assert set(offers.values_list("source", flat=True)) == {"remotive", "remoteok", "weworkremotely", "greenhouse"}
    # Greenhouse's board is filtered by the keywords, and its stage offer by the red flag.
    assert not offers.filter(title__icontains="Analyst", status=Offer.Status.PENDING).exists()
    config.refresh_from_db()
    assert config.last_run_at is not None
    assert str(task.message).startswith(f"{task.counters['new']} new offers")
    # A partial failure completes, with a warning that names the board and says why.
    assert str(task.message).endswith("— 1 of 5 boards failed")
    assert [str(warning) for warning in task.warnings] == ["Arbeitnow · “python”: answered with an error (HTTP 500)"]
    assert task.has_warnings
    client.force_login(alice)
    page = client.get(f"/search/?task={task.pk}").content.decode()
    assert "search-status--partial" in page and "One board search failed:" in page
    assert "Arbeitnow · “python”: answered with an error (HTTP 500)" in page

    # Once more: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
    run_worker()
    again.refresh_from_db()
    assert again.status == Task.Status.COMPLETED
    assert again.counters["new"] == 0
    assert Offer.objects.filter(user=alice).count() == offers.count()


def _closed_port() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.mark.django_db
def test_a_scrape_where_no_board_can_be_reached_fails_and_says_so(alice, settings, run_worker, client,
                                                                  django_capture_on_commit_callbacks):
    # No network: every board refuses the connection.
    nowhere = _closed_port()
    settings.JOBMATE_SOURCE_URLS = {name: f"{nowhere}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    config = SearchConfig.objects.create(user=alice, name="Offline", keywords=["python"],
                                         sources=["remotive", "remoteok"], company_boards={"greenhouse": ["acme"]})
    with django_capture_on_commit_callbacks(execute=True):
        task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk},
                               backoff=[0, 0])
    run_worker()
    task.refresh_from_db()
    assert (task.status, task.attempt) == (Task.Status.FAILED, 3)  # retried like any failure
    assert str(task.error).startswith("No board could be reached — check the network (")
    for board in ("Remotive · “python”", "Remote OK · “python”", "Greenhouse · acme"):
        assert board in str(task.error)
    config.refresh_from_db()
    assert config.last_run_at is None

    # The page says it failed, in red, and does not suggest other keywords.
    client.force_login(alice)
    page = client.get(f"/search/?task={task.pk}").content.decode()
    assert "The search failed." in page and "check the network" in page
    assert "Try other keywords" not in page
    # It does not count as a success.
    from jobmate.tasks.stats import kind_stats

    (row,) = kind_stats(user=alice)
    assert (row["completed"], row["failed"], row["success_rate"]) == (0, 1, 0)


@pytest.mark.django_db
def test_a_board_that_answers_nonsense_is_named_with_its_reason(alice, settings, web_server, run_worker,
                                                                django_capture_on_commit_callbacks):
    settings.JOBMATE_SOURCE_URLS = source_urls(web_server)
    web_server.routes["/remoteok"] = (200, JSON, "{not json")
    config = SearchConfig.objects.create(user=alice, name="Odd", keywords=["python"], sources=["remoteok"])
    with django_capture_on_commit_callbacks(execute=True):
        task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk},
                               max_attempts=1)
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED
    assert str(task.error) == "Every board failed: Remote OK · “python”: sent an answer JobMate could not read."



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


@pytest.mark.django_db
def test_a_scrape_whose_boards_all_failed_for_good_is_not_retried(alice, settings, web_server, run_worker,
                                                                 django_capture_on_commit_callbacks):
    settings.JOBMATE_SOURCE_URLS = source_urls(web_server)  # no route: every board answers 404
    config = SearchConfig.objects.create(user=alice, name="Typo", keywords=["python"], sources=[],
                                         company_boards={"greenhouse": ["acmee"]})
    with django_capture_on_commit_callbacks(execute=True):
        task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
    run_worker()
    task.refresh_from_db()
    assert (task.status, task.attempt) == (Task.Status.FAILED, 1)
    assert str(task.error) == "Every board failed: Greenhouse · acmee: no Greenhouse board named “acmee”."


@pytest.mark.django_db
def test_a_board_failing_for_every_keyword_counts_as_one_board(alice, settings, web_server, run_worker, client,
                                                                django_capture_on_commit_callbacks):
    settings.JOBMATE_SOURCE_URLS = source_urls(web_server)
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    serve_fixtures(web_server)  # Arbeitnow answers 500
    web_server.routes["/remoteok"] = (503, {}, "down")
    config = SearchConfig.objects.create(user=alice, name="Two keywords", keywords=["python", "django"],
                                         sources=["remotive", "remoteok", "arbeitnow"])
    with django_capture_on_commit_callbacks(execute=True):
        task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
        SearchConfig.objects.filter(pk=config.pk).update(last_task=task)
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED, task.error
    # 2 boards × 2 keywords failed: 4 searches, but 2 boards.
    assert len(task.warnings) == 4 and task.counters["errors"] == 2
    assert str(task.message).endswith("— 2 of 3 boards failed")
    client.force_login(alice)
    listing = client.get("/searches/").content.decode()
    results = client.get(f"/search/?task={task.pk}").content.decode()
    for page in (listing, results):
        assert "2 boards failed" in page and "4 boards failed" not in page
    assert "4 board searches failed:" in results


def test_the_progress_message_names_the_searches_under_way():
    from discovery.tasks import Step, progress_message

    remoteok, lever = Step("remoteok", "golang"), Step("lever", "acme", is_board=True)
    assert str(progress_message([remoteok], done=6, total=8, found=12)) == \
        "Searching Remote OK · “golang” — 6 of 8 done, 12 offers found"
    assert str(progress_message([remoteok, lever], done=1, total=8, found=1)) == \
        "Searching Remote OK · “golang” and 1 other — 1 of 8 done, 1 offer found"
    assert str(progress_message([], done=8, total=8, found=0)) == "8 of 8 done, 0 offers found"


@pytest.mark.slow
def test_the_progress_shows_the_board_still_running_not_the_last_one_done(worker_process, alice, web_server):
    import threading

    serve_fixtures(web_server)
    answer_later = threading.Event()
    slow_answer = web_server.routes["/remoteok"]
    web_server.routes["/remoteok"] = lambda handler: slow_answer if answer_later.wait(60) else (504, {}, "")
    config = SearchConfig.objects.create(user=alice, name="One slow board", keywords=["python"],
                                         sources=["remotive", "remoteok"])
    env = {f"JOBMATE_SOURCE_{name.upper()}_URL": url for name, url in source_urls(web_server).items()}
    worker_process(queues=("scraping",), env=env)
    task = lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
    try:
        deadline = time.monotonic() + 30
        while task.progress_done < 1:  # Remotive is done; Remote OK waits for its answer
            assert time.monotonic() < deadline, "the first board never finished"
            time.sleep(0.1)
            task.refresh_from_db()
        assert task.status == Task.Status.RUNNING
        assert str(task.message).startswith("Searching Remote OK · “python” — 1 of 2 done"), task.message
        assert "Remotive" not in str(task.message)
    finally:
        answer_later.set()
    deadline = time.monotonic() + 30
    while task.status != Task.Status.COMPLETED:
        assert time.monotonic() < deadline, f"the scrape did not finish: {task.status} {task.error}"
        time.sleep(0.1)
        task.refresh_from_db()
    assert str(task.message).startswith(f"{task.counters['new']} new offer")
