"""Board speed: a person with 500 applications (every status) and 5,000 history rows, plus
contacts and interviews, opens the board, moves cards as the browser does (htmx), and opens
application pages.

    .venv/bin/python bench/board.py [N] [--lang=fr]

Server time is measured in-process around Django's handler (middleware, session, views,
queries, templates; no network). Goals: board page p95 <= 80 ms, move round trip p95 <= 30 ms,
application page p95 <= 50 ms, and the number of SQL queries the same for 50 and for N cards.
Uses the jobmate_bench database: never run it beside another benchmark."""

import gc
import random
import sys
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from discovery.identity import fingerprint  # noqa: E402
from discovery.models import Offer, SearchConfig  # noqa: E402
from profiles.models import User  # noqa: E402
from tracker.models import Application, ApplicationEvent, Contact, Interview  # noqa: E402

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
LANG = next((arg.split("=", 1)[1] for arg in sys.argv[1:] if arg.startswith("--lang=")), "en")
N = int(ARGS[0]) if ARGS else 500
SMALL = 50
EVENTS_PER_APPLICATION = 10  # 5,000 history rows for 500 applications
REQUESTS = 200
random.seed(12)
ROLES = ["Python Developer", "Backend Engineer", "Data Engineer", "Django Developer", "SRE", "Frontend Developer",
         "Product Designer", "QA Engineer", "Platform Engineer", "Engineering Manager"]
COMPANIES = ["Acme Corp", "Globex GmbH", "Initech", "Hooli Inc.", "Umbrella SA", "Stark Industries", "Wayne Ltd"]
CITIES = ["Paris", "Lyon", "Berlin", "Remote", "London", "Nantes", "Lisbon"]
DESCRIPTION = ("<p>We build <strong>Django</strong> services on PostgreSQL and Redis.</p>"
               "<ul><li>Python 3</li><li>Tests</li><li>Code review</li></ul>"
               "<p>Benefits: remote days, training budget.</p>") * 4
NOTE = "Called the recruiter.\nThey want a take-home exercise first; due Friday."
Status = Application.Status
# How many cards per status, as a board looks after a few months (every status present).
SPREAD = {Status.TO_APPLY: 30, Status.APPLIED: 25, Status.INTERVIEW: 12, Status.OFFER: 4, Status.HIRED: 1,
          Status.REJECTED: 15, Status.WITHDRAWN: 5, Status.GHOSTED: 8}
NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


def path_to(status: str) -> list[str]:
    """The statuses an application went through to reach `status`, as moves.py allows."""
    forward = list(Application.FORWARD)
    if status in forward:
        return forward[:forward.index(status) + 1]
    return [*forward[:random.choice([1, 2, 3])], status]  # closed from an open status


