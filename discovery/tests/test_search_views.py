import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from discovery.models import Offer, SearchConfig
from jobmate.tasks.models import Task
from profiles.tokens import create_token

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def scrape_task(user, **fields):
    return Task.objects.create(user=user, kind="discovery.scrape", **fields)


def test_search_page_shows_the_form_and_attribution(alice_client):
    body = alice_client.get(reverse("search")).content.decode()
    assert 'name="keywords"' in body and 'value="remotive"' in body
    assert "Jobs from Remotive" in body and "Jobs from Remote OK" in body


def test_a_search_starts_a_task_and_returns_at_once(alice_client, alice, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("search"), {"keywords": "python, django", "location": "Paris",
                                                          "remote_policy": "remote", "sources": ["remotive", "remoteok"]})
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{reverse('search')}?task={task.pk}"
    assert task.params == {"keywords": ["python", "django"], "location": "Paris", "remote_policy": "remote",
                           "sources": ["remotive", "remoteok"]}
    page = alice_client.get(response["Location"]).content.decode()
    assert "Search queued" in page and 'hx-trigger="every 2s"' in page


def test_the_form_keeps_what_the_person_asked(alice_client, alice, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("search"), {"keywords": "golang, rust", "location": "Lyon",
                                                          "remote_policy": "remote", "sources": ["remoteok"]},
                                     follow=True)
    form = response.content.decode().split('class="card search-form"')[1].split("</form>")[0]
    assert 'value="golang, rust"' in form and 'value="Lyon"' in form
    assert '<option value="remote" selected>' in form
    # Only the board that was ticked is ticked again.
    assert re.search(r'<input type="checkbox" name="sources" value="remoteok"[^>]* checked>', form)
    for board in ("remotive", "arbeitnow", "weworkremotely"):
        assert not re.search(rf'<input type="checkbox" name="sources" value="{board}"[^>]* checked>', form), board


def test_the_form_shows_the_saved_search_that_ran(alice_client, alice):
    config = SearchConfig.objects.create(user=alice, name="Mine", keywords=["python"], sources=["remotive"])
    task = scrape_task(alice, status=Task.Status.RUNNING, params={"search_config_id": config.pk})
    page = alice_client.get(f"{reverse('search')}?task={task.pk}").content.decode()
    form = page.split('class="card search-form"')[1].split("</form>")[0]
    assert f'<option value="{config.pk}" selected>Mine</option>' in form


