from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from discovery.models import Offer, SearchConfig
from discovery.scheduling import start_due_scrapes
from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def make_offer(user, n, status, days_old):
    return Offer.objects.create(user=user, source="remotive", canonical_url=f"https://x.test/{n}", title=f"Job {n}",
                                fingerprint=f"fp{n}", status=status,
                                created_at=timezone.now() - timedelta(days=days_old))


def test_purge_keeps_approved_and_recent_offers(alice):
    old_pending = make_offer(alice, 1, Offer.Status.PENDING, 40)
    make_offer(alice, 2, Offer.Status.REJECTED, 40)
    make_offer(alice, 3, Offer.Status.FILTERED, 40)
    approved = make_offer(alice, 4, Offer.Status.APPROVED, 400)
    recent = make_offer(alice, 5, Offer.Status.PENDING, 3)
    out = run("purge_offers", "--older-than", "30d")
    assert "Deleted 3 offer(s) older than 30d: 1 pending, 1 rejected, 1 filtered" in out
    assert set(Offer.objects.values_list("pk", flat=True)) == {approved.pk, recent.pk}
    assert not Offer.objects.filter(pk=old_pending.pk).exists()


def test_purge_refuses_a_bad_age(db):
    with pytest.raises(CommandError, match="use a number and d, h or w"):
        run("purge_offers", "--older-than", "a month")


def test_scrape_due_is_idempotent(alice, redis_conn, django_capture_on_commit_callbacks):
    due = SearchConfig.objects.create(user=alice, name="Due", keywords=["python"], sources=["remotive"])
    SearchConfig.objects.create(user=alice, name="Off", keywords=["python"], sources=["remotive"],
                                frequency=SearchConfig.Frequency.OFF)
    SearchConfig.objects.create(user=alice, name="Fresh", keywords=["python"], sources=["remotive"],
                                last_run_at=timezone.now() - timedelta(hours=2))
    SearchConfig.objects.create(user=alice, name="Inactive", keywords=["python"], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert "Started 1 scrape(s)" in run("scrape", "--due")
        # Again before it ran: the scrape is still queued, nothing new starts.
        assert "Started 0 scrape(s)" in run("scrape", "--due")
    assert Task.objects.filter(kind="discovery.scrape").count() == 1
    due.refresh_from_db()
    assert due.last_task.params == {"search_config_id": due.pk, "scheduled": True}  # the bell tells what it finds


def test_scrape_config_starts_one(alice, redis_conn, django_capture_on_commit_callbacks):
    config = SearchConfig.objects.create(user=alice, name="Now", keywords=["python"], sources=["remotive"])
    with django_capture_on_commit_callbacks(execute=True):
        assert "Started scrape" in run("scrape", "--config", str(config.pk))
    with pytest.raises(CommandError, match="already queued or running"):
        run("scrape", "--config", str(config.pk))
    with pytest.raises(CommandError, match="No saved search"):
        run("scrape", "--config", "999999")


def test_scrape_sync_runs_in_the_terminal(alice, settings, web_server):
    settings.JOBMATE_SOURCE_URLS = {name: f"{web_server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    web_server.routes["/remoteok"] = (200, {"Content-Type": "application/json"},
                                     (FIXTURES / "remoteok_api.documented.json").read_text())
    config = SearchConfig.objects.create(user=alice, name="Sync", keywords=["django"], sources=["remoteok"])
    out = run("scrape", "--config", str(config.pk), "--sync")
    assert "[##############################] 1/1" in out
    assert "1 new offer" in out
    assert Offer.objects.get().title == "Senior Django Developer"


def test_is_due_follows_the_frequency(alice):
    now = timezone.now()
    config = SearchConfig(user=alice, frequency=SearchConfig.Frequency.EVERY_6H, last_run_at=now - timedelta(hours=5))
    assert not config.is_due(now)
    assert config.is_due(now + timedelta(hours=1))
    assert start_due_scrapes(now) == []

