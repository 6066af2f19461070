"""The funnel picture in a real browser, on a phone: it fits, and every bar shows with its number."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tracker import moves, triage

pytestmark = pytest.mark.slow

PHONE = 390


def test_the_stats_page_on_a_phone(browser_page, log_in, live_server, alice, make_offer):
    start = timezone.now() - timedelta(days=40)
    paths = [["applied", "interview", "offer"], ["applied", "rejected"], ["applied"], ["applied", "interview"],
             ["applied", "ghosted"], ["withdrawn"], []]
    for n, path in enumerate(paths):
        offer = make_offer(alice, source=["greenhouse", "weworkremotely"][n % 2])
        with time_machine.travel(start + timedelta(days=n), tick=False):
            (pk,) = triage.offers_approve(user=alice, offer_ids=[offer.pk]).application_ids
        for days, status in enumerate(path, start=2):
            with time_machine.travel(start + timedelta(days=n + days * 1.5), tick=False):
                moves.application_move(user=alice, application_id=pk, to_status=status)
    triage.offers_reject(user=alice, offer_ids=[make_offer(alice).pk])
    page = browser_page
    page.set_viewport_size({"width": PHONE, "height": 844})
    log_in(page, alice.email)

    page.goto(f"{live_server.url}/stats/")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    step = page.locator("#stats-steps .stats-bar").filter(has_text="Approved → Applied")
    expect(step.locator(".stats-bar__value")).to_have_text("71%")  # 5 of 7
    expect(step.locator(".stats-bar__detail")).to_have_text("5 of 7 applications")
    this_week = page.locator("#stats-weeks .stats-bar").first
    expect(this_week.locator(".stats-bar__value")).to_have_text("0 approved · 1 rejected")
    for row in [*page.locator(".stats-bar").all()]:
        row.scroll_into_view_if_needed()
        value = row.locator(".stats-bar__value")
        expect(value).to_be_visible()
        box = value.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, value.inner_text()
        track = row.locator(".stats-bar__track")
        if track.count():  # a bar the whole width of its card, under its label and number
            bar = track.bounding_box()
            assert bar["width"] > PHONE * 0.7 and bar["x"] + bar["width"] <= PHONE
            assert bar["y"] >= box["y"] + box["height"] - 1
    drawn = page.locator("#stats-steps .stats-bar__track rect").first.bounding_box()
    assert drawn["width"] > 100  # 71 % of the bar is drawn