def person_with_applications(label: str, count: int) -> User:
    user = User.objects.create_user(email=f"{label}@example.com", password="bench-pass-123", language=LANG)
    SearchConfig.objects.create(user=user, name="Python", keywords=["python", "django"], location="Paris")
    statuses = random.choices(list(SPREAD), weights=list(SPREAD.values()), k=count)
    statuses[:len(SPREAD)] = list(SPREAD)  # each status at least once
    offers, applications, events, contacts, interviews = [], [], [], [], []
    for n in range(count):
        title, company, city = f"{random.choice(ROLES)} #{n}", random.choice(COMPANIES), random.choice(CITIES)
        offers.append(Offer(user=user, source="remotive", external_id=str(n), canonical_url=f"https://jobs.example/{label}/{n}",
                            title=title, company=company, location=city, remote=random.choice(["remote", "hybrid", ""]),
                            salary_min=40000 + n % 30000, salary_max=70000 + n % 30000, salary_currency="EUR",
                            description=DESCRIPTION, fingerprint=fingerprint(company, title, city), relevance=n % 100,
                            status=Offer.Status.APPROVED, created_at=NOW - timedelta(days=90, minutes=n),
                            decided_at=NOW - timedelta(days=89, minutes=n)))
    Offer.objects.bulk_create(offers)
    positions = dict.fromkeys(SPREAD, 0)
    for n, (offer, status) in enumerate(zip(offers, statuses)):
        path = path_to(status)
        start = NOW - timedelta(days=89, minutes=n)
        moments = sorted(start + timedelta(minutes=random.randint(1, 88 * 24 * 60))
                         for _ in range(EVENTS_PER_APPLICATION - 1))
        applied = Status.APPLIED in path
        application = Application(user=user, offer=offer, status=status, position=positions[status],
                                  rating=random.choice([None, 2, 3, 4, 5]),
                                  follow_up_on=(NOW + timedelta(days=random.randint(-5, 20))).date() if n % 3 else None,
                                  applied_on=moments[0].date() if applied else None,
                                  cover_letter="Dear hiring team,\n\nI would like to join you." if n % 2 else "",
                                  created_at=start, updated_at=moments[len(path) - 2] if len(path) > 1 else start)
        positions[status] += 1
        applications.append(application)
        events.append((application, ApplicationEvent(kind=ApplicationEvent.Kind.CREATED, to_status=Status.TO_APPLY,
                                                     created_at=start)))
        for (before, after), when in zip(pairwise(path), moments):
            events.append((application, ApplicationEvent(kind=ApplicationEvent.Kind.STATUS, from_status=before,
                                                         to_status=after, created_at=when)))
        for when in moments[len(path) - 1:]:
            kind = random.choice([ApplicationEvent.Kind.NOTE, ApplicationEvent.Kind.NOTE, ApplicationEvent.Kind.RATING])
            events.append((application, ApplicationEvent(kind=kind, note=NOTE if kind == "note" else "",
                                                         rating=4 if kind == "rating" else None, created_at=when)))
        if n % 4 == 0:
            contacts.append((application, Contact(name="Ada Recruiter", role="Talent partner",
                                                  email="ada@example.com", link="https://example.com/ada")))
        if status in (Status.INTERVIEW, Status.OFFER) or n % 10 == 0:
            interviews.append((application, Interview(starts_at=NOW + timedelta(days=random.randint(-10, 14), hours=n % 8),
                                                      time_zone="Europe/Paris", kind=Interview.Kind.VIDEO,
                                                      with_whom="Grace, engineering manager",
                                                      preparation="Read their engineering blog.")))
    Application.objects.bulk_create(applications)
    for rows, model in ((events, ApplicationEvent), (contacts, Contact), (interviews, Interview)):
        for application, row in rows:
            row.application = application
        model.objects.bulk_create([row for _, row in rows], batch_size=2000)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/board/")  # warm: templates compiled, connection open
    return client


HTMX = {"HX-Request": "true"}


def exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def measure(call, times: int, ok=(200,)) -> tuple[list[float], int]:
    """Server times (ms) of `times` calls, and the queries of the last one."""
    durations = []
    for i in range(times):
        with harness.Timer() as timer:
            if i == times - 1:
                with CaptureQueriesContext(connection) as queries:
                    response = call(i)
            else:
                response = call(i)
        assert response.status_code in ok, (response.status_code, response.content[:300])
        durations.append(timer.seconds * 1000)
    return durations, len(queries)


