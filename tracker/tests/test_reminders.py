"""The morning reminder (`manage.py send_followups`): once per person and local day, in their
morning, language and time zone; nothing when nothing is due; off when they say so."""

import socket
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from jobmate.notifications.models import Notification
from profiles.models import User
from tracker.models import Interview

pytestmark = pytest.mark.django_db

# 18:30 UTC on Wednesday 2 December: 07:30 on Thursday 3 December in Auckland (UTC+13),
# 19:30 in Paris, 10:30 in Los Angeles.
NOW = datetime(2026, 12, 2, 18, 30, tzinfo=dt_timezone.utc)


def _person(email, zone, **fields):
    return User.objects.create_user(email=email, password="x", time_zone=zone, **fields)


def _send(*args) -> str:
    out = StringIO()
    call_command("send_followups", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_each_person_gets_one_email_in_their_own_morning_language_and_time_zone(apply):
    kiri = _person("kiri@example.com", "Pacific/Auckland", language="fr")
    # Thursday 3 December is Kiri's today: a follow-up due today and one overdue.
    apply(kiri, title="Développeuse Django", company="Kea", follow_up_on=datetime(2026, 12, 3).date())
    apply(kiri, title="Ingénieure data", company="Tui", follow_up_on=datetime(2026, 12, 1).date())
    interviewing = apply(kiri, status="interview", title="Lead Python", company="Weta")
    # 14:00 on Friday in Auckland.
    Interview.objects.create(application=interviewing, starts_at=datetime(2026, 12, 4, 1, 0, tzinfo=dt_timezone.utc),
                             time_zone="Pacific/Auckland", with_whom="Aroha")
    # In Los Angeles it is 10:30 on Wednesday: their follow-up is due tomorrow, not today.
    sam = _person("sam@example.com", "America/Los_Angeles")
    apply(sam, title="Backend engineer", follow_up_on=datetime(2026, 12, 3).date())

    with time_machine.travel(NOW, tick=False):
        out = _send()

    assert "1 people reminded, 1 by email." in out
    (email,) = mail.outbox
    assert email.to == ["kiri@example.com"]
    assert email.subject == "JobMate\u00a0: 3 choses à faire aujourd’hui"
    assert "jeudi 3 décembre" in email.body
    assert "Développeuse Django — Kea" in email.body
    assert "Ingénieure data — Tui (en retard depuis le 1 déc.)" in email.body
    # The interview at the time Kiri reads it: 14:00 on Friday, not 01:00 UTC.
    assert "vendredi 4 décembre, 14:00 · Lead Python — Weta" in email.body
    assert "http://localhost:8000/board/due/" in email.body
    assert "Pacific/Auckland" in email.body
    # The bell says it too, in whatever language it is read.
    (notification,) = Notification.objects.filter(user=kiri)
    assert notification.kind == Notification.Kind.DUE and notification.link == "/board/due/"
    assert str(notification.message) == "Today: 2 follow-ups due and 1 interview coming"
    assert not Notification.objects.filter(user=sam).exists()


def test_never_twice_the_same_local_day_and_again_the_next_morning(apply):
    kiri = _person("kiri@example.com", "Pacific/Auckland")
    apply(kiri, follow_up_on=datetime(2026, 12, 1).date())

    with time_machine.travel(NOW, tick=False):
        _send()
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):  # 12:30 the same Thursday
        assert "0 people reminded" in _send()
    assert len(mail.outbox) == 1
    with time_machine.travel(NOW + timedelta(hours=22), tick=False):  # 05:30 on Friday: not yet
        assert "0 people reminded" in _send()
    with time_machine.travel(NOW + timedelta(hours=24, minutes=30), tick=False):  # 08:00 on Friday
        assert "1 people reminded" in _send()
    assert len(mail.outbox) == 2
    kiri.refresh_from_db()
    assert kiri.followups_sent_on == datetime(2026, 12, 4).date()


