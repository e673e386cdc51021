"""Production settings (DJANGO_DEBUG=false), checked in a fresh interpreter: settings are read
once at start-up, so they cannot be switched inside this test process."""

import json
import os
import secrets
import string
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
ONE_YEAR = 60 * 60 * 24 * 365

# Runs inside the production-configured interpreter and prints what it saw as JSON.
PROBE = textwrap.dedent(
    """
    import json

    import django
    from django.conf import settings

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="school.example")

    def cookies(response):
        return {
            name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}
            for name, c in response.cookies.items()
        }

    plain = client.get("/accounts/login/")
    secure = client.get("/accounts/login/", secure=True)
    forwarded = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    health = client.get("/healthz")
    print(json.dumps({
        "debug": settings.DEBUG,
        "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
        "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
        "plain": {"status": plain.status_code, "location": plain.get("Location")},
        "secure": {
            "status": secure.status_code,
            "headers": dict(secure.headers),
            "cookies": cookies(secure),
            "body": secure.content.decode(),
        },
        "forwarded": {"status": forwarded.status_code},
        "health": {"status": health.status_code},
    }))
    """
)


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


@pytest.fixture(scope="module")
def module_production_env(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("production")
    # Without DATABASE_URL the SQLite file lives here, away from the developer's own database.
    (root / "var").mkdir()
    env = dict(os.environ)  # DATABASE_URL and REDIS_URL, when set, pass through
    # The browser tests set this for Playwright; it has no place in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="remote_learning.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=random_secret_key(),
        DJANGO_ALLOWED_HOSTS="school.example",
        DJANGO_STATIC_ROOT=str(root / "static"),
        DJANGO_VAR_DIR=str(root / "var"),
        # Password resets must reach people: production needs a mail server (mail.E001).
        EMAIL_HOST="smtp.school.example",
        # Links in emails are built from it; production needs an https one (core.E001).
        SITE_URL="https://school.example",
    )
    return env


@pytest.fixture
def production_env(module_production_env) -> dict[str, str]:
    return dict(module_production_env)


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_deploy_check_passes_with_no_warnings(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_when_production_cannot_send_email(production_env):
    del production_env["EMAIL_HOST"]

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


@pytest.mark.parametrize("site_url", [None, "", "http://school.example", "school.example"])
def test_the_deploy_check_fails_without_an_https_site_url(production_env, site_url):
    if site_url is None:
        del production_env["SITE_URL"]
    else:
        production_env["SITE_URL"] = site_url

    result = run(["manage.py", "check", "--deploy"], production_env)

    assert result.returncode != 0
    assert "core.E001" in result.stderr


@pytest.fixture(scope="module")
def probe(module_production_env) -> dict:
    # The manifest storage used in production needs collected static files to render a page.
    collect = run(["manage.py", "collectstatic", "--noinput"], module_production_env)
    assert collect.returncode == 0, collect.stderr
    result = run(["-c", PROBE], module_production_env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_serves_only_https_with_strict_headers(probe):
    assert probe["debug"] is False

    assert probe["plain"]["status"] == 301
    assert probe["plain"]["location"] == "https://school.example/accounts/login/"

    secure = probe["secure"]
    assert secure["status"] == 200
    headers = secure["headers"]
    hsts = {}
    for part in headers["Strict-Transport-Security"].split(";"):
        name, _, value = part.strip().partition("=")
        hsts[name] = value
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert "includeSubDomains" in hsts
    assert "'nonce-" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_production_cookies_are_secure_and_hidden_from_scripts(probe):
    assert probe["session_cookie_secure"] is True
    assert probe["csrf_cookie_secure"] is True
    cookies = probe["secure"]["cookies"]
    assert "csrftoken" in cookies, "the sign-in form sets the CSRF cookie"
    for name, flags in cookies.items():
        assert flags == {"secure": True, "httponly": True}, name


def test_production_pages_load_hashed_static_files(probe):
    body = probe["secure"]["body"]

    assert "/static/bootstrap/css/bootstrap.min." in body
    assert 'bootstrap.min.css"' not in body, "the manifest storage adds a content hash"


def test_production_trusts_https_reported_by_the_proxy(probe):
    assert probe["forwarded"]["status"] == 200


def test_the_health_check_answers_over_plain_http_for_the_load_balancer(probe):
    # Answered, not redirected to https: 200, or 503 when the database named by
    # DATABASE_URL (not the test database) does not exist on this machine.
    assert probe["health"]["status"] in (200, 503)


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(production_env, missing):
    del production_env[missing]

    result = run(["manage.py", "check"], production_env)

    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


def test_production_refuses_an_empty_allowed_hosts_list(production_env):
    production_env["DJANGO_ALLOWED_HOSTS"] = " , "

    result = run(["manage.py", "check"], production_env)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_a_misspelt_debug_flag_stops_start_up(production_env):
    production_env["DJANGO_DEBUG"] = "flase"

    result = run(["manage.py", "check"], production_env)

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr
