"""Who is acting, and from where: what services and the audit take instead of a request.

A service never sees the HTTP request. A view hands it ``Actor.of(request)``; a command or
the demo loader ``Actor.for_user(user)``; a scheduled job ``Actor.system()``.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class Actor:
    user: Any  # the signed-in user, AnonymousUser, or None for the service itself
    ip_address: str | None = None
    request_id: str = ""
    route: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> "Actor":
        match = getattr(request, "resolver_match", None)
        return cls(
            user=getattr(request, "user", None),
            # Behind the proxy (docker-compose, gunicorn) SecurityMiddleware trusts only
            # X-Forwarded-Proto, so this is the address Django was given.
            ip_address=request.META.get("REMOTE_ADDR") or None,
            request_id=getattr(request, "request_id", ""),
            route=match.view_name if match is not None else "",
        )

    @classmethod
    def for_user(cls, user: Any, *, route: str = "") -> "Actor":
        """A person's work done outside a request: a command, an import, the demo loader."""
        return cls(user=user, route=route)

    @classmethod
    def system(cls, *, route: str = "") -> "Actor":
        """The service itself: a scheduled job acting for nobody in particular."""
        return cls(user=None, route=route)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))
