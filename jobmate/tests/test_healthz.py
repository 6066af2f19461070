import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_both_services_up(client, redis_conn):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "workers": 0}


def test_healthz_counts_registered_workers(client, redis_conn):
    from django_rq import get_worker

    worker = get_worker("default")
    worker.register_birth()
    try:
        assert client.get(reverse("healthz")).json()["workers"] == 1
    finally:
        worker.register_death()


def test_healthz_is_503_when_redis_stops(client, settings, throwaway_redis):
    settings.REDIS_URL = throwaway_redis.url
    settings.REDIS_TIMEOUT = 1
    assert client.get(reverse("healthz")).status_code == 200

    throwaway_redis.stop()

    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "redis": "error", "workers": 0}


def test_healthz_needs_no_login_and_is_never_cached(client, redis_conn):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"]


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg")
