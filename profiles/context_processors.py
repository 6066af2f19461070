from django.conf import settings


def signup(request):
    """How the landing and log-in pages offer a way in: a sign-up link only when SIGNUP is
    open, a word about invitations when it is invite, nothing when it is closed."""
    return {"signup_mode": settings.SIGNUP}
