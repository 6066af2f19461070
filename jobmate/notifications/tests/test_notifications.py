"""The bell: what a scheduled scrape found, a task that failed, what came due — written by the
apps through one function at the bottom of the stack, read in the reader's language, one's
own only, marked read one by one or all at once, emailed when asked for."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from discovery.models import SearchConfig
from discovery.scheduling import start_due_scrapes
from discovery.tests.test_scrape import serve_fixtures, source_urls
from jobmate.notifications.models import EmailChoice, Notification
from jobmate.notifications.outbox import notify
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import define
from jobmate.tasks.models import Task
from django.utils.translation import gettext_lazy

pytestmark = pytest.mark.django_db

HELLO = define("tests.notifications_hello", gettext_lazy("Offers"))


def test_the_notifications_code_knows_no_app():
    """Any app may write notifications because this code imports none of them."""
    package = Path(settings.BASE_DIR) / "jobmate" / "notifications"
    apps = ("profiles", "discovery", "coach", "tracker")
    for source in package.rglob("*.py"):
        if "tests" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.split(".")[0] in apps, f"{source.name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not [alias.name for alias in node.names if alias.name.split(".")[0] in apps], source.name


def test_a_scheduled_scrape_that_finds_offers_rings_the_bell(alice, settings, web_server, run_worker,
                                                             django_capture_on_commit_callbacks):
    settings.JOBMATE_SOURCE_URLS = source_urls(web_server)
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    serve_fixtures(web_server)
    config = SearchConfig.objects.create(user=alice, name="Python remote", keywords=["python"],
                                         sources=["remotive", "remoteok"], frequency=SearchConfig.Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        (task,) = start_due_scrapes()
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED, task.error

    (notification,) = Notification.objects.filter(user=alice)
    assert notification.kind == Notification.Kind.OFFERS_FOUND
    assert str(notification.message) == f"“Python remote” found {task.counters['new']} new offers"
    assert notification.link == f"/inbox/?search={config.pk}"

    # The same search started by hand: the person is watching, the bell stays quiet.
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.start("discovery.scrape", user=alice, params={"search_config_id": config.pk})
    run_worker()
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_task_that_fails_for_good_rings_the_bell_once(alice, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 2, "seconds": 0, "fail_at": 1},
                               backoff=[0, 0])
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED and task.attempt == 3
    # Three attempts failed; the task failed once: one notification.
    (notification,) = Notification.objects.filter(user=alice)
    assert notification.kind == Notification.Kind.TASK_FAILED
    assert notification.link == f"/tasks/{task.pk}/"
    assert str(notification.message) == f"{task.title} failed: {task.error}"

    client = Client()
    client.force_login(alice)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    notification.refresh_from_db()
    assert notification.is_read


def test_messages_render_in_the_readers_language(alice_client, alice):
    notify(alice, Notification.Kind.TASK_FAILED, lifecycle.said.TASK_FAILED(
        task=lifecycle.said.QUEUED(), error=lifecycle.said.TIMED_OUT(seconds=30)), link="/tasks/")
    assert "Queued failed: Timed out after 30 s" in alice_client.get("/notifications/").content.decode()
    alice.language = "fr"
    alice.save()
    page = alice_client.get("/notifications/").content.decode()
    assert "En file d’attente\u00a0: échec — Délai dépassé après 30\u00a0s" in page


def test_the_list_is_the_persons_own_newest_first_and_marks_read(alice_client, alice, charlie):
    older = notify(alice, Notification.Kind.DUE, HELLO(), link="/board/due/")
    newer = notify(alice, Notification.Kind.OFFERS_FOUND, HELLO(), link="/inbox/")
    theirs = notify(charlie, Notification.Kind.DUE, HELLO(), link="/board/due/")

    page = alice_client.get("/notifications/").content.decode()
    assert page.index(f'id="notification-{newer.pk}"') < page.index(f'id="notification-{older.pk}"')
    assert f'id="notification-{theirs.pk}"' not in page
    assert 'class="badge bell__count" aria-hidden="true">2<' in page  # the bell's count
    assert "Notifications, 2 unread" in page

    # Someone else's notification does not exist for Alice.
    assert alice_client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert alice_client.post(f"/notifications/{theirs.pk}/read/").status_code == 404

    response = alice_client.post(f"/notifications/{older.pk}/read/", {"next": "/notifications/"})
    assert response.status_code == 302
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.is_read and not newer.is_read

    # htmx: the row comes back read, with the bell's count out of band.
    response = alice_client.post(f"/notifications/{newer.pk}/read/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'id="notification-{newer.pk}"' in html and "is-unread" not in html
    assert 'id="bell"' in html and 'hx-swap-oob="outerHTML"' in html and "bell__count" not in html

    notify(alice, Notification.Kind.DUE, HELLO())
    notify(alice, Notification.Kind.DUE, HELLO())
    alice_client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_a_link_elsewhere_is_never_kept():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email="dana@example.com", password="x")
    for link in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        assert notify(user, Notification.Kind.DUE, HELLO(), link=link).link == ""


def test_the_bell_polls_only_while_something_may_change(alice_client, alice):
    response = alice_client.get("/notifications/bell/")
    # Nothing scheduled, no task, no open application: 286 stops htmx's polling.
    assert response.status_code == 286
    assert "every 60s" not in response.content.decode()
    assert "page-visible from:body" in response.content.decode()  # coming back to the tab asks again
    SearchConfig.objects.create(user=alice, name="Daily", keywords=["python"], frequency=SearchConfig.Frequency.DAILY)
    response = alice_client.get("/notifications/bell/")
    assert response.status_code == 200 and "every 60s" in response.content.decode()
    assert "data-poll-when-visible" in response.content.decode()


def test_email_only_for_the_kinds_asked_in_the_persons_language(alice_client, alice, django_capture_on_commit_callbacks):
    alice.language = "fr"
    alice.save()
    response = alice_client.post("/profile/notifications/", {"kinds": ["task_failed"]})
    assert response.status_code == 302
    assert EmailChoice.objects.get(user=alice).kinds == ["task_failed"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(alice, Notification.Kind.OFFERS_FOUND, HELLO(), link="/inbox/")
        notify(alice, Notification.Kind.TASK_FAILED, lifecycle.said.TASK_FAILED(
            task=lifecycle.said.QUEUED(), error=lifecycle.said.TIMED_OUT(seconds=30)), link="/tasks/")
    (email,) = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "En file d’attente\u00a0: échec — Délai dépassé après 30\u00a0s"
    assert "http://localhost:8000/tasks/" in email.body
    assert "http://localhost:8000/profile/#notifications" in email.body

    page = alice_client.get("/profile/").content.decode()
    assert re.search(r'value="task_failed"[^>]*checked', page)
    assert not re.search(r'value="offers_found"[^>]*checked', page)


def test_a_refused_choice_saves_nothing(alice_client, alice):
    alice_client.post("/profile/notifications/", {"kinds": ["due", "everything"]})
    assert not EmailChoice.objects.filter(user=alice).exists()


def test_every_process_knows_the_words_of_every_notification():
    """A notification is written in a worker or by the cron and read in the web process:
    each process must know each code, or the bell would show the code itself."""
    import subprocess
    import sys

    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'jobmate.settings'); django.setup(); "
            "from jobmate.tasks.messages import is_defined; "
            "print(all(is_defined(c) for c in ('tracker.reminder', 'tracker.reminder_both', 'scrape.found_while_away', "
            "'tasks.notify_failed', 'tasks.kind.discovery.scrape')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr[-2000:]


def test_old_notifications_are_cleared_out_by_the_daily_cron_job(alice, redis_conn):
    from datetime import timedelta

    import django_rq
    from django.utils import timezone
    from django_rq.cron import DjangoCronScheduler
    from rq import SimpleWorker

    now = timezone.now()
    fresh_unread = notify(alice, Notification.Kind.DUE, HELLO())
    old_unread = notify(alice, Notification.Kind.DUE, HELLO())
    read_lately = notify(alice, Notification.Kind.DUE, HELLO())
    read_long_ago = notify(alice, Notification.Kind.DUE, HELLO())
    Notification.objects.filter(pk=old_unread.pk).update(created_at=now - timedelta(days=200))
    Notification.objects.filter(pk=read_lately.pk).update(read_at=now - timedelta(days=2))
    Notification.objects.filter(pk=read_long_ago.pk).update(read_at=now - timedelta(days=40))

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("jobmate.cron")
    entry = {job.func_name: job for job in scheduler.get_jobs()}[
        "jobmate.notifications.housekeeping.purge_old_notifications"]
    queue = django_rq.get_queue(entry.queue_name)
    queue.enqueue(entry.func)
    SimpleWorker([queue], connection=redis_conn).work(burst=True)

    assert set(Notification.objects.values_list("pk", flat=True)) == {fresh_unread.pk, read_lately.pk}
