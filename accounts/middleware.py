"""Session rules for staff: idle and absolute time-outs, a second factor before any work, and
proof of identity again before changing how one signs in."""

import time
from collections.abc import Callable

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

Handler = Callable[[HttpRequest], HttpResponse]

SESSION_STARTED_KEY = "rl_started_at"
SESSION_LAST_SEEN_KEY = "rl_last_seen_at"
# Writing the session on every request would be a database write per click; a little slack
# in the idle clock costs nothing.
LAST_SEEN_RESOLUTION_SECONDS = 30


def _signed_out_response(request: HttpRequest, reason: str) -> HttpResponse:
    logout(request)
    messages.info(request, reason)
    login_url = reverse(settings.LOGIN_URL)
    # Read the header itself: django-htmx's middleware may run after this one.
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login_url
        return response
    return HttpResponseRedirect(login_url)


def session_timeouts(user: object) -> tuple[int, int]:
    """(idle, absolute) seconds for this account: carers' sessions are shorter than staff's."""
    if getattr(user, "is_carer", False):
        return settings.CARER_SESSION_IDLE_TIMEOUT, settings.CARER_SESSION_ABSOLUTE_TIMEOUT
    return settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"


class SessionLifetimeMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT idle or SESSION_ABSOLUTE_TIMEOUT in all
    (for a carer's account, CARER_SESSION_IDLE_TIMEOUT and CARER_SESSION_ABSOLUTE_TIMEOUT).

    A shared or unattended device (policy section 5.1) must not stay signed in.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            last_seen = session.get(SESSION_LAST_SEEN_KEY)
            idle_timeout, absolute_timeout = session_timeouts(request.user)
            if started is not None and now - started > absolute_timeout:
                return _signed_out_response(
                    request,
                    f"You have been signed out after {_duration(absolute_timeout)}. "
                    "Please sign in again.",
                )
            if last_seen is not None and now - last_seen > idle_timeout:
                minutes = idle_timeout // 60
                return _signed_out_response(
                    request,
                    f"You were signed out after {minutes} minutes without activity, "
                    "to keep pupils' information safe.",
                )
            if started is None:
                session[SESSION_STARTED_KEY] = now
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


# Pages a signed-in person without a second factor may still reach: setting one up, proving
# who they are again for that, and signing out.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
    }
)


def second_factors() -> QuerySet[Authenticator]:
    """Authenticators that are a second factor: recovery codes alone are not one."""
    return Authenticator.objects.exclude(type=Authenticator.Type.RECOVERY_CODES)


def user_has_mfa(user: object) -> bool:
    return second_factors().filter(user=user).exists()


# Pages that change how a person signs in: only shown to someone who proved who they are
# (signing in, or re-authenticating) within ACCOUNT_REAUTHENTICATION_TIMEOUT.
REAUTHENTICATE_URL_NAMES = frozenset({"account_change_password"})


def authenticated_recently(request: HttpRequest) -> bool:
    """Whether this session signed in or re-authenticated within the re-authentication timeout."""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    latest = max(record.get("at", 0) for record in records)
    return time.time() - latest < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def _reauthentication_redirect(request: HttpRequest) -> HttpResponse:
    methods = get_adapter(request).get_reauthentication_methods(request.user)
    url = methods[0]["url"] if methods else reverse("account_reauthenticate")
    # Unlike allauth's own decorator, never keep a POST in the session to replay later: here
    # it would hold passwords. The person fills the form in again.
    return HttpResponseRedirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.path})}")


class RequireMfaMiddleware:
    """Staff without a second factor can only set one up or sign out (carers' accounts need
    none); and changing sign-in
    details needs a recent sign-in or re-authentication (allauth's own pages for a second
    factor already ask for it)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        if request.user.is_carer:
            # Carers sign in with a code sent to their email, or a password, and reach only
            # the carers' portal (families.middleware keeps them there).
            return None
        match = request.resolver_match
        url_name = match.url_name if match is not None else None
        if url_name in MFA_SETUP_URL_NAMES or url_name == "healthz":
            return None
        if settings.MFA_REQUIRED and not user_has_mfa(request.user):
            messages.warning(
                request,
                "Set up two-step verification with an authenticator app before you continue.",
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if url_name in REAUTHENTICATE_URL_NAMES and not authenticated_recently(request):
            return _reauthentication_redirect(request)
        return None
