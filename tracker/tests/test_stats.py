"""The funnel picture (/stats/): every figure from histories replayed through the tracker's own
moves, at the dates time-machine sets, read off the page as a person reads it."""

import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discovery.models import SearchConfig
from profiles.models import User
from tracker import moves, triage

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, noon UTC; the histories start 30 days before.
NOW = datetime(2026, 12, 2, 12, tzinfo=dt_timezone.utc)
START = NOW - timedelta(days=30)


@pytest.fixture
def replay(make_offer):
    """Approve a new offer of `user` at START and make the moves `path` says: (status, days
    after START) each, through tracker.moves as the board does. Returns the application's id."""

    def replay(user, *path, **offer_fields) -> int:
        offer = make_offer(user, **offer_fields)
        with time_machine.travel(START, tick=False):
            (pk,) = triage.offers_approve(user=user, offer_ids=[offer.pk]).application_ids
        for status, days in path:
            with time_machine.travel(START + timedelta(days=days), tick=False):
                moves.application_move(user=user, application_id=pk, to_status=status)
        return pk

    return replay


@pytest.fixture
def page(client):
    def page(user) -> str:
        client.force_login(User.objects.get(pk=user.pk))  # as saved: language, time zone
        with time_machine.travel(NOW, tick=False):
            response = client.get("/stats/")
        assert response.status_code == 200
        return response.content.decode()

    return page


_ROW = re.compile(r'<li class="stats-bar[^"]*">\s*<span class="stats-bar__label">(?P<label>.*?)</span>\s*'
                  r'<span class="stats-bar__value">(?P<value>.*?)</span>'
                  r'(?=\s*(?:<svg|<span class="stats-bar__detail"|</li>))(?P<rest>.*?)</li>', re.S)
_DETAIL = re.compile(r'<span class="stats-bar__detail">(.*?)</span>', re.S)


def _section(html: str, name: str) -> str:
    start = html.index(f'id="stats-{name}"')
    return html[start:html.index("</section>", start)]


