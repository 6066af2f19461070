"""Stats page speed: a person with 500 applications (every status, some moves corrected and
some applications reopened), 5,000 history rows, offers from several sources and saved
searches, and 12 weeks of rejected offers, opens the funnel picture (/stats/).

    .venv/bin/python bench/stats.py [N] [--lang=fr]

Server time is measured in-process around Django's handler (middleware, session, view,
queries, template; no network); the figures alone (tracker.stats.stats_for) and the history
read and replayed (histories_for) are timed too, to show where the time goes. Goals: stats
page p95 <= 150 ms, and the number of SQL queries the same for 50 and for N applications.
Uses a database of its own (jobmate_bench_stats), created fresh and dropped by the next run."""

import gc
import random
import sys
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup(database="jobmate_bench_stats")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discovery.models import Offer, SearchConfig  # noqa: E402
from profiles.models import User  # noqa: E402
from tracker import stats  # noqa: E402
from tracker.models import Application, ApplicationEvent  # noqa: E402

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
LANG = next((arg.split("=", 1)[1] for arg in sys.argv[1:] if arg.startswith("--lang=")), "en")
N = int(ARGS[0]) if ARGS else 500
SMALL = 50
EVENTS_PER_APPLICATION = 10  # 5,000 history rows for 500 applications
REJECTED_PER_APPLICATION = 1  # as many offers rejected in the inbox, over the last 12 weeks
REQUESTS = 200
random.seed(12)
SOURCES = ["remotive", "remoteok", "arbeitnow", "weworkremotely", "greenhouse", "lever", "ashby", "manual"]
Status = Application.Status
# How many applications per status, as a few months of searching leave them (every status present).
SPREAD = {Status.TO_APPLY: 30, Status.APPLIED: 25, Status.INTERVIEW: 12, Status.OFFER: 4, Status.HIRED: 1,
          Status.REJECTED: 15, Status.WITHDRAWN: 5, Status.GHOSTED: 8}
NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


def path_to(status: str) -> list[str]:
    """The statuses an application went through to reach `status`, as moves.py allows, with
    now and then a move corrected (forward and straight back) or a closing taken back."""
    forward = list(Application.FORWARD)
    if status in forward:
        path = forward[:forward.index(status) + 1]
    else:
        path = [*forward[:random.choice([1, 2, 3])], status]
    if len(path) > 2 and random.random() < 0.1:  # a slip: one step too far, and back
        i = random.randrange(1, len(path) - 1)
        path[i:i + 1] = [path[i], path[i + 1], path[i]]
    if status in Application.CLOSED[1:] and random.random() < 0.1:  # closed, reopened, closed again
        path += [path[-2], status]
    return path


