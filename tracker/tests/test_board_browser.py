"""The board in a real browser: drag and drop, a refused drop, the keyboard, a phone."""

import pytest
from playwright.sync_api import expect

from tracker import moves, triage
from tracker.models import Application, ApplicationEvent

pytestmark = pytest.mark.slow


@pytest.fixture
def apply(make_offer):
    def apply(user, **offer_fields) -> Application:
        offer = make_offer(user, **offer_fields)
        (pk,) = triage.offers_approve(user=user, offer_ids=[offer.pk]).application_ids
        return Application.objects.get(pk=pk)

    return apply


def _drag(page, source, target):
    """Drag with the mouse, in small steps, as a person does (SortableJS follows the mouse)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + min(end["height"] / 2, 30), steps=20)
    page.wait_for_timeout(150)  # SortableJS looks where the card is every 50 ms
    page.mouse.up()


def test_drag_a_card_from_to_apply_to_applied(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    application = apply(alice, title="Drag Me")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    _drag(page, page.locator(f"#card-{application.pk}"), page.locator('#board ul[data-status="applied"]'))

    page.locator(f'#board ul[data-status="applied"] #card-{application.pk}[data-status="applied"]').wait_for()
    expect(page.locator("#column-applied-count")).to_have_text("1")
    expect(page.locator("#column-to_apply-count")).to_have_text("0")
    application.refresh_from_db()
    assert application.status == "applied"
    assert list(ApplicationEvent.objects.filter(application=application, kind="status")
                .values_list("from_status", "to_status")) == [("to_apply", "applied")]


def test_a_refused_drop_snaps_back_with_the_reason(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    application = apply(alice, title="Far Along")
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    _drag(page, page.locator(f"#card-{application.pk}"), page.locator('#board ul[data-status="to_apply"]'))

    expect(page.locator("#toasts .toast--error")).to_contain_text("cannot go from “Offer” to “To apply”")
    page.locator(f'#board ul[data-status="offer"] #card-{application.pk}[data-status="offer"]').wait_for()
    expect(page.locator('#board ul[data-status="to_apply"] .board-card')).to_have_count(0)
    application.refresh_from_db()
    assert application.status == "offer"


def test_move_a_focused_card_with_the_keyboard(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    application = apply(alice, title="Keyboard Job")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    page.locator(f"#card-{application.pk}").focus()
    page.keyboard.press("Shift+ArrowRight")

    page.locator(f'#board ul[data-status="applied"] #card-{application.pk}[data-status="applied"]').wait_for()
    expect(page.locator(f"#card-{application.pk}")).to_be_focused()
    expect(page.locator("#board-live")).to_have_text("“Keyboard Job” moved to “Applied”.")
    page.keyboard.press("Shift+ArrowRight")
    page.locator(f'#board ul[data-status="interview"] #card-{application.pk}[data-status="interview"]').wait_for()
    expect(page.locator(f"#card-{application.pk}")).to_be_focused()
    page.keyboard.press("Shift+ArrowLeft")
    page.locator(f'#board ul[data-status="applied"] #card-{application.pk}[data-status="applied"]').wait_for()
    application.refresh_from_db()
    assert application.status == "applied"
    assert ApplicationEvent.objects.filter(application=application, kind="status").count() == 3


def test_the_move_menu_moves_a_card(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    application = apply(alice, title="Menu Job")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    card = page.locator(f"#card-{application.pk}")
    card.locator("summary").click()
    card.locator("select").select_option("interview")
    card.locator("button[type=submit]").click()

    page.locator(f'#board ul[data-status="interview"] #card-{application.pk}[data-status="interview"]').wait_for()
    application.refresh_from_db()
    assert application.status == "interview"


def test_a_phone_shows_one_column_and_nothing_overflows(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    apply(alice, title="A rather long title for a job that goes on and on, Senior Staff Principal Engineer")
    applied = apply(alice, title="Already Sent")
    moves.application_move(user=alice, application_id=applied.pk, to_status="applied")
    rejected = apply(alice, title="Turned Down")
    moves.application_move(user=alice, application_id=rejected.pk, to_status="rejected")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    expect(page.locator(".board-switcher")).to_be_visible()
    expect(page.locator('.board-column[data-column="to_apply"]')).to_be_visible()
    expect(page.locator('.board-column[data-column="applied"]')).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator('.board-switcher a[data-column="applied"]').click()
    expect(page.locator('.board-column[data-column="applied"]')).to_be_visible()
    expect(page.locator('.board-column[data-column="to_apply"]')).to_be_hidden()
    expect(page.locator(f"#card-{applied.pk}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator('.board-switcher a[data-column="rejected"]').click()  # a folded column: loaded now
    expect(page.locator(f"#card-{rejected.pk}")).to_be_visible()
    expect(page.locator('.board-column[data-column="applied"]')).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_card_dragged_over_a_folded_column_unfolds_it_and_drops_there(browser_page, log_in, live_server, alice,
                                                                         apply):
    page = browser_page
    application = apply(alice, title="Not For Me")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")
    expect(page.locator('#board ul[data-status="withdrawn"]')).to_be_hidden()

    start = page.locator(f"#card-{application.pk}").bounding_box()
    page.mouse.move(start["x"] + 40, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + 50, start["y"] + 20, steps=5)
    summary = page.locator('details[data-column="withdrawn"] > summary').bounding_box()
    page.mouse.move(summary["x"] + summary["width"] / 2, summary["y"] + summary["height"] / 2, steps=15)
    expect(page.locator('#board ul[data-status="withdrawn"]')).to_be_visible()
    target = page.locator('#board ul[data-status="withdrawn"]').bounding_box()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=10)
    page.wait_for_timeout(150)  # SortableJS looks where the card is every 50 ms
    page.mouse.up()

    expect(page.locator("#column-withdrawn-count")).to_have_text("1")  # the server's answer
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_a_folded_column_loads_its_cards_when_opened(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    gone = apply(alice, title="Gone Quiet")
    moves.application_move(user=alice, application_id=gone.pk, to_status="ghosted")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")
    expect(page.locator("#column-ghosted-count")).to_have_text("1")
    expect(page.locator(f"#card-{gone.pk}")).to_have_count(0)  # not sent with the page

    page.locator('details[data-column="ghosted"] > summary').click()

    expect(page.locator(f'#board ul[data-status="ghosted"] #card-{gone.pk}')).to_be_visible()
    expect(page.locator('#board ul[data-status="ghosted"] .board-more')).to_have_count(0)


def test_a_keyboard_move_into_a_folded_column_opens_it_and_keeps_the_focus(browser_page, log_in, live_server, alice,
                                                                            apply):
    page = browser_page
    earlier = apply(alice, title="Earlier Job")
    for step in ("offer", "hired"):
        moves.application_move(user=alice, application_id=earlier.pk, to_status=step)
    application = apply(alice, title="Second Job")
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    page.locator(f"#card-{application.pk}").focus()
    page.keyboard.press("Shift+ArrowRight")

    page.locator(f'#board ul[data-status="hired"] #card-{application.pk}[data-status="hired"]').wait_for()
    expect(page.locator(f'#board ul[data-status="hired"] #card-{earlier.pk}')).to_be_visible()  # loaded on opening
    expect(page.locator(f"#card-{application.pk}")).to_be_focused()
    expect(page.locator("#column-hired-count")).to_have_text("2")
    expect(page.locator('#board ul[data-status="hired"] .board-card')).to_have_count(2)
    application.refresh_from_db()
    assert application.status == "hired"


def test_a_card_dropped_in_a_folded_column_that_has_cards_joins_them(browser_page, log_in, live_server, alice, apply):
    page = browser_page
    before = apply(alice, title="Given Up Before")
    moves.application_move(user=alice, application_id=before.pk, to_status="withdrawn")
    application = apply(alice, title="Not For Me Either")
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/board/")

    start = page.locator(f"#card-{application.pk}").bounding_box()
    page.mouse.move(start["x"] + 40, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + 50, start["y"] + 20, steps=5)
    summary = page.locator('details[data-column="withdrawn"] > summary').bounding_box()
    page.mouse.move(summary["x"] + summary["width"] / 2, summary["y"] + summary["height"] / 2, steps=15)
    target = page.locator('#board ul[data-status="withdrawn"]')
    expect(target).to_be_visible()
    box = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 8, steps=10)
    page.wait_for_timeout(150)  # SortableJS looks where the card is every 50 ms
    page.mouse.up()

    page.locator(f'#board ul[data-status="withdrawn"] #card-{application.pk}[data-status="withdrawn"]').wait_for()
    expect(page.locator(f'#board ul[data-status="withdrawn"] #card-{before.pk}')).to_be_visible()
    expect(page.locator('#board ul[data-status="withdrawn"] .board-card')).to_have_count(2)
    expect(page.locator("#column-withdrawn-count")).to_have_text("2")
    application.refresh_from_db()
    assert application.status == "withdrawn"
