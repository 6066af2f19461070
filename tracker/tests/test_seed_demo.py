"""`manage.py seed_demo`: a demo account with every part of JobMate, made from the sample
boards served in the command's own process, and safe to run again."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from discovery.models import Offer, SearchConfig
from jobmate.tasks.models import Task, TaskLog
from profiles.models import User
from tracker.models import Application

pytestmark = pytest.mark.django_db
JOBMATE_APPS = {"profiles", "discovery", "tracker", "tasks"}


@pytest.fixture(autouse=True)
def _redis(redis_conn):
    """The scrapes cache the boards' answers in Redis."""


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_password(out: str) -> str:
    return out.split("password: ")[1].split()[0]


def rows() -> dict[str, int]:
    """How many rows every JobMate table holds."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in JOBMATE_APPS}


def test_seed_demo_makes_an_account_that_shows_every_part_of_jobmate(client):
    out = seed()
    password = printed_password(out)
    assert "email:    demo@jobmate.local" in out and len(password) >= 12
    user = User.objects.get(email="demo@jobmate.local")
    assert client.login(username="demo@jobmate.local", password=password)

    assert user.profile.full_name and "Python" in user.profile.skills and user.profile.entries.count() >= 3
    assert SearchConfig.objects.filter(user=user).count() == 4
    offers = Offer.objects.filter(user=user)
    assert offers.filter(status=Offer.Status.PENDING).count() >= 8
    assert offers.filter(status=Offer.Status.FILTERED).exclude(filter_reason="").count() >= 3
    assert offers.exclude(also_found_on=[]).exists()  # the same job on two boards is one offer
    assert offers.filter(title__startswith="Développeur").exists()  # French and English
    assert offers.filter(title__contains="Engineer").exists()
    assert offers.filter(location__contains="Paris").exists() and offers.filter(location__contains="Lyon").exists()
    assert offers.filter(remote="remote", salary_min__isnull=False).exists()
    assert {status for status in Application.objects.filter(user=user).values_list("status", flat=True)} \
        == set(Application.Status.values)

    finished = Task.objects.get(user=user, status=Task.Status.COMPLETED)
    assert finished.kind == "discovery.scrape" and finished.counters["new"] == offers.count()
    failed = Task.objects.get(user=user, status=Task.Status.FAILED)
    assert "Greenhouse" in str(failed.error) and "brume" in str(failed.error)  # the closed board, named
    assert failed.logs.filter(level=TaskLog.Level.ERROR).exists()

    inbox = client.get("/inbox/").content.decode()
    pending = offers.filter(status=Offer.Status.PENDING).order_by("-relevance").first()
    assert pending.title in inbox
    board = client.get("/board/").content.decode()
    assert "Pixelle" in board and 'id="column-hired-count">1<' in board
    assert "Octave Conseil" in client.get("/board/?column=hired").content.decode()  # a folded column, opened


def test_seed_demo_twice_creates_nothing_new_and_leaves_other_accounts_alone(alice, password, make_offer):
    make_offer(alice, title="Alice's own offer")
    SearchConfig.objects.create(user=alice, name="Alice's search")
    alices_password = User.objects.get(pk=alice.pk).password

    first = printed_password(seed())
    after_first = rows()
    out = seed()
    second = printed_password(out)

    assert rows() == after_first
    assert "nothing created, nothing duplicated" in out
    demo = User.objects.get(email="demo@jobmate.local")
    assert second != first and demo.check_password(second) and not demo.check_password(first)
    assert User.objects.get(pk=alice.pk).password == alices_password
    assert list(Offer.objects.filter(user=alice).values_list("title", flat=True)) == ["Alice's own offer"]
    assert SearchConfig.objects.filter(user=alice).count() == 1


def test_a_second_run_keeps_what_the_person_changed():
    seed()
    demo = User.objects.get(email="demo@jobmate.local")
    demo.profile.full_name = "Sam Dupont"
    demo.profile.save()
    SearchConfig.objects.filter(user=demo, name="Data engineering, Lyon").update(keywords=["dbt"])
    SearchConfig.objects.filter(user=demo, name="Product design, remote").delete()
    Application.objects.filter(user=demo, offer__company="Sonar AI").delete()

    seed()

    demo.profile.refresh_from_db()
    assert demo.profile.full_name == "Sam Dupont"
    assert SearchConfig.objects.get(user=demo, name="Data engineering, Lyon").keywords == ["dbt"]
    assert SearchConfig.objects.filter(user=demo, name="Product design, remote").exists()  # back
    # The offer is still approved: its application was the person's to remove.
    assert not Application.objects.filter(user=demo, offer__company="Sonar AI").exists()
    assert Task.objects.filter(user=demo).count() == 2


def test_a_password_given_twice_is_kept_so_the_person_stays_signed_in():
    seed("--password", "a demo password")
    hashed = User.objects.get(email="demo@jobmate.local").password
    out = seed("--password", "a demo password")
    assert "password: a demo password" in out
    assert User.objects.get(email="demo@jobmate.local").password == hashed


def test_seed_demo_never_touches_an_account_it_did_not_make(alice):
    alices_password = alice.password
    with pytest.raises(CommandError, match="seed_demo did not make"):
        seed("--email", "ALICE@example.com")
    assert User.objects.get(pk=alice.pk).password == alices_password
    assert not SearchConfig.objects.filter(user=alice).exists()


@pytest.mark.parametrize("args, message", [
    (["--email", "not an address"], "is not an email address"),
    (["--password", "short"], "at least 8 characters"),
])
def test_bad_options_are_refused_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert not User.objects.exists()
