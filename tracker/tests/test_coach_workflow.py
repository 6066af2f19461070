"""Approving an offer starts its analysis: the offline one always, the language model's when
one is configured — never twice for the same inputs, never beyond the budget — shown on the
application page and the board card, rendered inert whatever the model writes."""

import json

import pytest

from coach.models import Analysis, LlmCall
from coach.tests.conftest import SERVER_ERROR, StubLlm, completion
from jobmate.notifications.models import Notification
from jobmate.tasks.models import Task
from tracker import triage
from tracker.models import Application

pytestmark = pytest.mark.django_db

DESCRIPTION = ("<h3>Your profile</h3><ul><li>3+ years of Python and Django</li><li>PostgreSQL</li></ul>"
               "<h3>Nice to have</h3><ul><li>Kubernetes</li></ul>")
ANSWER = {
    "score": 82, "verdict": "A strong match on Python and Django; Kubernetes is the one gap.",
    "strengths": ["Five years of Django"], "gaps": ["No Kubernetes"], "risks": [],
    "must_haves_met": ["Python", "Django", "PostgreSQL"], "must_haves_missing": [],
    "seniority_fit": "match", "language_fit": "unclear",
    "cover_letter": "Dear Acme team,\n\nI build Django services on PostgreSQL.",
}


@pytest.fixture
def stub_llm(settings, web_server, redis_conn):
    stub = StubLlm(web_server)
    settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = stub.url, "", "gpt-4o-mini"
    settings.LLM_PRICE_IN = settings.LLM_PRICE_OUT = None
    settings.LLM_MONTHLY_TOKENS = 2_000_000
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    return stub


@pytest.fixture
def profiled(alice):
    from profiles.models import profile_for

    profile = profile_for(alice)
    profile.skills = ["Python", "Django", "PostgreSQL"]
    profile.headline = "Backend developer"
    profile.save()
    return alice


def approve(user, offer, capture) -> Application:
    with capture(execute=True):
        (pk,) = triage.offers_approve(user=user, offer_ids=[offer.pk]).application_ids
    return Application.objects.get(pk=pk)


def test_without_an_llm_the_offline_analysis_is_on_the_page_and_the_card(
        profiled, alice_client, make_offer, run_worker, django_capture_on_commit_callbacks):
    offer = make_offer(profiled, title="Django Developer", description=DESCRIPTION)
    application = approve(profiled, offer, django_capture_on_commit_callbacks)
    task = Task.objects.get(user=profiled, kind="coach.analyse")
    assert task.params["offer_ids"] == [offer.pk]
    run_worker()

    (analysis,) = Analysis.objects.filter(offer=offer)
    assert (analysis.engine, analysis.status) == ("offline", "ready")
    assert analysis.score is not None and "Python" in " ".join(analysis.must_haves_met)
    page = alice_client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="application-analysis"' in page
    assert "No language model is configured on this JobMate" in page
    assert "Regenerate" not in page and "hx-trigger=\"every 2s\"" not in page
    board = alice_client.get("/board/").content.decode()
    assert 'board-card__score' in board and f"</span> {analysis.score}</span>" in board
    assert not LlmCall.objects.exists()


