"""The private calendar feed (/calendar/<secret>.ics): parsed back as a calendar client would,
events with stable ids that an update replaces, interviews in the zone they were given in,
and an address that stops working when revoked."""

import zoneinfo
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.test import Client
from icalendar import Calendar

from tracker import records
from tracker.models import Interview

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _events(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _feed_url(client, user) -> str:
    client.force_login(user)
    client.post("/profile/calendar/")
    user.refresh_from_db()
    return f"/calendar/{user.calendar_secret}.ics"


def test_the_feed_has_each_follow_up_and_interview_and_parses_back(alice, charlie, apply):
    waiting = apply(alice, title="Data engineer", company="Kea", follow_up_on=date(2026, 12, 9))
    apply(alice, status="rejected", follow_up_on=date(2026, 12, 9))  # closed: no follow-up
    interviewing = apply(alice, status="interview", title="Lead Python", company="Weta")
    interview = records.interview_add(user=alice, application_id=interviewing.pk, fields={
        "starts_at": datetime(2026, 12, 10, 14, 0, tzinfo=NEW_YORK), "time_zone": "America/New_York",
        "kind": "video", "with_whom": "Dana, CTO"})
    apply(charlie, follow_up_on=date(2026, 12, 9))  # someone else's

    url = _feed_url(Client(), alice)
    events = _events(Client().get(url))  # a calendar client has no session

    assert set(events) == {f"followup-{waiting.pk}@localhost", f"interview-{interview.pk}@localhost"}
    follow_up = events[f"followup-{waiting.pk}@localhost"]
    assert str(follow_up["SUMMARY"]) == "Follow up: Data engineer — Kea"
    assert follow_up.decoded("DTSTART") == date(2026, 12, 9)  # all day
    assert str(follow_up["URL"]) == f"http://localhost:8000/applications/{waiting.pk}/"
    meeting = events[f"interview-{interview.pk}@localhost"]
    assert str(meeting["SUMMARY"]) == "Interview (Video): Lead Python — Weta"
    assert "Dana, CTO" in str(meeting["DESCRIPTION"])
    starts = meeting.decoded("DTSTART")
    # In the zone it was given in, with its VTIMEZONE: 14:00 in New York is 19:00 UTC.
    assert meeting["DTSTART"].params["TZID"] == "America/New_York"
    assert (starts.hour, starts.astimezone(dt_timezone.utc).hour) == (14, 19)
    assert meeting.decoded("DTEND") - starts == timedelta(hours=1)
    calendar = Calendar.from_ical(Client().get(url).content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_an_update_replaces_the_event_rather_than_adding_one(alice, apply):
    waiting = apply(alice, follow_up_on=date(2026, 12, 9))
    interviewing = apply(alice, status="interview")
    interview = records.interview_add(user=alice, application_id=interviewing.pk, fields={
        "starts_at": datetime(2026, 12, 10, 9, 0, tzinfo=dt_timezone.utc), "time_zone": "UTC"})
    url = _feed_url(Client(), alice)
    before = _events(Client().get(url))

    records.application_set_follow_up(user=alice, application_id=waiting.pk, follow_up_on=date(2026, 12, 11))
    records.interview_edit(user=alice, interview_id=interview.pk,
                           fields={"starts_at": datetime(2026, 12, 12, 9, 0, tzinfo=dt_timezone.utc)})
    after = _events(Client().get(url))

    assert set(after) == set(before)  # the same ids: the client replaces its events
    follow_up = f"followup-{waiting.pk}@localhost"
    assert after[follow_up].decoded("DTSTART") == date(2026, 12, 11)
    assert int(after[follow_up]["SEQUENCE"]) > int(before[follow_up]["SEQUENCE"])
    meeting = f"interview-{interview.pk}@localhost"
    assert after[meeting].decoded("DTSTART").day == 12
    assert int(after[meeting]["SEQUENCE"]) > int(before[meeting]["SEQUENCE"])


def test_the_feed_speaks_the_persons_language(alice, apply):
    alice.language = "fr"
    alice.save()
    apply(alice, title="Développeuse", company="Kea", follow_up_on=date(2026, 12, 9))
    events = _events(Client().get(_feed_url(Client(), alice)))
    (event,) = events.values()
    assert str(event["SUMMARY"]) == "Relancer\u00a0: Développeuse — Kea"


def test_a_revoked_a_replaced_or_a_wrong_address_is_a_404(alice, apply):
    apply(alice, follow_up_on=date(2026, 12, 9))
    client = Client()
    first = _feed_url(client, alice)
    assert Client().get(first).status_code == 200

    client.post("/profile/calendar/")  # a new address
    alice.refresh_from_db()
    second = f"/calendar/{alice.calendar_secret}.ics"
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    client.post("/profile/calendar/revoke/")
    alice.refresh_from_db()
    assert alice.calendar_secret == ""
    assert Client().get(second).status_code == 404
    assert Client().get("/calendar/.ics").status_code == 404
    assert Client().get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_the_profile_shows_the_address_to_copy_and_revoke(alice_client, alice):
    page = alice_client.get("/profile/").content.decode()
    assert "Make a calendar address" in page
    alice_client.post("/profile/calendar/")
    alice.refresh_from_db()
    page = alice_client.get("/profile/").content.decode()
    assert f'value="http://testserver/calendar/{alice.calendar_secret}.ics"' in page
    assert 'data-copy="calendar-url"' in page and "Revoke" in page


def test_a_coming_interview_leaves_the_feed_when_its_application_closes(alice, apply):
    interviewing = apply(alice, status="interview")
    Interview.objects.create(application=interviewing, starts_at=datetime(2027, 1, 5, 9, 0, tzinfo=dt_timezone.utc))
    url = _feed_url(Client(), alice)
    assert len(_events(Client().get(url))) == 1
    from tracker import moves

    moves.application_move(user=alice, application_id=interviewing.pk, to_status="rejected")
    assert _events(Client().get(url)) == {}
