import json
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
import time_machine
from django.db import connection
from django.template.defaultfilters import date, time
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discovery.models import SearchConfig
from profiles.models import User
from tracker import moves, searches, triage
from tracker.models import Application, ApplicationEvent, Interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def apply(make_offer):
    """An application of `user`, opened the way the inbox does."""

    def apply(user, **offer_fields) -> Application:
        offer = make_offer(user, **offer_fields)
        (pk,) = triage.offers_approve(user=user, offer_ids=[offer.pk]).application_ids
        return Application.objects.select_related("offer").get(pk=pk)

    return apply


def _column(html: str, status: str) -> str:
    """The cards list of one column in a board's HTML."""
    start = html.index(f'<ul class="board-column__cards" id="cards-{status}"')
    return html[start:html.index("</ul>", start)]


# --- the board ------------------------------------------------------------------------------

def test_approved_offers_are_on_the_board_and_only_mine(alice_client, alice, charlie, make_offer):
    mine = make_offer(alice, title="Backend <b>Engineer</b>", company="Acme")
    theirs = make_offer(charlie, title="Charlie's job")
    triage.offers_approve(user=alice, offer_ids=[mine.pk])
    triage.offers_approve(user=charlie, offer_ids=[theirs.pk])

    html = alice_client.get("/board/").content.decode()

    application = mine.application
    assert "Backend &lt;b&gt;Engineer&lt;/b&gt;" in html and f'href="/applications/{application.pk}/"' in html
    assert "Charlie" not in html
    assert "No applications yet" not in html


def test_empty_board_points_to_the_inbox(alice_client):
    assert "No applications yet" in alice_client.get("/board/").content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/board/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_columns_have_counts_and_closed_ones_are_folded(alice_client, alice, apply):
    apply(alice)
    apply(alice)
    rejected = apply(alice)
    moves.application_move(user=alice, application_id=rejected.pk, to_status="rejected")

    html = alice_client.get("/board/").content.decode()

    assert 'id="column-to_apply-count">2<' in html and 'id="column-rejected-count">1<' in html
    assert '<details class="board-column board-column--closed" data-column="rejected">' in html
    assert '<section class="board-column is-current" data-column="to_apply">' in html


def test_a_card_shows_rating_follow_up_next_interview_and_days_in_its_column(alice_client, alice, apply):
    application = apply(alice, company="Globex", title="Data Engineer")
    Application.objects.filter(pk=application.pk).update(rating=4, follow_up_on=timezone.localdate() + timedelta(days=3))
    now = timezone.now()
    Interview.objects.create(application=application, starts_at=now - timedelta(days=1))  # past: not shown
    Interview.objects.create(application=application, starts_at=now + timedelta(days=9))
    soon = Interview.objects.create(application=application, starts_at=now + timedelta(days=2))
    ApplicationEvent.objects.filter(application=application).update(created_at=now - timedelta(days=6))
    Application.objects.filter(pk=application.pk).update(created_at=now - timedelta(days=6))

    html = _column(alice_client.get("/board/").content.decode(), "to_apply")

    assert "Globex" in html and "Data Engineer" in html
    assert "★★★★☆" in html
    local = timezone.localtime(soon.starts_at)
    assert f"Interview {date(local, 'MONTH_DAY_FORMAT')}, {time(local, 'TIME_FORMAT')}" in html
    assert "6 days in this column" in html
    assert "board-card__score" not in html  # no analysis yet: no score


def test_a_follow_up_is_due_on_the_persons_own_today(client, alice, charlie, apply):
    """At 23:30 UTC on 2 December it is already 3 December in Auckland."""
    User.objects.filter(pk=alice.pk).update(time_zone="Pacific/Auckland")
    for user in (alice, charlie):
        application = apply(user, title=f"Follow {user.pk}")
        Application.objects.filter(pk=application.pk).update(follow_up_on=datetime(2026, 12, 3).date())

    def card_of(user):
        client.force_login(user)
        with time_machine.travel(datetime(2026, 12, 2, 23, 30, tzinfo=dt_timezone.utc), tick=False):
            return _column(client.get("/board/").content.decode(), "to_apply")

    assert "board-card__fact is-due" in card_of(alice)
    assert "board-card__fact is-due" not in card_of(charlie)  # UTC: due tomorrow


def test_days_count_from_the_last_move(alice_client, alice, apply):
    application = apply(alice)
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(days=30))
    moves.application_move(user=alice, application_id=application.pk, to_status="applied")

    assert "Moved today" in _column(alice_client.get("/board/").content.decode(), "applied")


