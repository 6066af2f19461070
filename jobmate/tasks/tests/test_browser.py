"""The task pages in a real browser: htmx polling follows a real worker, then stops."""

import re

import pytest

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

pytestmark = pytest.mark.slow


def test_detail_page_follows_the_task_live_and_stops_polling(browser_page, log_in, live_server, worker_process, alice):
    page = browser_page
    worker_process()
    log_in(page, alice.email)
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 4, "seconds": 0.5})
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "part=status" in request.url else None)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")

    status = page.locator("#task-status")
    status.locator(".pill--completed").wait_for()
    assert "Step 4 of 4 done" in status.inner_text()
    assert page.locator("#task-status [role=progressbar]").get_attribute("aria-valuenow") == "100"
    assert len(polls) >= 1
    # The page was drawn while the task ran; the final answer swapped the panel: no Cancel.
    assert page.locator("#task-actions button").count() == 0

    settled = len(polls)
    page.wait_for_timeout(4500)
    assert len(polls) == settled, "polling must stop once the task is finished"


def test_cancel_from_the_list_and_the_navigation_count(browser_page, log_in, live_server, worker_process, alice):
    page = browser_page
    worker_process()
    log_in(page, alice.email)
    task = lifecycle.start("jobmate.sleep", user=alice, params={"steps": 60, "seconds": 0.5})
    page.goto(f"{live_server.url}/tasks/")
    row = page.locator(f"#task-row-{task.pk}")
    row.locator(".pill--running").wait_for()
    assert page.locator("#tasks-indicator .badge").inner_text() == "1"

    row.get_by_role("button", name="Cancel").click()
    row.locator(".pill--cancelled").wait_for()
    assert row.get_by_role("button", name="Retry").is_visible()
    # The navigation hears about the change and drops its count.
    page.locator("#tasks-indicator .badge").wait_for(state="detached")
    assert Task.objects.get(pk=task.pk).status == Task.Status.CANCELLED
    assert re.search(r"Tasks\s*$", page.locator("#tasks-indicator").inner_text())


def test_the_tasks_page_fits_a_phone(browser_page, log_in, live_server, alice):
    from django.utils import timezone

    now = timezone.now()
    for kind, status in (("discovery.scrape", Task.Status.COMPLETED), ("discovery.add_by_url", Task.Status.FAILED),
                         ("jobmate.sleep", Task.Status.RUNNING)):
        Task.objects.create(user=alice, kind=kind, status=status, started_at=now, finished_at=now,
                            warnings=["Remote OK · 'python': could not be reached"] if status == "completed" else [],
                            message="Searching Remote OK · 'golang' and 3 others — 6 of 8 done, 12 offers found")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/tasks/")
    stats = page.locator("#task-stats")
    stats.wait_for()
    assert "Job board search" in stats.inner_text() and "did all their work" in stats.inner_text()
    # Nothing is cut: every figure and every cell lies inside the screen.
    for part in (*stats.locator(".kind-stats__row > *").all(), *page.locator(".task-row td").all()):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, part.inner_text()
