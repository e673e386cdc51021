"""Who is acting, and from where: what services and the audit take instead of a request.

A service never sees the HTTP request. A view hands it ``Actor.of(request)``; a scheduled
job, a management command or the demo loader hands it ``Actor.system(user)``.
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
    def system(cls, user: Any = None, *, route: str = "") -> "Actor":
        """Work done outside a request, on behalf of ``user`` (or of nobody)."""
        return cls(user=user, route=route)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))
