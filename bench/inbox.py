"""Inbox speed: a person with 10,000 pending offers opens the inbox, pages through it,
opens offers and approves them one by one, as the browser does (htmx fragments).

    .venv/bin/python bench/inbox.py [N] [--lang=fr]

Server time is measured in-process around Django's handler (middleware, session, views,
queries, templates; no network). Goals: page p95 <= 50 ms, approve p95 <= 30 ms, and the
number of SQL queries the same for 1,000 and for 10,000 offers."""

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discovery.ingest import normalise, store  # noqa: E402
from discovery.models import Offer, SearchConfig  # noqa: E402
from discovery.sources.base import FoundOffer  # noqa: E402
from profiles.models import User  # noqa: E402
from tracker.inbox import ORDER, PAGE_SIZE, Filters, after, encode_cursor  # noqa: E402
from tracker.inbox import offers as offers_of  # noqa: E402

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
# The language the person reads in (saved on their account, as the switcher does).
LANG = next((arg.split("=", 1)[1] for arg in sys.argv[1:] if arg.startswith("--lang=")), "en")
N = int(ARGS[0]) if ARGS else 10_000
SMALL = 1_000
REQUESTS = 200
random.seed(11)
ROLES = ["Python Developer", "Backend Engineer", "Data Engineer", "Django Developer", "SRE", "Frontend Developer",
         "Product Designer", "QA Engineer", "Platform Engineer", "Engineering Manager"]
COMPANIES = ["Acme Corp", "Globex GmbH", "Initech", "Hooli Inc.", "Umbrella SA", "Stark Industries", "Wayne Ltd"]
CITIES = ["Paris", "Lyon", "Berlin", "Remote", "London", "Nantes", "Lisbon"]
DESCRIPTION = ("<p>We build <strong>Django</strong> services on PostgreSQL and Redis.</p>"
               "<ul><li>Python 3</li><li>Tests</li><li>Code review</li></ul>"
               "<p>Benefits: remote days, training budget.</p>") * 4


def person_with_offers(label: str, count: int) -> User:
    user = User.objects.create_user(email=f"{label}@example.com", password="bench-pass-123", language=LANG)
    config = SearchConfig.objects.create(user=user, name="Python", keywords=["python", "django"], location="Paris")
    found = [FoundOffer(
        source=random.choice(["remotive", "remoteok", "arbeitnow", "weworkremotely"]),
        external_id=str(n), url=f"https://jobs.example/{label}/{n}",
        title=f"{random.choice(ROLES)} #{n}", company=random.choice(COMPANIES), location=random.choice(CITIES),
        remote=random.choice(["remote", "hybrid", ""]), salary_min=40000 + n % 30000, salary_max=70000 + n % 30000,
        salary_currency="EUR", description_html=DESCRIPTION, tags=["python"],
        posted_at=datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(minutes=n), raw={"id": n},
    ) for n in range(count)]
    store(user_id=user.pk, rows=[normalise(item) for item in found], config=config,
          skills=["Django", "PostgreSQL", "Redis"])
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/inbox/")  # warm: templates compiled, connection open
    return client


HTMX = {"HX-Request": "true"}


def measure(call, times: int) -> tuple[list[float], int]:
    """Server times (ms) of `times` calls, and the queries of the last one."""
    durations = []
    for i in range(times):
        with harness.Timer() as timer:
            if i == times - 1:
                with CaptureQueriesContext(connection) as queries:
                    response = call(i)
            else:
                response = call(i)
        assert response.status_code in (200, 302), response.status_code
        durations.append(timer.seconds * 1000)
    return durations, len(queries)


def scenario(user: User) -> dict:
    client = client_for(user)
    offers = list(Offer.objects.filter(user=user, status="pending").order_by(*ORDER)
                  .values_list("pk", flat=True)[:REQUESTS * 2])
    in_order = Offer.objects.filter(user=user, status="pending").order_by(*ORDER)
    cursor = encode_cursor(in_order[PAGE_SIZE - 1])
    deep_cursor = encode_cursor(in_order[in_order.count() // 2])
    results = {
        "inbox page": measure(lambda i: client.get("/inbox/"), REQUESTS),
        "next page (htmx)": measure(lambda i: client.get("/inbox/", {"after": cursor},
                                                         headers={**HTMX, "HX-Target": "load-more"}), REQUESTS),
        "a page half-way down": measure(lambda i: client.get("/inbox/", {"after": deep_cursor},
                                                             headers={**HTMX, "HX-Target": "load-more"}), REQUESTS),
        "filtered: text search": measure(lambda i: client.get("/inbox/", {"q": "engineer lyon"}), REQUESTS // 4),
        "open an offer (htmx)": measure(lambda i: client.get(f"/inbox/{offers[i]}/",
                                                             headers={**HTMX, "HX-Target": "offer-detail"}), REQUESTS),
        "approve (htmx)": measure(lambda i: client.post(f"/inbox/{offers[i]}/approve/",
                                                        headers={**HTMX, "HX-Target": "offer-detail"}), REQUESTS),
        "reject (htmx)": measure(lambda i: client.post(f"/inbox/{offers[REQUESTS + i]}/reject/",
                                                       headers={**HTMX, "HX-Target": "offer-detail"}), REQUESTS),
    }
    results["undo (htmx)"] = measure(lambda i: client.post("/inbox/undo/",
                                                           headers={**HTMX, "HX-Target": "inbox-workspace"}), 20)
    return results


# Production settings: pages name their static files through the collected manifest.
call_command("collectstatic", interactive=False, verbosity=0)
big = person_with_offers("big", N)
small = person_with_offers("small", SMALL)
# As autovacuum leaves a table that has been written to: statistics and visibility map up
# to date (the counts of the tabs are then read from the index alone).
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE discovery_offer")
big_results, small_results = scenario(big), scenario(small)

print(f"JobMate inbox benchmark — {harness.machine()} — pages in {LANG}")
rows = []
for name, (durations, queries) in big_results.items():
    rows.append((name, f"{harness.median(durations):.1f} ms", f"{harness.percentile(durations, 0.95):.1f} ms",
                 queries, small_results[name][1]))
print(harness.table(f"{N:,} pending offers ({REQUESTS} requests each; queries of one request vs {SMALL:,} offers)",
                    rows, ("request", "p50", "p95", f"SQL, {N:,}", f"SQL, {SMALL:,}")))

page_p95 = harness.percentile(big_results["inbox page"][0], 0.95)
approve_p95 = harness.percentile(big_results["approve (htmx)"][0], 0.95)
same = all(big_results[name][1] == small_results[name][1] for name in big_results)
print(f"\nGoal: page p95 <= 50 ms: {page_p95:.1f} ms {'ok' if page_p95 <= 50 else 'MISSED'}")
print(f"Goal: approve p95 <= 30 ms: {approve_p95:.1f} ms {'ok' if approve_p95 <= 30 else 'MISSED'}")
print(f"Goal: query count independent of the number of offers: {'ok' if same else 'MISSED'}")

middle = Offer.objects.filter(user=big, status="pending").order_by(*ORDER)[N // 2]
plan = after(offers_of(big, Filters()), (middle.relevance, middle.created_at, middle.pk)).only("id")[:51]
print("\nThe plan of a page half-way down:\n" + "\n".join(f"  {line}" for line in plan.explain(analyze=True).splitlines()))
