"""Who may sign up: settings.SIGNUP = open | invite | closed, and invitation links."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from profiles.forms import SignupForm
from profiles.invites import InviteUnusable, create_invite, sign_up
from profiles.models import Invite, User

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def form_data(email="dana@example.com"):
    return {"email": email, "password1": "a long pass phrase", "password2": "a long pass phrase"}


def invite_url(token):
    return reverse("signup_invite", args=[token])


@pytest.fixture
def invite_only(settings):
    settings.SIGNUP = "invite"


@pytest.fixture
def closed(settings):
    settings.SIGNUP = "closed"


# --- the setting ------------------------------------------------------------------------

def _signup_setting(**env) -> subprocess.CompletedProcess:
    """settings.SIGNUP as a fresh process reads it from `env`."""
    environment = {name: value for name, value in os.environ.items() if name not in ("SIGNUP", "DEBUG")}
    environment.update(DATABASE_URL=django_settings.DATABASE_URL, REDIS_URL=django_settings.REDIS_URL,
                       SECRET_KEY="x", DJANGO_SETTINGS_MODULE="jobmate.settings", **env)
    code = "from django.conf import settings; print(settings.SIGNUP)"
    return subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("env, expected", [
    ({"DEBUG": "true"}, "open"),
    ({"DEBUG": "false"}, "invite"),
    ({"DEBUG": "false", "SIGNUP": ""}, "invite"),
    ({"DEBUG": "false", "SIGNUP": "open"}, "open"),
    ({"DEBUG": "true", "SIGNUP": " Closed "}, "closed"),
])
def test_the_setting_defaults_to_open_in_development_and_invite_otherwise(env, expected):
    result = _signup_setting(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_any_other_value_stops_the_app_with_a_message():
    result = _signup_setting(SIGNUP="invites")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SIGNUP='invites' is not one of open, invite, closed" in result.stderr


# --- closed -------------------------------------------------------------------------------

def test_closed_sign_up_says_the_operator_creates_accounts(client, closed):
    body = client.get(reverse("signup")).content.decode()
    assert "Accounts are created by the operator" in body
    assert "manage.py createsuperuser" in body
    assert 'name="password1"' not in body


def test_closed_sign_up_creates_nothing_even_when_posted_to(client, closed):
    client.post(reverse("signup"), form_data())
    assert not User.objects.exists()


def test_closed_landing_and_login_pages_offer_no_sign_up(client, closed):
    for name in ("home", "login"):
        body = client.get(reverse(name)).content.decode()
        assert reverse("signup") not in body, name
        assert "invitation" not in body, name


def test_an_invitation_link_does_not_open_a_closed_sign_up(client, closed):
    _, token = create_invite(created_by=None)
    client.post(invite_url(token), form_data())
    assert not User.objects.exists()


# --- invite -------------------------------------------------------------------------------

def test_without_an_invitation_the_page_says_sign_up_is_by_invitation(client, invite_only):
    body = client.get(reverse("signup")).content.decode()
    assert "Sign-up is by invitation" in body
    assert 'name="password1"' not in body
    client.post(reverse("signup"), form_data())
    assert not User.objects.exists()


def test_invite_only_landing_and_login_pages_offer_no_sign_up_link(client, invite_only):
    for name in ("home", "login"):
        body = client.get(reverse(name)).content.decode()
        assert reverse("signup") not in body, name
        assert "by invitation" in body, name


def test_open_landing_and_login_pages_offer_sign_up(client, settings):
    settings.SIGNUP = "open"
    for name in ("home", "login"):
        assert f'href="{reverse("signup")}"' in client.get(reverse(name)).content.decode(), name


def test_an_invitation_shows_the_form_with_its_email_filled_in(client, invite_only, alice):
    _, token = create_invite(created_by=alice, email="dana@example.com")
    body = client.get(invite_url(token)).content.decode()
    assert 'name="password1"' in body
    assert 'value="dana@example.com"' in body
    assert f'action="{invite_url(token)}"' in body


def test_signing_up_with_an_invitation_uses_it_up(client, invite_only, alice):
    invite, token = create_invite(created_by=alice)
    response = client.post(invite_url(token), form_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    dana = User.objects.get(email="dana@example.com")
    assert response.context["user"] == dana
    invite.refresh_from_db()
    assert invite.used_by == dana and invite.used_at is not None

    # The link works once.
    other = client.__class__()
    body = other.get(invite_url(token)).content.decode()
    assert "This invitation was already used" in body and 'name="password1"' not in body
    other.post(invite_url(token), form_data("erin@example.com"))
    assert not User.objects.filter(email="erin@example.com").exists()


def test_a_form_with_errors_keeps_the_invitation(client, invite_only):
    invite, token = create_invite(created_by=None)
    response = client.post(invite_url(token), {**form_data(), "password2": "something else"})
    assert response.status_code == 200 and "didn’t match" in response.content.decode()
    invite.refresh_from_db()
    assert invite.used_at is None
    client.post(invite_url(token), form_data())
    assert User.objects.filter(email="dana@example.com").exists()


def test_an_expired_invitation_is_refused(client, invite_only):
    invite, token = create_invite(created_by=None, days=1)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    body = client.get(invite_url(token)).content.decode()
    assert "This invitation has expired" in body and 'name="password1"' not in body
    client.post(invite_url(token), form_data())
    assert not User.objects.exists()


def test_an_unknown_invitation_is_refused(client, invite_only):
    body = client.get(invite_url("not-a-real-token")).content.decode()
    assert "This invitation link does not work" in body and 'name="password1"' not in body


def test_an_invitation_revoked_while_the_form_is_open_is_refused(client, invite_only):
    invite, token = create_invite(created_by=None)
    assert 'name="password1"' in client.get(invite_url(token)).content.decode()
    invite.delete()
    body = client.post(invite_url(token), form_data()).content.decode()
    assert "This invitation link does not work" in body
    assert not User.objects.exists()


def test_the_same_invitation_sent_twice_makes_one_account(client, invite_only):
    # Two tabs, or a double click: the second finds the invitation used.
    _, token = create_invite(created_by=None)
    first = client.post(invite_url(token), form_data("dana@example.com"))
    client.post(reverse("logout"))
    second = client.post(invite_url(token), form_data("erin@example.com"))
    assert first.status_code == 302
    assert "This invitation was already used" in second.content.decode()
    assert list(User.objects.values_list("email", flat=True)) == ["dana@example.com"]


@pytest.mark.django_db(transaction=True)
def test_two_people_using_one_invitation_at_the_same_moment_make_one_account(settings):
    """Both have read the invitation as usable; the first holds its transaction open while
    the second tries: the second's claim waits for the first's commit, then finds it used."""
    settings.SIGNUP = "invite"
    invite, _ = create_invite(created_by=None)
    first_claimed, outcome = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                sign_up(form=_valid_form("dana@example.com"), invite=Invite.objects.get(pk=invite.pk))
                first_claimed.set()
                threading.Event().wait(0.5)  # the second is now blocked on the invitation's row
        finally:
            connection.close()

    def second(stale_invite):
        first_claimed.wait(10)
        try:
            sign_up(form=_valid_form("erin@example.com"), invite=stale_invite)
            outcome["second"] = "account created"
        except InviteUnusable:
            outcome["second"] = "refused"
        finally:
            connection.close()

    stale = Invite.objects.get(pk=invite.pk)
    threads = [threading.Thread(target=first), threading.Thread(target=second, args=[stale])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcome == {"second": "refused"}
    assert list(User.objects.values_list("email", flat=True)) == ["dana@example.com"]
    invite.refresh_from_db()
    assert invite.used_by.email == "dana@example.com"


def _valid_form(email):
    form = SignupForm(form_data(email))
    assert form.is_valid(), form.errors
    return form


def test_open_sign_up_needs_no_invitation(client, settings):
    settings.SIGNUP = "open"
    client.post(reverse("signup"), form_data())
    assert User.objects.filter(email="dana@example.com").exists()
