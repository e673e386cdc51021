"""/healthz: for load balancers and monitoring, without login and without personal data."""

import time

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from remote_learning.celery import app as celery_app

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def dead_broker():
    configured = celery_app.conf.broker_url
    celery_app.conf.broker_url = DEAD_BROKER
    yield
    celery_app.conf.broker_url = configured


def test_it_reports_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    # No school yet, so no calendar: reported, without changing the service's status.
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "calendar": "missing",
    }


def test_it_needs_no_sign_in_and_sets_no_session(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_it_answers_a_user_who_has_not_set_up_two_step_verification(client, user_without_mfa):
    client.force_login(user_without_mfa)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_it_holds_no_personal_data_even_for_a_signed_in_caller(signed_in_client, staff_user):
    response = signed_in_client.get(reverse("healthz"))

    assert set(response.json()) == {"status", "database", "broker", "calendar"}
    body = response.content.decode()
    assert staff_user.email not in body
    assert staff_user.full_name not in body


def test_it_is_never_cached(client):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_accepts_only_safe_methods(client):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405


def test_a_dead_broker_degrades_it_quickly_without_failing_it(client, dead_broker):
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    elapsed = time.monotonic() - started

    assert elapsed < 5
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "broker": "unavailable",
        "calendar": "missing",
    }


def test_a_dead_database_reports_down_with_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("database is not answering")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "unavailable"
