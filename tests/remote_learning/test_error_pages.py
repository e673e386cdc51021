"""Friendly error pages, never a traceback (DEBUG is off in tests, as in production)."""

import io
import logging

import pytest
from django.test import Client
from django.urls import path, reverse

from remote_learning.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db


class DeliberateFailure(Exception):
    pass


def broken_view(request):
    raise DeliberateFailure("internal detail: pupil 1234 query failed")


# A test-only URLconf: the project's URLs plus one that fails.
urlpatterns = [path("broken/", broken_view), *project_urlpatterns]


def test_debug_is_off_for_these_tests(settings):
    assert settings.DEBUG is False


def test_an_unknown_address_shows_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Traceback" not in page
    assert "Using the URLconf" not in page


def test_a_signed_in_person_gets_the_same_not_found_page(signed_in_client):
    response = signed_in_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_shows_the_expired_form_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("account_login"), {"login": "someone@school.example", "password": "x"}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert "Nothing was saved" in page
    assert "CSRF" not in page


@pytest.mark.urls(__name__)
def test_a_failing_view_shows_something_went_wrong_without_details(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Traceback" not in page
    assert "DeliberateFailure" not in page
    assert "pupil 1234" not in page


@pytest.mark.urls(__name__)
def test_the_error_page_keeps_the_security_headers(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"]


@pytest.fixture
def server_log():
    """What the configured console handler writes: the lines operators will see."""
    (handler,) = [
        handler
        for handler in logging.getLogger("django.request").handlers
        if type(handler) is logging.StreamHandler
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.urls(__name__)
def test_a_failure_is_logged_with_its_request_id_but_not_its_query_string(client, server_log):
    client.raise_request_exception = False

    response = client.get("/broken/?email=someone@school.example")

    log = server_log.getvalue()
    (line,) = [line for line in log.splitlines() if "Internal Server Error" in line]
    assert f"[{response['X-Request-ID']}]" in line
    assert line.endswith("Internal Server Error: /broken/")
    assert "someone@school.example" not in log