def test_cards_in_a_column_are_in_their_position_order_then_newest(alice, alice_client, apply):
    apply(alice, title="First")
    apply(alice, title="Second")
    third = apply(alice, title="Third")
    Application.objects.filter(pk=third.pk).update(position=-1)

    html = _column(alice_client.get("/board/").content.decode(), "to_apply")

    assert html.index("Third") < html.index("Second") < html.index("First")


def test_filters_by_text_saved_search_and_rating(alice_client, alice, apply):
    search = SearchConfig.objects.create(user=alice, name="Django jobs", keywords=["django"])
    from_search = apply(alice, title="Django Developer", company="Initech", search_config=search)
    rated = apply(alice, title="Go Developer", company="Hooli")
    Application.objects.filter(pk=rated.pk).update(rating=5)
    apply(alice, title="PHP Maintainer", company="Umbrella")

    def titles(query):
        html = alice_client.get(f"/board/?{query}").content.decode()
        return {title for title in ("Django Developer", "Go Developer", "PHP Maintainer") if title in html}

    assert titles("q=hooli") == {"Go Developer"}
    assert titles("q=developer") == {"Django Developer", "Go Developer"}
    assert titles(f"search={search.pk}") == {"Django Developer"}
    assert titles("rating=4") == {"Go Developer"}
    assert titles("rating=9&search=nonsense") == {"Django Developer", "Go Developer", "PHP Maintainer"}
    assert from_search.offer.search_config_id == search.pk


def test_another_persons_saved_search_filters_nothing(alice_client, alice, charlie, apply):
    theirs = SearchConfig.objects.create(user=charlie, name="Theirs", keywords=["x"])
    apply(alice, title="Mine")
    assert "Mine" in alice_client.get(f"/board/?search={theirs.pk}").content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_number_of_queries_does_not_depend_on_the_number_of_cards(alice_client, alice, make_offer, count,
                                                                       htmx_headers):
    offers = [make_offer(alice) for _ in range(count)]
    ids = triage.offers_approve(user=alice, offer_ids=[offer.pk for offer in offers]).application_ids
    for i, pk in enumerate(ids):
        Interview.objects.create(application_id=pk, starts_at=timezone.now() + timedelta(days=1 + i))
        moves.application_move(user=alice, application_id=pk, to_status=Application.Status.values[i % 8]
                               if i % 8 in (1, 2, 3) else "rejected")
    rejected = Application.objects.filter(user=alice, status="rejected").count()
    alice_client.get("/board/")  # the session and the like, once

    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get("/board/")
    with CaptureQueriesContext(connection) as loading:
        folded = alice_client.get("/board/?column=rejected", headers=htmx_headers("cards-rejected"))

    assert response.content.decode().count('<li class="board-card') == count - rejected  # the open columns
    assert folded.content.decode().count('<li class="board-card') == rejected
    assert len(queries) <= 9, [query["sql"] for query in queries]  # 4 of them: the navigation's counts and the bell
    assert len(loading) <= 3, [query["sql"] for query in loading]


def test_a_closed_card_offers_only_to_reopen_where_it_was(alice_client, alice, apply):
    application = apply(alice)
    moves.application_move(user=alice, application_id=application.pk, to_status="applied")
    moves.application_move(user=alice, application_id=application.pk, to_status="ghosted")

    html = _column(alice_client.get("/board/?column=ghosted").content.decode(), "ghosted")

    assert 'data-moves="applied"' in html
    assert moves.allowed_from(Application.objects.get(pk=application.pk)) == ["applied"]


def test_a_folded_column_shows_its_count_and_loads_its_cards_when_opened(alice_client, alice, apply, htmx_headers):
    for title in ("Gone Quiet", "Also Quiet", "Filtered Out"):
        application = apply(alice, title=title)
        moves.application_move(user=alice, application_id=application.pk, to_status="ghosted")

    page = alice_client.get("/board/?q=quiet").content.decode()
    folded = _column(page, "ghosted")
    assert 'id="column-ghosted-count">2<' in page and "Gone Quiet" not in page
    # Opened: htmx fetches its cards (with the board's filters); without JavaScript, a link.
    assert 'hx-get="/board/?q=quiet&amp;column=ghosted"' in folded
    assert '<a href="/board/?q=quiet&amp;column=ghosted">Show its 2 cards</a>' in folded

    cards = alice_client.get("/board/?q=quiet&column=ghosted", headers=htmx_headers("cards-ghosted")).content.decode()
    assert cards.lstrip().startswith('<li class="board-card')
    assert "Gone Quiet" in cards and "Also Quiet" in cards and "Filtered Out" not in cards

    without_javascript = alice_client.get("/board/?q=quiet&column=ghosted").content.decode()
    assert '<details class="board-column board-column--closed is-current" data-column="ghosted" open>' in without_javascript
    assert "Gone Quiet" in _column(without_javascript, "ghosted")


