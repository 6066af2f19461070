import pytest


@pytest.fixture(autouse=True)
def _forget_login_failures():
    """Log-in failures and reset mails are counted in the shared cache (Redis,
    profiles/throttle.py): each test starts without any, and leaves none behind for the
    next app's tests, which log in from the same address."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
