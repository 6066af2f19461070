"""The bell in a real browser, on a phone: its count, the list, marking read without a reload,
and a new notification showing as soon as the page is looked at again."""

import pytest
from django.utils.translation import gettext_lazy
from playwright.sync_api import expect

from discovery.models import SearchConfig
from jobmate.notifications.models import Notification
from jobmate.notifications.outbox import notify
from jobmate.tasks.messages import define

pytestmark = pytest.mark.slow

SAID = define("tests.bell_browser", gettext_lazy("Offers"))


def test_the_bell_on_a_phone(browser_page, log_in, live_server, alice):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    # A scheduled search: something may still ring, so the bell keeps listening.
    SearchConfig.objects.create(user=alice, name="Daily", keywords=["python"], frequency=SearchConfig.Frequency.DAILY)
    first = notify(alice, Notification.Kind.OFFERS_FOUND, SAID(), link="/inbox/")
    notify(alice, Notification.Kind.DUE, SAID(), link="/board/due/")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")
    bell = page.locator("#bell")
    expect(bell.locator(".bell__count")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    bell.click()
    expect(page).to_have_url(f"{live_server.url}/notifications/")
    expect(page.locator(".notification.is-unread")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator(f"#notification-{first.pk}").get_by_role("button", name="Mark as read").click()
    expect(page.locator(f"#notification-{first.pk}")).not_to_have_class("is-unread")
    expect(page.locator("#bell .bell__count")).to_have_text("1")

    # Written while the person looked elsewhere: it shows when the page is seen again.
    notify(alice, Notification.Kind.TASK_FAILED, SAID(), link="/tasks/")
    # (Again until it lands: the bell just swapped in by "Mark as read" may not listen yet.)
    for _ in range(20):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        try:
            expect(page.locator("#bell .bell__count")).to_have_text("2", timeout=500)
            break
        except AssertionError:
            continue
    expect(page.locator("#bell .bell__count")).to_have_text("2")

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    expect(page.locator(".notification.is-unread")).to_have_count(0)
