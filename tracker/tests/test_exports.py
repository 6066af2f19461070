"""The exports (/stats/export/…): the applications as a spreadsheet, and everything of the
person as one JSON file. Always the signed-in person's own."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from discovery.models import Offer, SearchConfig
from jobmate.notifications.models import EmailChoice, Notification
from jobmate.tasks.messages import Text
from jobmate.tasks.models import Task
from profiles.models import ApiToken, Invite, ProfileEntry, profile_for
from profiles.tokens import create_token
from tracker import exports, moves, records
from tracker.models import Application, ApplicationEvent, Contact, Interview
from tracker.triage import offers_approve

pytestmark = pytest.mark.django_db

CSV_URL = reverse("export_applications_csv")
JSON_URL = reverse("export_data_json")
PARIS = ZoneInfo("Europe/Paris")


def tracked(user, offer) -> Application:
    [application_id] = offers_approve(user=user, offer_ids=[offer.pk]).application_ids
    return Application.objects.get(pk=application_id)


@pytest.fixture
def alices_search(alice, make_offer):
    """Alice's job search, a few weeks in: a profile, a saved search, an application sent
    and followed up, with notes, a contact and an interview."""
    alice.time_zone, alice.language = "Europe/Paris", "fr"
    alice.save()
    profile = profile_for(alice)
    profile.full_name, profile.skills = "Alice Martin", ["python", "django"]
    profile.save()
    ProfileEntry.objects.create(profile=profile, kind="experience", position=0, title="Backend developer",
                                organisation="Initech", start=date(2021, 9, 1))
    search = SearchConfig.objects.create(user=alice, name="Python Lyon", keywords=["python"], location="Lyon")
    offer = make_offer(alice, title="Développeuse Python", company="Acme & Co", location="Lyon",
                       search_config=search, apply_url="https://acme.example/jobs/42",
                       salary_min=45_000, salary_max=55_000, salary_currency="EUR")
    application = tracked(alice, offer)
    moves.application_move(user=alice, application_id=application.pk, to_status="applied")
    records.application_rate(user=alice, application_id=application.pk, rating=4)
    records.application_set_follow_up(user=alice, application_id=application.pk, follow_up_on=date(2026, 12, 20))
    records.application_add_note(user=alice, application_id=application.pk, note="Sent the CV by email.")
    records.application_add_note(user=alice, application_id=application.pk, note="Called: they answer next week.")
    records.contact_add(user=alice, application_id=application.pk,
                        fields={"name": "Ada Lovelace", "role": "Recruiter", "email": "ada@acme.example"})
    records.contact_add(user=alice, application_id=application.pk, fields={"name": "Grace Hopper"})
    records.interview_add(user=alice, application_id=application.pk,
                          fields={"starts_at": datetime(2026, 12, 10, 14, 30, tzinfo=PARIS),
                                  "time_zone": "Europe/Paris", "kind": "video", "with_whom": "Grace"})
    make_offer(alice, title="Waiting in the inbox", company="Globex")
    Notification.objects.create(user=alice, kind=Notification.Kind.TASK_FAILED, message=Text("A search failed"),
                                link="/tasks/")
    EmailChoice.objects.create(user=alice, kinds=[Notification.Kind.TASK_FAILED])
    Task.objects.create(user=alice, kind="discovery.search", params={"keywords": "python"},
                        status=Task.Status.COMPLETED, rq_job_id="job-secret-id")
    create_token(user=alice, name="laptop")
    Invite.objects.create(created_by=alice, email="friend@example.com",
                          expires_at=datetime(2026, 12, 31, tzinfo=PARIS), token_hash="a" * 64)
    application.refresh_from_db()
    return application


@pytest.fixture
def charlies_application(charlie, make_offer):
    application = tracked(charlie, make_offer(charlie, title="Charlie's secret job", company="Hooli"))
    records.application_add_note(user=charlie, application_id=application.pk, note="Charlie's private note")
    return application


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(body[1:], newline="")))


# --- CSV ---------------------------------------------------------------------------------------

def test_csv_has_a_row_per_application_with_its_offer_status_dates_and_counts(alice_client, alices_search):
    response = alice_client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="jobmate-applications-')
    assert "no-store" in response["Cache-Control"]
    [row] = csv_rows(alice_client.get(CSV_URL))
    assert list(row) == list(exports.CSV_COLUMNS)  # English keys, whatever the language
    assert row["company"] == "Acme & Co" and row["title"] == "Développeuse Python" and row["location"] == "Lyon"
    assert row["link"] == "https://acme.example/jobs/42"
    assert row["status"] == "applied" and row["applied_on"] == alices_search.applied_on.isoformat()
    assert row["follow_up_on"] == "2026-12-20" and row["rating"] == "4"
    assert row["notes_count"] == "2" and row["interviews_count"] == "1"
    assert row["contacts"] == "Ada Lovelace (Recruiter, ada@acme.example); Grace Hopper"
    assert row["salary_min"] == "45000" and row["salary_currency"] == "EUR"
    assert row["approved_at"].endswith("+00:00") and datetime.fromisoformat(row["approved_at"])


def test_csv_holds_only_the_signed_in_persons_applications(alice_client, alices_search, charlies_application, charlie):
    rows = csv_rows(alice_client.get(CSV_URL, {"user": charlie.pk}))  # an id in the query changes nothing
    assert [row["company"] for row in rows] == ["Acme & Co"]


def test_a_person_without_applications_gets_the_header_alone(client, charlie):
    client.force_login(charlie)
    assert csv_rows(client.get(CSV_URL)) == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_exported_cell_starts_a_formula(alice, alice_client, make_offer, start):
    offer = make_offer(alice, title=f'{start}HYPERLINK("https://evil.example","Click")', company=f"{start}cmd",
                       location=f"{start}1+1")
    application = tracked(alice, offer)
    records.contact_add(user=alice, application_id=application.pk, fields={"name": f"{start}SUM(A1)"})
    [row] = csv_rows(alice_client.get(CSV_URL))
    for column in ("title", "company", "location", "contacts"):
        assert row[column].startswith("'" + start), (column, row[column])


def test_exports_are_for_signed_in_people_only(client):
    for url in (CSV_URL, JSON_URL):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_export_address_with_an_id_does_not_exist(alice_client, charlie):
    assert alice_client.get(f"/stats/export/{charlie.pk}/applications.csv").status_code == 404
    assert alice_client.get(f"/stats/export/jobmate.json/{charlie.pk}").status_code == 404


# --- JSON --------------------------------------------------------------------------------------

def test_json_holds_every_section_of_the_persons_data(alice_client, alices_search, alice):
    response = alice_client.get(JSON_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="jobmate-data-')
    data = json.loads(response.content)
    assert [name for name in data if name not in ("format", "version", "exported_at", "time_zone", "language")] == [
        name for name, _ in exports.SECTIONS]
    assert data["time_zone"] == "Europe/Paris" and data["language"] == "fr"
    assert data["account"]["email"] == "alice@example.com"
    assert data["profile"]["full_name"] == "Alice Martin" and data["profile"]["skills"] == ["python", "django"]
    assert data["profile"]["entries"][0]["title"] == "Backend developer"
    assert [search["name"] for search in data["searches"]] == ["Python Lyon"]
    assert {offer["title"] for offer in data["offers"]} == {"Développeuse Python", "Waiting in the inbox"}
    [application] = data["applications"]
    assert application["status"] == "applied" and application["rating"] == 4
    assert application["follow_up_on"] == "2026-12-20"
    assert len(data["events"]) == ApplicationEvent.objects.filter(application=alices_search).count()
    assert [note["note"] for note in data["notes"]] == ["Sent the CV by email.", "Called: they answer next week."]
    assert [contact["name"] for contact in data["contacts"]] == ["Ada Lovelace", "Grace Hopper"]
    [interview] = data["interviews"]
    assert interview["starts_at"] == "2026-12-10T13:30:00+00:00"  # 14:30 in Paris, in UTC with its offset
    assert interview["time_zone"] == "Europe/Paris"
    [notification] = data["notifications"]
    assert notification["message"] == "A search failed" and notification["link"] == "/tasks/"
    assert data["notification_emails"] == ["task_failed"]
    [task] = data["tasks"]
    assert task["kind"] == "discovery.search" and task["params"] == {"keywords": "python"}
    assert [token["name"] for token in data["api_tokens"]] == ["laptop"]
    assert [invite["email"] for invite in data["invitations"]] == ["friend@example.com"]


def test_json_instants_are_utc_with_their_offset(alice_client, alices_search):
    data = json.loads(alice_client.get(JSON_URL).content)
    instants = [data["exported_at"], data["account"]["date_joined"], data["applications"][0]["created_at"],
                *(event["created_at"] for event in data["events"])]
    for value in instants:
        assert value.endswith("+00:00") and datetime.fromisoformat(value).utcoffset() == timedelta(0), value


def test_json_never_holds_secrets(alice_client, alices_search, alice):
    body = alice_client.get(JSON_URL).content.decode()
    data = json.loads(body)
    assert alice.password not in body and "password" not in data["account"]
    assert ApiToken.objects.get(user=alice).token_hash not in body and "token_hash" not in body
    assert "a" * 64 not in body  # the invitation's hash
    assert alice_client.session.session_key not in body
    assert "job-secret-id" not in body  # the queue's own ids


def test_json_holds_nothing_of_another_person(alice_client, alices_search, charlies_application):
    body = alice_client.get(JSON_URL).content.decode()
    assert "Charlie's secret job" not in body and "Charlie's private note" not in body
    assert "charlie@example.com" not in body


# Every model holding rows of a person (a foreign key to the user), and where the export puts
# them. A model added with such a key must be placed here: in a section, or left out with a reason.
EXPORTED = {
    "profiles.Profile": "profile", "profiles.ApiToken": "api_tokens", "profiles.Invite": "invitations",
    "discovery.SearchConfig": "searches", "discovery.Offer": "offers", "tracker.Application": "applications",
    "notifications.Notification": "notifications", "notifications.EmailChoice": "notification_emails",
    "tasks.Task": "tasks", "coach.Analysis": "analyses", "coach.LlmCall": "llm_calls",
    "coach.Cv": "cv", "coach.Document": "tailored_cvs",
}
LEFT_OUT = {
    "admin.LogEntry": "the operators' log of what they changed in the admin",
}


def test_every_model_of_a_persons_rows_is_exported_or_left_out_for_a_reason():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    holding = {model._meta.label for model in apps.get_models() if any(
        field.is_relation and field.related_model is user_model and (field.many_to_one or field.one_to_one)
        for field in model._meta.concrete_fields)}
    assert holding == set(EXPORTED) | set(LEFT_OUT)
    assert set(EXPORTED.values()) <= {name for name, _ in exports.SECTIONS}
    # Rows held through an application are exported too.
    assert {"events", "contacts", "interviews", "notes", "sent_documents"} <= {name for name, _ in exports.SECTIONS}
    for model in (ApplicationEvent, Contact, Interview):
        assert model._meta.get_field("application").related_model is Application


def test_offers_added_by_hand_without_a_link_export_no_link(alice, alice_client):
    from discovery.adding import add_manual_offer

    offer, _ = add_manual_offer(user=alice, title="Dev", company="Acme")
    tracked(alice, offer)
    [row] = csv_rows(alice_client.get(CSV_URL))
    assert row["link"] == "" and Offer.objects.get().canonical_url.startswith("manual:")
