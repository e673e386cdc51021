"""Device security declarations by site, for IT staff and SLT (policy sections 5.1, 5.3 and
3.5): who has a current declaration, whose is due or overdue, and the items staff could not
confirm, which IT staff resolve. Under /it/device-declarations/ in the "device_declarations"
namespace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.actor import Actor
from core.forms import attempt
from declarations.compliance.forms import ResolveForm
from declarations.compliance.permissions import (
    access_compliance,
    access_declaration_issue,
    can_resolve_issues,
    staff_ids_visible_to,
    staff_memberships_visible_to,
)
from declarations.models import IssueStatus
from declarations.selectors import (
    declaration_grace_days,
    declaration_statuses,
    declaration_valid_days,
    open_declaration_issues,
)
from declarations.services import declaration_issue_resolve

STAFF_PAGE_SIZE = 50
ISSUES_PAGE_SIZE = 20


def _staff_rows(user: object):
    """One row per person and site, sites in name order (school-wide staff first)."""
    return (
        staff_memberships_visible_to(user)
        .annotate(
            site_key=Coalesce("site_id", "school_class__site_id"),
            site_name=Coalesce("site__name", "school_class__site__name"),
        )
        .values("user_id", "user__full_name", "user__email", "site_key", "site_name")
        .distinct()
        .order_by(F("site_name").asc(nulls_first=True), "user__full_name", "user_id")
    )


@login_required
@require_safe
def compliance(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_compliance(Actor.of(request))
    staff_page = Paginator(_staff_rows(user), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(staff_page.object_list)
    statuses = declaration_statuses(user_ids=[row["user_id"] for row in rows])
    for row in rows:
        row.update(statuses[row["user_id"]])
    issues_page = Paginator(
        open_declaration_issues(user_ids=staff_ids_visible_to(user)), ISSUES_PAGE_SIZE
    ).get_page(request.GET.get("issues_page"))
    return render(
        request,
        "declarations/compliance.html",
        {
            "rows": rows,
            "staff_page": staff_page,
            "issues_page": issues_page,
            "can_resolve": can_resolve_issues(user),
            "resolve_form": ResolveForm(),
            "valid_days": declaration_valid_days(),
            "grace_days": declaration_grace_days(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    issue = access_declaration_issue(Actor.of(request), pk, to="act")
    form = ResolveForm(request.POST or None)
    if issue.status != IssueStatus.OPEN:
        form.add_error(None, "This task was already resolved.")
    elif (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: declaration_issue_resolve(
                actor=Actor.of(request), issue=issue, note=form.cleaned_data["note"]
            ),
        )
    ):
        messages.success(request, "Task resolved.")
        return redirect("device_declarations:compliance")
    return render(request, "declarations/resolve.html", {"issue": issue, "form": form})