def test_the_llm_analysis_arrives_rings_the_bell_and_is_never_asked_twice(
        profiled, alice_client, make_offer, stub_llm, run_worker, django_capture_on_commit_callbacks):
    stub_llm.answers = [completion(json.dumps(ANSWER))]
    offer = make_offer(profiled, title="Django Developer", company="Acme", description=DESCRIPTION)
    with django_capture_on_commit_callbacks(execute=True):  # approved in the inbox, as a person does
        alice_client.post(f"/inbox/{offer.pk}/approve/")
    application = Application.objects.get(offer=offer)

    # Before the worker: the offline analysis at once, and the page waiting for the rest.
    page = alice_client.get(f"/applications/{application.pk}/").content.decode()
    assert "The language model is reading the offer and your profile…" in page
    assert f'hx-get="/applications/{application.pk}/analysis/"' in page
    assert alice_client.get(f"/applications/{application.pk}/analysis/").status_code == 200

    run_worker()

    llm_analysis = Analysis.objects.get(offer=offer, engine="llm")
    assert (llm_analysis.status, llm_analysis.score, llm_analysis.model) == ("ready", 82, "gpt-4o-mini-2024-07-18")
    assert (llm_analysis.tokens_in, llm_analysis.tokens_out) == (812, 236)
    fragment = alice_client.get(f"/applications/{application.pk}/analysis/")
    assert fragment.status_code == 286  # nothing more to wait for: polling stops
    html = fragment.content.decode()
    assert "A strong match on Python and Django" in html and "By the language model gpt-4o-mini-2024-07-18." in html
    assert "JobMate&#x27;s own reading (offline)" in html or "JobMate's own reading (offline)" in html
    assert "Regenerate" in html and "About " in html and " tokens" in html
    # The data blocks held the offer and the profile.
    (request,) = stub_llm.received
    data = request["messages"][-1]["content"]
    assert "Django Developer" in data and "PostgreSQL" in data and "Backend developer" in data
    (notification,) = Notification.objects.filter(user=profiled, kind="analysis")
    assert str(notification.message) == "Analysis ready: Django Developer — Acme"
    response = alice_client.get(f"/notifications/{notification.pk}/")
    assert response["Location"] == f"/offers/{offer.pk}/application/"
    assert alice_client.get(response["Location"])["Location"] == f"/applications/{application.pk}/"
    board = alice_client.get("/board/").content.decode()
    assert "</span> 82</span>" in board  # the card shows the model's score

    # Undo the approval, approve again: the same inputs, no second request.
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/inbox/undo/")
    assert not Application.objects.filter(offer=offer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/inbox/{offer.pk}/approve/")
    application = Application.objects.get(offer=offer)
    run_worker()
    assert len(stub_llm.received) == 1
    assert Analysis.objects.get(offer=offer, engine="llm").status == "ready"

    # Regenerate asks again, even with the same inputs.
    stub_llm.answers = [completion(json.dumps({**ANSWER, "score": 75}))]
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/applications/{application.pk}/analyse/")
    run_worker()
    assert len(stub_llm.received) == 2
    assert Analysis.objects.get(offer=offer, engine="llm").score == 75


def test_a_failed_llm_analysis_says_why_and_can_be_tried_again(
        profiled, alice_client, make_offer, stub_llm, run_worker, django_capture_on_commit_callbacks):
    stub_llm.answers = [SERVER_ERROR] * 4
    offer = make_offer(profiled, description=DESCRIPTION)
    application = approve(profiled, offer, django_capture_on_commit_callbacks)
    run_worker()

    assert Analysis.objects.get(offer=offer, engine="llm").status == "failed"
    assert Analysis.objects.get(offer=offer, engine="offline").status == "ready"  # the offline one stands
    page = alice_client.get(f"/applications/{application.pk}/").content.decode()
    assert "The language model&#x27;s analysis did not come:" in page or "The language model's analysis did not come:" in page
    assert "Try again" in page

    stub_llm.answers = [completion(json.dumps(ANSWER))]
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/applications/{application.pk}/analyse/", headers={"HX-Request": "true"})
    assert "The language model is reading the offer" in response.content.decode()
    run_worker()
    assert Analysis.objects.get(offer=offer, engine="llm").score == 82


def test_over_budget_no_request_leaves_and_the_page_says_so(
        profiled, alice_client, make_offer, stub_llm, settings, run_worker, django_capture_on_commit_callbacks):
    settings.LLM_MONTHLY_TOKENS = 10
    offer = make_offer(profiled, description=DESCRIPTION)
    application = approve(profiled, offer, django_capture_on_commit_callbacks)
    run_worker()

    assert stub_llm.received == []
    assert Analysis.objects.get(offer=offer, engine="llm").status == "failed"
    assert LlmCall.objects.get(user=profiled).outcome == "budget"
    page = alice_client.get(f"/applications/{application.pk}/").content.decode()
    assert "analysis did not come" in page and "budget" in page.lower()
    assert Analysis.objects.get(offer=offer, engine="offline").score is not None


def test_what_the_model_writes_is_shown_inert(
        profiled, alice_client, make_offer, stub_llm, run_worker, django_capture_on_commit_callbacks):
    stub_llm.answers = [completion(json.dumps({**ANSWER, "verdict": "<script>alert(1)</script> Good fit",
                                               "strengths": ["<img src=x onerror=alert(2)>"]}))]
    offer = make_offer(profiled, description=DESCRIPTION)
    application = approve(profiled, offer, django_capture_on_commit_callbacks)
    run_worker()
    page = alice_client.get(f"/applications/{application.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Good fit" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def test_another_persons_analysis_is_a_404(alice, charlie, client, make_offer, django_capture_on_commit_callbacks):
    offer = make_offer(charlie, description=DESCRIPTION)
    application = approve(charlie, offer, django_capture_on_commit_callbacks)
    client.force_login(alice)
    assert client.get(f"/applications/{application.pk}/analysis/").status_code == 404
    assert client.post(f"/applications/{application.pk}/analyse/").status_code == 404
    assert client.get(f"/offers/{offer.pk}/application/").status_code == 404


def test_with_the_queue_down_the_approval_stands_and_the_analysis_waits_for_it(
        profiled, alice_client, make_offer, redis_down, django_capture_on_commit_callbacks):
    offer = make_offer(profiled, description=DESCRIPTION)
    with django_capture_on_commit_callbacks(execute=True):
        triage.offers_approve(user=profiled, offer_ids=[offer.pk])
    assert Application.objects.filter(offer=offer).exists()
    task = Task.objects.get(kind="coach.analyse")
    # Not failed: due, for the watcher to hand to a worker once Redis answers.
    assert task.status == Task.Status.PENDING and task.retry_at is not None and task.rq_job_id == ""
    assert "starts as soon as it can be" in " ".join(str(entry.message) for entry in task.logs.all())
