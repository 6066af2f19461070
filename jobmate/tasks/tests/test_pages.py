import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobmate.tasks.models import Task, TaskLog

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_task(user, **fields):
    fields.setdefault("kind", "jobmate.sleep")
    return Task.objects.create(user=user, **fields)


def detail(task):
    return reverse("task_detail", args=[task.pk])


def shown_text(body: str) -> str:
    """The page without its attribute values (a filter's option value is a kind's code)."""
    return re.sub(r'="[^"]*"', "", body)


# --- access ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["task_detail", "task_row"])
def test_another_persons_task_is_404(client, alice, charlie, name):
    task = make_task(charlie)
    client.force_login(alice)
    assert client.get(reverse(name, args=[task.pk])).status_code == 404
    assert client.get(reverse(name, args=[task.pk]), HTTP_ACCEPT="application/json").status_code == 404


@pytest.mark.parametrize("name", ["task_cancel", "task_retry", "task_answer"])
def test_another_persons_task_cannot_be_acted_on(client, alice, charlie, name):
    task = make_task(charlie, status=Task.Status.FAILED)
    client.force_login(alice)
    assert client.post(reverse(name, args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED


def test_unknown_and_malformed_ids_are_404(alice_client):
    assert alice_client.get("/tasks/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert alice_client.get("/tasks/not-a-uuid/").status_code == 404
    assert alice_client.get("/tasks/123/cancel/").status_code == 404


def test_anonymous_is_sent_to_login(client, alice):
    task = make_task(alice)
    assert client.get(detail(task))["Location"].startswith(reverse("login"))


def test_actions_need_post(alice_client, alice):
    task = make_task(alice)
    assert alice_client.get(reverse("task_cancel", args=[task.pk])).status_code == 405


# --- list --------------------------------------------------------------------------------

def test_list_shows_only_my_tasks_newest_first(alice_client, alice, charlie):
    old = make_task(alice, label="Older one", created_at=timezone.now() - timedelta(hours=1))
    new = make_task(alice, label="Newer one")
    make_task(charlie, label="Not mine")
    body = alice_client.get(reverse("task_list")).content.decode()
    assert body.index("Newer one") < body.index("Older one")
    assert "Not mine" not in body
    assert reverse("task_detail", args=[old.pk]) in body and reverse("task_detail", args=[new.pk]) in body


def test_list_filters_by_status_and_kind(alice_client, alice):
    make_task(alice, label="Done diag", status=Task.Status.COMPLETED)
    make_task(alice, label="Failed diag", status=Task.Status.FAILED)
    make_task(alice, label="Running scrape", kind="discovery.scrape", status=Task.Status.RUNNING)
    body = alice_client.get(reverse("task_list"), {"status": "failed"}).content.decode()
    assert "Failed diag" in body and "Done diag" not in body and "Running scrape" not in body
    body = alice_client.get(reverse("task_list"), {"kind": "discovery.scrape"}).content.decode()
    assert "Running scrape" in body and "Done diag" not in body
    body = alice_client.get(reverse("task_list"), {"status": "active"}).content.decode()
    assert "Running scrape" in body and "Failed diag" not in body


def test_list_is_paginated(alice_client, alice):
    for n in range(30):
        make_task(alice, label=f"Task number {n:02d}", created_at=timezone.now() - timedelta(minutes=n))
    first = alice_client.get(reverse("task_list")).content.decode()
    second = alice_client.get(reverse("task_list"), {"page": 2}).content.decode()
    assert "Task number 00" in first and "Task number 29" not in first
    assert "Task number 29" in second and "Page 2 of 2" in second


def test_active_rows_poll_and_finished_rows_do_not(alice_client, alice):
    running = make_task(alice, status=Task.Status.RUNNING, progress_done=3, progress_total=4)
    done = make_task(alice, status=Task.Status.COMPLETED)
    body = alice_client.get(reverse("task_list")).content.decode()
    assert f'hx-get="{reverse("task_row", args=[running.pk])}" hx-trigger="every 2s"' in body
    assert reverse("task_row", args=[done.pk]) not in body
    assert 'aria-valuenow="75"' in body


def test_row_fragment_stops_polling_once_finished(alice_client, alice):
    task = make_task(alice, status=Task.Status.RUNNING)
    response = alice_client.get(reverse("task_row", args=[task.pk]), **HTMX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert 'hx-trigger="every 2s"' in response.content.decode()
    Task.objects.filter(pk=task.pk).update(status=Task.Status.COMPLETED)
    response = alice_client.get(reverse("task_row", args=[task.pk]), **HTMX)
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()
    assert "Completed" in response.content.decode()
    assert response["HX-Trigger"] == "task-finished"  # for the stats and the navigation's counts


def test_my_success_rate_per_kind_without_durations(alice_client, alice, charlie):
    now = timezone.now()
    for seconds in (1, 2, 3, 4, 100):
        make_task(alice, status=Task.Status.COMPLETED, started_at=now - timedelta(seconds=seconds), finished_at=now)
    make_task(alice, status=Task.Status.FAILED, started_at=now, finished_at=now)
    make_task(alice, status=Task.Status.COMPLETED, started_at=now - timedelta(days=9, seconds=50),
              finished_at=now - timedelta(days=9), created_at=now - timedelta(days=9))
    make_task(charlie, status=Task.Status.FAILED, started_at=now, finished_at=now)  # not hers
    from jobmate.tasks.stats import kind_stats

    (row,) = kind_stats(user=alice)
    assert (row["kind"], row["label"], row["count"], row["success_rate"]) == ("jobmate.sleep", "Diagnostic", 6, 83)
    assert "median" not in row and "p95" not in row
    stats = alice_client.get(reverse("task_list")).content.decode().split('id="task-stats"')[1]
    assert "Diagnostic" in stats and "6 tasks" in stats and "83 % did all their work" in stats
    # Her own figures, in words: no code names, no durations (those are the operators').
    body = shown_text(alice_client.get(reverse("task_list")).content.decode())
    assert "jobmate.sleep" not in body and "percentile" not in body and "Median" not in body

    # Completed with warnings (a board could not be read) is not what the person wanted.
    partial = make_task(alice, status=Task.Status.COMPLETED, started_at=now, finished_at=now,
                        warnings=["Remotive · 'python': could not be reached"])
    (row,) = kind_stats(user=alice)
    assert (row["partial"], row["success_rate"]) == (1, 71)  # 5 of 7
    page = alice_client.get(reverse("task_detail", args=[partial.pk])).content.decode()
    assert "pill--partial" in page and "Completed with warnings" in page
    assert "Remotive · &#x27;python&#x27;: could not be reached" in page


def test_stats_refresh_when_a_task_finishes(alice_client, alice):
    make_task(alice, status=Task.Status.COMPLETED)
    page = alice_client.get(reverse("task_list")).content.decode()
    assert f'hx-get="{reverse("task_list")}?part=stats" hx-trigger="task-finished from:body"' in page
    make_task(alice, status=Task.Status.FAILED)
    part = alice_client.get(reverse("task_list"), {"part": "stats"}, **HTMX).content.decode()
    assert part.lstrip().startswith('<section id="task-stats"') and "2 tasks" in part and "50 %" in part


def test_operators_see_durations_of_everyones_tasks_on_the_admin(admin_client, alice, charlie):
    now = timezone.now()
    for user, seconds in ((alice, 1), (alice, 3), (charlie, 5)):
        make_task(user, status=Task.Status.COMPLETED, started_at=now - timedelta(seconds=seconds), finished_at=now)
    body = admin_client.get(reverse("admin:tasks_task_changelist")).content.decode()
    stats = body.split('id="task-kind-stats"')[1]
    assert "Median time" in stats and "95th percentile" in stats
    assert "Diagnostic" in stats and "jobmate.sleep" in stats
    assert "3.0 s" in stats  # the median of 1, 3 and 5 s


def test_pages_name_kinds_and_counters_as_people_say_them(alice_client, alice):
    task = make_task(alice, kind="discovery.scrape", label="Search “golang”", status=Task.Status.COMPLETED,
                     counters={"found": 12, "new": 3, "errors": 1}, result={"new_offer_ids": [1, 2, 3]})
    gone = make_task(alice, kind="discovery.retired_kind", status=Task.Status.FAILED)
    listing = alice_client.get(reverse("task_list")).content.decode()
    detail = alice_client.get(reverse("task_detail", args=[task.pk])).content.decode()
    for body in (listing, detail):
        assert "Job board search" in body and "discovery.scrape" not in shown_text(body)
    assert "Background task" in listing and "discovery.retired_kind" not in shown_text(listing)
    assert '<option value="discovery.scrape">Job board search</option>' in listing
    assert "<dt>Offers found</dt><dd>12</dd>" in detail and "<dt>Boards that failed</dt><dd>1</dd>" in detail
    # In the order the kind declares them (PostgreSQL keeps JSON keys in an order of its own).
    assert detail.index("Offers found") < detail.index("New offers") < detail.index("Boards that failed")
    assert "new_offer_ids" not in detail  # the raw result is the API's, not the page's
    assert reverse("task_detail", args=[gone.pk]) in listing


def test_cancel_all_button(alice_client, alice, charlie):
    mine = make_task(alice, status=Task.Status.PENDING)
    theirs = make_task(charlie, status=Task.Status.PENDING)
    response = alice_client.post(reverse("task_cancel_all"), follow=True)
    assert "Cancelled 1 task." in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Task.Status.CANCELLED and theirs.status == Task.Status.PENDING


# --- detail and its fragments ------------------------------------------------------------------

def test_detail_shows_progress_counters_log_and_error(alice_client, alice):
    task = make_task(alice, label="Scrape boards", status=Task.Status.PENDING, attempt=1, max_attempts=3,
                     progress_done=2, progress_total=8, counters={"offers found": 12},
                     error="TimeoutError: board too slow", retry_at=timezone.now() + timedelta(seconds=58))
    TaskLog.objects.create(task=task, level="error", message="Traceback (most recent call last): ...")
    body = alice_client.get(detail(task)).content.decode()
    assert "Scrape boards" in body
    assert "2 of 3, next try in 5" in body  # 58 or 57 s, depending on the clock
    assert "Offers found" in body and "12" in body
    assert "TimeoutError: board too slow" in body
    assert "Traceback (most recent call last)" in body
    assert "Retry scheduled" in body


def test_status_fragment_polls_while_active_and_answers_286_when_finished(alice_client, alice):
    task = make_task(alice, status=Task.Status.RUNNING)
    url = f"{detail(task)}?part=status&seen=running"
    response = alice_client.get(url, **HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()

    Task.objects.filter(pk=task.pk).update(status=Task.Status.COMPLETED, result={"steps": 2})
    response = alice_client.get(url, **HTMX)
    assert response.status_code == 286
    body = response.content.decode()
    assert "every 2s" not in body.split('id="task-log"')[0]
    assert "Completed" in body
    # The state changed since the page was drawn: the whole panel is swapped, once, and the
    # rest of the page (the navigation's counts) hears that the task finished.
    assert response["HX-Retarget"] == "#task-panel"
    assert response["HX-Trigger"] == "tasks-changed, task-finished"
    assert "Retry" not in body and "Cancel" not in body


def test_status_fragment_of_an_unchanged_state_is_just_the_box(alice_client, alice):
    task = make_task(alice, status=Task.Status.FAILED, error="boom")
    response = alice_client.get(f"{detail(task)}?part=status&seen=failed", **HTMX)
    assert response.status_code == 286
    assert "HX-Retarget" not in response and response["HX-Trigger"] == "task-finished"
    assert response.content.decode().lstrip().startswith('<div id="task-status"')


def test_log_fragment(alice_client, alice):
    task = make_task(alice, status=Task.Status.RUNNING)
    TaskLog.objects.create(task=task, message="Fetched page 1")
    response = alice_client.get(f"{detail(task)}?part=log", **HTMX)
    assert response.status_code == 200 and "Fetched page 1" in response.content.decode()


def test_json_status_document(alice_client, alice):
    task = make_task(alice, status=Task.Status.RUNNING, progress_done=1, progress_total=4,
                     counters={"found": 3}, attempt=1, started_at=timezone.now())
    response = alice_client.get(detail(task), HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert set(document) >= {"id", "kind", "status", "message", "progress", "counters", "attempt",
                             "max_attempts", "error", "result", "created_at", "started_at", "finished_at"}
    assert document["id"] == str(task.pk)
    assert document["status"] == "running"
    assert document["progress"] == {"done": 1, "total": 4, "percent": 25}
    assert document["counters"] == {"found": 3}
    assert (document["attempt"], document["max_attempts"]) == (1, 3)
    assert document["error"] is None and document["result"] is None and document["finished_at"] is None


def test_task_text_is_escaped(alice_client, alice):
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    task = make_task(alice, label=payload, message=payload, error=payload, status=Task.Status.FAILED)
    TaskLog.objects.create(task=task, message=payload)
    for url in (detail(task), reverse("task_list")):
        body = alice_client.get(url).content.decode()
        assert "<script>alert(1)" not in body
        assert 'onerror="alert(2)"' not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_cancel_from_the_page(alice_client, alice):
    task = make_task(alice, status=Task.Status.PENDING)
    response = alice_client.post(reverse("task_cancel", args=[task.pk]))
    assert response.status_code == 302 and response["Location"] == detail(task)
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert str(task.message) == "Cancelled by you"


def test_cancel_with_htmx_returns_the_row(alice_client, alice):
    task = make_task(alice, status=Task.Status.RUNNING)
    response = alice_client.post(reverse("task_cancel", args=[task.pk]), {"fragment": "row"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="task-row-{task.pk}"')
    assert "Cancelled" in body and "Retry" in body
    assert response["HX-Trigger"] == "tasks-changed, task-finished"


def test_cancelling_a_finished_task_says_so(alice_client, alice):
    task = make_task(alice, status=Task.Status.COMPLETED)
    response = alice_client.post(reverse("task_cancel", args=[task.pk]), follow=True)
    assert "already finished, nothing to cancel" in response.content.decode()


def test_toasts_quote_a_task_once(alice_client, alice):
    task = make_task(alice, kind="discovery.scrape", label="Search “golang”", status=Task.Status.RUNNING)
    body = alice_client.post(reverse("task_cancel", args=[task.pk]), follow=True).content.decode()
    assert "Search “golang”: cancelled." in body and "““" not in body and "””" not in body


def test_retry_while_redis_is_down_says_so_and_changes_nothing(alice_client, alice, redis_down):
    task = make_task(alice, status=Task.Status.FAILED, error="boom")
    response = alice_client.post(reverse("task_retry", args=[task.pk]), follow=True)
    assert response.status_code == 200
    assert "queue is unreachable" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED


def test_question_form_and_invalid_answer(alice_client, alice):
    question = {"key": "company", "prompt": "Which company posted this?",
                "fields": [{"name": "company", "label": "Company", "required": True}]}
    task = make_task(alice, status=Task.Status.WAITING_USER, question=question, message=question["prompt"])
    body = alice_client.get(detail(task)).content.decode()
    assert "Which company posted this?" in body and 'name="answer-company"' in body
    response = alice_client.post(reverse("task_answer", args=[task.pk]), {"answer-company": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.WAITING_USER


def test_answering_a_task_that_no_longer_waits(alice_client, alice):
    task = make_task(alice, status=Task.Status.CANCELLED)
    response = alice_client.post(reverse("task_answer", args=[task.pk]), {"answer-x": "y"}, follow=True)
    assert "not waiting for an answer" in response.content.decode()


# --- navigation indicator -----------------------------------------------------------------

def test_indicator_counts_active_tasks_and_stops_polling_at_zero(alice_client, alice, charlie):
    make_task(alice, status=Task.Status.RUNNING)
    make_task(alice, status=Task.Status.PENDING)
    make_task(alice, status=Task.Status.COMPLETED)
    make_task(charlie, status=Task.Status.RUNNING)
    page = alice_client.get(reverse("home")).content.decode()
    assert 'title="Active tasks">2</span>' in page
    assert 'hx-trigger="every 2s, tasks-changed from:body, task-finished from:body"' in page

    response = alice_client.get(reverse("tasks_indicator"), **HTMX)
    assert response.status_code == 200 and ">2</span>" in response.content.decode()

    Task.objects.filter(user=alice).update(status=Task.Status.COMPLETED)
    response = alice_client.get(reverse("tasks_indicator"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 286
    assert "badge" not in body.split('id="inbox-count"')[0] and "every 2s" not in body
    assert 'hx-trigger="tasks-changed from:body, task-finished from:body"' in body


def test_indicator_brings_the_inbox_count_along(alice_client, alice, charlie):
    from discovery.models import Offer

    make_task(alice, status=Task.Status.RUNNING)
    for n, user in enumerate((alice, alice, charlie)):
        Offer.objects.create(user=user, source="remotive", canonical_url=f"https://x.test/{n}", title="Dev",
                             fingerprint=f"f{n}")
    body = alice_client.get(reverse("tasks_indicator"), **HTMX).content.decode()
    # What a task finds lands in the inbox: the navigation's inbox count follows, out of band.
    inbox_count = body.split('<span id="inbox-count"')[1]
    assert inbox_count.startswith(' hx-swap-oob="outerHTML"') and ">2</span>" in inbox_count
