"""Shared checks for the emails the outbox sends."""

import re
from unittest import mock

from django.conf import settings

# A path standing on its own (at the start of a line or after a space): a link nobody can tap.
RELATIVE_LINK = re.compile(r"(?:^|\s)/\w", re.MULTILINE)


def assert_links_are_absolute(body: str, *paths: str) -> None:
    """Each path is in the body as a full link on the configured SITE_URL, and the body has
    no relative link at all."""
    assert settings.SITE_URL.startswith(("https://", "http://"))
    for path in paths:
        assert f"{settings.SITE_URL}{path}" in body, f"no absolute link to {path}"
    assert not RELATIVE_LINK.search(body), "a relative link in an email"


def mail_server_down(error: type[Exception] = ConnectionRefusedError):
    """The mail server refuses every message while this is active."""
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=error
    )
