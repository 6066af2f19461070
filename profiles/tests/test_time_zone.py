"""A person's time zone: chosen on the profile, taken from the browser at sign-up, and the
one "today" and times are counted in on every page."""

import pytest
from django.urls import reverse

from profiles.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase"


@pytest.fixture(autouse=True)
def open_signup(settings):
    settings.SIGNUP = "open"


def _sign_up(client, **extra):
    return client.post(reverse("signup"), {"email": "dana@example.com", "password1": PASSWORD,
                                           "password2": PASSWORD, **extra})


def test_sign_up_keeps_the_browsers_time_zone(client):
    page = client.get(reverse("signup")).content.decode()
    assert 'name="time_zone"' in page and "data-browser-time-zone" in page  # filled in by app.js

    _sign_up(client, time_zone="America/Montreal")

    assert User.objects.get().time_zone == "America/Montreal"


@pytest.mark.parametrize("sent", ["Mars/Olympus_Mons", "", "<script>", "x" * 300])
def test_sign_up_with_an_unknown_time_zone_uses_the_sites(client, sent, settings):
    response = _sign_up(client, time_zone=sent)

    assert response.status_code == 302  # the account exists: the person never saw the field
    user = User.objects.get()
    assert user.time_zone == "" and user.zone.key == settings.TIME_ZONE


def test_the_profile_saves_a_time_zone(alice_client, alice):
    response = alice_client.post(reverse("profile_time_zone"), {"time_zone": "Europe/Paris"}, follow=True)

    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Paris"
    assert "Time zone saved: Europe/Paris." in response.content.decode()
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in response.content.decode()


def test_the_profile_refuses_an_unknown_time_zone_and_keeps_the_old_one(alice_client, alice):
    User.objects.filter(pk=alice.pk).update(time_zone="Asia/Tokyo")

    response = alice_client.post(reverse("profile_time_zone"), {"time_zone": "Europe/Atlantis"})

    assert response.status_code == 200 and "errorlist" in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Tokyo"


def test_the_time_zone_form_needs_a_login_and_a_post(client, alice_client):
    assert client.post(reverse("profile_time_zone"), {"time_zone": "Europe/Paris"}).status_code == 302
    assert alice_client.get(reverse("profile_time_zone")).status_code == 405