def test_a_search_without_keywords_keeps_the_input_and_says_why(alice_client):
    response = alice_client.post(reverse("search"), {"keywords": " , ", "location": "Lyon", "remote_policy": "any",
                                                      "sources": ["remotive"]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Type at least one keyword" in body and 'value="Lyon"' in body
    assert not Task.objects.exists()


def test_another_persons_saved_search_cannot_be_run(alice_client, charlie):
    theirs = SearchConfig.objects.create(user=charlie, name="Theirs", keywords=["x"], sources=["remotive"])
    response = alice_client.post(reverse("search"), {"saved_search": theirs.pk, "remote_policy": "any"})
    assert "Select a valid choice" in response.content.decode()
    assert not Task.objects.exists()


def test_running_fragment_polls_and_finished_fragment_stops_with_the_offers(alice_client, alice):
    task = scrape_task(alice, status=Task.Status.RUNNING, started_at=timezone.now(), progress_done=2,
                       progress_total=6, counters={"found": 12}, params={"keywords": ["python"]})
    offer = Offer.objects.create(user=alice, source="remotive", canonical_url="https://x.test/1", title="Python Dev",
                                 fingerprint="a", relevance=80)
    url = f"{reverse('search')}?task={task.pk}"
    response = alice_client.get(url, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Searching the boards… 12 offers found" in body and "Python Dev" in body and 'hx-trigger="every 2s"' in body

    Task.objects.filter(pk=task.pk).update(status=Task.Status.COMPLETED, counters={"found": 12, "new": 1},
                                           result={"new_offer_ids": [offer.pk]})
    response = alice_client.get(url, **HTMX)
    body = response.content.decode()
    assert response.status_code == 286
    assert "1 new offer found" in body and "Python Dev" in body and "every 2s" not in body
    assert f'href="/inbox/{offer.pk}/"' in body  # each offer opens in the inbox, to triage
    assert response["HX-Trigger"] == "task-finished"  # the navigation's inbox count follows


def test_results_name_the_board_as_it_calls_itself(alice_client, alice):
    offers = [Offer.objects.create(user=alice, source=source, canonical_url=f"https://x.test/{source}",
                                   title="Python Dev", fingerprint=source, relevance=50)
              for source in ("remoteok", "weworkremotely")]
    task = scrape_task(alice, status=Task.Status.COMPLETED, counters={"found": 2, "new": 2},
                       result={"new_offer_ids": [offer.pk for offer in offers]})
    body = alice_client.get(f"{reverse('search')}?task={task.pk}").content.decode()
    assert "via Remote OK" in body and "via We Work Remotely" in body
    assert "via remoteok" not in body and "via weworkremotely" not in body


def test_failed_search_offers_a_retry(alice_client, alice):
    task = scrape_task(alice, status=Task.Status.FAILED, error="Queue unavailable")
    body = alice_client.get(f"{reverse('search')}?task={task.pk}").content.decode()
    assert "The search failed." in body and reverse("search_retry", args=[task.pk]) in body


def test_another_persons_search_is_not_shown(alice_client, charlie):
    task = scrape_task(charlie, status=Task.Status.RUNNING)
    assert alice_client.get(f"{reverse('search')}?task={task.pk}")["Location"] == reverse("search")
    assert alice_client.get(f"{reverse('search')}?task=nonsense")["Location"] == reverse("search")
    assert alice_client.post(reverse("search_retry", args=[task.pk])).status_code == 404


def test_search_with_redis_down_says_so(transactional_db, client, django_user_model, redis_down):
    user = django_user_model.objects.create_user(email="dana@example.com", password="x-y-z-12345")
    client.force_login(user)
    response = client.post(reverse("search"), {"keywords": "python", "remote_policy": "any", "sources": ["remotive"]},
                           follow=True)
    assert response.status_code == 200
    assert "The search could not start" in response.content.decode()


# --- API --------------------------------------------------------------------------------------

@pytest.fixture
def api(client, alice):
    secret = create_token(user=alice, name="t")[1]

    def post(body, raw=None):
        return client.post("/api/v1/search", data=raw if raw is not None else json.dumps(body),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    return post


def test_api_search_is_202_with_a_task_id(api, alice, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api({"keywords": ["python"], "location": "Paris", "sources": ["remotive"]})
    assert response.status_code == 202
    document = response.json()
    assert document["status"] == "pending"
    assert Task.objects.get(pk=document["task_id"]).params["keywords"] == ["python"]


# The API validates with the page's form: its messages, per field, and all of them in "error".
@pytest.mark.parametrize("body, field, message", [
    ({}, "keywords", "Type at least one keyword"), ({"keywords": []}, "keywords", "Type at least one keyword"),
    ({"keywords": [1]}, "keywords", "Give a text, or a list of texts."),
    ({"keywords": "python", "sources": ["indeed"]}, "sources", "Unknown source “indeed”. Use: remotive"),
    ({"keywords": "python", "remote_policy": "mars"}, "remote_policy", "Unknown remote policy “mars”"),
    ({"keywords": ["a"] * 3 + [f"k{n}" for n in range(21)]}, "keywords", "At most 20, please (you gave 22)."),
])
def test_api_search_bad_input(api, body, field, message):
    response = api(body)
    document = response.json()
    assert response.status_code == 400 and message in document["fields"][field][0]
    assert message in document["error"]
    assert not Task.objects.exists()


def test_api_search_needs_json(api):
    assert api(None, raw="keywords=python").json()["error"] == "The body must be JSON."


def test_api_search_of_a_saved_search(api, alice, charlie, redis_conn, django_capture_on_commit_callbacks):
    mine = SearchConfig.objects.create(user=alice, name="Mine", keywords=["python"], sources=["remotive"])
    theirs = SearchConfig.objects.create(user=charlie, name="Theirs", keywords=["python"], sources=["remotive"])
    assert api({"search_config": theirs.pk}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert api({"search_config": mine.pk}).status_code == 202
    assert api({"search_config": mine.pk}).status_code == 409


def test_api_search_needs_a_token(client):
    assert client.post("/api/v1/search", data="{}", content_type="application/json").status_code == 401
