"""The board's JSON API: /api/v1/applications and …/<id>/move, as a script with a token calls it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from profiles.tokens import create_token
from tracker.api import PAGE_SIZE
from tracker.models import Application, ApplicationEvent
from tracker.moves import application_move
from tracker.triage import offers_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, alice):
    """The API as alice's script calls it: a Bearer token, no cookies."""
    secret = create_token(user=alice, name="scripts")[1]

    class Api:
        def get(self, path, **params):
            return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {secret}")

        def post(self, path, body):
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            return client.post(path, data=data, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {secret}")

    return Api()


@pytest.fixture
def applications_of(make_offer):
    def applications_of(user, count=1, **offer_fields) -> list[Application]:
        offers = [make_offer(user, **offer_fields) for _ in range(count)]
        ids = offers_approve(user=user, offer_ids=[offer.pk for offer in offers]).application_ids
        return list(Application.objects.filter(pk__in=ids).select_related("offer"))

    return applications_of


def test_list_shows_the_applications_with_their_offer(api, alice, applications_of):
    application = applications_of(alice, location="Lyon")[0]
    application_move(user=alice, application_id=application.pk, to_status="applied")
    Application.objects.filter(pk=application.pk).update(rating=4, follow_up_on="2026-12-24")
    application.refresh_from_db()

    response = api.get("/api/v1/applications")

    assert response.status_code == 200
    offer = application.offer
    assert response.json() == {"results": [{
        "id": application.pk, "status": "applied", "rating": 4, "follow_up_on": "2026-12-24",
        "applied_on": timezone.localdate().isoformat(), "updated_at": application.updated_at.isoformat(),
        "offer": {"id": offer.pk, "title": offer.title, "company": "Acme", "location": "Lyon",
                  "url": offer.canonical_url},
    }], "next": None}


def test_list_pages_follow_the_cursor_newest_move_first(api, alice, applications_of):
    applications = applications_of(alice, PAGE_SIZE + 7)
    now = timezone.now()
    for n, application in enumerate(applications):  # distinct times, and two sharing one
        Application.objects.filter(pk=application.pk).update(updated_at=now - timedelta(minutes=n // 2 * 2))

    first = api.get("/api/v1/applications").json()
    second = api.get("/api/v1/applications", cursor=first["next"]).json()

    assert len(first["results"]) == PAGE_SIZE and first["next"]
    assert len(second["results"]) == 7 and second["next"] is None
    listed = [row["id"] for row in first["results"] + second["results"]]
    expected = list(Application.objects.filter(user=alice).order_by("-updated_at", "-id").values_list("pk", flat=True))
    assert listed == expected


def test_list_filters_by_status(api, alice, applications_of):
    applied, _to_apply = applications_of(alice, 2)
    application_move(user=alice, application_id=applied.pk, to_status="applied")

    rows = api.get("/api/v1/applications", status="applied").json()["results"]

    assert [row["id"] for row in rows] == [applied.pk]
    assert api.get("/api/v1/applications", status="ghosted").json() == {"results": [], "next": None}


def test_list_refuses_an_unknown_status_saying_the_allowed_ones(api, alice, applications_of):
    applications_of(alice)
    response = api.get("/api/v1/applications", status="won")

    assert response.status_code == 400
    assert "“won”" in response.json()["error"]
    assert "to_apply, applied, interview, offer, hired, rejected, withdrawn, ghosted" in response.json()["error"]


def test_list_refuses_a_cursor_it_did_not_give(api, alice):
    for cursor in ("nonsense", "MjAyNi0xMi0wMlQxMDowMDowMHwx"):  # the second: a date without time zone
        assert api.get("/api/v1/applications", cursor=cursor).status_code == 400


def test_list_shows_only_the_persons_own_applications(api, alice, charlie, applications_of):
    mine = applications_of(alice)[0]
    applications_of(charlie, 3)

    rows = api.get("/api/v1/applications").json()["results"]

    assert [row["id"] for row in rows] == [mine.pk]


def test_move_answers_the_application_moved(api, alice, applications_of):
    application = applications_of(alice)[0]

    response = api.post(f"/api/v1/applications/{application.pk}/move", {"status": "applied", "from": "to_apply"})

    assert response.status_code == 200
    document = response.json()
    assert document["id"] == application.pk and document["status"] == "applied"
    assert document["applied_on"] == timezone.localdate().isoformat()
    assert document["offer"]["id"] == application.offer_id
    assert set(document) == {"id", "status", "rating", "follow_up_on", "applied_on", "updated_at", "offer"}
    assert application.events.filter(kind=ApplicationEvent.Kind.STATUS, to_status="applied").count() == 1


def test_move_to_the_same_status_changes_nothing(api, alice, applications_of):
    application = applications_of(alice)[0]

    response = api.post(f"/api/v1/applications/{application.pk}/move", {"status": "to_apply"})

    assert response.status_code == 200 and response.json()["status"] == "to_apply"
    assert not application.events.filter(kind=ApplicationEvent.Kind.STATUS).exists()


def test_a_refused_move_is_409_and_changes_nothing(api, alice, applications_of):
    application = applications_of(alice)[0]
    application_move(user=alice, application_id=application.pk, to_status="rejected")

    response = api.post(f"/api/v1/applications/{application.pk}/move", {"status": "offer"})

    assert response.status_code == 409
    assert "closed" in response.json()["error"]
    application.refresh_from_db()
    assert application.status == "rejected"


def test_a_stale_move_is_409_with_the_fresh_application(api, alice, applications_of):
    application = applications_of(alice)[0]
    application_move(user=alice, application_id=application.pk, to_status="applied")  # in another tab

    response = api.post(f"/api/v1/applications/{application.pk}/move", {"status": "rejected", "from": "to_apply"})

    assert response.status_code == 409
    document = response.json()
    assert document["error"] == "this application moved meanwhile"
    assert document["application"]["id"] == application.pk and document["application"]["status"] == "applied"
    application.refresh_from_db()
    assert application.status == "applied"


@pytest.mark.parametrize("body", [{"status": "won"}, {"status": "applied", "from": "nowhere"}, {},
                                  {"status": 3}, {"status": "applied", "from": ["to_apply"]},
                                  "{not json", "[]"])
def test_move_refuses_unknown_values_and_bad_json_with_400(api, alice, applications_of, body):
    application = applications_of(alice)[0]

    response = api.post(f"/api/v1/applications/{application.pk}/move", body)

    assert response.status_code == 400, response.content
    assert response.json()["error"]
    application.refresh_from_db()
    assert application.status == "to_apply"


def test_moving_another_persons_application_is_404(api, alice, charlie, applications_of):
    theirs = applications_of(charlie)[0]

    for application_id in (theirs.pk, theirs.pk + 1000):
        response = api.post(f"/api/v1/applications/{application_id}/move", {"status": "applied"})
        assert response.status_code == 404
        assert response.json() == {"error": "No such application."}
    theirs.refresh_from_db()
    assert theirs.status == "to_apply"


def test_no_token_is_401(client, alice_client, alice, applications_of):
    application = applications_of(alice)[0]
    for c in (client, alice_client):  # a session cookie does not open the API either
        assert c.get("/api/v1/applications").status_code == 401
        response = c.post(f"/api/v1/applications/{application.pk}/move", data=json.dumps({"status": "applied"}),
                          content_type="application/json")
        assert response.status_code == 401
    application.refresh_from_db()
    assert application.status == "to_apply"


def test_the_list_needs_get_and_the_move_post(api, alice, applications_of):
    application = applications_of(alice)[0]
    assert api.post("/api/v1/applications", {}).status_code == 405
    assert api.get(f"/api/v1/applications/{application.pk}/move").status_code == 405
