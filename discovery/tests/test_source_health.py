"""Source health: every board search a scrape runs (in a real worker) is recorded; /sources/
and the admin show each source's last success, last failure and why, and the last day's
failure rate; a source that has failed every search for a day shows as degraded on the
saved-search pages that ask it, and stops showing so once it answers."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from discovery import health
from discovery.models import SearchConfig, SourceCall
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def boards(settings, web_server):
    settings.JOBMATE_SOURCE_URLS = {name: f"{web_server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    web_server.routes.update({
        "/remotive": (200, JSON, (FIXTURES / "remotive_search.documented.json").read_text()),
        "/greenhouse/acme-secret-board/jobs": (200, JSON, (FIXTURES / "greenhouse_jobs.documented.json").read_text()),
        "/arbeitnow": (503, {}, "down for maintenance"),
    })
    return web_server


def scrape(config, run_worker, capture):
    with capture(execute=True):
        task = lifecycle.start("discovery.scrape", user=config.user, params={"search_config_id": config.pk})
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED, task.error
    return task


def test_each_board_search_is_recorded_and_shown_on_the_sources_page(alice, alice_client, boards, run_worker,
                                                                     django_capture_on_commit_callbacks):
    config = SearchConfig.objects.create(user=alice, name="Python", keywords=["python"],
                                         sources=["remotive", "arbeitnow"],
                                         company_boards={"greenhouse": ["acme-secret-board", "no-such-board"]})
    scrape(config, run_worker, django_capture_on_commit_callbacks)
    calls = {(call.source, call.board): call for call in SourceCall.objects.all()}
    assert calls[("remotive", "")].outcome == SourceCall.Outcome.OK
    assert calls[("greenhouse", "acme-secret-board")].outcome == SourceCall.Outcome.OK
    # A board name the source does not know is the person's mistake, not the source failing.
    assert calls[("greenhouse", "no-such-board")].outcome == SourceCall.Outcome.NO_BOARD
    failed = calls[("arbeitnow", "")]
    assert failed.outcome == SourceCall.Outcome.FAILED
    assert str(failed.reason) == "answered with an error (HTTP 503)"
    assert "HTTP 503 from 127.0.0.1" in failed.detail and failed.seconds is not None

    page = alice_client.get("/sources/").content.decode()
    remotive = page[page.index('id="source-remotive"'):]
    assert "Answering" in remotive[:remotive.index("</tr>")] and "0 of 1 search (0 %)" in remotive
    arbeitnow = page[page.index('id="source-arbeitnow"'):]
    arbeitnow = arbeitnow[:arbeitnow.index("</tr>")]
    assert "Failing" in arbeitnow and "answered with an error (HTTP 503)" in arbeitnow
    assert "1 of 1 search (100 %)" in arbeitnow
    greenhouse = page[page.index('id="source-greenhouse"'):]
    assert "Answering" in greenhouse[:greenhouse.index("</tr>")]
    # Everyone reads this page: no one's company boards are named on it.
    assert "acme-secret-board" not in page and "no-such-board" not in page
    # A source no search asked this week says so.
    lever = page[page.index('id="source-lever"'):]
    assert "Not searched this week" in lever[:lever.index("</tr>")]


def test_the_sources_page_is_in_french_and_needs_a_login(alice_client):
    assert Client().get("/sources/").status_code == 302
    page = alice_client.get("/sources/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Comment répondent les sites d’emploi" in page


def test_a_source_failing_every_search_for_a_day_is_degraded_on_the_saved_search_page(
        alice, alice_client, boards, run_worker, django_capture_on_commit_callbacks):
    config = SearchConfig.objects.create(user=alice, name="Python", keywords=["python"],
                                         sources=["remotive", "arbeitnow"])
    # Arbeitnow last answered 27 hours ago, and has failed every search since (everyone's) …
    SourceCall.objects.create(source="arbeitnow", outcome=SourceCall.Outcome.OK,
                              at=timezone.now() - timedelta(hours=27))
    for hours in (25, 18, 7):
        SourceCall.objects.create(source="arbeitnow", outcome=SourceCall.Outcome.FAILED,
                                  at=timezone.now() - timedelta(hours=hours))
    # … and fails this one too.
    scrape(config, run_worker, django_capture_on_commit_callbacks)
    page = alice_client.get(f"/searches/{config.pk}/").content.decode()
    assert "A board this search asks is not answering" in page
    assert "Arbeitnow has failed every search since" in page
    assert "answered with an error (HTTP 503)" in page
    assert "Remotive has failed" not in page
    sources = alice_client.get("/sources/").content.decode()
    arbeitnow = sources[sources.index('id="source-arbeitnow"'):]
    assert "Degraded" in arbeitnow[:arbeitnow.index("</tr>")]
    assert "3 of 3 searches (100 %)" in arbeitnow[:arbeitnow.index("</tr>")]  # the last day's

    # A search that does not ask Arbeitnow is not told about it.
    other = SearchConfig.objects.create(user=alice, name="Remotive only", keywords=["python"], sources=["remotive"])
    assert "not answering" not in alice_client.get(f"/searches/{other.pk}/").content.decode()

    # Arbeitnow answers again: the next run clears the warning.
    boards.routes["/arbeitnow"] = (200, JSON, (FIXTURES / "arbeitnow_page2.documented.json").read_text())
    scrape(config, run_worker, django_capture_on_commit_callbacks)
    assert "not answering" not in alice_client.get(f"/searches/{config.pk}/").content.decode()


def test_failing_for_less_than_a_day_is_not_degraded(alice):
    config = SearchConfig.objects.create(user=alice, name="Python", keywords=["python"], sources=["arbeitnow"])
    SourceCall.objects.create(source="arbeitnow", outcome=SourceCall.Outcome.OK,
                              at=timezone.now() - timedelta(hours=30))
    SourceCall.objects.create(source="arbeitnow", outcome=SourceCall.Outcome.FAILED,
                              at=timezone.now() - timedelta(hours=20))
    [arbeitnow] = health.report(["arbeitnow"])
    assert arbeitnow.status == "failing" and health.degraded_for(config) == []
    SourceCall.objects.filter(outcome=SourceCall.Outcome.FAILED).update(
        at=timezone.now() - timedelta(hours=24, minutes=1))
    assert [h.source for h in health.degraded_for(config)] == ["arbeitnow"]


def test_the_admin_shows_the_health_and_every_call(admin_client, alice):
    SourceCall.objects.create(source="lever", board="globex", outcome=SourceCall.Outcome.FAILED,
                              reason="", detail="HTTP 502 from api.lever.co after 3 attempts")
    page = admin_client.get("/admin/discovery/sourcecall/").content.decode()
    lever = page[page.index('id="health-lever"'):]
    assert "Failing" in lever[:lever.index("</tr>")] and "HTTP 502 from api.lever.co" in lever
    assert "globex" in page  # the admin, and only the admin, shows the board
    assert admin_client.get("/admin/discovery/sourcecall/add/").status_code == 403


def test_calls_older_than_a_week_are_purged():
    old = SourceCall.objects.create(source="remotive", outcome=SourceCall.Outcome.OK,
                                    at=timezone.now() - timedelta(days=8))
    recent = SourceCall.objects.create(source="remotive", outcome=SourceCall.Outcome.OK,
                                       at=timezone.now() - timedelta(days=6))
    assert health.purge() == 1
    assert list(SourceCall.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SourceCall.objects.filter(pk=old.pk).exists()


def test_the_health_of_every_source_is_read_in_a_few_queries(django_assert_max_num_queries):
    for source in ("remotive", "lever", "arbeitnow", "jobicy", "recruitee"):
        SourceCall.objects.create(source=source, outcome=SourceCall.Outcome.OK, at=timezone.now() - timedelta(days=2))
        for hours in (30, 3):
            SourceCall.objects.create(source=source, outcome=SourceCall.Outcome.FAILED,
                                      at=timezone.now() - timedelta(hours=hours))
    with django_assert_max_num_queries(3):  # however many sources fail
        report = health.report()
    failing = {h.source: h for h in report if h.status != "unknown"}
    assert {h.status for h in failing.values()} == {"degraded"} and len(failing) == 5
    assert all(h.failures == 1 and h.calls == 1 for h in failing.values())
