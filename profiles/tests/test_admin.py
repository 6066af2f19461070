import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_lists_and_searches_users(admin_client, alice, charlie):
    url = reverse("admin:profiles_user_changelist")
    body = admin_client.get(url, {"q": "alice"}).content.decode()
    assert "alice@example.com" in body
    assert "charlie@example.com" not in body


def test_admin_filters_users_by_staff_status(admin_client, admin_user, alice):
    root = admin_user
    body = admin_client.get(
        reverse("admin:profiles_user_changelist"), {"is_staff__exact": "0"}
    ).content.decode()
    assert reverse("admin:profiles_user_change", args=[alice.pk]) in body
    assert reverse("admin:profiles_user_change", args=[root.pk]) not in body


def test_admin_creates_a_user(admin_client, django_user_model):
    response = admin_client.post(
        reverse("admin:profiles_user_add"),
        {"email": "new@example.com", "usable_password": "true",
         "password1": "a long pass phrase", "password2": "a long pass phrase"},
    )
    assert response.status_code == 302
    assert django_user_model.objects.get(email="new@example.com").check_password("a long pass phrase")


def test_non_staff_cannot_open_the_admin(alice_client):
    response = alice_client.get(reverse("admin:profiles_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
