"""Morning reminders: `send_followups` for 1,000 people, each with follow-ups due and an
interview tomorrow, spread over eight time zones whose morning has come, mailed through a
real SMTP server on loopback (a sink that accepts and drops every message).

    .venv/bin/python bench/followups.py [N]

Goal: 1,000 people in <= 30 s on one worker (the hourly cron job runs the same function in
one RQ job). Also printed: the run where every email goes to Django's in-memory backend
(our own cost alone), the SQL per person, and the second run of the same hour (nothing
sent, each person's day already claimed). Uses its own database, jobmate_bench_followups."""

import socket
import sys
import threading
import time
import warnings
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

with warnings.catch_warnings():
    # Python 3.11's own SMTP server (deprecated, still shipped): a sink for the bench only.
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

harness.setup("jobmate_bench_followups")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discovery.models import Offer  # noqa: E402
from jobmate.notifications.models import Notification  # noqa: E402
from profiles.models import User  # noqa: E402
from tracker.models import Application, ApplicationEvent, Interview  # noqa: E402
from tracker.reminders import send_followups  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
# 12:00 UTC on Wednesday 2 December: from 07:00 in New York to 23:00 in Sydney.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
ZONES = ["America/New_York", "Europe/London", "Europe/Paris", "Europe/Helsinki", "Asia/Dubai", "Asia/Kolkata",
         "Asia/Tokyo", "Australia/Sydney"]


class Sink(smtpd.SMTPServer):
    received = 0

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        Sink.received += 1


def start_sink() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Sink(("127.0.0.1", port), None, decode_data=False)
    threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.05}, daemon=True).start()
    return port


def populate() -> None:
    users = User.objects.bulk_create([
        User(email=f"person{n}@example.com", password="!", time_zone=ZONES[n % len(ZONES)],
             language="fr" if n % 3 == 0 else "en")
        for n in range(N)])
    offers = Offer.objects.bulk_create([
        Offer(user=user, source="remotive", canonical_url=f"https://jobs.example/{user.pk}/{k}",
              fingerprint=f"{user.pk}-{k}", title=f"Python Developer {k}", company=f"Company {k}", status="approved")
        for user in users for k in range(3)])
    applications = Application.objects.bulk_create([
        Application(user_id=offer.user_id, offer=offer, status="applied" if k < 2 else "interview",
                    applied_on=date(2026, 11, 20), follow_up_on=date(2026, 12, 1) if k < 2 else None,
                    created_at=NOW - timedelta(days=15))
        for k, offer in ((int(offer.fingerprint.rsplit("-", 1)[1]), offer) for offer in offers)])
    ApplicationEvent.objects.bulk_create([
        ApplicationEvent(application=application, kind="created", created_at=NOW - timedelta(days=15))
        for application in applications])
    Interview.objects.bulk_create([
        Interview(application=application, starts_at=NOW + timedelta(days=1), time_zone="Europe/Paris",
                  with_whom="The team")
        for application in applications if application.status == "interview"])


def run(label: str) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = send_followups(now=NOW)
        seconds = time.perf_counter() - started
    return seconds, len(queries), report


def reset() -> None:
    User.objects.update(followups_sent_on=None)
    Notification.objects.all().delete()


def main() -> None:
    populate()
    print(f"{harness.machine()}\n{N} people, each with 2 follow-ups due and an interview tomorrow, in {len(ZONES)} zones\n")
    rows = []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    seconds, queries, report = run("locmem")
    rows.append(("emails kept in memory", seconds, queries, report))
    seconds, queries, report = run("again")
    rows.append(("the same hour again", seconds, queries, report))
    reset()

    port = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    seconds, queries, report = run("smtp")
    rows.append(("SMTP on loopback", seconds, queries, report))

    print("| run | people reminded | emails | time | per person | SQL |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, seconds, queries, report in rows:
        per = f"{seconds / report.reminded * 1000:.1f} ms" if report.reminded else "—"
        print(f"| {label} | {report.reminded} | {report.emailed} | {seconds:.2f} s | {per} | {queries} |")
    print(f"\nThe SMTP sink received {Sink.received} messages. Goal: {N} people in <= 30 s.")


main()
