import re

import pytest
from django.core import mail
from django.urls import reverse

from profiles.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_signup(settings):
    # These tests are about the open sign-up; invite and closed: test_signup_modes.py.
    settings.SIGNUP = "open"


APP_PAGES = ["home", "inbox", "board", "search_list", "task_list", "profile"]


def test_signup_creates_account_and_logs_in(client):
    response = client.post(
        reverse("signup"),
        {"email": "Dana@Example.com", "password1": "a long pass phrase", "password2": "a long pass phrase"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    user = User.objects.get()
    assert user.email == "Dana@example.com"
    assert response.context["user"] == user
    assert "Welcome to JobMate" in response.content.decode()


def test_signup_refuses_an_address_already_used_in_other_capitals(client, alice):
    response = client.post(
        reverse("signup"),
        {"email": "ALICE@example.com", "password1": "a long pass phrase", "password2": "a long pass phrase"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_keeps_the_email_when_passwords_differ(client):
    response = client.post(
        reverse("signup"),
        {"email": "erin@example.com", "password1": "a long pass phrase", "password2": "another phrase"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "didn’t match" in body
    assert 'value="erin@example.com"' in body
    assert not User.objects.exists()


def test_signup_refuses_a_weak_password(client):
    response = client.post(
        reverse("signup"),
        {"email": "erin@example.com", "password1": "password", "password2": "password"},
    )
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_login_with_email_in_any_case(client, alice, password):
    response = client.post(
        reverse("login"), {"username": "ALICE@Example.com", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("profile")).status_code == 200


def test_login_with_wrong_password_shows_an_error(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_logout_ends_the_session(alice_client):
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("profile")).status_code == 302


def test_password_change(alice_client, alice, password):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "new secret phrase", "new_password2": "new secret phrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("new secret phrase")


def test_password_reset_by_email(client, alice):
    client.post(reverse("password_reset"), {"email": alice.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh pass phrase", "new_password2": "fresh pass phrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("fresh pass phrase")


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("name", [page for page in APP_PAGES if page != "home"])
def test_anonymous_is_sent_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_home_is_the_landing_page(client):
    body = client.get(reverse("home")).content.decode()
    assert "Create your account" in body
    assert reverse("inbox") not in body


@pytest.mark.parametrize("name", APP_PAGES)
def test_signed_in_pages_show_the_navigation(alice_client, name):
    response = alice_client.get(reverse(name))
    body = response.content.decode()
    assert response.status_code == 200
    for label, target in [("Inbox", "inbox"), ("Board", "board"), ("Searches", "search_list"),
                          ("Tasks", "task_list"), ("Profile", "profile")]:
        assert f'href="{reverse(target)}"' in body and label in body
    # htmx is served from our own static files, with the CSRF token in its headers.
    assert "/static/vendor/htmx-2.0.11.min.js" in body
    assert 'hx-headers=\'{"x-csrftoken": "' in body


def test_messages_show_as_toasts(client):
    client.post(
        reverse("signup"),
        {"email": "dana@example.com", "password1": "a long pass phrase", "password2": "a long pass phrase"},
    )
    body = client.get(reverse("home")).content.decode()
    assert 'class="toast toast--success"' in body


def test_logged_in_user_visiting_signup_goes_home(alice_client):
    assert alice_client.get(reverse("signup"))["Location"] == reverse("home")


def test_profile_offers_a_bookmarklet_to_add_offers(alice_client):
    body = alice_client.get(reverse("profile")).content.decode()
    assert "javascript:void(window.open(&#x27;http://testserver/offers/add/?url=&#x27;+encodeURIComponent(location.href)))" in body


def test_the_bookmarklet_target_fills_in_the_link(alice_client):
    body = alice_client.get(reverse("offer_add"), {"url": "https://careers.example/jobs/7"}).content.decode()
    assert 'value="https://careers.example/jobs/7"' in body
