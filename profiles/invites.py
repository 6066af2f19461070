"""Invitations (SIGNUP=invite): making a one-time sign-up link, and signing up with it."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from profiles.forms import SignupForm
from profiles.models import Invite, User


class InviteUnusable(Exception):
    """The invitation was used, expired or withdrawn while the form was being filled in."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(invite: Invite) -> str:
    """Gives `invite` a new secret (stored hashed) and returns it: the only time it is seen."""
    token = secrets.token_urlsafe(24)
    invite.token_hash = _digest(token)
    return token


def create_invite(*, created_by: User | None, email: str = "",
                  days: int = Invite.DEFAULT_DAYS) -> tuple[Invite, str]:
    """An invitation valid for `days` days; returns it with its secret, which is never stored."""
    invite = Invite(created_by=created_by, email=email.strip(),
                    expires_at=timezone.now() + timedelta(days=days))
    token = new_token(invite)
    invite.save()
    return invite, token


def invite_for_token(token: str) -> Invite | None:
    """The invitation behind a link's secret, whatever its state; None for an unknown one."""
    return Invite.objects.filter(token_hash=_digest(token)).first()


def sign_up(*, form: SignupForm, invite: Invite | None) -> User:
    """Create the account of a valid sign-up form, using up `invite` (when one is needed).

    One transaction: the invitation is claimed with a conditional UPDATE whose row count
    must be 1, so of two people using one link at the same moment, the second waits for
    the first's commit, finds the invitation used and creates nothing."""
    with transaction.atomic():
        if invite is not None:
            now = timezone.now()
            claimed = Invite.objects.filter(pk=invite.pk, used_at__isnull=True, expires_at__gt=now)
            if claimed.update(used_at=now) != 1:
                raise InviteUnusable
        user = form.save()
        if invite is not None:
            Invite.objects.filter(pk=invite.pk).update(used_by=user)
    return user
