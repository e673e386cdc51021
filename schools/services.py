"""Every write to schools, pupils, staff roles and the calendar goes through here."""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import compute_school_days
from schools.models import Carer, CarerLink, CarerRelationship, Pupil, School, SchoolDay
from schools.permissions import SHARE_ONLY_ROLES, SHARE_PERMISSION, memberships_of


@transaction.atomic
def school_days_refresh(*, school: School) -> int:
    """Recompute the school's SchoolDay rows from its confirmed terms and closures (drafts
    count only once confirmed). Idempotent."""
    terms = school.terms.filter(draft=False).values_list("first_day", "last_day")
    closures = school.closure_days.filter(draft=False).values_list("date", flat=True)
    wanted = set(compute_school_days(terms, closures))
    existing = set(SchoolDay.objects.filter(school=school).values_list("date", flat=True))
    SchoolDay.objects.filter(school=school, date__in=existing - wanted).delete()
    SchoolDay.objects.bulk_create(
        [SchoolDay(school=school, date=day) for day in sorted(wanted - existing)]
    )
    return len(wanted)


class ShareRefused(Exception):
    """The person cannot be given access to this pupil (wrong role or school)."""


@transaction.atomic
def pupil_share_grant(*, actor: Actor, pupil: Pupil, with_user: object) -> None:
    """Involve a family support worker or school nurse with one pupil (explicit share)."""
    roles = {m.role for m in memberships_of(with_user) if m.school_id == pupil.school_id}
    if not roles & SHARE_ONLY_ROLES:
        raise ShareRefused("Only family support workers and school nurses are shared with.")
    assign_perm(f"schools.{SHARE_PERMISSION}", with_user, pupil)
    access_record(
        action=AccessAction.SHARE,
        actor=actor,
        subject=pupil,
        pupil_id=pupil.pk,
        detail=f"shared with user {with_user.pk}",
    )


@transaction.atomic
def pupil_share_revoke(*, actor: Actor, pupil: Pupil, with_user: object) -> None:
    remove_perm(f"schools.{SHARE_PERMISSION}", with_user, pupil)
    access_record(
        action=AccessAction.UNSHARE,
        actor=actor,
        subject=pupil,
        pupil_id=pupil.pk,
        detail=f"stopped sharing with user {with_user.pk}",
    )


@transaction.atomic
def carer_link_create(
    *,
    actor: Actor,
    pupil: Pupil,
    carer: Carer,
    relationship: CarerRelationship,
    has_parental_responsibility: bool = True,
    priority: int = 1,
) -> CarerLink:
    """Link a carer already recorded at the school to another of its pupils (a sibling), so
    the family is one record. A carer of another school is refused at the field, and nothing
    is written."""
    link = CarerLink(
        pupil=pupil,
        carer=carer,
        relationship=relationship,
        has_parental_responsibility=has_parental_responsibility,
        priority=priority,
    )
    link.full_clean()
    link.save()
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=link,
        pupil_id=pupil.pk,
        detail=f"linked carer {carer.pk}",
    )
    return link
