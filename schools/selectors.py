"""Reads shaped for the pupil pages and the home page, each a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from schools.models import CarerLink, Membership, Pathway, Pupil, Role, SchoolClass, Site
from schools.permissions import (
    SHARE_ONLY_ROLES,
    SHARE_PERMISSION,
    memberships_of,
    pupils_visible_to,
)


def pupil_list_for(
    user: object,
    *,
    site: Site | None = None,
    school_class: SchoolClass | None = None,
    pathway: Pathway | None = None,
    name: str = "",
    include_off_roll: bool = False,
) -> QuerySet[Pupil]:
    pupils = pupils_visible_to(user).select_related("school_class__site", "school_class__pathway")
    if not include_off_roll:
        pupils = pupils.filter(on_roll=True)
    if site is not None:
        pupils = pupils.filter(school_class__site=site)
    if school_class is not None:
        pupils = pupils.filter(school_class=school_class)
    if pathway is not None:
        pupils = pupils.filter(school_class__pathway=pathway)
    for word in name.split():
        pupils = pupils.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return pupils.order_by("last_name", "first_name", "id")


def classes_visible_to(user: object) -> QuerySet[SchoolClass]:
    """Classes with at least one pupil the person can see (for filters)."""
    return (
        SchoolClass.objects.filter(pupils__in=pupils_visible_to(user))
        .select_related("site")
        .distinct()
        .order_by("site__name", "name")
    )


def sites_visible_to(user: object) -> QuerySet[Site]:
    return Site.objects.filter(classes__pupils__in=pupils_visible_to(user)).distinct()


def pathways_visible_to(user: object) -> QuerySet[Pathway]:
    return Pathway.objects.filter(classes__pupils__in=pupils_visible_to(user)).distinct()


def pupil_for_profile(pk: int) -> Pupil | None:
    return (
        Pupil.objects.select_related("school", "school_class__site", "school_class__pathway")
        .filter(pk=pk)
        .first()
    )


def carers_of(pupil: Pupil) -> list[CarerLink]:
    """The pupil's links to their carers, each with its carer, first to contact first."""
    return list(
        pupil.carer_links.select_related("carer").order_by("priority", "carer__full_name", "id")
    )


def share_candidates(pupil: Pupil) -> list[dict[str, object]]:
    """Family support workers and nurses at the pupil's school, and whether each is involved.

    Two queries: the memberships, and the current shares.
    """
    members = (
        Membership.objects.filter(school_id=pupil.school_id, role__in=SHARE_ONLY_ROLES)
        .select_related("user", "site")
        .order_by("user__full_name")
    )
    shared_ids = set(
        pupil.pupiluserobjectpermission_set.filter(
            permission__codename=SHARE_PERMISSION
        ).values_list("user_id", flat=True)
    )
    seen: dict[int, dict[str, object]] = {}
    for membership in members:
        if not membership.user.is_active:
            continue
        entry = seen.setdefault(
            membership.user_id,
            {"user": membership.user, "roles": [], "shared": membership.user_id in shared_ids},
        )
        entry["roles"].append(membership.get_role_display())
    return list(seen.values())


def my_classes(user: object) -> QuerySet[SchoolClass]:
    """The classes a teacher or class staff member works with, with pupil counts."""
    class_ids = [
        m.school_class_id
        for m in memberships_of(user)
        if m.role in (Role.TEACHER, Role.CLASS_STAFF, Role.SLT) and m.school_class_id
    ]
    return (
        SchoolClass.objects.filter(pk__in=class_ids)
        .select_related("site", "pathway")
        .annotate(pupil_count=Count("pupils", filter=Q(pupils__on_roll=True)))
        .order_by("site__name", "name")
    )


def prefetch_carers(lookup: str = "carer_links", to_attr: str = "carers_in_order") -> Prefetch:
    """Prefetch pupils' carer links (``lookup`` reaches them: "pupil__carer_links" from a
    case), each with its carer, first to contact first, as a list on ``to_attr``."""
    return Prefetch(
        lookup,
        queryset=CarerLink.objects.select_related("carer").order_by(
            "priority", "carer__full_name", "id"
        ),
        to_attr=to_attr,
    )
