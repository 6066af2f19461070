"""The application page (/applications/<id>/) and its parts, each edited in place."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tracker import moves, records
from tracker.models import Application, ApplicationEvent, Contact, Interview
from tracker.triage import offers_approve

Kind = ApplicationEvent.Kind
HTMX = {"HX-Request": "true"}


@pytest.fixture
def application(alice, make_offer):
    offer = make_offer(alice, title="Backend Engineer", company="Acme & Co", location="Lyon",
                       salary_min=50_000, salary_max=60_000, salary_currency="EUR", salary_period="year",
                       description="<p>Build <b>things</b>.</p><script>alert(1)</script>")
    [application_id] = offers_approve(user=alice, offer_ids=[offer.pk]).application_ids
    return Application.objects.get(pk=application_id)


def _events(application, kind):
    return list(application.events.filter(kind=kind).order_by("pk"))


def _url(name, *args):
    return reverse(name, args=args)


# --- the page -----------------------------------------------------------------------------

def test_page_shows_the_offer_and_every_part(alice_client, application):
    response = alice_client.get(_url("application_detail", application.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Backend Engineer" in html and "Acme &amp; Co" in html and "Lyon" in html
    assert "€50,000–€60,000 a year" in html
    assert "<b>things</b>" in html and "<script>alert(1)" not in html  # sanitised as in the inbox
    assert 'href="https://jobs.example/' in html
    for part in ("application-status", "application-rating", "application-follow-up", "application-letter",
                 "application-notes", "application-contacts", "application-interviews", "application-history"):
        assert f'id="{part}"' in html
    assert "Approved from the inbox" in html  # the history's first line
    assert _url("application_move", application.pk) in html
    assert 'static/css/application.css' in html


def test_status_part_offers_the_allowed_moves(alice_client, application):
    html = alice_client.get(_url("application_detail", application.pk)).content.decode()
    for status in moves.allowed_from(application):
        assert f'name="status" value="{status}"' in html
    assert 'name="status" value="to_apply"' not in html
    assert 'name="from" value="to_apply"' in html


def test_status_partial_renders_with_the_move_views_context(application, rf):
    """The contract with POST /applications/<id>/move/: this partial and this context."""
    html = render_to_string("tracker/application.html#status", {
        "application": application, "allowed": moves.allowed_from(application),
        "error": "An application cannot go from “To apply” to “Hired”."}, request=rf.get("/"))
    assert html.strip().startswith('<section class="card app-part" id="application-status"')
    assert "cannot go from" in html and 'hx-target="#application-status"' in html
    assert 'hx-swap="outerHTML"' in html


def test_other_user_gets_404_everywhere(client, charlie, application):
    contact = records.contact_add(user=application.user, application_id=application.pk, fields={"name": "Jane"})
    interview = records.interview_add(user=application.user, application_id=application.pk, fields={
        "starts_at": datetime(2026, 12, 4, 14, tzinfo=ZoneInfo("UTC")), "time_zone": "UTC"})
    client.force_login(charlie)
    pk = application.pk
    gets = [_url("application_detail", pk), _url("application_letter_txt", pk),
            _url("application_part", pk, "contacts"), _url("application_contact_edit", contact.pk),
            _url("application_interview_edit", interview.pk)]
    posts = [(_url("application_rate", pk), {"rating": "3"}), (_url("application_follow_up", pk), {}),
             (_url("application_letter", pk), {"cover_letter": "x"}), (_url("application_note", pk), {"note": "x"}),
             (_url("application_contact_add", pk), {"name": "x"}),
             (_url("application_contact_edit", contact.pk), {"name": "x"}),
             (_url("application_interview_add", pk), {"local_start": "2026-12-04T14:00", "time_zone": "UTC",
                                                     "kind": "video"}),
             (_url("application_interview_edit", interview.pk), {"local_start": "2026-12-04T14:00",
                                                                "time_zone": "UTC", "kind": "video"})]
    for url in gets:
        assert client.get(url).status_code == 404, url
        assert client.get(url, headers=HTMX).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    application.refresh_from_db()
    assert application.rating is None and application.cover_letter == ""
    assert list(application.events.values_list("kind", flat=True)) == [Kind.CREATED, Kind.CONTACT, Kind.INTERVIEW]
    assert Contact.objects.get().name == "Jane"


def test_anonymous_is_sent_to_log_in(client, application):
    response = client.get(_url("application_detail", application.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(_url("application_note", application.pk), {"note": "x"}).status_code == 302
    assert not _events(application, Kind.NOTE)


def test_records_refuse_another_persons_rows(charlie, application):
    contact = records.contact_add(user=application.user, application_id=application.pk, fields={"name": "Jane"})
    with pytest.raises(Application.DoesNotExist):
        records.application_rate(user=charlie, application_id=application.pk, rating=3)
    with pytest.raises(Application.DoesNotExist):
        records.application_add_note(user=charlie, application_id=application.pk, note="x")
    with pytest.raises(Contact.DoesNotExist):
        records.contact_edit(user=charlie, contact_id=contact.pk, fields={"name": "Eve"})


# --- rating -------------------------------------------------------------------------------

def test_rating_writes_an_event_and_redirects_without_js(alice_client, application):
    response = alice_client.post(_url("application_rate", application.pk), {"rating": "4"})
    assert response.status_code == 303
    assert response["Location"] == _url("application_detail", application.pk) + "#rating"
    application.refresh_from_db()
    assert application.rating == 4
    [event] = _events(application, Kind.RATING)
    assert event.rating == 4
    assert "Rated 4/5." in alice_client.get(_url("application_detail", application.pk)).content.decode()


def test_rating_with_htmx_answers_the_part_and_the_history(alice_client, application):
    response = alice_client.post(_url("application_rate", application.pk), {"rating": "2"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="application-rating"' in html and 'stars__star--on' in html
    assert 'id="application-history"' in html and 'hx-swap-oob="outerHTML"' in html and "Rated 2/5." in html


def test_rating_cleared_and_unchanged(alice_client, application):
    alice_client.post(_url("application_rate", application.pk), {"rating": "5"})
    alice_client.post(_url("application_rate", application.pk), {"rating": "5"})  # the same: no event
    alice_client.post(_url("application_rate", application.pk), {"rating": ""})
    application.refresh_from_db()
    assert application.rating is None
    assert [event.rating for event in _events(application, Kind.RATING)] == [5, None]


@pytest.mark.parametrize("value", ["0", "6", "seven"])
def test_rating_outside_1_to_5_is_a_form_error(alice_client, application, value):
    response = alice_client.post(_url("application_rate", application.pk), {"rating": value})
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    application.refresh_from_db()
    assert application.rating is None and not _events(application, Kind.RATING)


# --- follow-up ----------------------------------------------------------------------------

def test_follow_up_date_set_and_cleared(alice_client, application):
    response = alice_client.post(_url("application_follow_up", application.pk), {"follow_up_on": "2026-12-05"})
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.follow_up_on == date(2026, 12, 5)
    html = alice_client.get(_url("application_detail", application.pk)).content.decode()
    assert "Follow-up set for 5 Dec." in html and 'value="2026-12-05"' in html
    alice_client.post(_url("application_follow_up", application.pk), {"follow_up_on": "2026-12-05", "clear": "1"})
    application.refresh_from_db()
    assert application.follow_up_on is None
    assert [e.data["follow_up_on"] for e in _events(application, Kind.FOLLOW_UP)] == ["2026-12-05", None]


def test_31_february_is_a_form_error_that_keeps_what_was_typed(alice_client, application):
    response = alice_client.post(_url("application_follow_up", application.pk), {"follow_up_on": "2026-02-31"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid date." in html and 'value="2026-02-31"' in html
    assert not _events(application, Kind.FOLLOW_UP)


# --- cover letter -------------------------------------------------------------------------

def test_cover_letter_edited_in_place(alice_client, application):
    response = alice_client.post(_url("application_letter", application.pk),
                                 {"cover_letter": "Dear Acme,\r\n\r\nHire me.<script>x</script>"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="application-letter"' in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x" not in html and "Cover letter edited." in html
    application.refresh_from_db()
    assert application.cover_letter == "Dear Acme,\n\nHire me.<script>x</script>"
    assert len(_events(application, Kind.COVER_LETTER)) == 1


def test_letter_downloads_as_text_named_for_the_company(alice_client, application):
    records.application_edit_letter(user=application.user, application_id=application.pk, cover_letter="Dear Acme")
    response = alice_client.get(_url("application_letter_txt", application.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cover-letter-acme-co.txt"'
    assert response.content.decode() == "Dear Acme\n"


# --- notes --------------------------------------------------------------------------------

def test_notes_newest_first_line_breaks_kept_and_script_inert(alice_client, application):
    alice_client.post(_url("application_note", application.pk), {"note": "First call went well"})
    response = alice_client.post(_url("application_note", application.pk),
                                 {"note": "Second<script>alert(1)</script>\r\nline two"})
    assert response.status_code == 303
    html = alice_client.get(_url("application_detail", application.pk)).content.decode()
    assert "Second&lt;script&gt;alert(1)&lt;/script&gt;<br>line two" in html
    assert "<script>alert(1)" not in html
    assert html.index("Second&lt;script") < html.index("First call went well")
    assert [e.note for e in _events(application, Kind.NOTE)] == ["First call went well",
                                                                 "Second<script>alert(1)</script>\nline two"]
    assert "Note added." in html


def test_empty_note_is_a_form_error(alice_client, application):
    response = alice_client.post(_url("application_note", application.pk), {"note": ""}, headers=HTMX)
    assert response.status_code == 200  # htmx swaps only a 2xx answer: the part with its error
    assert 'class="errorlist"' in response.content.decode()
    assert alice_client.post(_url("application_note", application.pk), {"note": " "}).status_code == 400
    assert not _events(application, Kind.NOTE)


# --- contacts -----------------------------------------------------------------------------

def test_contact_added_and_edited(alice_client, application):
    response = alice_client.post(_url("application_contact_add", application.pk), {
        "name": "Jane Roe", "role": "Recruiter", "email": "jane@acme.example", "phone": "+33 1 23",
        "link": "https://www.linkedin.com/in/jane", "notes": "Met at a meetup"})
    assert response.status_code == 303
    contact = Contact.objects.get(application=application)
    html = alice_client.get(_url("application_detail", application.pk)).content.decode()
    assert "Jane Roe" in html and 'href="https://www.linkedin.com/in/jane"' in html and "Contact added: Jane Roe." in html

    response = alice_client.get(_url("application_contact_edit", contact.pk), headers=HTMX)
    assert response.status_code == 200 and 'value="Jane Roe"' in response.content.decode()
    response = alice_client.post(_url("application_contact_edit", contact.pk), {
        "name": "Jane Doe", "role": "Recruiter", "email": "jane@acme.example", "phone": "+33 1 23",
        "link": "https://www.linkedin.com/in/jane", "notes": ""}, headers=HTMX)
    assert response.status_code == 200 and "Contact edited: Jane Doe." in response.content.decode()
    contact.refresh_from_db()
    assert contact.name == "Jane Doe" and contact.notes == ""
    events = _events(application, Kind.CONTACT)
    assert [e.data["change"] for e in events] == ["added", "edited"]
    assert events[1].data["fields"] == ["name", "notes"]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example/cv", "JaVaScRiPt:alert(1)"])
def test_contact_link_must_be_a_web_link(alice_client, application, link):
    response = alice_client.post(_url("application_contact_add", application.pk), {"name": "Jane", "link": link})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a web link starting with http:// or https://." in html
    assert 'value="Jane"' in html  # what was typed is kept
    assert not Contact.objects.exists() and not _events(application, Kind.CONTACT)


def test_contact_edit_without_js_opens_the_form_on_the_page(alice_client, application):
    contact = records.contact_add(user=application.user, application_id=application.pk, fields={"name": "Jane"})
    response = alice_client.get(_url("application_contact_edit", contact.pk))
    assert response.status_code == 200
    assert f'action="{_url("application_contact_edit", contact.pk)}"' in response.content.decode()
    response = alice_client.post(_url("application_contact_edit", contact.pk), {"name": "", "link": "javascript:x"})
    assert response.status_code == 400 and 'value="javascript:x"' in response.content.decode()


# --- interviews ---------------------------------------------------------------------------

def test_interview_added_in_its_time_zone_and_offers_the_move(alice_client, application):
    response = alice_client.post(_url("application_interview_add", application.pk), {
        "local_start": "2026-12-04T14:00", "time_zone": "Europe/Paris", "kind": "video",
        "with_whom": "Jane", "preparation": "Read <b>about</b> them", "outcome": ""}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    interview = Interview.objects.get(application=application)
    assert interview.starts_at == datetime(2026, 12, 4, 13, tzinfo=ZoneInfo("UTC"))
    assert interview.time_zone == "Europe/Paris"
    assert "Interview planned: 4 Dec at 14:00 (video)." in html
    assert "4 Dec 2026, 14:00</strong>" in html  # in the list too, in its own zone
    assert "Read &lt;b&gt;about&lt;/b&gt; them" in html
    # Before "interview": a one-click move, posted to the board's move URL.
    assert 'name="status" value="interview"' in html and _url("application_move", application.pk) in html
    [event] = _events(application, Kind.INTERVIEW)
    assert event.data["change"] == "added" and event.data["time_zone"] == "Europe/Paris"


def test_interview_edit_keeps_its_zone(alice_client, application):
    interview = records.interview_add(user=application.user, application_id=application.pk, fields={
        "starts_at": datetime(2026, 12, 4, 14, tzinfo=ZoneInfo("America/New_York")),
        "time_zone": "America/New_York", "kind": "phone"})
    response = alice_client.get(_url("application_interview_edit", interview.pk), headers=HTMX)
    html = response.content.decode()
    assert 'value="2026-12-04T14:00"' in html and '<option value="America/New_York" selected>' in html
    response = alice_client.post(_url("application_interview_edit", interview.pk), {
        "local_start": "2026-12-04T15:30", "time_zone": "America/New_York", "kind": "technical",
        "outcome": "Went well"})
    assert response.status_code == 303
    interview.refresh_from_db()
    assert interview.starts_at == datetime(2026, 12, 4, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert interview.kind == "technical" and interview.outcome == "Went well"
    [_, edited] = _events(application, Kind.INTERVIEW)
    assert edited.data["change"] == "edited" and set(edited.data["fields"]) == {"starts_at", "kind", "outcome"}


def test_interview_bad_date_and_unknown_zone_are_form_errors(alice_client, application):
    response = alice_client.post(_url("application_interview_add", application.pk), {
        "local_start": "2026-02-31T10:00", "time_zone": "Mars/Olympus", "kind": "video", "with_whom": "Jane"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2026-02-31T10:00"' in html and 'value="Jane"' in html
    assert "Enter a valid date/time." in html and "Select a valid choice." in html
    assert not Interview.objects.exists()


def test_no_move_offer_once_in_interview(alice_client, alice, application):
    moves.application_move(user=alice, application_id=application.pk, to_status="interview")
    records.interview_add(user=alice, application_id=application.pk, fields={
        "starts_at": datetime(2026, 12, 4, 14, tzinfo=ZoneInfo("UTC")), "time_zone": "UTC"})
    html = alice_client.get(_url("application_detail", application.pk)).content.decode()
    assert 'name="status" value="interview"' not in html


# --- history ------------------------------------------------------------------------------

def test_history_tells_every_kind_newest_first(alice_client, alice, application):
    moves.application_move(user=alice, application_id=application.pk, to_status="applied")
    records.application_rate(user=alice, application_id=application.pk, rating=4)
    records.application_add_note(user=alice, application_id=application.pk, note="Called them")
    records.application_set_follow_up(user=alice, application_id=application.pk, follow_up_on=date(2026, 12, 5))
    records.contact_add(user=alice, application_id=application.pk, fields={"name": "Jane"})
    records.interview_add(user=alice, application_id=application.pk, fields={
        "starts_at": datetime(2026, 12, 4, 14, tzinfo=ZoneInfo("UTC")), "time_zone": "UTC", "kind": "video"})
    records.application_edit_letter(user=alice, application_id=application.pk, cover_letter="Dear")
    response = alice_client.get(_url("application_part", application.pk, "history"), headers=HTMX)
    html = response.content.decode()
    sentences = ["Cover letter edited.", "Interview planned: 4 Dec at 14:00 (video).",
                 "Contact added: Jane.", "Follow-up set for 5 Dec.", "Note added.", "Rated 4/5.",
                 "Moved from “To apply” to “Applied”.", "Approved from the inbox"]
    positions = [html.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)
    assert moves.status_from_history(application.events.all()) == "applied"


def test_template_has_no_untranslated_text():
    from pathlib import Path

    from django.conf import settings

    from jobmate.tests.test_template_text import untranslated_text

    source = Path(settings.BASE_DIR, "tracker/templates/tracker/application.html").read_text()
    assert untranslated_text(source) == []


def test_move_from_the_page_answers_its_status_part(alice_client, application):
    """Through the board's move view, as the page's status form posts it."""
    headers = {**HTMX, "HX-Target": "application-status"}
    url = _url("application_move", application.pk)
    response = alice_client.post(url, {"status": "applied", "from": "to_apply"}, headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="application-status"' in html and 'name="from" value="applied"' in html
    response = alice_client.post(url, {"status": "hired", "from": "to_apply"}, headers=headers)
    assert response.status_code == 409 and "moved meanwhile" in response.content.decode()
    response = alice_client.get(_url("application_part", application.pk, "history"), headers=HTMX)
    assert "Moved from “To apply” to “Applied”." in response.content.decode()


def test_hired_from_the_page_offers_to_pause_the_saved_searches(alice, alice_client, application):
    from discovery.models import SearchConfig

    search = SearchConfig.objects.create(user=alice, name="Python", keywords=["python"], is_active=True)
    headers = {**HTMX, "HX-Target": "application-status"}
    response = alice_client.post(_url("application_move", application.pk), {"status": "hired", "from": "to_apply"},
                                 headers=headers)
    html = response.content.decode()
    assert response.status_code == 200 and "Pause my saved searches" in html
    assert f'action="{reverse("board_searches_pause")}"' in html
    alice_client.post(reverse("board_searches_pause"), headers=HTMX)
    search.refresh_from_db()
    assert not search.is_active
