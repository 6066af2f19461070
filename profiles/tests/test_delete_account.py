"""Deleting an account (/profile/delete/, and the admin's delete): after the password,
every row and file of the person goes, their tasks stop, and they are signed out."""

from datetime import date, timedelta
from importlib import import_module

import django_rq
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rq.job import Job, JobStatus

from discovery.models import Offer, SearchConfig
from jobmate.notifications.models import Notification
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import Text
from jobmate.tasks.models import Task
from jobmate.tasks.registry import get_kind
from profiles.models import Invite, ProfileEntry, User, profile_for
from profiles.tokens import create_token
from tracker import records
from tracker.models import Application
from tracker.triage import offers_approve

pytestmark = pytest.mark.django_db

URL = reverse("account_delete")
PASSWORD = "a long pass phrase for dana"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def attachments(tmp_path):
    """A model of files stored for a person, as an app would have (a CV, say): its table is
    made for the test (and rolled back with it), its files go under `tmp_path`."""
    storage = FileSystemStorage(location=tmp_path)

    class Attachment(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        file = models.FileField(storage=storage, upload_to="attachments")

        class Meta:
            app_label = "profiles"

    with connection.schema_editor() as editor:
        editor.create_model(Attachment)
    yield Attachment
    del apps.all_models["profiles"]["attachment"]
    apps.clear_cache()


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy}


def sessions_of(user_id: int) -> list[str]:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return [session.session_key for session in Session.objects.all()
            if store().decode(session.session_data).get(SESSION_KEY) == str(user_id)]


def everything_of_dana(attachments, charlie, redis_conn) -> User:
    """Dana, a few weeks in: everything a person can have, and a file."""
    dana = User.objects.create_user(email="dana@example.com", password=PASSWORD, time_zone="Europe/Paris")
    profile = profile_for(dana)
    profile.full_name = "Dana Scully"
    profile.save()
    ProfileEntry.objects.create(profile=profile, kind="experience", position=0, title="Analyst")
    search = SearchConfig.objects.create(user=dana, name="Python", keywords=["python"])
    offer = Offer.objects.create(user=dana, search_config=search, source="remotive", title="Dev", company="Acme",
                                 canonical_url="https://jobs.example/dana/1", fingerprint="dana-1")
    Offer.objects.create(user=dana, source="remotive", title="Pending", company="Globex",
                         canonical_url="https://jobs.example/dana/2", fingerprint="dana-2")
    [application_id] = offers_approve(user=dana, offer_ids=[offer.pk]).application_ids
    records.application_add_note(user=dana, application_id=application_id, note="Called them.")
    records.application_rate(user=dana, application_id=application_id, rating=5)
    records.contact_add(user=dana, application_id=application_id, fields={"name": "Fox"})
    records.interview_add(user=dana, application_id=application_id,
                          fields={"starts_at": timezone.now() + timedelta(days=2), "time_zone": "Europe/Paris"})
    records.application_set_follow_up(user=dana, application_id=application_id, follow_up_on=date(2027, 1, 4))
    Notification.objects.create(user=dana, kind=Notification.Kind.TASK_FAILED, message=Text("failed"))
    create_token(user=dana, name="laptop")
    Invite.objects.create(created_by=dana, email="friend@example.com", expires_at=timezone.now() + timedelta(days=7),
                          token_hash="d" * 64)
    # The invitation Dana signed up with is Charlie's: it stays his, without her address.
    Invite.objects.filter(created_by=charlie).update(used_by=dana, used_at=timezone.now())
    attachments.objects.create(user=dana, file=ContentFile(b"%PDF-1.4 Dana's CV", name="cv.pdf"))
    return dana


@pytest.fixture
def before(attachments, charlie, redis_conn, make_charlies_data):
    """The database's counts before Dana came."""
    return counts()


@pytest.fixture
def make_charlies_data(attachments, charlie):
    SearchConfig.objects.create(user=charlie, name="Charlie's search")
    Invite.objects.create(created_by=charlie, email="dana@example.com", expires_at=timezone.now() + timedelta(days=7),
                          token_hash="c" * 64)
    attachments.objects.create(user=charlie, file=ContentFile(b"Charlie's CV", name="cv.pdf"))


@pytest.fixture
def running_task(redis_conn, django_capture_on_commit_callbacks):
    """Makes a task of `user` waiting in the queue, as an offer added by link a moment ago."""
    def make(user) -> Task:
        with django_capture_on_commit_callbacks(execute=True):  # enqueued when its row is committed
            task = lifecycle.start("discovery.add_by_url", user=user, params={"url": "https://jobs.example/x"})
        assert task.rq_job_id in queue_of(task).job_ids
        return task
    return make