def person_with_applications(label: str, count: int) -> User:
    user = User.objects.create_user(email=f"{label}@example.com", password="bench-pass-123", language=LANG,
                                    time_zone="Europe/Paris")
    searches = [SearchConfig.objects.create(user=user, name=name) for name in ("Python", "Django", "Data")]
    statuses = random.choices(list(SPREAD), weights=list(SPREAD.values()), k=count)
    statuses[:len(SPREAD)] = list(SPREAD)  # each status at least once
    offers, applications, events = [], [], []
    for n in range(count):
        source = random.choice(SOURCES)
        decided = NOW - timedelta(days=random.uniform(0, 100))
        offers.append(Offer(user=user, source=source, external_id=str(n), canonical_url=f"https://jobs.example/{label}/{n}",
                            title=f"Python Developer #{n}", company="Acme", fingerprint=f"{label}-{n}",
                            search_config=None if source == "manual" else random.choice(searches),
                            is_manual=source == "manual", status=Offer.Status.APPROVED,
                            created_at=decided - timedelta(hours=5), decided_at=decided))
    for n in range(count * REJECTED_PER_APPLICATION):
        decided = NOW - timedelta(days=random.uniform(0, 84))
        offers.append(Offer(user=user, source=random.choice(SOURCES[:-1]), canonical_url=f"https://jobs.example/{label}/r{n}",
                            title=f"Java Developer #{n}", company="Initech", fingerprint=f"{label}-r{n}",
                            search_config=random.choice(searches), status=Offer.Status.REJECTED,
                            created_at=decided - timedelta(hours=5), decided_at=decided))
    Offer.objects.bulk_create(offers)
    for offer, status in zip(offers, statuses):
        path = path_to(status)
        start = offer.decided_at
        room = max(1, int((NOW - start).total_seconds() // 60) - 1)
        moments = sorted(start + timedelta(minutes=random.randint(1, room)) for _ in range(EVENTS_PER_APPLICATION - 1))
        application = Application(user=user, offer=offer, status=status, created_at=start,
                                  updated_at=moments[min(len(path), len(moments)) - 1])
        applications.append(application)
        events.append((application, ApplicationEvent(kind=ApplicationEvent.Kind.CREATED, to_status=Status.TO_APPLY,
                                                     created_at=start)))
        for (before, after), when in zip(pairwise(path), moments):
            events.append((application, ApplicationEvent(kind=ApplicationEvent.Kind.STATUS, from_status=before,
                                                         to_status=after, created_at=when)))
        for when in moments[len(path) - 1:]:  # the rest of the ten: notes and ratings
            kind = random.choice([ApplicationEvent.Kind.NOTE, ApplicationEvent.Kind.RATING])
            events.append((application, ApplicationEvent(kind=kind, note="Called the recruiter." if kind == "note" else "",
                                                         rating=4 if kind == "rating" else None, created_at=when)))
    Application.objects.bulk_create(applications)
    for application, event in events:
        event.application = application
    ApplicationEvent.objects.bulk_create([event for _, event in events], batch_size=2000)
    return user


def measure(call, times: int) -> tuple[list[float], int]:
    """Times (ms) of `times` calls, and the queries of the last one."""
    durations = []
    for i in range(times):
        with harness.Timer() as timer:
            if i == times - 1:
                with CaptureQueriesContext(connection) as queries:
                    result = call()
            else:
                result = call()
        if hasattr(result, "status_code"):
            assert result.status_code == 200, (result.status_code, result.content[:300])
        durations.append(timer.seconds * 1000)
    return durations, len(queries)


def scenario(user: User) -> dict:
    client = Client()
    client.force_login(user)
    client.get("/stats/")  # warm: templates compiled, connection open
    return {
        "stats page": measure(lambda: client.get("/stats/"), REQUESTS),
        "figures alone (stats_for)": measure(lambda: stats.stats_for(user, now=NOW), REQUESTS),
        "history read and replayed (histories_for)": measure(lambda: stats.histories_for(user), REQUESTS),
    }


# Production settings: pages name their static files through the collected manifest.
call_command("collectstatic", interactive=False, verbosity=0)
big = person_with_applications("big", N)
small = person_with_applications("small", SMALL)
with connection.cursor() as cursor:
    for table in ("discovery_offer", "discovery_searchconfig", "tracker_application", "tracker_applicationevent"):
        cursor.execute(f"VACUUM ANALYZE {table}")
events = ApplicationEvent.objects.filter(application__user=big).count()
moves = ApplicationEvent.objects.filter(application__user=big, kind=ApplicationEvent.Kind.STATUS).count()
# As jobmate/wsgi.py does when a server starts (see bench/board.py).
gc.collect()
gc.freeze()
big_results, small_results = scenario(big), scenario(small)

print(f"JobMate stats benchmark — {harness.machine()} — pages in {LANG}")
rows = []
for name, (durations, queries) in big_results.items():
    rows.append((name, f"{harness.median(durations):.1f} ms", f"{harness.percentile(durations, 0.95):.1f} ms",
                 queries, small_results[name][1]))
print(harness.table(f"{N:,} applications, {events:,} history rows ({moves:,} status moves), "
                    f"{N * REJECTED_PER_APPLICATION:,} rejected offers ({REQUESTS} requests each; "
                    f"queries of one request vs {SMALL} applications)",
                    rows, ("request", "p50", "p95", f"SQL, {N:,}", f"SQL, {SMALL}")))
print()
p95 = harness.percentile(big_results["stats page"][0], 0.95)
print(f"Goal: stats page p95 <= 150 ms: {p95:.1f} ms {'ok' if p95 <= 150 else 'MISSED'}")
different = [f"{name} ({big_results[name][1]} vs {small_results[name][1]})" for name in big_results
             if big_results[name][1] != small_results[name][1]]
print(f"Goal: query counts the same for {SMALL} and {N:,} applications: "
      f"{'ok' if not different else 'MISSED: ' + ', '.join(different)}")
