"""Log-in and password-reset throttling (profiles/throttle.py), through the real pages and
the real Redis behind the cache."""

import logging
import os
import signal
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from profiles import throttle

pytestmark = pytest.mark.django_db

HERE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def log_in(client, email, password, address=HERE, url=None, next=""):
    return client.post(url or reverse("login"), {"username": email, "password": password, "next": next},
                       REMOTE_ADDR=address)


def admin_log_in(client, email, password):
    return log_in(client, email, password, url=reverse("admin:login"), next=reverse("admin:index"))


def after_the_wait():
    return time_machine.travel(timezone.now() + timedelta(seconds=throttle.PERIOD + 60))


def test_thirty_wrong_passwords_then_even_the_right_one_waits_until_the_wait_is_over(client, alice, password):
    answers = [log_in(client, alice.email, f"guess {n}") for n in range(30)]

    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert "Please enter a correct" in answers[0].content.decode()
    # The fifth failure is the one too many: from then on, a wait, said plainly.
    assert {a.status_code for a in answers[4:]} == {429}
    body = answers[-1].content.decode()
    assert "Too many failed attempts to log in. Wait 15 minutes, then try again." in body
    assert 'name="password"' in body  # the form is still there, for after the wait
    assert 0 < int(answers[-1]["Retry-After"]) <= throttle.PERIOD

    right = log_in(client, alice.email, password)
    assert right.status_code == 429
    assert client.get(reverse("profile")).status_code == 302  # not logged in

    with after_the_wait():
        response = log_in(client, alice.email, password)
        assert response.status_code == 302 and response["Location"] == reverse("home")
        assert client.get(reverse("profile")).status_code == 200


def test_the_wait_counts_down(client, alice, password):
    for n in range(throttle.PAIR_LIMIT):
        log_in(client, alice.email, f"guess {n}")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = log_in(client, alice.email, password)
    assert response.status_code == 429
    assert "Wait 4 minutes" in response.content.decode()


def test_the_wait_holds_for_that_account_from_that_address_only(client, alice, charlie, password):
    for n in range(throttle.PAIR_LIMIT):
        log_in(client, alice.email, f"guess {n}")
    assert log_in(client, alice.email, password).status_code == 429

    # Alice from another address, and Charlie from the same one, are not held up.
    assert log_in(client, alice.email, password, address=ELSEWHERE).status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, charlie.email, password).status_code == 302


def test_the_account_is_counted_whatever_capitals_are_typed(client, alice, password):
    typed = ["alice@example.com", "ALICE@example.com", " Alice@Example.com", "alice@EXAMPLE.com", "aLiCe@example.com"]
    for n, email in enumerate(typed):
        log_in(client, email, f"guess {n}")
    assert log_in(client, alice.email, password).status_code == 429


def test_a_successful_log_in_clears_the_count(client, alice, password):
    for n in range(throttle.PAIR_LIMIT - 1):
        assert log_in(client, alice.email, f"guess {n}").status_code == 200
    assert log_in(client, alice.email, password).status_code == 302
    client.post(reverse("logout"))

    for n in range(throttle.PAIR_LIMIT - 1):
        assert log_in(client, alice.email, f"typo {n}").status_code == 200
    assert log_in(client, alice.email, password).status_code == 302


def test_unknown_accounts_count_like_known_ones(client):
    answers = [log_in(client, "nobody@example.com", f"guess {n}") for n in range(throttle.PAIR_LIMIT)]
    assert answers[-1].status_code == 429


def test_many_accounts_tried_from_one_address_make_the_address_wait(client, alice, password):
    answers = [log_in(client, f"user{n}@example.com", "guess") for n in range(throttle.ADDRESS_LIMIT)]

    assert {a.status_code for a in answers[:-1]} == {200}  # 49 typos across an office: nobody waits
    assert answers[-1].status_code == 429
    # Now everyone behind that address waits, even with the right password...
    assert log_in(client, alice.email, password).status_code == 429
    # ...but not from elsewhere.
    assert log_in(client, alice.email, password, address=ELSEWHERE).status_code == 302