def _text(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", markup))


def figures(html: str, name: str) -> dict[str, str]:
    """A chart's rows as the page writes them: label → figure."""
    return {_text(m["label"]): _text(m["value"]) for m in _ROW.finditer(_section(html, name))}


def details(html: str, name: str) -> dict[str, str]:
    return {_text(m["label"]): _text(detail[1]) if (detail := _DETAIL.search(m["rest"])) else ""
            for m in _ROW.finditer(_section(html, name))}


def has_bar(html: str, name: str, label: str) -> bool:
    return "<rect" in next(m for m in _ROW.finditer(_section(html, name)) if _text(m["label"]) == label)["rest"]


def test_conversion_counts_skipped_stages_and_not_a_move_undone(alice, replay, page):
    replay(alice, ("applied", 1), ("interview", 3), ("offer", 9), ("hired", 12))
    replay(alice, ("applied", 1), ("offer", 6))  # straight to an offer: it passed the interview
    replay(alice, ("applied", 1), ("rejected", 4))
    replay(alice, ("applied", 1), ("interview", 2), ("applied", 2.01))  # dragged to interview by mistake, and back
    replay(alice, ("withdrawn", 1))
    replay(alice)

    html = page(alice)

    assert figures(html, "reached") == {"Approved": "6", "Applied": "4", "Interview": "2", "Offer": "2", "Hired": "1"}
    assert figures(html, "steps") == {
        "Approved → Applied": "67%",  # 4 of 6
        "Applied → Interview": "2 of 4 applications",  # under 5: the counts, not 50 %
        "Interview → Offer": "2 of 2 applications",
        "Offer → Hired": "1 of 2 applications",
    }
    assert details(html, "steps")["Approved → Applied"] == "4 of 6 applications"
    assert has_bar(html, "steps", "Approved → Applied") and not has_bar(html, "steps", "Applied → Interview")
    assert figures(html, "statuses") == {"To apply": "1", "Applied": "1", "Interview": "0", "Offer": "1",
                                         "Hired": "1", "Rejected": "1", "Withdrawn": "1", "No answer": "0"}
    assert "Under 5 applications, a ratio shows its counts rather than a percentage." in html


def test_a_reopened_application_was_never_closed(alice, replay, page):
    replay(alice, ("applied", 1), ("rejected", 2), ("applied", 3))  # closed by mistake, reopened

    html = page(alice)

    assert figures(html, "statuses")["Applied"] == "1" and figures(html, "statuses")["Rejected"] == "0"
    assert figures(html, "sources") == {"Remotive": "0 of 1 application"}  # a no taken back is no answer


def test_median_days_in_each_stage_counts_only_the_applications_that_left_it(alice, replay, page):
    replay(alice, ("applied", 1), ("interview", 4))  # to apply 1 day, applied 3
    replay(alice, ("applied", 2.5), ("rejected", 7.5))  # 2.5 days, applied 5
    replay(alice, ("applied", 4))  # 4 days, still applied
    replay(alice)  # still to apply: its 30 days so far are not a time in the stage

    html = page(alice)

    assert figures(html, "times") == {"To apply": "2.5", "Applied": "4", "Interview": "—", "Offer": "—"}
    assert details(html, "times") == {
        "To apply": "3 applications left it · 1 still there",
        "Applied": "2 applications left it · 1 still there",
        "Interview": "0 applications left it · 1 still there",
        "Offer": "0 applications left it",
    }


def test_a_ratio_over_fewer_than_5_applications_shows_the_counts(alice, replay, page):
    for _ in range(3):
        replay(alice, ("applied", 1), source="lever")
    replay(alice, ("applied", 1), ("interview", 5), source="lever")
    for _ in range(3):
        replay(alice, ("applied", 1), source="greenhouse")
    replay(alice, ("applied", 1), ("interview", 5), source="greenhouse")
    replay(alice, ("applied", 1), ("rejected", 5), source="greenhouse")

    html = page(alice)

    assert figures(html, "sources") == {"Greenhouse": "40%", "Lever": "1 of 4 applications"}
    assert details(html, "sources")["Greenhouse"] == "2 of 5 applications"
    assert not has_bar(html, "sources", "Lever") and has_bar(html, "sources", "Greenhouse")


def test_answers_by_source_and_by_saved_search(alice, replay, page):
    python = SearchConfig.objects.create(user=alice, name="Python <Paris>")
    data = SearchConfig.objects.create(user=alice, name="Data, Lyon")
    replay(alice, ("applied", 1), ("interview", 3), source="weworkremotely", search_config=python)
    replay(alice, ("applied", 1), ("rejected", 3), source="weworkremotely", search_config=python)  # a no is an answer
    replay(alice, ("applied", 1), ("ghosted", 30), source="weworkremotely", search_config=python)
    replay(alice, ("applied", 1), ("withdrawn", 2), source="remotive", search_config=data)
    replay(alice, ("applied", 1), ("offer", 9), source="manual", is_manual=True)
    replay(alice, ("rejected", 1), source="remotive", search_config=data)  # never sent: not counted
    replay(alice, source="remotive", search_config=data)

    html = page(alice)

    assert figures(html, "sources") == {"We Work Remotely": "2 of 3 applications", "Added by hand": "1 of 1 application",
                                        "Remotive": "0 of 1 application"}
    assert list(figures(html, "searches").items()) == [
        ("Python <Paris>", "2 of 3 applications"),  # most applied first
        ("Data, Lyon", "0 of 1 application"),
        ("Not from a saved search", "1 of 1 application"),
    ]
    assert "Python &lt;Paris&gt;" in html


def test_offers_triaged_per_week_in_the_persons_time_zone(alice, make_offer, page):
    User.objects.filter(pk=alice.pk).update(time_zone="Pacific/Auckland")  # UTC+13 in December
    # Sunday 29 November, 12:00 UTC: already Monday 30 November in Auckland, this week there.
    sunday_in_utc = datetime(2026, 11, 29, 12, tzinfo=dt_timezone.utc)
    with time_machine.travel(sunday_in_utc, tick=False):
        triage.offers_approve(user=alice, offer_ids=[make_offer(alice).pk])
        triage.offers_reject(user=alice, offer_ids=[make_offer(alice).pk, make_offer(alice).pk])
    with time_machine.travel(sunday_in_utc - timedelta(days=1), tick=False):  # Sunday 29 in Auckland
        triage.offers_approve(user=alice, offer_ids=[make_offer(alice).pk])
    with time_machine.travel(NOW - timedelta(weeks=13), tick=False):  # too long ago to show
        triage.offers_approve(user=alice, offer_ids=[make_offer(alice).pk])
        triage.offers_reject(user=alice, offer_ids=[make_offer(alice).pk])
    make_offer(alice)  # still pending: not triaged

    weeks = figures(page(alice), "weeks")

    assert len(weeks) == 12
    assert list(weeks.items())[:3] == [("This week", "1 approved · 2 rejected"),
                                       ("Week of 23 Nov", "1 approved · 0 rejected"),
                                       ("Week of 16 Nov", "none")]
    assert list(weeks)[-1] == "Week of 14 Sep"


def test_another_persons_data_is_never_counted(alice, charlie, replay, make_offer, page):
    replay(alice, ("applied", 1))
    SearchConfig.objects.create(user=charlie, name="Charlie's search")
    for _ in range(3):
        replay(charlie, ("applied", 1), ("interview", 2), source="lever")
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        triage.offers_reject(user=charlie, offer_ids=[make_offer(charlie).pk])

    html = page(alice)

    assert figures(html, "reached") == {"Approved": "1", "Applied": "1", "Interview": "0", "Offer": "0", "Hired": "0"}
    assert figures(html, "sources") == {"Remotive": "0 of 1 application"}
    assert "Charlie" not in html
    assert figures(html, "weeks")["This week"] == "none"


def test_no_applications_yet_points_to_the_inbox(alice, charlie, replay, page):
    replay(charlie, ("applied", 1))

    html = page(alice)

    assert "No applications yet" in html
    assert '<a class="btn btn--primary" href="/inbox/">' in html
    assert 'id="stats-reached"' not in html and 'id="stats-weeks"' not in html


def test_the_french_page_writes_numbers_the_french_way(alice, replay, page):
    User.objects.filter(pk=alice.pk).update(language="fr")
    replay(alice, ("applied", 1.5))
    replay(alice, ("applied", 3.5))

    html = page(alice)

    assert '<html lang="fr">' in html
    assert figures(html, "times")["À postuler"] == "2,5"
    assert "23 nov." in list(figures(html, "weeks"))[1]  # « Semaine du 23 nov. »


def test_the_figures_take_the_same_queries_for_1_and_for_8_applications(alice, replay, client):
    client.force_login(alice)
    replay(alice, ("applied", 1), ("interview", 2))
    with CaptureQueriesContext(connection) as one:
        client.get("/stats/")
    for _ in range(7):
        replay(alice, ("applied", 1), ("interview", 2), ("offer", 3), search_config=SearchConfig.objects.create(
            user=alice, name="A search"))
    with CaptureQueriesContext(connection) as eight:
        client.get("/stats/")

    assert len(eight) == len(one)


def test_stats_need_signing_in(client):
    response = client.get("/stats/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