def test_a_folded_column_of_another_person_loads_nothing_of_theirs(alice_client, charlie, apply, htmx_headers):
    theirs = apply(charlie, title="Charlie's Secret")
    moves.application_move(user=charlie, application_id=theirs.pk, to_status="rejected")
    cards = alice_client.get("/board/?column=rejected", headers=htmx_headers("cards-rejected")).content.decode()
    assert "Charlie" not in cards


def test_an_htmx_filter_answers_the_board_fragment(alice_client, alice, apply, htmx_headers):
    apply(alice, title="Wanted")
    apply(alice, title="Other")

    html = alice_client.get("/board/?q=want", headers=htmx_headers("board")).content.decode()

    assert html.lstrip().startswith('<div id="board"') and "Wanted" in html and "Other" not in html


def test_the_phone_column_comes_from_the_query(alice_client, alice, apply):
    apply(alice)
    html = alice_client.get("/board/?column=offer").content.decode()
    assert '<section class="board-column is-current" data-column="offer">' in html
    assert 'data-column="offer" aria-current="true"' in html


# --- moves ------------------------------------------------------------------------------------

def _events(application):
    return list(ApplicationEvent.objects.filter(application=application, kind="status")
                .values_list("from_status", "to_status"))


def test_a_plain_move_redirects_back_to_next(alice_client, alice, apply):
    application = apply(alice)

    response = alice_client.post(f"/applications/{application.pk}/move/",
                                 {"status": "applied", "from": "to_apply", "next": "/board/?q=x"})

    assert response.status_code == 303 and response["Location"] == "/board/?q=x"
    application.refresh_from_db()
    assert application.status == "applied" and application.applied_on == timezone.localdate()
    assert _events(application) == [("to_apply", "applied")]


def test_a_plain_move_falls_back_to_the_referer_then_the_board(alice_client, alice, apply):
    application = apply(alice)
    url = f"/applications/{application.pk}/move/"

    response = alice_client.post(url, {"status": "applied", "next": "https://evil.example/"},
                                 headers={"Referer": "http://testserver/inbox/"})
    assert response.status_code == 303 and response["Location"] == "http://testserver/inbox/"

    response = alice_client.post(url, {"status": "interview"}, headers={"Referer": "https://evil.example/"})
    assert response.status_code == 303 and response["Location"] == "/board/"


