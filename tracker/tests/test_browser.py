"""Triage in a real browser, with the keyboard only."""

import pytest
from playwright.sync_api import expect

from discovery.models import Offer
from tracker.models import Application

pytestmark = pytest.mark.slow


def test_triage_three_offers_with_the_keyboard(browser_page, log_in, live_server, alice, make_offer):
    page = browser_page
    first = make_offer(alice, title="Django Developer", relevance=90)
    second = make_offer(alice, title="PHP Maintainer", relevance=80)
    third = make_offer(alice, title="Data Engineer", relevance=70)
    fourth = make_offer(alice, title="Backend Engineer", relevance=60)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")

    def shown(offer):
        page.locator(f'#offer-detail [data-offer-id="{offer.pk}"]').wait_for()

    shown(first)
    page.keyboard.press("j")          # move down to the second offer
    shown(second)
    assert page.locator(f"#offer-row-{second.pk}").get_attribute("class").endswith("is-selected")
    page.keyboard.press("k")          # and back up
    shown(first)

    page.keyboard.press("a")          # approve: the next offer opens, the row leaves the list
    shown(second)
    page.locator(f"#offer-row-{first.pk}").wait_for(state="detached")
    page.keyboard.press("r")          # reject
    shown(third)
    page.keyboard.press("a")          # approve
    shown(fourth)
    assert page.locator("#inbox-count .badge").inner_text() == "1"
    assert page.url.endswith(f"/inbox/{fourth.pk}/"), "a reload shows the offer now open"

    # A fourth decision, undone with "u": the offer comes back as it was.
    page.keyboard.press("r")
    page.get_by_text("Inbox zero").wait_for()
    page.keyboard.press("u")
    shown(fourth)
    page.locator(f"#offer-row-{fourth.pk}").wait_for()

    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")

    statuses = dict(Offer.objects.filter(user=alice).values_list("title", "status"))
    assert statuses == {"Django Developer": "approved", "PHP Maintainer": "rejected",
                        "Data Engineer": "approved", "Backend Engineer": "pending"}
    applications = Application.objects.filter(user=alice).order_by("offer__relevance")
    assert [(a.offer.title, a.status) for a in applications] == [("Data Engineer", "to_apply"),
                                                                 ("Django Developer", "to_apply")]


def test_keys_pressed_while_a_decision_travels_wait_their_turn(browser_page, log_in, live_server, alice, make_offer,
                                                                 slow_network):
    page = browser_page
    first = make_offer(alice, title="First", relevance=90)
    make_offer(alice, title="Second", relevance=80)
    third = make_offer(alice, title="Third", relevance=70)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{first.pk}"]').wait_for()
    # A slow network: decisions leave the browser 0.8 s late.
    slow_network(page, "/approve/", 800)

    page.keyboard.press("a")   # approve "First"…
    page.keyboard.press("j")   # …then, once "Second" is open, move on to "Third"

    page.locator(f'#offer-detail [data-offer-id="{third.pk}"]').wait_for()
    page.locator(f"#offer-row-{first.pk}").wait_for(state="detached")
    assert page.locator("#inbox-count .badge").inner_text() == "2"
    assert "“First” approved" in page.locator("#undo-bar").inner_text()
    assert Offer.objects.get(pk=first.pk).status == "approved"


def test_script_in_an_offer_never_runs(browser_page, log_in, live_server, alice, make_offer):
    page = browser_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = '<script>alert("title")</script><img src=x onerror="alert(2)">'
    offer = make_offer(alice, title=f"Dev {payload}", company=f"Evil {payload}", location=payload,
                       description=f'<p>Hi</p>{payload}<a href="javascript:alert(3)">x</a>',
                       also_found_on=[{"source": "x", "url": "javascript:alert(4)"}])
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{offer.pk}"]').wait_for()
    page.goto(f"{live_server.url}/inbox/{offer.pk}/")
    page.locator(".offer-detail__description a", has_text="x").click()
    page.wait_for_timeout(500)
    assert dialogs == []
    assert "<script>" in page.locator("#offer-detail h2").inner_text()  # shown as text


def test_a_burst_of_keys_is_played_in_order(browser_page, log_in, live_server, alice, make_offer, slow_network):
    page = browser_page
    offers = [make_offer(alice, title=f"Offer {n}", relevance=90 - n) for n in range(5)]
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{offers[0].pk}"]').wait_for()
    slow_network(page, "approve|reject", 600)

    page.keyboard.type("ajra")  # approve 0; move to 2; reject 2; approve 3

    page.locator(f'#offer-detail [data-offer-id="{offers[4].pk}"]').wait_for()
    expect(page.locator("#offer-list .offer-row")).to_have_count(2)
    assert [Offer.objects.get(pk=o.pk).status for o in offers] == [
        "approved", "pending", "rejected", "approved", "pending"]


def test_a_failed_decision_lets_the_next_key_through(browser_page, log_in, live_server, alice, make_offer):
    import time

    page = browser_page
    first, second = make_offer(alice, relevance=90), make_offer(alice, relevance=80)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{first.pk}"]').wait_for()
    page.route("**/approve/", lambda route: (time.sleep(0.5), route.fulfill(status=502, body="Bad gateway")))

    page.keyboard.type("ar")  # the approval fails on the way; the rejection still happens

    page.locator(f"#offer-row-{first.pk}").wait_for(state="detached")
    assert Offer.objects.get(pk=first.pk).status == "rejected"
    assert Offer.objects.get(pk=second.pk).status == "pending"
