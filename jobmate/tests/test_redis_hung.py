"""Redis hung (the process stopped with SIGSTOP, its socket still accepting): no request
blocks longer than REDIS_TIMEOUT + 0.5 s, whichever of the four uses of Redis it makes
(the queues, the cache, undo, /healthz)."""

import os
import signal
import time

import pytest
from django.urls import reverse

from discovery.models import Offer
from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db
REDIS_TIMEOUT = 1
BOUND = REDIS_TIMEOUT + 0.5


@pytest.fixture
def hang_redis(settings, throwaway_redis):
    """Point JobMate at a Redis of the test's own; calling the fixture's value stops it."""
    settings.REDIS_URL = throwaway_redis.url
    settings.REDIS_TIMEOUT = REDIS_TIMEOUT
    stopped = []

    def hang():
        os.kill(throwaway_redis.process.pid, signal.SIGSTOP)
        stopped.append(True)

    yield hang
    if stopped:
        os.kill(throwaway_redis.process.pid, signal.SIGCONT)


def test_no_request_waits_for_a_hung_redis_longer_than_its_timeout(alice_client, alice, hang_redis,
                                                                  django_capture_on_commit_callbacks):
    offers = [Offer.objects.create(user=alice, source="remotive", title=f"Python developer {n}", company="Acme",
                                   canonical_url=f"https://jobs.example/{n}", fingerprint=f"print-{n}")
              for n in range(3)]
    requests = {
        "healthz": lambda: alice_client.get(reverse("healthz")),
        "inbox": lambda: alice_client.get(reverse("inbox")),
        "approve (undo is kept in Redis)": lambda: alice_client.post(
            reverse("inbox_approve", args=[offers[0].pk]), HTTP_HX_REQUEST="true"),
        "reject": lambda: alice_client.post(reverse("inbox_reject", args=[offers[1].pk])),
        "undo": lambda: alice_client.post(reverse("inbox_undo")),
        "search page": lambda: alice_client.get(reverse("search")),
        "start a search (the queue)": lambda: alice_client.post(
            reverse("search"), {"keywords": "python", "sources": ["remotive"], "remote_policy": "any"}),
        "tasks": lambda: alice_client.get(reverse("task_list")),
    }
    alice_client.get(reverse("inbox"))  # templates compiled, connections made: time Redis alone
    alice_client.get(reverse("search"))
    hang_redis()
    timings = {}
    for name, call in requests.items():
        began = time.monotonic()
        # The enqueue waits for the commit, which ends the request: time both.
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        timings[name] = time.monotonic() - began
        assert response.status_code < 500 or name == "healthz", (name, response.status_code)
    assert all(seconds <= BOUND for seconds in timings.values()), timings

    # What could not reach Redis says so, and the decisions themselves went through.
    assert reverse("healthz") and alice_client.get(reverse("healthz")).json()["redis"] == "error"
    assert Offer.objects.get(pk=offers[0].pk).status == Offer.Status.APPROVED
    search = Task.objects.get(kind="discovery.scrape")
    assert search.status == Task.Status.FAILED and "Queue unavailable" in str(search.error)
