"""The boundary between the carers' portal and the staff service.

A carer's account reaches the portal's pages, signing in and out and changing its password,
and nothing else: every other page answers 404 (audited), as if it did not exist; the service's
home sends a carer to the portal's home. A staff account never reaches a portal page (404,
audited). Goes after the authentication middleware and before the second-factor one, so a
carer is never asked to set up an authenticator app and staff never see the portal.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from core.actor import Actor
from dataprotection.refusals import refuse
from families.boundary import is_portal_page

Handler = Callable[[HttpRequest], HttpResponse]

# Pages outside the portal a carer's account may use: signing out, the password pages, proving
# who they are again before changing the password, and the health check.
CARER_OPEN_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_change_password",
        "account_set_password",
        "account_reauthenticate",
        "healthz",
    }
)
STAFF_PAGE_REFUSED = "staff page refused to a carer's account"
PORTAL_PAGE_REFUSED = "carers' portal page refused to a staff account"


class FamilyBoundaryMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # each page's own sign-in rule answers
        portal = is_portal_page(view_func)
        if getattr(user, "is_carer", False):
            if portal:
                return None
            match = request.resolver_match
            url_name = match.url_name if match is not None else None
            if url_name in CARER_OPEN_URL_NAMES:
                return None
            if url_name == "home" and not match.namespaces:
                return HttpResponseRedirect(reverse("families:home"))
            refuse(Actor.of(request), detail=STAFF_PAGE_REFUSED)
        if portal:
            refuse(Actor.of(request), detail=PORTAL_PAGE_REFUSED)
        return None
