"""Security headers on every page: a strict CSP with a nonce, no caching of signed-in pages,
and a request id to find a request in the logs."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(response) -> str:
    (nonce,) = [
        value[len("'nonce-") : -1]
        for value in csp_directives(response)["script-src"]
        if value.startswith("'nonce-")
    ]
    return nonce


@pytest.fixture(params=["sign-in page", "home page", "not-found page", "reset page"])
def html_response(request, signed_in_client):
    match request.param:
        case "sign-in page":
            return Client().get(reverse("account_login"))
        case "home page":
            return signed_in_client.get(reverse("home"))
        case "not-found page":
            return signed_in_client.get("/no-such-page/")
        case "reset page":
            return Client().get(reverse("account_reset_password"))


def test_every_html_response_has_a_strict_content_security_policy(html_response):
    assert html_response["Content-Type"].startswith("text/html")
    directives = csp_directives(html_response)

    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert nonce_of(html_response)
    assert "'unsafe-inline'" not in html_response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in html_response["Content-Security-Policy"]


def test_every_html_response_refuses_to_be_framed(html_response):
    assert html_response["X-Frame-Options"] == "DENY"
    assert html_response["X-Content-Type-Options"] == "nosniff"
    assert html_response["Referrer-Policy"] == "same-origin"


def test_every_script_on_the_home_page_is_a_file_carrying_the_nonce(signed_in_client):
    response = signed_in_client.get(reverse("home"))
    nonce = nonce_of(response)
    scripts = SCRIPT.findall(response.content.decode())

    assert scripts, "the base layout loads Bootstrap and htmx"
    for attributes, body in scripts:
        assert f'nonce="{nonce}"' in attributes
        assert re.search(r'\bsrc="/static/[^"]+\.js"', attributes)
        assert body.strip() == ""


def test_the_nonce_is_new_for_every_response(signed_in_client):
    first = signed_in_client.get(reverse("home"))
    second = signed_in_client.get(reverse("home"))

    assert nonce_of(first) != nonce_of(second)


def test_no_inline_event_handlers_or_styles_on_the_home_page(signed_in_client):
    page = signed_in_client.get(reverse("home")).content.decode()

    assert not re.search(r"\son[a-z]+\s*=", page)
    assert not re.search(r"\sstyle\s*=", page)
    assert "javascript:" not in page


def test_signed_in_pages_may_not_be_stored_by_any_cache(signed_in_client):
    response = signed_in_client.get(reverse("home"))

    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_signed_in_error_pages_are_not_stored_either(signed_in_client):
    response = signed_in_client.get("/no-such-page/")

    assert "no-store" in response["Cache-Control"]


def test_every_response_carries_a_request_id(client, signed_in_client):
    for response in (
        client.get(reverse("account_login")),
        signed_in_client.get(reverse("home")),
        client.get(reverse("healthz")),
    ):
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    first = client.get(reverse("account_login"))
    second = client.get(reverse("account_login"))

    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_well_formed_request_id_from_the_proxy_is_kept(client):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "edge-4f1c2a9b-77"})

    assert response["X-Request-ID"] == "edge-4f1c2a9b-77"


@pytest.mark.parametrize(
    "incoming", ["short", "has spaces in it", "<script>alert(1)</script>", "a" * 65]
)
def test_a_malformed_request_id_is_replaced(client, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
