from django.conf import settings
from django.http import HttpRequest

from remote_learning.navigation import navigation_for
from schools.permissions import memberships_of


def site(request: HttpRequest) -> dict[str, object]:
    """The header's name is the person's school; before sign-in, the service's own name."""
    user = getattr(request, "user", None)
    memberships = memberships_of(user) if user is not None else []
    schools = {m.school_id: m.school.name for m in memberships}
    return {
        "school_name": next(iter(schools.values())) if len(schools) == 1 else settings.SCHOOL_NAME,
        "navigation": navigation_for(request),
        # Set by DeviceDeclarationMiddleware for staff without a current declaration.
        "device_declaration_due": getattr(request, "device_declaration_due", None),
    }
