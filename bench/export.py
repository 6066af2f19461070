"""Exports and import speed: a person with 500 applications (every status), 5,000 history
rows, contacts and interviews downloads their applications as CSV and all their data as
JSON; and a spreadsheet of 2,000 past applications is previewed and imported.

    .venv/bin/python bench/export.py [N] [--lang=fr]

Server time is measured in-process around Django's handler (middleware, session, view,
queries, and for the CSV the whole streamed body). Goal: each export of 500 applications
and 5,000 history rows <= 2 s. Uses a database of its own (jobmate_bench_export), so it may
run beside the other benchmarks."""

import csv
import gc
import io
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup(database="jobmate_bench_export")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discovery.identity import fingerprint  # noqa: E402
from discovery.models import Offer, SearchConfig  # noqa: E402
from profiles.models import User  # noqa: E402
from tracker import imports  # noqa: E402
from tracker.models import Application, ApplicationEvent, Contact, Interview  # noqa: E402

ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
LANG = next((arg.split("=", 1)[1] for arg in sys.argv[1:] if arg.startswith("--lang=")), "en")
N = int(ARGS[0]) if ARGS else 500
EVENTS_PER_APPLICATION = 10  # 5,000 history rows for 500 applications
REQUESTS = 20
IMPORT_ROWS = imports.MAX_ROWS
random.seed(7)
ROLES = ["Python Developer", "Backend Engineer", "Data Engineer", "Django Developer", "SRE", "Frontend Developer"]
COMPANIES = ["Acme Corp", "Globex GmbH", "Initech", "Hooli Inc.", "Umbrella SA", "Stark Industries"]
CITIES = ["Paris", "Lyon", "Berlin", "Remote", "London", "Nantes"]
DESCRIPTION = ("<p>We build <strong>Django</strong> services on PostgreSQL and Redis.</p>"
               "<ul><li>Python 3</li><li>Tests</li><li>Code review</li></ul>") * 4
NOTE = "Called the recruiter.\nThey want a take-home exercise first; due Friday."
Status = Application.Status
NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


def person_with_applications(count: int) -> User:
    user = User.objects.create_user(email="export@example.com", password="bench-pass-123", language=LANG,
                                    time_zone="Europe/Paris")
    search = SearchConfig.objects.create(user=user, name="Python", keywords=["python", "django"], location="Paris")
    offers = []
    for n in range(count):
        title, company, city = f"{random.choice(ROLES)} #{n}", random.choice(COMPANIES), random.choice(CITIES)
        offers.append(Offer(user=user, search_config=search, source="remotive", external_id=str(n),
                            canonical_url=f"https://jobs.example/{n}", title=title, company=company, location=city,
                            salary_min=40000, salary_max=60000, salary_currency="EUR", description=DESCRIPTION,
                            raw_data={"id": n, "tags": ["python", "django"]}, fingerprint=fingerprint(company, title, city),
                            relevance=n % 100, status=Offer.Status.APPROVED, created_at=NOW - timedelta(days=90)))
    Offer.objects.bulk_create(offers)
    applications = [Application(user=user, offer=offer, status=random.choice(Status.values),
                                rating=random.choice([None, 3, 4, 5]), applied_on=(NOW - timedelta(days=60)).date(),
                                follow_up_on=(NOW + timedelta(days=3)).date(), created_at=NOW - timedelta(days=89))
                    for offer in offers]
    Application.objects.bulk_create(applications)
    events, contacts, interviews = [], [], []
    for n, application in enumerate(applications):
        start = NOW - timedelta(days=89, minutes=n)
        events.append(ApplicationEvent(application=application, kind=ApplicationEvent.Kind.CREATED,
                                       to_status=Status.TO_APPLY, created_at=start))
        for k in range(1, EVENTS_PER_APPLICATION):
            kind = random.choice([ApplicationEvent.Kind.NOTE, ApplicationEvent.Kind.RATING, ApplicationEvent.Kind.STATUS])
            events.append(ApplicationEvent(application=application, kind=kind, note=NOTE if kind == "note" else "",
                                           from_status="to_apply" if kind == "status" else "",
                                           to_status="applied" if kind == "status" else "",
                                           rating=4 if kind == "rating" else None, created_at=start + timedelta(days=k)))
        if n % 3 == 0:
            contacts.append(Contact(application=application, name="Ada Recruiter", role="Talent partner",
                                    email="ada@example.com"))
        if n % 5 == 0:
            interviews.append(Interview(application=application, starts_at=NOW + timedelta(days=n % 14),
                                        time_zone="Europe/Paris", with_whom="Grace"))
    ApplicationEvent.objects.bulk_create(events, batch_size=2000)
    Contact.objects.bulk_create(contacts)
    Interview.objects.bulk_create(interviews)
    return user