def queue_of(task: Task):
    return django_rq.get_queue(get_kind(task.kind).queue)


def assert_nothing_of(dana_id: int, before: dict, attachments, tmp_files, *, operator_log: int = 0):
    after = counts()
    changed = {label: (before[label], after[label]) for label in after if after[label] != before.get(label)}
    changed.pop("sessions.Session", None)
    if operator_log:
        assert changed.pop("admin.LogEntry") == (before["admin.LogEntry"], before["admin.LogEntry"] + operator_log)
    assert changed == {}, "rows of the deleted person are left"
    assert not sessions_of(dana_id)
    assert [path.name for path in tmp_files.rglob("*") if path.is_file()] == ["cv.pdf"]  # Charlie's alone
    assert attachments.objects.get().user.email == "charlie@example.com"
    assert Invite.objects.get(created_by__email="charlie@example.com").email == ""


def test_the_page_says_what_goes_and_asks_for_the_password(client, attachments, charlie, redis_conn):
    dana = everything_of_dana(attachments, charlie, redis_conn)
    client.force_login(dana)
    html = client.get(URL).content.decode()
    assert 'type="password"' in html and "cannot be undone" in html
    assert reverse("export_data_json") in html
    profile = client.get(reverse("profile")).content.decode()
    assert 'id="danger-zone"' in profile and URL in profile


def test_a_wrong_password_deletes_nothing(client, attachments, charlie, redis_conn):
    dana = everything_of_dana(attachments, charlie, redis_conn)
    client.force_login(dana)
    response = client.post(URL, {"password": "not it"})
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=dana.pk).exists() and Application.objects.filter(user=dana).exists()
    assert client.post(URL, {}).status_code == 400


def test_deleting_with_the_password_leaves_no_row_or_file_and_signs_out(
        client, before, attachments, charlie, redis_conn, running_task, tmp_path, django_capture_on_commit_callbacks):
    dana = everything_of_dana(attachments, charlie, redis_conn)
    task = running_task(dana)
    client.force_login(dana)
    elsewhere = Client()
    elsewhere.force_login(dana)  # signed in on a phone too
    assert len(sessions_of(dana.pk)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    landing = client.get(response["Location"])
    assert "Your account and everything in it are deleted." in landing.content.decode()
    assert "_auth_user_id" not in client.session
    assert elsewhere.get(reverse("profile")).status_code == 302  # the phone is signed out too
    assert_nothing_of(dana.pk, before, attachments, tmp_path)
    # The task's job will never run.
    job = Job.fetch(task.rq_job_id, connection=django_rq.get_connection("default"))
    assert job.get_status() == JobStatus.CANCELED
    assert task.rq_job_id not in queue_of(task).job_ids


def test_too_many_wrong_passwords_make_the_person_wait(client, attachments, charlie, redis_conn):
    dana = everything_of_dana(attachments, charlie, redis_conn)
    client.force_login(dana)
    for _ in range(4):
        assert client.post(URL, {"password": "guess"}).status_code == 400
    response = client.post(URL, {"password": "guess"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many wrong passwords" in response.content.decode()
    # Even the right password waits: the form guesses nothing the log-in page would stop.
    assert client.post(URL, {"password": PASSWORD}).status_code == 429
    assert User.objects.filter(pk=dana.pk).exists()


def test_signed_out_people_are_sent_to_log_in(client):
    response = client.post(URL, {"password": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser(email="root@example.com", password="operator pass 123")


def test_an_operator_deleting_the_account_in_the_admin_leaves_no_row_or_file(
        client, operator, make_charlies_data, attachments, charlie, redis_conn, running_task, tmp_path,
        django_capture_on_commit_callbacks):
    client.force_login(operator)
    before = counts()
    dana = everything_of_dana(attachments, charlie, redis_conn)
    task = running_task(dana)
    Client().force_login(dana)
    page = client.get(reverse("admin:profiles_user_delete", args=[dana.pk]))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:profiles_user_delete", args=[dana.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert_nothing_of(dana.pk, before, attachments, tmp_path, operator_log=1)
    assert Job.fetch(task.rq_job_id, connection=django_rq.get_connection("default")).get_status() == JobStatus.CANCELED


def test_the_admins_bulk_delete_goes_the_same_way(client, operator, make_charlies_data, attachments, charlie, redis_conn,
                                                  tmp_path, django_capture_on_commit_callbacks):
    client.force_login(operator)
    before = counts()
    dana = everything_of_dana(attachments, charlie, redis_conn)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:profiles_user_changelist"),
                               {"action": "delete_selected", "_selected_action": [dana.pk], "post": "yes"})
    assert response.status_code == 302
    assert_nothing_of(dana.pk, before, attachments, tmp_path, operator_log=1)