def test_before_the_morning_nothing_is_sent(apply):
    paris = _person("paris@example.com", "Europe/Paris")
    apply(paris, follow_up_on=datetime(2026, 12, 2).date())
    with time_machine.travel(datetime(2026, 12, 2, 5, 0, tzinfo=dt_timezone.utc), tick=False):  # 06:00 in Paris
        assert "0 people reminded" in _send()
    with time_machine.travel(datetime(2026, 12, 2, 6, 5, tzinfo=dt_timezone.utc), tick=False):  # 07:05
        assert "1 people reminded" in _send()
    assert len(mail.outbox) == 1


def test_nothing_due_no_email(apply):
    kiri = _person("kiri@example.com", "Pacific/Auckland")
    apply(kiri, follow_up_on=datetime(2026, 12, 10).date())  # next week
    apply(kiri, status="rejected", follow_up_on=datetime(2026, 12, 1).date())  # closed: nothing to follow up
    far = apply(kiri, status="interview")
    Interview.objects.create(application=far, starts_at=NOW + timedelta(days=5))  # not today nor tomorrow
    with time_machine.travel(NOW, tick=False):
        assert "0 people reminded" in _send()
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_an_interview_tomorrow_is_reason_enough(apply):
    kiri = _person("kiri@example.com", "Pacific/Auckland")
    interviewing = apply(kiri, status="interview", title="Lead Python")
    Interview.objects.create(application=interviewing, starts_at=NOW + timedelta(days=1, hours=2))
    with time_machine.travel(NOW, tick=False):
        _send()
    (email,) = mail.outbox
    assert email.subject == "JobMate: 1 thing to do today"
    assert "Lead Python" in email.body


def test_a_person_who_turned_emails_off_gets_the_bell_only(apply):
    kiri = _person("kiri@example.com", "Pacific/Auckland", followup_emails=False)
    apply(kiri, follow_up_on=datetime(2026, 12, 3).date())
    with time_machine.travel(NOW, tick=False):
        assert "1 people reminded, 0 by email." in _send()
    assert mail.outbox == []
    assert Notification.objects.filter(user=kiri, kind=Notification.Kind.DUE).count() == 1


def test_the_dry_run_sends_and_records_nothing(apply):
    kiri = _person("kiri@example.com", "Pacific/Auckland")
    apply(kiri, follow_up_on=datetime(2026, 12, 3).date())
    with time_machine.travel(NOW, tick=False):
        assert "1 people would be reminded." in _send("--dry-run")
    kiri.refresh_from_db()
    assert mail.outbox == [] and kiri.followups_sent_on is None and not Notification.objects.exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_refuses_loses_no_reminder(apply, settings):
    kiri = _person("kiri@example.com", "Pacific/Auckland")
    apply(kiri, follow_up_on=datetime(2026, 12, 3).date())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", _closed_port(), False
    settings.EMAIL_TIMEOUT = 2
    out, err = StringIO(), StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("send_followups", stdout=out, stderr=err)
    assert "0 people reminded" in out.getvalue()
    assert "Email to kiri@example.com not sent; it will be tried again on the next run." in err.getvalue()
    kiri.refresh_from_db()
    assert kiri.followups_sent_on is None and not Notification.objects.exists()

    # The server is back an hour later: the reminder goes then.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert "1 people reminded, 1 by email." in _send()
    assert len(mail.outbox) == 1


def test_the_hourly_cron_entry_reminds_through_a_worker(apply, redis_conn):
    import django_rq
    from django_rq.cron import DjangoCronScheduler
    from rq import SimpleWorker

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("jobmate.cron")
    entry = {job.func_name: job for job in scheduler.get_jobs()}["tracker.reminders.send_followups_job"]
    assert entry.cron == "5 * * * *"  # each hour: everyone's morning comes in one of them

    kiri = _person("kiri@example.com", "Pacific/Auckland")
    apply(kiri, follow_up_on=datetime(2026, 12, 3).date())
    queue = django_rq.get_queue(entry.queue_name)
    with time_machine.travel(NOW, tick=False):
        job = queue.enqueue(entry.func)
        SimpleWorker([queue], connection=redis_conn).work(burst=True)
    assert job.return_value() == 1
    assert [email.to for email in mail.outbox] == [["kiri@example.com"]]