def measure(call, times: int) -> tuple[list[float], int, int]:
    """Server times (ms) of `times` calls, the queries and the bytes of the last one."""
    durations = []
    for i in range(times):
        with CaptureQueriesContext(connection) as queries, harness.Timer() as timer:
            response = call()
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, (response.status_code, body[:300])
        durations.append(timer.seconds * 1000)
    return durations, len(queries), len(body)


def spreadsheet(rows: int) -> bytes:
    """A spreadsheet of past applications, as a person keeps one (French headers, semicolons)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Entreprise", "Poste", "Lien", "Statut", "Date de candidature", "Notes"])
    statuses = ["Candidature envoyée", "Entretien", "Refusée", "Sans réponse", ""]
    for n in range(rows):
        writer.writerow([random.choice(COMPANIES), f"{random.choice(ROLES)} {n}", f"https://careers.example/{n}",
                         random.choice(statuses), f"{1 + n % 28:02d}/{1 + n % 12:02d}/2025",
                         "Relancé par mail" if n % 2 else ""])
    return ("\ufeff" + out.getvalue()).encode()


call_command("collectstatic", interactive=False, verbosity=0)
user = person_with_applications(N)
with connection.cursor() as cursor:
    for table in ("discovery_offer", "tracker_application", "tracker_applicationevent", "tracker_contact",
                  "tracker_interview"):
        cursor.execute(f"VACUUM ANALYZE {table}")
events = ApplicationEvent.objects.filter(application__user=user).count()
client = Client()
client.force_login(user)
client.get("/board/")  # warm: templates compiled, connection open
gc.collect()
gc.freeze()

results = {
    "applications.csv": measure(lambda: client.get("/stats/export/applications.csv"), REQUESTS),
    "jobmate.json": measure(lambda: client.get("/stats/export/jobmate.json"), REQUESTS),
}

# Import: a fresh person, so that every row is new.
importer = User.objects.create_user(email="import@example.com", password="bench-pass-123", language=LANG)
data = spreadsheet(IMPORT_ROWS)
with harness.Timer() as preview_timer:
    preview = imports.preview(importer, data)
with harness.Timer() as import_timer:
    imported = imports.import_rows(importer, data)
with harness.Timer() as again_timer:
    again = imports.import_rows(importer, data)
assert preview.to_import == imported.added == IMPORT_ROWS and again.added == 0

print(f"JobMate exports benchmark — {harness.machine()} — language {LANG}")
rows = [(name, f"{harness.median(d):.0f} ms", f"{harness.percentile(d, 0.95):.0f} ms", queries, f"{size / 1024:,.0f} KiB")
        for name, (d, queries, size) in results.items()]
print(harness.table(f"{N:,} applications, {events:,} history rows ({REQUESTS} requests each)",
                    rows, ("export", "p50", "p95", "SQL", "size")))
print(harness.table(f"Import of a {IMPORT_ROWS:,}-row spreadsheet ({len(data) / 1024:,.0f} KiB)", [
    ("preview (read, check, compare)", f"{preview_timer.seconds * 1000:.0f} ms"),
    ("import (one transaction)", f"{import_timer.seconds * 1000:.0f} ms"),
    ("the same file again (adds nothing)", f"{again_timer.seconds * 1000:.0f} ms"),
], ("step", "time")))
print()
for name, (durations, _, _) in results.items():
    p95 = harness.percentile(durations, 0.95)
    print(f"Goal: {name} p95 <= 2 s: {p95 / 1000:.2f} s {'ok' if p95 <= 2000 else 'MISSED'}")
