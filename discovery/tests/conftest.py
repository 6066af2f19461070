import pytest


@pytest.fixture(autouse=True)
def _forget_cached_board_answers():
    """Board answers are cached in Redis, shared between steps and workers: each test
    starts without any."""
    from django.core.cache import cache

    cache.clear()
