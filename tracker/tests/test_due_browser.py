"""The due list in a real browser, on a phone: snooze and close without leaving the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tracker import moves, triage
from tracker.models import Application

pytestmark = pytest.mark.slow


def test_snooze_and_close_from_the_due_list_on_a_phone(browser_page, log_in, live_server, alice, make_offer):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    ids = []
    for title in ("Late Reply", "Silent Startup"):
        (pk,) = triage.offers_approve(user=alice, offer_ids=[make_offer(alice, title=title).pk]).application_ids
        moves.application_move(user=alice, application_id=pk, to_status="applied")
        Application.objects.filter(pk=pk).update(follow_up_on=timezone.localdate() - timedelta(days=1))
        ids.append(pk)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/due/")
    expect(page.locator("#due-count .badge")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator(f"#due-{ids[0]}").get_by_role("button", name="+1 week").click()

    expect(page.locator(f"#due-{ids[0]}")).to_have_count(0)
    expect(page.locator("#toasts .toast")).to_contain_text("Follow-up put off to")
    expect(page.locator("#due-count .badge")).to_have_text("1")
    assert Application.objects.get(pk=ids[0]).follow_up_on == timezone.localdate() + timedelta(days=7)

    page.locator(f"#due-{ids[1]}").get_by_role("button", name="Close: no answer").click()

    expect(page.get_by_text("Nothing is due")).to_be_visible()
    expect(page.locator("#due-count .badge")).to_have_count(0)
    assert Application.objects.get(pk=ids[1]).status == "ghosted"
