"""The due list (/board/due/), snoozing a follow-up, closing as "no answer", the applications
gone quiet — all counted in the person's own time zone."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from profiles.models import User
from tracker.models import ApplicationEvent, Interview

pytestmark = pytest.mark.django_db

# 23:30 UTC on Wednesday 2 December: already Thursday 3 December in Auckland (UTC+13).
NOW = datetime(2026, 12, 2, 23, 30, tzinfo=dt_timezone.utc)
TODAY_UTC = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _titles(html: str, section: str) -> str:
    start = html.index(f'id="due-{section}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_due_list_has_due_and_overdue_follow_ups_and_the_coming_interviews(alice_client, alice, apply, frozen):
    apply(alice, title="Today", follow_up_on=TODAY_UTC)
    apply(alice, title="Overdue", follow_up_on=TODAY_UTC - timedelta(days=3))
    apply(alice, title="Later", follow_up_on=TODAY_UTC + timedelta(days=1))
    apply(alice, title="Closed", status="rejected", follow_up_on=TODAY_UTC)
    soon, past, far = (apply(alice, title=title) for title in ("Soon", "Past", "Far"))
    Interview.objects.create(application=soon, starts_at=NOW + timedelta(days=2))
    Interview.objects.create(application=past, starts_at=NOW - timedelta(hours=2))
    Interview.objects.create(application=far, starts_at=NOW + timedelta(days=10))

    html = alice_client.get("/board/due/").content.decode()

    follow_ups = _titles(html, "follow-ups")
    assert "Today" in follow_ups and "Overdue" in follow_ups
    assert "Later" not in follow_ups and "Closed" not in follow_ups
    assert 'is-due">Follow up today' in follow_ups and 'is-overdue">Overdue since 29 Nov' in follow_ups
    interviews = _titles(html, "interviews")
    assert "Soon" in interviews and "Past" not in interviews and "Far" not in interviews
    assert 'title="Follow-ups and interviews due">3</span>' in html  # the navigation's count


def test_today_is_the_persons_own(client, alice, charlie, apply, frozen):
    User.objects.filter(pk=alice.pk).update(time_zone="Pacific/Auckland")
    for user in (alice, charlie):
        apply(user, title=f"Tomorrow in UTC {user.pk}", follow_up_on=TODAY_UTC + timedelta(days=1))

    client.force_login(User.objects.get(pk=alice.pk))
    assert "Tomorrow in UTC" in client.get("/board/due/").content.decode()  # 3 December there
    client.force_login(charlie)
    assert "Tomorrow in UTC" not in client.get("/board/due/").content.decode()


def test_nothing_due_says_so(alice_client, alice, apply, frozen):
    apply(alice, follow_up_on=TODAY_UTC + timedelta(days=5))
    html = alice_client.get("/board/due/").content.decode()
    assert "Nothing is due" in html and "badge--due" not in html


@pytest.mark.parametrize(("data", "expected"), [({"days": "2"}, 2), ({"days": "7"}, 7), ({"until": "2026-12-20"}, 18)])
def test_snooze_puts_the_follow_up_off_and_says_so_in_the_history(alice_client, alice, apply, frozen, data, expected):
    application = apply(alice, title="Snoozed", follow_up_on=TODAY_UTC)

    response = alice_client.post(f"/applications/{application.pk}/snooze/", {**data, "next": "/board/due/"})

    assert response.status_code == 303 and response["Location"] == "/board/due/"
    application.refresh_from_db()
    assert application.follow_up_on == TODAY_UTC + timedelta(days=expected)
    event = ApplicationEvent.objects.filter(application=application, kind="follow_up").get()
    assert event.data == {"follow_up_on": application.follow_up_on.isoformat(), "snoozed": True,
                          "from": TODAY_UTC.isoformat()}
    page = alice_client.get("/board/due/").content.decode()
    assert "Follow-up put off to" in page and "Nothing is due" in page


@pytest.mark.parametrize("data", [{"until": "2026-12-01"}, {"until": "2026-12-02"}, {}, {"until": "2026-02-31"},
                                  {"days": "365"}])
def test_a_snooze_to_no_day_or_a_past_day_changes_nothing_and_says_why(alice_client, alice, apply, frozen, data):
    application = apply(alice, follow_up_on=TODAY_UTC)

    response = alice_client.post(f"/applications/{application.pk}/snooze/", data, follow=True)

    application.refresh_from_db()
    assert application.follow_up_on == TODAY_UTC
    assert not ApplicationEvent.objects.filter(application=application, kind="follow_up").exists()
    assert "toast--error" in response.content.decode()


def test_snooze_from_a_board_card_answers_the_card(alice_client, alice, apply, frozen):
    application = apply(alice, title="On The Board", follow_up_on=TODAY_UTC - timedelta(days=1))
    board = alice_client.get("/board/").content.decode()
    assert "board-card__fact is-overdue" in board and f'action="/applications/{application.pk}/snooze/"' in board

    response = alice_client.post(f"/applications/{application.pk}/snooze/", {"days": "2"},
                                 headers={"HX-Request": "true", "HX-Target": f"card-{application.pk}"})

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="board-card is-moved" id="card-{application.pk}"')
    assert "is-overdue" not in html and "is-due" not in html and "board-card__snooze" not in html
    assert "Follow-up put off to" in html  # the toast, out of band


def test_close_as_no_answer_from_the_due_list(alice_client, alice, apply, frozen):
    application = apply(alice, follow_up_on=TODAY_UTC)

    response = alice_client.post(f"/applications/{application.pk}/move/",
                                 {"status": "ghosted", "from": "applied", "next": "/board/due/"})

    assert response.status_code == 303 and response["Location"] == "/board/due/"
    application.refresh_from_db()
    assert application.status == "ghosted"
    assert "Nothing is due" in alice_client.get("/board/due/").content.decode()


def test_probably_ghosted_is_listed_only_when_asked_and_never_moved(alice_client, alice, apply, frozen):
    quiet = apply(alice, title="Quiet Company")
    ApplicationEvent.objects.filter(application=quiet).update(created_at=NOW - timedelta(days=40))
    recent = apply(alice, title="Busy Company")
    waiting = apply(alice, title="Not Sent Yet", status="to_apply")
    ApplicationEvent.objects.filter(application=waiting).update(created_at=NOW - timedelta(days=40))

    html = alice_client.get("/board/due/").content.decode()
    assert "Quiet Company" not in html and "turn it on in your profile" in html  # off by default

    alice_client.post("/profile/reminders/", {"followup_emails": "on", "ghost_after_days": "30"})
    html = alice_client.get("/board/due/").content.decode()
    quiet_list = _titles(html, "quiet")
    assert "Quiet Company" in quiet_list and "Busy Company" not in quiet_list and "Not Sent Yet" not in quiet_list
    quiet.refresh_from_db()
    assert quiet.status == "applied" and recent.status == "applied"


def test_the_reminder_settings_refuse_a_silly_number_and_keep_the_rest(alice_client, alice):
    response = alice_client.post("/profile/reminders/", {"ghost_after_days": "2"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    alice.refresh_from_db()
    assert alice.ghost_after_days is None and alice.followup_emails is True


def test_other_people_and_strangers(alice_client, charlie, apply):
    theirs = apply(charlie, follow_up_on=timezone.localdate())
    assert alice_client.post(f"/applications/{theirs.pk}/snooze/", {"days": "2"}).status_code == 404
    assert theirs.offer.title not in alice_client.get("/board/due/").content.decode()
    assert alice_client.get(f"/applications/{theirs.pk}/snooze/").status_code == 405
    stranger = Client()
    assert stranger.get("/board/due/").status_code == 302
    assert stranger.post(f"/applications/{theirs.pk}/snooze/", {"days": "2"}).status_code == 302


def test_a_move_sent_by_htmx_from_the_due_list_answers_like_a_plain_form(alice_client, alice, apply, frozen):
    application = apply(alice, follow_up_on=TODAY_UTC)
    url = f"/applications/{application.pk}/move/"
    htmx = {"HX-Request": "true", "HX-Target": "due"}

    response = alice_client.post(url, {"status": "ghosted", "from": "to_apply", "next": "/board/due/"}, headers=htmx)
    assert response.status_code == 303 and response["Location"] == "/board/due/"  # stale: said on the page
    assert "moved meanwhile" in alice_client.get("/board/due/").content.decode()

    response = alice_client.post(url, {"status": "ghosted", "from": "applied", "next": "/board/due/"}, headers=htmx)
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "ghosted"
