"""The coach under approvals: a person approves 100 offers; two real RQ workers on the `llm`
queue analyse them against a local OpenAI-compatible stub that takes 500 ms to answer.
Then every approval is undone and made again: the same inputs, so no request.

    .venv/bin/python bench/coach.py [N]

Printed: LLM requests for the first approvals and for the second (goal: N, then 0), the
wall time from the first approval until the last analysis is stored, and the tokens of one
analysis for a one-page profile and a typical offer (goal: <= 3,000 in, <= 1,500 out) —
both as coach/llm.py estimates them before sending and as the stub reports them (it counts
4 characters a token, as a typical tokenizer does for English). Uses its own database,
jobmate_bench_coach. The offline analyzer's speed is bench/coach_offline.py's."""

import json
import os
import sys
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LATENCY = 0.5
received: list[dict] = []


class Stub(BaseHTTPRequestHandler):
    """An OpenAI-compatible /chat/completions that answers a valid analysis after LATENCY."""

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        received.append(body)
        time.sleep(LATENCY)
        prompt = sum(len(message["content"]) for message in body["messages"])
        content = json.dumps({
            "score": 74, "verdict": "A good match on the stack; one must-have to check.",
            "strengths": ["Python and Django in production", "PostgreSQL"], "gaps": ["Kubernetes"], "risks": [],
            "must_haves_met": ["Python", "Django", "PostgreSQL"], "must_haves_missing": ["Kubernetes"],
            "seniority_fit": "match", "language_fit": "match",
            "cover_letter": "Dear team,\n\n" + "I have built Django services on PostgreSQL for five years. " * 12,
        })
        answer = json.dumps({
            "id": "chatcmpl-bench", "object": "chat.completion", "created": int(time.time()), "model": "bench-model",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt // 4, "completion_tokens": len(content) // 4,
                      "total_tokens": prompt // 4 + len(content) // 4},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
threading.Thread(target=server.serve_forever, daemon=True).start()
# The workers read these as the web process does: set before Django is.
os.environ.update({"LLM_BASE_URL": f"http://127.0.0.1:{server.server_port}/v1", "LLM_API_KEY": "",
                   "LLM_MODEL": "bench-model", "LLM_MONTHLY_TOKENS": "100000000"})

from bench import harness  # noqa: E402

harness.setup("jobmate_bench_coach")

import yaml  # noqa: E402

from coach import analysis, llm, prompts  # noqa: E402
from coach.models import Analysis, LlmCall  # noqa: E402
from coach.schemas import AnalysisAnswer  # noqa: E402
from discovery.models import Offer  # noqa: E402
from jobmate.tasks.models import Task  # noqa: E402
from profiles.entries import add_entry  # noqa: E402
from profiles.models import ProfileEntry, User, profile_for  # noqa: E402
from tracker import triage  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
FIXTURES = yaml.safe_load((Path(__file__).resolve().parent.parent / "coach/tests/fixtures/offline_pairs.yaml")
                          .read_text())


def person() -> User:
    """A one-page profile: a headline, a dozen skills, three jobs, a degree."""
    user = User.objects.create_user(email="bench@example.com", password="x", language="en")
    profile = profile_for(user)
    profile.full_name, profile.headline, profile.location = "Sam Rivera", "Backend developer, Python and Django", "Lyon"
    profile.skills = ["Python", "Django", "PostgreSQL", "Redis", "Celery", "Docker", "REST APIs", "Git", "Linux",
                      "pytest", "AWS", "English"]
    profile.save()
    jobs = [("Backend developer", "Kea Logistics", "2021-03-01", None,
             "Django REST APIs on PostgreSQL for 40 warehouses; Celery jobs; moved the stack to Docker on AWS."),
            ("Python developer", "Agence Pixel", "2018-09-01", "2021-02-01",
             "Django sites and internal tools for small businesses; tests with pytest; code reviews."),
            ("Intern, web development", "Université Lyon 1", "2018-02-01", "2018-07-01",
             "A Flask prototype for the library's room bookings.")]
    for title, organisation, start, end, description in jobs:
        add_entry(profile=profile, kind=ProfileEntry.Kind.EXPERIENCE, entry=ProfileEntry(
            title=title, organisation=organisation, start=date.fromisoformat(start),
            end=date.fromisoformat(end) if end else None, description=description))
    add_entry(profile=profile, kind=ProfileEntry.Kind.EDUCATION, entry=ProfileEntry(
        title="Master's in computer science", organisation="Université Lyon 1", end=date(2018, 9, 1)))
    return user


def offers(user) -> list[Offer]:
    postings = [offer for pair in FIXTURES for offer in pair["offers"] if len(offer.get("description", "")) > 300]
    return Offer.objects.bulk_create([
        Offer(user=user, source="manual", canonical_url=f"https://jobs.example/{n}", fingerprint=f"bench-{n}",
              title=posting["title"], company=posting.get("company", ""), location=posting.get("location", ""),
              description=posting["description"] * 2, status=Offer.Status.PENDING)
        for n, posting in enumerate(postings[n % len(postings)] for n in range(N))])


def wait_for_tasks(since: int) -> float:
    started = time.perf_counter()
    while Task.objects.filter(kind="coach.analyse", status__in=Task.ACTIVE).exists():
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    user = person()
    batch = offers(user)
    one = analysis.inputs_for(user, batch[0])
    estimate = llm.estimate(system=prompts.load("analysis", "en").text, data_blocks=analysis.data_blocks(one),
                            schema=AnalysisAnswer)
    workers = [harness.start_worker("llm") for _ in range(2)]
    time.sleep(3)  # the workers import Django and register
    try:
        started = time.perf_counter()
        decisions = []
        for offer in batch:  # one click each, as in the inbox
            decisions.append(triage.offers_approve(user=user, offer_ids=[offer.pk]))
        approved = time.perf_counter() - started
        wait_for_tasks(0)
        first_wall = time.perf_counter() - started
        first_requests = len(received)
        ready = Analysis.objects.filter(user=user, engine="llm", status="ready").count()

        for decision in decisions:
            triage.decision_undo(user=user, decision=decision)
        started = time.perf_counter()
        for offer in batch:
            triage.offers_approve(user=user, offer_ids=[offer.pk])
        wait_for_tasks(0)
        second_wall = time.perf_counter() - started
        second_requests = len(received) - first_requests
    finally:
        for worker in workers:
            worker.terminate()
    calls = LlmCall.objects.filter(user=user, outcome="ok")
    reported_in = max(calls.values_list("tokens_in", flat=True))
    reported_out = max(calls.values_list("tokens_out", flat=True))
    print(harness.machine())
    print(harness.table(f"{N} approvals, stub latency {LATENCY * 1000:.0f} ms, two workers on the llm queue", [
        ("approve each, then analyse", first_requests, ready, f"{approved:.1f} s", f"{first_wall:.1f} s"),
        ("undo all, approve each again", second_requests, "—", "", f"{second_wall:.1f} s"),
    ], ("run", "LLM requests", "LLM analyses ready", "approving", "wall time to the last analysis")))
    print(harness.table("Tokens of one analysis (goal: <= 3,000 in, <= 1,500 out)", [
        ("estimated before sending (coach/llm.py)", estimate.tokens_in, f"{estimate.tokens_out} (the answer's limit)"),
        ("reported by the stub (4 characters a token)", reported_in, reported_out),
    ], ("", "in", "out")))


main()
