"""Deployment checks for what the kernel needs from settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_site_url(**kwargs: object) -> list[CheckMessage]:
    """Links in emails are built from SITE_URL, so in production it must be an https address
    people can open."""
    url = urlsplit(getattr(settings, "SITE_URL", "") or "")
    if url.scheme == "https" and url.netloc and url.path in ("", "/"):
        return []
    return [
        Error(
            "SITE_URL must be the site's https address, e.g. https://remote-learning.school.example.",
            hint="Set the environment variable SITE_URL: every link in an email is built from it.",
            id="core.E001",
        )
    ]
