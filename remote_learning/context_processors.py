from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from families.permissions import carer_of
from oversight.my_tasks.permissions import has_tasks_page
from oversight.my_tasks.selectors import task_count
from remote_learning.navigation import navigation_for
from schools.permissions import memberships_of


def site(request: HttpRequest) -> dict[str, object]:
    """The header's name is the person's school; before sign-in, the service's own name."""
    user = getattr(request, "user", None)
    if getattr(user, "is_carer", False):
        # The carers' portal has no staff menu: only the name of the carer's school.
        carer = carer_of(user)
        return {
            "school_name": carer.school.name if carer is not None else settings.SCHOOL_NAME,
            "navigation": [],
            "my_tasks": None,
            "device_declaration_due": None,
        }
    memberships = memberships_of(user) if user is not None else []
    schools = {m.school_id: m.school.name for m in memberships}
    return {
        "school_name": next(iter(schools.values())) if len(schools) == 1 else settings.SCHOOL_NAME,
        "navigation": navigation_for(request),
        "my_tasks": _my_tasks_link(request, user),
        # Set by DeviceDeclarationMiddleware for staff without a current declaration.
        "device_declaration_due": getattr(request, "device_declaration_due", None),
    }


def _my_tasks_link(request: HttpRequest, user: object) -> dict[str, object] | None:
    """My tasks sits beside the person's name, apart from the main row, with how many wait
    there: one statement, kept on the user for the request (the home page's summary reuses
    it). None for those with no tasks page (governors, accounts with no school)."""
    if user is None or not getattr(user, "is_authenticated", False) or not has_tasks_page(user):
        return None
    url = reverse("my_tasks:my_tasks")
    return {"url": url, "count": task_count(user), "current": request.path.startswith(url)}
