"""Approve an offer in a real browser and watch its analysis arrive: the offline one at once,
the language model's when a real worker has asked the (local) model, on the application
page and on the board's card."""

import json

import pytest
from playwright.sync_api import expect

from coach.tests.conftest import StubLlm, completion
from profiles.models import profile_for
from tracker.models import Application

pytestmark = pytest.mark.slow

ANSWER = {
    "score": 91, "verdict": "Python and Django in production: a close match.",
    "strengths": ["Django REST APIs"], "gaps": [], "risks": [],
    "must_haves_met": ["Python", "Django"], "must_haves_missing": [],
    "seniority_fit": "match", "language_fit": "match",
    "cover_letter": "Dear Acme team,\n\nI build Django services.",
}


def test_approve_and_watch_the_analysis_arrive(browser_page, log_in, live_server, alice, make_offer, settings,
                                               web_server, worker_process):
    stub = StubLlm(web_server)
    # The model takes its time: the page shows that it is coming, then what it said.
    stub.answers = [(*completion(json.dumps(ANSWER)), 2.0)]
    llm = {"LLM_BASE_URL": stub.url, "LLM_API_KEY": "", "LLM_MODEL": "gpt-4o-mini"}
    for name, value in llm.items():
        setattr(settings, name, value)
    worker_process(env=llm)
    profile = profile_for(alice)
    profile.skills = ["Python", "Django"]
    profile.save()
    offer = make_offer(alice, title="Django Developer", company="Acme", relevance=90,
                       description="<h3>Requirements</h3><ul><li>Python</li><li>Django</li></ul>")
    page = browser_page
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{offer.pk}"]').wait_for()
    page.keyboard.press("a")
    page.locator(f"#offer-row-{offer.pk}").wait_for(state="detached")

    application = Application.objects.get(offer=offer)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    analysis = page.locator("#application-analysis")
    expect(analysis).to_contain_text("By JobMate's own analyzer")  # at once
    expect(analysis).to_contain_text("The language model is reading the offer and your profile…")
    # No reload: the part polls until the model's analysis is there, then stops.
    expect(analysis.locator(".analysis__verdict").first).to_have_text(
        "Python and Django in production: a close match.", timeout=30_000)
    expect(analysis.locator(".analysis__score").first).to_contain_text("91")
    expect(analysis).to_contain_text("Regenerate")
    assert len(stub.received) == 1

    page.goto(f"{live_server.url}/board/")
    expect(page.locator(f"#card-{application.pk} .board-card__score")).to_contain_text("91")