def test_admin_log_in_is_throttled_too(client, admin_user):
    answers = [admin_log_in(client, admin_user.email, f"guess {n}") for n in range(10)]

    assert {a.status_code for a in answers[:4]} == {200}
    assert {a.status_code for a in answers[4:]} == {429}
    assert "Too many failed attempts to log in" in answers[-1].content.decode()
    assert admin_log_in(client, admin_user.email, "password").status_code == 429

    with after_the_wait():
        response = admin_log_in(client, admin_user.email, "password")
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_failures_on_the_admin_and_the_site_add_up(client, admin_user):
    for n in range(3):
        admin_log_in(client, admin_user.email, f"guess {n}")
    log_in(client, admin_user.email, "guess 3")
    assert log_in(client, admin_user.email, "guess 4").status_code == 429


def test_at_most_three_reset_mails_an_hour_and_the_page_never_says_so(client, alice, charlie):
    answers = [client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=HERE)
               for email in ["alice@example.com", "ALICE@example.com"] * 5]

    assert len(mail.outbox) == throttle.RESET_MAIL_LIMIT
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    # Another address still gets its mail.
    client.post(reverse("password_reset"), {"email": charlie.email})
    assert mail.outbox[-1].to == [charlie.email]


def test_an_unknown_address_gets_the_same_answer_before_and_after_the_limit(client):
    answers = [client.post(reverse("password_reset"), {"email": "nobody@example.com"}) for _ in range(5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert mail.outbox == []


# --- Redis unreachable: let people in ------------------------------------------------------

def point_the_cache_at(settings, server):
    """LOCATION and OPTIONS for Django's Redis cache, REDIS_URL and REDIS_TIMEOUT for
    jobmate.redis_connection's."""
    settings.REDIS_URL = server.url
    settings.REDIS_TIMEOUT = 1
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


@pytest.fixture
def cache_down(settings, throwaway_redis):
    """The cache points at a Redis that has stopped."""
    throwaway_redis.stop()
    point_the_cache_at(settings, throwaway_redis)


@pytest.fixture
def cache_hung(settings, throwaway_redis):
    """The cache points at a Redis that hangs (SIGSTOP: its socket accepts, nothing answers)."""
    point_the_cache_at(settings, throwaway_redis)
    os.kill(throwaway_redis.process.pid, signal.SIGSTOP)
    yield
    os.kill(throwaway_redis.process.pid, signal.SIGCONT)


def test_log_in_works_when_redis_is_down(client, alice, password, cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="profiles.throttle"):
        wrong = log_in(client, alice.email, "guess")
        right = log_in(client, alice.email, password)

    assert wrong.status_code == 200 and "Please enter a correct" in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == reverse("home")
    assert "Redis is unreachable" in caplog.text


def test_a_hung_redis_holds_a_log_in_up_for_one_timeout_at_most(client, alice, password, settings, cache_hung):
    client.get(reverse("login"))  # templates compiled: time Redis alone
    for attempt, status in (("guess", 200), (password, 302)):
        began = time.monotonic()
        assert log_in(client, alice.email, attempt).status_code == status
        assert time.monotonic() - began < settings.REDIS_TIMEOUT + 0.5, attempt


def test_reset_mail_goes_when_redis_is_down(client, alice, cache_down):
    response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


# --- the client address --------------------------------------------------------------------

def address_of(**meta):
    return throttle.client_address(RequestFactory().get("/", **meta))


def test_the_address_is_remote_addr_and_a_forwarded_header_is_ignored_by_default():
    assert address_of(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9") == "203.0.113.7"


def test_behind_a_proxy_the_last_forwarded_address_counts(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    # The first entry is whatever the client wrote; the proxy appended the last one.
    assert address_of(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert address_of(REMOTE_ADDR="10.0.0.2") == "10.0.0.2"


def test_an_ipv6_host_counts_as_its_whole_slash_64():
    assert address_of(REMOTE_ADDR="2001:db8:1:2::1") == address_of(REMOTE_ADDR="2001:db8:1:2:ffff::9") \
        == "2001:db8:1:2::/64"
    assert address_of(REMOTE_ADDR="::ffff:203.0.113.7") == "203.0.113.7"
