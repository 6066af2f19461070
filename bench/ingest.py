"""Ingestion speed: 10,000 normalised offers through red flags, de-duplication and the bulk
insert (`discovery.ingest.store`), against a raw COPY of the same rows in the same run; and
the whole pipeline from what the sources found, normalising and sanitising included.

    .venv/bin/python bench/ingest.py [N]

Goal: store >= 0.3 × COPY (offers/s)."""

import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup()

from django.db import connection  # noqa: E402

from discovery.ingest import _COLUMNS, ingest, normalise, store  # noqa: E402
from discovery.models import Offer, SearchConfig  # noqa: E402
from discovery.sources.base import FoundOffer  # noqa: E402
from profiles.models import User  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
random.seed(7)
ROLES = ["Python Developer", "Backend Engineer", "Data Engineer", "Django Developer", "SRE", "Frontend Developer",
         "Product Designer", "QA Engineer", "Stage Développeur", "Engineering Manager"]
COMPANIES = ["Acme Corp", "Globex GmbH", "Initech", "Hooli Inc.", "Umbrella SA", "Stark Industries", "Wayne Ltd"]
CITIES = ["Paris", "Lyon", "Berlin", "Remote", "London", "Nantes", "Lisbon"]
DESCRIPTION = ("<p>We build <strong>Django</strong> services on PostgreSQL and Redis.</p>"
               "<ul><li>Python 3</li><li>Tests</li><li>Code review</li></ul>"
               "<script>alert(1)</script><p onclick='x()'>Benefits: remote days, training budget.</p>") * 3


def make_found(n: int) -> FoundOffer:
    return FoundOffer(
        source=random.choice(["remotive", "remoteok", "arbeitnow", "weworkremotely"]),
        external_id=str(n), url=f"https://jobs.example/{n}?utm_source=feed",
        title=f"{random.choice(ROLES)} #{n}", company=random.choice(COMPANIES), location=random.choice(CITIES),
        remote=random.choice(["remote", "hybrid", ""]), salary_min=40000 + n % 30000, salary_max=70000 + n % 30000,
        salary_currency="EUR", description_html=DESCRIPTION, tags=["python", "django"],
        posted_at=datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(minutes=n), raw={"id": n},
    )


found = [make_found(n) for n in range(N)]
ROUNDS = 3


def fresh_user(label: str) -> User:
    return User.objects.create_user(email=f"{label}-{time.monotonic_ns()}@example.com", password="bench-pass-123")


def copy_rows(user) -> float:
    rows = []
    for item in found:
        row = normalise(item)
        row.update(user_id=user.pk, search_config_id=None, also_found_on=[], relevance=0, relevance_details={},
                   status="pending", filter_reason="", is_manual=False, company_description="", why_us="",
                   created_at=datetime.now(timezone.utc))
        rows.append(row)
    with harness.Timer() as timer:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY discovery_offer ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([json.dumps(row[c]) if c in ("raw_data", "also_found_on", "relevance_details")
                                    else row[c] for c in _COLUMNS])
    return timer.seconds


# The machine is noisy: the measures alternate, each into a fresh account, ROUNDS times.
store_times, copy_times, ingest_times, again_times = [], [], [], []
for _ in range(ROUNDS):
    user = fresh_user("store")
    config = SearchConfig.objects.create(user=user, name="Bench", keywords=["python", "django"],
                                         red_flags=["stage", "php"], location="Paris")
    rows = [normalise(item) for item in found]
    with harness.Timer() as timer:
        report = store(user_id=user.pk, rows=rows, config=config)
    store_times.append(timer.seconds)
    assert Offer.objects.filter(user=user).count() == report.new == N
    # The same rows, already normalised, through COPY: the floor of what the database takes.
    copy_times.append(copy_rows(fresh_user("copy")))
    # From what the sources found: normalising and sanitising included.
    user = fresh_user("ingest")
    config.pk, config.user = None, user
    config.save()
    with harness.Timer() as timer:
        ingest(user_id=user.pk, found=found, config=config)
    ingest_times.append(timer.seconds)
    # The same batch again: everything is a duplicate.
    with harness.Timer() as timer:
        again = ingest(user_id=user.pk, found=found, config=config)
    again_times.append(timer.seconds)

store_s, copy_s, ingest_s, again_s = (harness.median(t) for t in (store_times, copy_times, ingest_times, again_times))
store_rate, copy_rate = N / store_s, N / copy_s
print(f"JobMate ingestion benchmark — {harness.machine()}")
print(harness.table(f"{N:,} offers, median of {ROUNDS} alternating rounds", [
    ("store: red flags + dedupe + relevance + insert", f"{store_s:.2f} s", f"{store_rate:,.0f}"),
    ("raw COPY of the same normalised rows", f"{copy_s:.2f} s", f"{copy_rate:,.0f}"),
    ("ingest from found offers (normalising included)", f"{ingest_s:.2f} s", f"{N / ingest_s:,.0f}"),
    ("ingest again (all duplicates)", f"{again_s:.2f} s", f"{N / again_s:,.0f}"),
], ("step", "time", "offers/s")))
print(f"\nnew {report.new:,}, filtered {report.filtered:,}; second run: new {again.new}, duplicates {again.duplicates:,}")
ratio = store_rate / copy_rate
print(f"\nGoal: store >= 0.3 x COPY: {ratio:.2f} {'ok' if ratio >= 0.3 else 'MISSED'}"
      f" (whole pipeline: {copy_s / ingest_s:.2f} x COPY)")