def scenario(user: User) -> dict:
    client = client_for(user)
    cards = list(Application.objects.filter(user=user).order_by("pk").values_list("pk", flat=True))
    # Round trips on cards "to apply": forward to "applied", then back (the mistake corrected).
    movable = list(Application.objects.filter(user=user, status=Status.TO_APPLY).order_by("pk")
                   .values_list("pk", flat=True)[:10])

    # In the middle of "applied": where a drag drops a card, between two others.
    middle = list(Application.objects.filter(user=user, status=Status.APPLIED).order_by("position", "-created_at", "pk")
                  .values_list("pk", flat=True))
    before = middle[len(middle) // 2]

    def move(i, drop=False):
        card, forward = movable[(i // 2) % len(movable)], i % 2 == 0
        data = ({"status": Status.APPLIED, "from": Status.TO_APPLY} if forward
                else {"status": Status.TO_APPLY, "from": Status.APPLIED})
        if drop:
            data["before"] = before if forward else ""
        # As board.js sends it: the card is the target, the board's address says its filters.
        return client.post(f"/applications/{card}/move/", data,
                           headers={**HTMX, "HX-Target": f"card-{card}", "HX-Current-URL": "http://testserver/board/"})

    results = {}
    if exists("/board/"):
        results["board page"] = measure(lambda i: client.get("/board/"), REQUESTS)
        results["board, filtered: rating >= 4"] = measure(lambda i: client.get("/board/", {"rating": 4}),
                                                          REQUESTS // 4)
    results["folded column opened: rejected"] = measure(
        lambda i: client.get("/board/", {"column": Status.REJECTED}, headers={**HTMX, "HX-Target": "cards-rejected"}),
        REQUESTS // 4)
    if exists(f"/applications/{cards[0]}/move/"):
        results["move round trip (htmx)"] = measure(move, REQUESTS)
        results["drag between two cards (htmx)"] = measure(lambda i: move(i, drop=True), REQUESTS)
    if exists(f"/applications/{cards[0]}/"):
        results["application page"] = measure(lambda i: client.get(f"/applications/{cards[i % len(cards)]}/"),
                                              REQUESTS)
    return results


# Production settings: pages name their static files through the collected manifest.
call_command("collectstatic", interactive=False, verbosity=0)
big = person_with_applications("big", N)
small = person_with_applications("small", SMALL)
with connection.cursor() as cursor:
    for table in ("discovery_offer", "tracker_application", "tracker_applicationevent", "tracker_contact",
                  "tracker_interview"):
        cursor.execute(f"VACUUM ANALYZE {table}")
events = ApplicationEvent.objects.filter(application__user=big).count()  # before the moves add theirs
# As jobmate/wsgi.py does when a server starts: what exists now is frozen, so full garbage
# collections walk only what the requests make (not the ~130,000 objects of this process).
gc.collect()
gc.freeze()
big_results, small_results = scenario(big), scenario(small)

print(f"JobMate board benchmark — {harness.machine()} — pages in {LANG}")
rows = []
for name, (durations, queries) in big_results.items():
    rows.append((name, f"{harness.median(durations):.1f} ms", f"{harness.percentile(durations, 0.95):.1f} ms",
                 queries, small_results[name][1]))
print(harness.table(f"{N:,} applications, {events:,} history rows ({REQUESTS} requests each; "
                    f"queries of one request vs {SMALL} cards)",
                    rows, ("request", "p50", "p95", f"SQL, {N:,}", f"SQL, {SMALL}")))

GOALS = [("board page", "board page p95 <= 80 ms", 80), ("move round trip (htmx)", "move p95 <= 30 ms", 30),
         ("drag between two cards (htmx)", "drag p95 <= 30 ms", 30),
         ("application page", "application page p95 <= 50 ms", 50)]
print()
for name, goal, limit in GOALS:
    if name not in big_results:
        print(f"Goal: {goal}: NOT MEASURED — the endpoint is not there yet")
        continue
    p95 = harness.percentile(big_results[name][0], 0.95)
    print(f"Goal: {goal}: {p95:.1f} ms {'ok' if p95 <= limit else 'MISSED'}")
different = [f"{name} ({big_results[name][1]} vs {small_results[name][1]})" for name in big_results
             if big_results[name][1] != small_results[name][1]]
print(f"Goal: query counts the same for {SMALL} and {N:,} cards: "
      f"{'ok' if not different else 'MISSED: ' + ', '.join(different)}")
