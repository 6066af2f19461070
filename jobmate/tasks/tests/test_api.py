import pytest
from django.core.management import call_command
from django.urls import reverse

from jobmate.tasks.models import Task
from profiles.models import ApiToken
from profiles.tokens import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_token(alice):
    return create_token(user=alice, name="scripts")[1]


@pytest.fixture
def api(client, alice_token):
    """The API as alice's script calls it: a Bearer token, no cookies."""

    class Api:
        def get(self, path, **params):
            return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {alice_token}")

        def post(self, path):
            return client.post(path, HTTP_AUTHORIZATION=f"Bearer {alice_token}")

    return Api()


def make_task(user, **fields):
    return Task.objects.create(user=user, kind="jobmate.sleep", **fields)


def test_no_token_is_401_with_a_clear_message(client, alice):
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_bad_token_is_401(client, alice_token):
    for header in ("Bearer jm_wrong", "Bearer ", "Basic abc", alice_token):
        assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_session_cookie_does_not_open_the_api(alice_client, alice):
    # API views skip CSRF, so a browser session must not count there.
    task = make_task(alice, status=Task.Status.RUNNING)
    assert alice_client.get("/api/v1/tasks").status_code == 401
    assert alice_client.post(f"/api/v1/tasks/{task.pk}/cancel").status_code == 401
    task.refresh_from_db()
    assert task.status == Task.Status.RUNNING


def test_a_revoked_token_stops_working(client, alice, alice_token):
    ApiToken.objects.all().delete()
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {alice_token}").status_code == 401


def test_list_by_status(api, alice, charlie):
    running = make_task(alice, status=Task.Status.RUNNING)
    make_task(alice, status=Task.Status.COMPLETED)
    make_task(charlie, status=Task.Status.RUNNING)
    assert len(api.get("/api/v1/tasks").json()["tasks"]) == 2
    response = api.get("/api/v1/tasks/", status="running")
    assert [t["id"] for t in response.json()["tasks"]] == [str(running.pk)]
    assert [t["id"] for t in api.get("/api/v1/tasks", status="active").json()["tasks"]] == [str(running.pk)]


def test_list_rejects_an_unknown_status(api):
    response = api.get("/api/v1/tasks", status="sleeping")
    assert response.status_code == 400
    assert "Unknown status “sleeping”" in response.json()["error"]


def test_detail(api, alice):
    task = make_task(alice, status=Task.Status.RUNNING, progress_done=1, progress_total=2)
    document = api.get(f"/api/v1/tasks/{task.pk}").json()
    assert document["id"] == str(task.pk)
    assert document["progress"]["percent"] == 50


def test_another_persons_task_is_404(api, charlie):
    task = make_task(charlie, status=Task.Status.RUNNING)
    for response in (api.get(f"/api/v1/tasks/{task.pk}"), api.post(f"/api/v1/tasks/{task.pk}/cancel"),
                     api.post(f"/api/v1/tasks/{task.pk}/retry")):
        assert response.status_code == 404
        assert response.json() == {"error": "No such task."}
    task.refresh_from_db()
    assert task.status == Task.Status.RUNNING


def test_malformed_id_is_a_json_404(api):
    response = api.get("/api/v1/tasks/not-a-uuid")
    assert response.status_code == 404
    assert response.json()["error"] == "Not found."


def test_cancel_then_cancel_again_is_409(api, alice):
    task = make_task(alice, status=Task.Status.PENDING)
    response = api.post(f"/api/v1/tasks/{task.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    response = api.post(f"/api/v1/tasks/{task.pk}/cancel")
    assert response.status_code == 409
    assert "already cancelled" in response.json()["error"]


def test_cancel_all(api, alice, charlie):
    make_task(alice, status=Task.Status.PENDING)
    make_task(alice, status=Task.Status.RUNNING)
    theirs = make_task(charlie, status=Task.Status.RUNNING)
    assert api.post("/api/v1/tasks/cancel-all").json() == {"cancelled": 2}
    theirs.refresh_from_db()
    assert theirs.status == Task.Status.RUNNING


def test_retry(api, alice, redis_conn, django_capture_on_commit_callbacks):
    task = make_task(alice, status=Task.Status.FAILED, attempt=3, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/tasks/{task.pk}/retry")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["attempt"] == 0
    assert api.post(f"/api/v1/tasks/{task.pk}/retry").status_code == 409


def test_retry_is_503_when_redis_is_down(api, alice, redis_down):
    task = make_task(alice, status=Task.Status.FAILED, error="boom")
    response = api.post(f"/api/v1/tasks/{task.pk}/retry")
    assert response.status_code == 503
    assert "unreachable" in response.json()["error"]
    task.refresh_from_db()
    assert task.status == Task.Status.FAILED


def test_wrong_method_is_405(api):
    assert api.get("/api/v1/tasks/cancel-all").status_code == 405


# --- tokens on the profile page and the command line ------------------------------------------

def test_token_is_shown_once_and_stored_hashed(alice_client, alice, client):
    response = alice_client.post(reverse("token_create"), {"name": "laptop"}, follow=True)
    body = response.content.decode()
    token = ApiToken.objects.get(user=alice)
    secret = body.split('readonly value="')[1].split('"')[0]
    assert secret.startswith("jm_") and len(secret) > 40
    assert secret not in token.token_hash and token.hint == secret[:8]
    assert "laptop" in body
    # Shown once: the next visit lists the token without its secret.
    assert secret not in alice_client.get(reverse("profile")).content.decode()
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_revoke_a_token_from_the_profile(alice_client, alice, charlie):
    mine, _ = create_token(user=alice, name="old")
    theirs, _ = create_token(user=charlie, name="theirs")
    assert alice_client.post(reverse("token_revoke", args=[theirs.pk])).status_code == 404
    alice_client.post(reverse("token_revoke", args=[mine.pk]))
    assert list(ApiToken.objects.all()) == [theirs]


def test_create_api_token_command_prints_a_working_token(alice, client, capsys):
    call_command("create_api_token", alice.email)
    secret = capsys.readouterr().out.split()[-1]
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_create_api_token_for_an_unknown_email(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody@example.com")
