"""Links that work outside the site: an email is read away from any request, so a path from
``reverse()`` means nothing there until it carries the site's address (``SITE_URL``)."""

from django.conf import settings


def site_url(path: str) -> str:
    """The absolute address of ``path`` (as ``reverse()`` returns it) on this site."""
    if not path.startswith("/"):
        raise ValueError("Give a path from the site's root, as reverse() returns it.")
    return f"{settings.SITE_URL.rstrip('/')}{path}"
