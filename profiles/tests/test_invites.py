"""Making invitations: the profile's "Invite someone", `manage.py create_invite`, the admin."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from profiles.invites import create_invite
from profiles.models import Invite, User

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/accounts/invite/[\w-]+/)")


@pytest.fixture(autouse=True)
def invite_only(settings):
    settings.SIGNUP = "invite"


def signup_form_shown(path) -> bool:
    """Whether someone not signed in, following `path`, gets the sign-up form."""
    return 'name="password1"' in Client().get(path).content.decode()


# --- the profile page ---------------------------------------------------------------------

def test_the_profile_offers_invitations_only_when_sign_up_is_by_invitation(alice_client, settings):
    assert "Invite someone" in alice_client.get(reverse("profile")).content.decode()
    for mode in ("open", "closed"):
        settings.SIGNUP = mode
        assert "Invite someone" not in alice_client.get(reverse("profile")).content.decode()


def test_an_invitation_link_is_shown_once_and_works(alice_client, alice):
    response = alice_client.post(reverse("invite_create"), {"email": "dana@example.com"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("profile") + "#invites"
    assert "Your invitation for dana@example.com." in body
    path = LINK.search(body).group(1)

    again = alice_client.get(reverse("profile")).content.decode()
    assert path not in again  # shown once
    assert "dana@example.com" in again  # listed, with its revoke button
    invite = Invite.objects.get()
    assert invite.created_by == alice and invite.token_hash not in again
    assert reverse("invite_revoke", args=[invite.pk]) in again

    assert signup_form_shown(path)


def test_an_invitation_without_an_email_is_for_anyone_with_the_link(alice_client):
    alice_client.post(reverse("invite_create"), {"email": ""})
    body = alice_client.get(reverse("profile")).content.decode()
    assert "anyone with the link" in body
    assert Invite.objects.get().email == ""


def test_a_malformed_email_makes_no_invitation(alice_client):
    response = alice_client.post(reverse("invite_create"), {"email": "not an address"}, follow=True)
    assert "Enter a valid email address" in response.content.decode()
    assert not Invite.objects.exists()


def test_no_invitations_unless_sign_up_is_by_invitation(alice_client, settings):
    settings.SIGNUP = "open"
    assert alice_client.post(reverse("invite_create"), {"email": ""}).status_code == 404
    assert not Invite.objects.exists()


def test_revoking_an_invitation_kills_its_link(alice_client, alice):
    invite, token = create_invite(created_by=alice)
    path = reverse("signup_invite", args=[token])
    response = alice_client.post(reverse("invite_revoke", args=[invite.pk]), follow=True)
    assert "The invitation is revoked" in response.content.decode()
    assert not Invite.objects.exists()
    assert not signup_form_shown(path)


def test_another_persons_invitation_cannot_be_revoked_by_me(alice_client, charlie):
    invite, _ = create_invite(created_by=charlie)
    assert alice_client.post(reverse("invite_revoke", args=[invite.pk])).status_code == 404
    assert Invite.objects.filter(pk=invite.pk).exists()
    assert "Invite someone" in alice_client.get(reverse("profile")).content.decode()


def test_a_used_invitation_is_neither_listed_nor_revocable(alice_client, alice):
    invite, token = create_invite(created_by=alice, email="dana@example.com")
    Client().post(reverse("signup_invite", args=[token]), {
        "email": "dana@example.com", "password1": "a long pass phrase", "password2": "a long pass phrase"})
    assert User.objects.filter(email="dana@example.com").exists()

    page = alice_client.get(reverse("profile")).content.decode()
    assert reverse("invite_revoke", args=[invite.pk]) not in page
    assert alice_client.post(reverse("invite_revoke", args=[invite.pk])).status_code == 404


def test_anonymous_cannot_make_or_revoke_invitations(client, alice):
    invite, _ = create_invite(created_by=alice)
    for url in (reverse("invite_create"), reverse("invite_revoke", args=[invite.pk])):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Invite.objects.count() == 1


# --- manage.py create_invite ----------------------------------------------------------------

def test_the_command_prints_a_working_link(client):
    out = StringIO()
    call_command("create_invite", "--email", "dana@example.com", "--days", "3",
                 "--base-url", "https://jobmate.example.com/", stdout=out)
    printed = out.getvalue()
    assert "https://jobmate.example.com/accounts/invite/" in printed
    invite = Invite.objects.get()
    assert invite.created_by is None and invite.email == "dana@example.com"
    assert 2 < (invite.expires_at - invite.created_at).total_seconds() / 86400 <= 3

    body = client.get(LINK.search(printed).group(1)).content.decode()
    assert 'value="dana@example.com"' in body


def test_the_command_uses_the_trusted_origin_as_the_sites_address(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://jobs.example.org"]
    out = StringIO()
    call_command("create_invite", stdout=out)
    assert "https://jobs.example.org/accounts/invite/" in out.getvalue()


@pytest.mark.parametrize("args", [["--days", "0"], ["--email", "nope"]])
def test_the_command_refuses_nonsense(args):
    with pytest.raises(CommandError):
        call_command("create_invite", *args, stdout=StringIO())
    assert not Invite.objects.exists()


def test_the_command_warns_when_sign_up_is_not_by_invitation(settings):
    settings.SIGNUP = "closed"
    err = StringIO()
    call_command("create_invite", stdout=StringIO(), stderr=err)
    assert "SIGNUP is closed" in err.getvalue()


# --- the admin ------------------------------------------------------------------------------

def test_the_admin_adds_an_invitation_and_shows_its_link_once(admin_client, admin_user):
    response = admin_client.post(reverse("admin:profiles_invite_add"), {
        "email": "dana@example.com", "expires_at_0": "2099-01-01", "expires_at_1": "12:00:00",
    }, follow=True)
    body = response.content.decode()
    assert "Copy the invitation link now" in body
    invite = Invite.objects.get()
    assert invite.created_by == admin_user

    assert signup_form_shown(LINK.search(body).group(1))
    changelist = admin_client.get(reverse("admin:profiles_invite_changelist")).content.decode()
    assert "dana@example.com" in changelist and "usable" in changelist
