"""Who sees staff's device security declarations (policy sections 5.1, 5.3 and 3.5).

- IT staff, SLT and the headteacher see the staff of their scope: the school, or the site
  their membership names (an SLT membership narrowed to a class covers that class's site).
  Staff with a school-wide membership belong to no one site and are seen by school-wide
  viewers only.
- Only IT staff resolve the tasks raised by items staff could not confirm; SLT and the
  headteacher may see them but not act (403).
- Everyone else: 404. Governors see only the percentage, on their own pages.
"""

from django.db.models import Q, QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from declarations.models import DeclarationIssue
from schools.models import Membership, Role
from schools.permissions import (
    GOVERNOR_ROLES,
    IT_ROLES,
    LEADERSHIP_ROLES,
    memberships_of,
    roles_of,
)

DECLARATION_VIEWER_ROLES = IT_ROLES | LEADERSHIP_ROLES
DECLARATION_RESOLVER_ROLES = IT_ROLES
NOT_STAFF_ROLES = GOVERNOR_ROLES


def _scope(membership: Membership) -> Q:
    """The staff memberships one viewer's membership covers."""
    site_id = membership.site_id
    if site_id is None and membership.school_class_id is not None:
        site_id = membership.school_class.site_id
    if membership.role == Role.HEADTEACHER or site_id is None:
        return Q(school_id=membership.school_id)
    return Q(school_id=membership.school_id) & (
        Q(site_id=site_id) | Q(school_class__site_id=site_id)
    )


def _scope_for(user: object, roles: frozenset[str]) -> Q | None:
    grants = [_scope(m) for m in memberships_of(user) if m.role in roles]
    if not grants:
        return None
    combined = grants[0]
    for grant in grants[1:]:
        combined |= grant
    return combined


def can_view_declarations(user: object) -> bool:
    return any(m.role in DECLARATION_VIEWER_ROLES for m in memberships_of(user))


def can_resolve_issues(user: object) -> bool:
    """Whether the page offers resolving at all (each task is still checked on its own)."""
    return bool(DECLARATION_RESOLVER_ROLES & roles_of(user))


def staff_memberships_visible_to(
    user: object, *, roles: frozenset[str] = DECLARATION_VIEWER_ROLES
) -> QuerySet[Membership]:
    """Staff memberships (not governors) whose declarations this person may see."""
    scope = _scope_for(user, roles)
    if scope is None:
        return Membership.objects.none()
    return Membership.objects.filter(scope).exclude(role__in=NOT_STAFF_ROLES)


def staff_ids_visible_to(user: object, *, roles: frozenset[str] = DECLARATION_VIEWER_ROLES):
    """The ids of those staff, as a subquery."""
    return staff_memberships_visible_to(user, roles=roles).values("user_id")


def can_see_issue(user: object, issue: object) -> bool:
    return staff_memberships_visible_to(user).filter(user_id=issue.user_id).exists()


def can_resolve_issue(user: object, issue: object) -> bool:
    return (
        staff_memberships_visible_to(user, roles=DECLARATION_RESOLVER_ROLES)
        .filter(user_id=issue.user_id)
        .exists()
    )


def access_compliance(actor: Actor) -> None:
    refuse_unless(can_view_declarations(actor.user), actor, detail="device declarations by site")


def access_declaration_issue(actor: Actor, pk: int, *, to: Access = "read") -> DeclarationIssue:
    """A task raised by a declaration: seen by the viewers of its person's scope, resolved by
    IT staff only (SLT and the headteacher get 403); an audited 404 for everyone else."""
    issue = DeclarationIssue.objects.select_related("user", "declaration").filter(pk=pk).first()
    if issue is None or not can_see_issue(actor.user, issue):
        refuse(
            actor,
            detail="declaration task not visible to this person",
            subject_type=DeclarationIssue._meta.label_lower,
            subject_id=pk,
        )
    if to == "act" and not can_resolve_issue(actor.user, issue):
        refuse(actor, detail="only IT staff resolve declaration tasks", status=403, subject=issue)
    return issue
