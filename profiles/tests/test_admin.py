import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x-y-z-123")
    client.force_login(admin)
    return client


def test_admin_lists_and_searches_users(admin_client_, alice, charlie):
    url = reverse("admin:profiles_user_changelist")
    body = admin_client_.get(url, {"q": "alice"}).content.decode()
    assert "alice@example.com" in body
    assert "charlie@example.com" not in body


def test_admin_filters_users_by_staff_status(admin_client_, alice, django_user_model):
    root = django_user_model.objects.get(email="root@example.com")
    body = admin_client_.get(
        reverse("admin:profiles_user_changelist"), {"is_staff__exact": "0"}
    ).content.decode()
    assert reverse("admin:profiles_user_change", args=[alice.pk]) in body
    assert reverse("admin:profiles_user_change", args=[root.pk]) not in body


def test_admin_creates_a_user(admin_client_, django_user_model):
    response = admin_client_.post(
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
