import pytest

from jobmate.tasks import lifecycle


@pytest.fixture
def start_task(django_capture_on_commit_callbacks):
    """lifecycle.start, with the enqueue that waits for the commit run at once (the test's
    transaction never commits)."""

    def start(user, kind="jobmate.sleep", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return lifecycle.start(kind, user=user, **kwargs)

    return start


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a lifecycle call whose enqueue waits for the commit."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call
