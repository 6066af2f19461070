import pytest
from django.test import RequestFactory

from jobmate.redirects import next_url


@pytest.fixture(autouse=True)
def _host(settings):
    settings.ALLOWED_HOSTS = ["jobmate.example"]


def _post(next_value, *, secure=False):
    return RequestFactory().post("/tasks/x/cancel/", {"next": next_value}, secure=secure,
                                 HTTP_HOST="jobmate.example")


def test_next_url_keeps_the_person_on_this_site():
    assert next_url(_post("/search/?task=1"), "/tasks/") == "/search/?task=1"
    assert next_url(_post("https://evil.example/"), "/tasks/") == "/tasks/"
    assert next_url(_post("//evil.example/"), "/tasks/") == "/tasks/"
    assert next_url(_post(""), "/tasks/") == "/tasks/"


def test_next_url_never_leaves_https_for_http():
    assert next_url(_post("http://jobmate.example/inbox/", secure=True), "/tasks/") == "/tasks/"
    assert next_url(_post("https://jobmate.example/inbox/", secure=True), "/tasks/") == "https://jobmate.example/inbox/"
