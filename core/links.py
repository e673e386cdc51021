"""Links that work outside the site: an email is read away from any request, so a path from
``reverse()`` means nothing there until it carries the site's address (``SITE_URL``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator


def site_url(path: str) -> str:
    """The absolute address of ``path`` (as ``reverse()`` returns it) on this site."""
    if not path.startswith("/"):
        raise ValueError("Give a path from the site's root, as reverse() returns it.")
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# Links staff add for families (to the work, say) are shown as links only when they are web
# addresses: a "javascript:" or "data:" address would run in the reader's browser.
WEB_SCHEMES = ("http", "https")
_web_address = URLValidator(schemes=list(WEB_SCHEMES))


def web_links(text: str) -> list[str]:
    """The lines of ``text`` that are web addresses (http or https), in order."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        try:
            _web_address(line)
        except ValidationError:
            continue
        found.append(line)
    return found


def web_links_validator(text: str) -> None:
    """Every non-blank line of ``text`` is a web address: one starting http:// or https://."""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            _web_address(line)
        except ValidationError:
            raise ValidationError(
                f"Line {number} is not a web address. Put one link a line, each starting "
                "https:// (or http://).",
                code="not_a_web_link",
            ) from None
