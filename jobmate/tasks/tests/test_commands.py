from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


def test_start_diagnostic_prints_the_task_id_last(alice, redis_conn, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("start-diagnostic", "--user", alice.email, "--steps", "2", "--seconds", "0")
    task = Task.objects.get(pk=out.split()[-1])
    assert task.user == alice and task.kind == "jobmate.sleep"
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED and task.progress_done == 2


def test_start_diagnostic_with_a_failing_step(alice, redis_conn, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("start-diagnostic", "--user", alice.email, "--steps", "3", "--seconds", "0", "--fail-at", "2")
    run_worker()
    task = Task.objects.get(pk=out.split()[-1])
    assert task.status == Task.Status.PENDING and task.attempt == 1
    assert str(task.error) == "RuntimeError: Diagnostic failure at step 2"


def test_start_diagnostic_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        run("start-diagnostic", "--user", "nobody@example.com")


def test_start_diagnostic_when_redis_is_down(transactional_db, redis_down, django_user_model):
    # Committed for real, as on the command line: the enqueue happens inside start().
    user = django_user_model.objects.create_user(email="ops@example.com", password="x-y-z-123")
    with pytest.raises(CommandError, match="Queue unavailable"):
        run("start-diagnostic", "--user", user.email)
    assert Task.objects.get().status == Task.Status.FAILED


def test_list_shows_active_tasks(alice):
    running = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.RUNNING,
                                  progress_done=2, progress_total=5, message="Step 2 of 5 done")
    Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.COMPLETED)
    out = run("list")
    assert str(running.pk) in out and "2/5" in out and alice.email in out
    assert out.count("\n") == 1


def test_cancel_one_and_all(alice, charlie, redis_conn):
    first = Task.objects.create(user=alice, kind="jobmate.sleep")
    Task.objects.create(user=charlie, kind="jobmate.sleep", status=Task.Status.RUNNING)
    assert f"Cancelled {first.pk}" in run("cancel", str(first.pk))
    with pytest.raises(CommandError, match="already cancelled"):
        run("cancel", str(first.pk))
    assert "Cancelled 1 task(s)" in run("cancel", "--all")
    assert not Task.objects.filter(status__in=Task.ACTIVE).exists()


def test_cancel_an_unknown_or_malformed_id(db):
    for task_id in ("00000000-0000-0000-0000-000000000000", "nope"):
        with pytest.raises(CommandError, match="No task with id"):
            run("cancel", task_id)


def test_retry_failed(alice, redis_conn, django_capture_on_commit_callbacks):
    Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.FAILED)
    Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.FAILED)
    done = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        assert "Queued 2 task(s) again" in run("retry", "--failed")
    assert Task.objects.filter(status=Task.Status.PENDING).count() == 2
    with pytest.raises(CommandError, match="not failed or cancelled"):
        run("retry", str(done.pk))


def test_sweep_by_hand(alice, redis_conn):
    long_ago = timezone.now() - timedelta(minutes=10)
    task = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.RUNNING,
                               attempt=3, max_attempts=3, rq_job_id="vanished")
    Task.objects.filter(pk=task.pk).update(updated_at=long_ago)
    assert "failed 1" in run("sweep")
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED


# --- admin ------------------------------------------------------------------------------------

def test_admin_lists_filters_and_searches_tasks(admin_client, alice, charlie):
    mine = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.FAILED, label="Alice's")
    theirs = Task.objects.create(user=charlie, kind="discovery.scrape", label="Charlie's")
    url = reverse("admin:tasks_task_changelist")
    body = admin_client.get(url, {"status__exact": "failed"}).content.decode()
    assert str(mine.pk)[:8] in body and str(theirs.pk)[:8] not in body
    body = admin_client.get(url, {"q": "charlie@example.com"}).content.decode()
    assert str(theirs.pk)[:8] in body and str(mine.pk)[:8] not in body
    assert reverse("admin:django_rq_home") in body


def test_admin_shows_the_log_readonly(admin_client, alice):
    task = Task.objects.create(user=alice, kind="jobmate.sleep")
    task.logs.create(message="Fetched page 3")
    body = admin_client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()
    assert "Fetched page 3" in body
    assert 'name="logs-0-message"' not in body


def test_admin_cancel_and_retry_actions(admin_client, alice, redis_conn, django_capture_on_commit_callbacks):
    active = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.RUNNING)
    failed = Task.objects.create(user=alice, kind="jobmate.sleep", status=Task.Status.FAILED)
    url = reverse("admin:tasks_task_changelist")
    admin_client.post(url, {"action": "cancel_tasks", "_selected_action": [active.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "retry_tasks", "_selected_action": [failed.pk]})
    active.refresh_from_db()
    failed.refresh_from_db()
    assert active.status == Task.Status.CANCELLED and str(active.message) == "Cancelled by an operator"
    assert failed.status == Task.Status.PENDING


def test_admin_starts_a_diagnostic(admin_client, alice, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:tasks_task_start_diagnostic"),
            {"user": alice.pk, "steps": 3, "seconds": 0.5},
        )
    task = Task.objects.get()
    assert response["Location"] == reverse("admin:tasks_task_change", args=[task.pk])
    assert task.user == alice and task.params["steps"] == 3 and task.status == Task.Status.PENDING


def test_admin_task_pages_need_staff(alice_client):
    assert alice_client.get(reverse("admin:tasks_task_start_diagnostic")).status_code == 302


def test_admin_diagnostic_with_redis_down_says_so(transactional_db, client, django_user_model, redis_down):
    operator = django_user_model.objects.create_superuser(email="ops@example.com", password="x-y-z-123")
    client.force_login(operator)
    response = client.post(reverse("admin:tasks_task_start_diagnostic"),
                           {"user": operator.pk, "steps": 1, "seconds": 0}, follow=True)
    assert response.status_code == 200
    assert "could not start: Queue unavailable" in response.content.decode()
    assert Task.objects.get().status == Task.Status.FAILED
