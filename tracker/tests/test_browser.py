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


# --- on a phone (390 px) and on a desktop (1280 px) -------------------------------------------

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_every_link_of_the_navigation_shows_whole_with_its_badges(browser_page, log_in, live_server,
                                                                             alice, make_offer):
    from jobmate.tasks.models import Task

    page = browser_page
    for _ in range(120):  # a three-digit badge
        make_offer(alice)
    Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.RUNNING)
    page.set_viewport_size(PHONE)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")

    nav = page.locator(".mainnav")
    expect(nav.locator("#inbox-count .badge")).to_have_text("120")
    expect(nav.locator("#tasks-indicator .badge")).to_be_visible()
    nav_box = nav.bounding_box()
    for name in ("Inbox", "Board", "Searches", "Tasks", "Profile"):
        box = nav.get_by_role("link", name=name).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= min(nav_box["x"] + nav_box["width"], PHONE["width"]), name
    assert nav.evaluate("nav => nav.scrollWidth <= nav.clientWidth"), "nothing hides beyond the nav's edge"


def test_on_a_phone_a_tapped_offer_opens_below_the_sticky_header(browser_page, log_in, live_server, alice,
                                                                 make_offer):
    page = browser_page
    long_text = "".join(f"<p>Paragraph {n} of what the job is about.</p>" for n in range(60))
    offers = [make_offer(alice, title=f"Offer {n}", relevance=90 - n, description=long_text) for n in range(8)]
    page.set_viewport_size(PHONE)
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{offers[0].pk}"]').wait_for()

    # The offer's text is folded, so the list follows within a screen of the pane's top.
    pane = page.locator("#offer-detail").bounding_box()
    first_row = page.locator(f"#offer-row-{offers[0].pk}").bounding_box()
    assert first_row["y"] - pane["y"] < PHONE["height"]
    expect(page.locator("#offer-detail details.offer-detail__more")).not_to_have_attribute("open", "")

    page.locator(f"#offer-row-{offers[6].pk} .offer-row__link").click()
    title = page.locator(f'#offer-detail [data-offer-id="{offers[6].pk}"] h2')
    title.wait_for()
    expect(title).to_be_in_viewport()
    header_bottom = page.locator(".topbar").bounding_box()["height"]  # sticky at the top
    assert title.bounding_box()["y"] >= header_bottom, "the title is not under the header"

    page.get_by_text("The offer in full").click()
    expect(page.locator("#offer-detail").get_by_text("Paragraph 59 of what the job is about.")).to_be_visible()


def test_on_a_desktop_the_page_lines_up_with_the_header(browser_page, log_in, live_server, alice, make_offer):
    page = browser_page
    make_offer(alice)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, alice.email)
    for path in ("/inbox/", "/board/", "/profile/"):
        page.goto(f"{live_server.url}{path}")
        logo = page.locator(".brand").bounding_box()
        title = page.locator("main h1").bounding_box()
        assert abs(logo["x"] - title["x"]) <= 1, path


def test_a_run_of_decisions_shows_one_toast_and_the_whole_undo_line(browser_page, log_in, live_server, alice,
                                                                      make_offer):
    page = browser_page
    long_title = "Principal Software Engineer, Distributed Systems and Developer Productivity (Python/Django)"
    offers = [make_offer(alice, title=long_title if n == 2 else f"Offer {n}", relevance=90 - n) for n in range(4)]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{offers[0].pk}"]').wait_for()

    page.keyboard.type("rrr")

    page.locator(f'#offer-detail [data-offer-id="{offers[3].pk}"]').wait_for()
    expect(page.locator(".toast:not(.is-leaving)")).to_have_count(1)
    expect(page.locator(".toast:not(.is-leaving)")).to_contain_text(f"“{long_title}” rejected.")
    line = page.locator("#undo-bar .undo-bar__text")
    expect(line).to_have_text(f"Last: “{long_title}” rejected.")
    assert line.evaluate("el => el.scrollWidth <= el.clientWidth"), "the line is not cut"


def test_a_filtered_offer_rejected_for_good_and_undone(browser_page, log_in, live_server, alice, make_offer):
    page = browser_page
    offer = make_offer(alice, title="PHP Developer", status=Offer.Status.FILTERED, filter_reason="php")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/?tab=filtered")
    page.locator(f'#offer-detail [data-offer-id="{offer.pk}"]').wait_for()

    page.locator("#offer-detail").get_by_role("button", name="Reject").click()

    page.get_by_text("Nothing stopped by your red flags").wait_for()
    expect(page.locator(".toast")).to_contain_text("“PHP Developer” rejected.")
    assert Offer.objects.get(pk=offer.pk).status == "rejected"
    page.keyboard.press("u")
    page.locator(f"#offer-row-{offer.pk}").wait_for()
    expect(page.locator(".toast:not(.is-leaving)")).to_contain_text("Undone: “PHP Developer” is back as before.")
    assert Offer.objects.get(pk=offer.pk).status == "filtered"
