"""The device security declaration gate (policy sections 5.1 and 5.3)."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from declarations import urls
from declarations.services import DECLARATION_SESSION_KEY, declaration_gate_state, must_declare

Handler = Callable[[HttpRequest], HttpResponse]

# Pages reachable with an overdue declaration: the declaration itself (its namespace is the
# declaration page's, see declarations.urls), signing out, and the sign-in settings (a second
# factor, password).
DECLARATION_GATE_OPEN_NAMESPACES = frozenset({urls.app_name})
DECLARATION_GATE_OPEN_URL_NAMES = frozenset({"healthz", "account_logout"})
DECLARATION_GATE_OPEN_PREFIXES = ("account_", "mfa_")
# The gate's last answer is kept in the session, so most pages cost no query for it; it is
# asked again after this long, when the answer could have changed (a declaration expiring,
# the grace period ending), and as soon as the person declares (the declaration page clears
# it). A declaration made in another session shows here within this time.
DECLARATION_RECHECK_SECONDS = 300


def _declaration_gate_open(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return True
    if DECLARATION_GATE_OPEN_NAMESPACES & set(match.namespaces):
        return True
    name = match.url_name or ""
    return name in DECLARATION_GATE_OPEN_URL_NAMES or name.startswith(
        DECLARATION_GATE_OPEN_PREFIXES
    )


def _declaration_gate_answer(request: HttpRequest, now: float) -> dict[str, object]:
    """{"must": bool, "current_until": ts | None, "grace_ends": ts | None}, from the session
    while still good, else from the database (and kept in the session)."""
    cached = request.session.get(DECLARATION_SESSION_KEY)
    if cached is not None and 0 <= now - cached["checked"] < DECLARATION_RECHECK_SECONDS:
        if not cached["must"]:
            return cached
        if cached["current_until"] is not None and now < cached["current_until"]:
            return cached
        if cached["grace_ends"] is not None and now < cached["grace_ends"]:
            return cached
    answer: dict[str, object] = {
        "checked": now,
        "must": must_declare(request.user),
        "current_until": None,
        "grace_ends": None,
    }
    if answer["must"]:
        state = declaration_gate_state(user=request.user)
        if state.current:
            valid = datetime.timedelta(days=settings.DEVICE_DECLARATION_VALID_DAYS)
            answer["current_until"] = (state.latest.declared_at + valid).timestamp()
        else:
            answer["grace_ends"] = state.grace_ends.timestamp()
    request.session[DECLARATION_SESSION_KEY] = answer
    return answer


class DeviceDeclarationMiddleware:
    """Staff without a current device declaration see a reminder on every page (and a message
    when they sign in, see declarations.apps); once DEVICE_DECLARATION_GRACE_DAYS have
    passed they can only reach the declaration page, their sign-in settings and sign out.
    Goes after the authentication and MFA middleware, so the second factor comes first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not settings.DEVICE_DECLARATION_REQUIRED
            or _declaration_gate_open(request)
        ):
            return None
        now = timezone.now().timestamp()
        answer = _declaration_gate_answer(request, now)
        if not answer["must"] or answer["current_until"] is not None:
            return None
        grace_ends = answer["grace_ends"]
        if now < grace_ends:
            # For the banner (the context processor passes it to every page).
            request.device_declaration_due = {
                "grace_ends": datetime.datetime.fromtimestamp(grace_ends, tz=datetime.UTC)
            }
            return None
        url = reverse("dataprotection:declare")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