def test_an_htmx_move_answers_the_card_and_the_counts_of_its_two_columns(alice_client, alice, apply, htmx_headers):
    application = apply(alice, title="Moving Job")
    apply(alice, title="Staying Job")

    response = alice_client.post(f"/applications/{application.pk}/move/", {"status": "interview", "from": "to_apply"},
                                 headers={**htmx_headers(f"card-{application.pk}"),
                                          "HX-Current-URL": "http://testserver/board/"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="board-card is-moved" id="card-{application.pk}"')
    assert 'data-status="interview"' in html and "Moved today" in html
    assert "Staying Job" not in html  # the other cards have not changed: not sent again
    assert '<span class="tabs__count" id="column-interview-count" hx-swap-oob="true">1</span>' in html
    assert '<span class="tabs__count" id="column-to_apply-count" hx-swap-oob="true">1</span>' in html
    assert '<span class="tabs__count" id="switch-to_apply-count" hx-swap-oob="true">1</span>' in html
    # Said to screen readers by board.js (the header's JSON escapes what is not ASCII).
    assert json.loads(response["HX-Trigger"]) == {"board:announce": {"text": "“Moving Job” moved to “Interview”."}}


def test_an_htmx_move_counts_under_the_filters_of_the_board_it_came_from(alice_client, alice, apply, htmx_headers):
    application = apply(alice, title="Kept")
    apply(alice, title="Filtered out")

    html = alice_client.post(f"/applications/{application.pk}/move/", {"status": "applied"},
                             headers={**htmx_headers(f"card-{application.pk}"),
                                      "HX-Current-URL": "http://testserver/board/?q=kept"}).content.decode()

    assert 'id="column-to_apply-count" hx-swap-oob="true">0<' in html  # "Filtered out" is not counted
    assert 'id="column-applied-count" hx-swap-oob="true">1<' in html
    assert '<input type="hidden" name="next" value="/board/?q=kept">' in html


def test_a_refused_move_is_409_and_changes_nothing(alice_client, alice, apply, htmx_headers):
    application = apply(alice, title="Stays")
    url = f"/applications/{application.pk}/move/"
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")

    plain = alice_client.post(url, {"status": "to_apply"})
    assert plain.status_code == 409 and "cannot go from “Offer” to “To apply”" in plain.content.decode()

    response = alice_client.post(url, {"status": "to_apply"}, headers=htmx_headers(f"card-{application.pk}"))
    html = response.content.decode()
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#board" and response["HX-Reswap"] == "outerHTML"  # the board as it is
    assert "Stays" in _column(html, "offer") and "Stays" not in _column(html, "to_apply")  # back in place
    assert 'hx-swap-oob="beforeend"' in html and "toast--error" in html and "cannot go from" in html
    application.refresh_from_db()
    assert application.status == "offer" and len(_events(application)) == 1


def test_a_move_from_the_application_page_answers_its_status_part(alice_client, alice, apply, htmx_headers):
    application = apply(alice)
    url = f"/applications/{application.pk}/move/"

    response = alice_client.post(url, {"status": "applied", "from": "to_apply"},
                                 headers=htmx_headers("application-status"))
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="card app-part" id="application-status"')
    assert 'name="status" value="interview"' in html

    response = alice_client.post(url, {"status": "hired", "from": "to_apply"},
                                 headers=htmx_headers("application-status"))
    assert response.status_code == 409 and "moved meanwhile" in response.content.decode()
    response = alice_client.post(url, {"status": "to_apply", "from": "applied"},
                                 headers=htmx_headers("application-status"))
    assert response.status_code == 200  # back one step is allowed
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")
    response = alice_client.post(url, {"status": "to_apply"}, headers=htmx_headers("application-status"))
    assert response.status_code == 409 and 'role="alert"' in response.content.decode()


def test_an_unknown_status_is_400(alice_client, alice, apply):
    application = apply(alice)
    response = alice_client.post(f"/applications/{application.pk}/move/", {"status": "<script>"})
    assert response.status_code == 400 and "<script>" not in response.content.decode()
    assert alice_client.post(f"/applications/{application.pk}/move/",
                             {"status": "applied", "before": "x"}).status_code == 400


def test_a_stale_move_is_409_with_the_fresh_state(alice_client, alice, apply, htmx_headers):
    application = apply(alice, title="Elsewhere")
    moves.application_move(user=alice, application_id=application.pk, to_status="applied")  # another tab

    response = alice_client.post(f"/applications/{application.pk}/move/", {"status": "interview", "from": "to_apply"},
                                 headers=htmx_headers(f"card-{application.pk}"))

    html = response.content.decode()
    assert response.status_code == 409 and "moved meanwhile" in html and response["HX-Retarget"] == "#board"
    assert "Elsewhere" in _column(html, "applied")
    application.refresh_from_db()
    assert application.status == "applied"


def test_moving_to_the_status_it_has_changes_nothing(alice_client, alice, apply):
    application = apply(alice)
    response = alice_client.post(f"/applications/{application.pk}/move/", {"status": "to_apply", "from": "to_apply"})
    assert response.status_code == 303 and _events(application) == []


def test_another_persons_application_is_404(alice_client, charlie, apply):
    theirs = apply(charlie)
    assert alice_client.post(f"/applications/{theirs.pk}/move/", {"status": "applied"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "to_apply"


def test_anonymous_cannot_move(client, alice, apply):
    application = apply(alice)
    response = client.post(f"/applications/{application.pk}/move/", {"status": "applied"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_move_needs_the_csrf_token(alice, apply):
    application = apply(alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post(f"/applications/{application.pk}/move/", {"status": "applied"}).status_code == 403


def test_a_drop_between_two_cards_keeps_that_order(alice_client, alice, apply, htmx_headers):
    top, bottom, moving = apply(alice, title="Top"), apply(alice, title="Bottom"), apply(alice, title="Moving")
    for application in (bottom, top):  # each on top of the column: Top, Bottom
        moves.application_move(user=alice, application_id=application.pk, to_status="applied")

    alice_client.post(f"/applications/{moving.pk}/move/", {"status": "applied", "from": "to_apply",
                                                            "before": bottom.pk}, headers=htmx_headers("board"))
    order = list(Application.objects.filter(user=alice, status="applied").order_by("position", "-created_at")
                 .values_list("offer__title", flat=True))
    assert order == ["Top", "Moving", "Bottom"]

    alice_client.post(f"/applications/{moving.pk}/move/", {"status": "applied", "before": ""},
                      headers=htmx_headers("board"))  # within the column, to its bottom
    order = list(Application.objects.filter(user=alice, status="applied").order_by("position", "-created_at")
                 .values_list("offer__title", flat=True))
    assert order == ["Top", "Bottom", "Moving"]
    assert len(_events(moving)) == 1


def test_the_move_menu_offers_the_allowed_statuses(alice_client, alice, apply):
    application = apply(alice)
    html = _column(alice_client.get("/board/").content.decode(), "to_apply")
    form = html[html.index(f'action="/applications/{application.pk}/move/"'):]
    form = form[:form.index("</form>")]
    assert '<input type="hidden" name="from" value="to_apply">' in form
    assert [value for value in ("applied", "interview", "offer", "hired", "rejected", "withdrawn", "ghosted")
            if f'<option value="{value}">' in form] == ["applied", "interview", "offer", "hired", "rejected",
                                                         "withdrawn", "ghosted"]
    assert '<option value="to_apply">' not in form


# --- hired: pause the saved searches --------------------------------------------------------

def test_pause_stops_the_active_searches_and_resume_restarts_exactly_those(alice, charlie):
    active = SearchConfig.objects.create(user=alice, name="A", keywords=["a"])
    already_paused = SearchConfig.objects.create(user=alice, name="B", keywords=["b"], is_active=False)
    theirs = SearchConfig.objects.create(user=charlie, name="C", keywords=["c"])

    ids = searches.searches_pause(user=alice)

    assert ids == [active.pk]
    assert not SearchConfig.objects.get(pk=active.pk).is_active
    assert SearchConfig.objects.get(pk=theirs.pk).is_active

    assert searches.searches_resume(user=alice, search_ids=ids + [theirs.pk]) == [active.pk]
    assert SearchConfig.objects.get(pk=active.pk).is_active
    assert not SearchConfig.objects.get(pk=already_paused.pk).is_active


def test_hired_offers_to_pause_the_searches_then_the_undo(alice_client, alice, apply, htmx_headers):
    search = SearchConfig.objects.create(user=alice, name="A", keywords=["a"])
    application = apply(alice)
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")

    html = alice_client.post(f"/applications/{application.pk}/move/", {"status": "hired", "from": "offer"},
                             headers=htmx_headers("board")).content.decode()
    assert 'action="/board/searches/pause/"' in html

    html = alice_client.post("/board/searches/pause/", headers=htmx_headers("board-notice")).content.decode()
    assert not SearchConfig.objects.get(pk=search.pk).is_active
    assert f'<input type="hidden" name="search" value="{search.pk}">' in html

    alice_client.post("/board/searches/resume/", {"search": [search.pk]}, headers=htmx_headers("board-notice"))
    assert SearchConfig.objects.get(pk=search.pk).is_active


def test_hired_without_javascript_the_board_shows_the_offer_and_the_undo(alice_client, alice, apply):
    search = SearchConfig.objects.create(user=alice, name="A", keywords=["a"])
    application = apply(alice)
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")

    response = alice_client.post(f"/applications/{application.pk}/move/", {"status": "hired", "next": "/board/"})
    assert response.status_code == 303 and response["Location"] == "/board/?hired=1"
    assert 'action="/board/searches/pause/"' in alice_client.get(response["Location"]).content.decode()

    response = alice_client.post("/board/searches/pause/")
    assert response["Location"] == f"/board/?paused={search.pk}"
    page = alice_client.get(response["Location"]).content.decode()
    assert 'action="/board/searches/resume/"' in page

    response = alice_client.post("/board/searches/resume/", {"search": [search.pk]})
    assert response.status_code == 303 and SearchConfig.objects.get(pk=search.pk).is_active


def test_hired_without_active_searches_offers_nothing(alice_client, alice, apply, htmx_headers):
    application = apply(alice)
    moves.application_move(user=alice, application_id=application.pk, to_status="offer")
    html = alice_client.post(f"/applications/{application.pk}/move/", {"status": "hired"},
                             headers=htmx_headers("board")).content.decode()
    assert "/board/searches/pause/" not in html


def test_resume_ignores_another_persons_searches(alice_client, charlie):
    theirs = SearchConfig.objects.create(user=charlie, name="C", keywords=["c"], is_active=False)
    alice_client.post("/board/searches/resume/", {"search": [theirs.pk]})
    assert not SearchConfig.objects.get(pk=theirs.pk).is_active


def test_pause_and_resume_need_a_post_and_a_login(alice_client):
    assert alice_client.get("/board/searches/pause/").status_code == 405
    assert Client().post("/board/searches/pause/").status_code == 302
