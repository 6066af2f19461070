"""Personal access tokens: creation, lookup from a request, and the API middleware."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles.models import ApiToken, User

# Writing last_used_at on every request would turn each API read into a write.
_LAST_USED_PRECISION = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenNameTaken(Exception):
    """The person already has a token of that name (ignoring case)."""


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with its secret, which is never stored.
    Raises TokenNameTaken if one of their tokens has that name already."""
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(user=user, name=name.strip() or "API token",
                                            token_hash=_digest(secret), hint=secret[:8])
    except IntegrityError as error:
        if "api_token_name_unique_per_user" in str(error):
            raise TokenNameTaken(name) from None
        raise
    return token, secret


def user_for_token(secret: str) -> User | None:
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class ApiTokenMiddleware:
    """Under /api/, the user is whoever the Bearer token belongs to — never the session.

    API views are exempt from CSRF, so a browser's session cookie must not authenticate
    them. Place after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()
            header = request.headers.get("Authorization", "")
            scheme, _, secret = header.partition(" ")
            if scheme.lower() == "bearer" and secret.strip():
                request.user = user_for_token(secret.strip()) or AnonymousUser()
        return self.get_response(request)
