"""Every write for home visits and longer absences (policy section 3.2).

Keyword-only, one transaction each, ``full_clean()`` before saving and an access-audit row in
the same transaction. A rule the policy sets comes back as a ValidationError keyed by the form
field that caused it; nothing is half-written.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, FlagKind
from cases.services import flags_resolve
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.models import (
    HomeVisit,
    Involvement,
    InvolvementKind,
    SocialWorkerInformed,
)
from safeguarding.permissions import not_session_staff
from schools.calendar import today
from schools.services import ShareRefused, pupil_share_grant, pupil_share_revoke

MIN_VISIT_STAFF = 2


class Agreement:
    SLT = "slt"
    DSL = "dsl"


# Two agreements are two checks: one person holding both roles gives only one of them.
SAME_PERSON_MESSAGES = {
    Agreement.SLT: "You gave the DSL's agreement to this visit: SLT's agreement must come "
    "from someone else in SLT or the headteacher.",
    Agreement.DSL: "You gave SLT's agreement to this visit: the DSL's agreement must come "
    "from someone else in the DSL team.",
}


def gave_other_agreement(visit: HomeVisit, user: object, which: str) -> bool:
    """Whether ``user`` gave the visit's other agreement, and so may not give ``which``."""
    other_by = visit.dsl_agreed_by_id if which == Agreement.SLT else visit.slt_agreed_by_id
    return other_by is not None and other_by == user.pk


def _not_in_future(value: datetime.date, field: str) -> None:
    if value > today():
        raise ValidationError({field: "This date is in the future."})


def _require_running(case: Case, field: str = "__all__") -> None:
    if not case.is_open:
        raise ValidationError({field: "This case is closed."})


@transaction.atomic
def visit_request(
    *,
    actor: Actor,
    case: Case,
    reason: str,
    planned_for: datetime.date | None = None,
) -> HomeVisit:
    """Ask for a home visit to a family that is not responding; SLT and the DSL then agree."""
    _require_running(case, "reason")
    visit = HomeVisit(
        case=case, reason=reason.strip(), requested_by=actor.user, planned_for=planned_for
    )
    visit.full_clean()
    visit.save()
    access_record(actor=actor, action=AccessAction.CREATE, subject=visit, pupil_id=case.pupil_id)
    return visit


@transaction.atomic
def visit_agree(*, actor: Actor, visit: HomeVisit, which: str) -> HomeVisit:
    """Record SLT's or the DSL's agreement (each once, with who and when), each from a
    different person."""
    visit = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.visited_on is not None:
        raise ValidationError({"which": "This visit has already been recorded."})
    if which in SAME_PERSON_MESSAGES and gave_other_agreement(visit, actor.user, which):
        raise ValidationError({"which": SAME_PERSON_MESSAGES[which]})
    now = timezone.now()
    if which == Agreement.SLT:
        if visit.slt_agreed_at is not None:
            raise ValidationError({"which": "SLT has already agreed to this visit."})
        visit.slt_agreed_by, visit.slt_agreed_at = actor.user, now
    elif which == Agreement.DSL:
        if visit.dsl_agreed_at is not None:
            raise ValidationError({"which": "The DSL has already agreed to this visit."})
        visit.dsl_agreed_by, visit.dsl_agreed_at = actor.user, now
    else:
        raise ValidationError({"which": "Choose whose agreement this is."})
    visit.full_clean()
    visit.save()
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=visit,
        pupil_id=visit.case.pupil_id,
        detail=f"{which} agreement",
    )
    return visit


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    visit: HomeVisit,
    visited_on: datetime.date,
    staff: list,
    outcome: str,
) -> HomeVisit:
    """Record a visit made by at least two members of staff, once SLT and the DSL agreed it.

    Resolves the case's open family-not-responding flags.
    """
    visit = (
        HomeVisit.objects.select_for_update()
        .select_related("case__pupil__school_class")
        .get(pk=visit.pk)
    )
    if visit.visited_on is not None:
        raise ValidationError({"visited_on": "This visit has already been recorded."})
    if visit.slt_agreed_at is None or visit.dsl_agreed_at is None:
        raise ValidationError(
            {"__all__": "Both SLT and the DSL must agree to the visit before it is recorded."}
        )
    staff = list({member.pk: member for member in staff}.values())
    if len(staff) < MIN_VISIT_STAFF:
        raise ValidationError(
            {"staff": f"At least {MIN_VISIT_STAFF} members of staff must attend a home visit."}
        )
    pupil = visit.case.pupil
    others = not_session_staff(pupil.school_id, [pupil.school_class.site_id], staff)
    if others:
        names = ", ".join(sorted(member.full_name or member.email for member in others))
        raise ValidationError(
            {
                "staff": "Only staff working at the pupil's school or site can make a home "
                f"visit (not governors or the data protection officer): {names}."
            }
        )
    _not_in_future(visited_on, "visited_on")
    if visited_on < visit.case.start_date:
        raise ValidationError({"visited_on": "This is before the case started."})
    if not outcome.strip():
        raise ValidationError({"outcome": "Record what happened."})
    visit.visited_on = visited_on
    visit.outcome = outcome.strip()
    visit.outcome_recorded_by = actor.user
    visit.full_clean()
    visit.save()
    visit.staff.set(staff)
    flags_resolve(
        case=visit.case,
        kinds=[FlagKind.FAMILY_NOT_RESPONDING],
        actor=actor,
        resolution=f"Home visit made on {visited_on:%d/%m/%Y}",
    )
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=visit,
        pupil_id=visit.case.pupil_id,
        detail=f"visit recorded, {len(staff)} staff",
    )
    return visit


@transaction.atomic
def social_worker_informed_record(
    *,
    actor: Actor,
    case: Case,
    informed_on: datetime.date,
    how: str,
    notes: str = "",
) -> SocialWorkerInformed:
    """Record that the pupil's social worker was told of the longer absence; resolves the
    case's social-worker-not-informed flag at once."""
    if not case.pupil.has_social_worker:
        raise ValidationError({"informed_on": "This pupil has no social worker recorded."})
    _not_in_future(informed_on, "informed_on")
    informed = SocialWorkerInformed(
        case=case, informed_on=informed_on, how=how, notes=notes.strip(), recorded_by=actor.user
    )
    informed.full_clean()
    informed.save()
    flags_resolve(
        case=case,
        kinds=[FlagKind.SOCIAL_WORKER_NOT_INFORMED],
        actor=actor,
        resolution=f"Social worker informed on {informed_on:%d/%m/%Y}",
    )
    access_record(actor=actor, action=AccessAction.CREATE, subject=informed, pupil_id=case.pupil_id)
    return informed


@transaction.atomic
def involvement_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    started_on: datetime.date,
    worker: object | None = None,
    notes: str = "",
) -> Involvement:
    """Record who else is involved. A family support worker is given access to the pupil."""
    _require_running(case, "kind")
    if kind == InvolvementKind.FAMILY_SUPPORT and worker is None:
        raise ValidationError({"worker": "Name the family support worker."})
    if kind != InvolvementKind.FAMILY_SUPPORT:
        worker = None
    _not_in_future(started_on, "started_on")
    involvement = Involvement(
        case=case,
        kind=kind,
        worker=worker,
        notes=notes.strip(),
        started_on=started_on,
        recorded_by=actor.user,
    )
    involvement.full_clean()
    involvement.save()
    if worker is not None:
        try:
            pupil_share_grant(pupil=case.pupil, with_user=worker, actor=actor)
        except ShareRefused as refused:
            raise ValidationError({"worker": str(refused)}) from refused
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=involvement,
        pupil_id=case.pupil_id,
        detail=kind,
    )
    return involvement


@transaction.atomic
def involvement_end(
    *,
    actor: Actor,
    involvement: Involvement,
    ended_on: datetime.date,
) -> Involvement:
    """End an involvement; a family support worker loses access to the pupil unless still
    involved through another open involvement for the same pupil."""
    involvement = (
        Involvement.objects.select_for_update()
        .select_related("case__pupil__school_class")
        .get(pk=involvement.pk)
    )
    if involvement.ended_on is not None:
        raise ValidationError({"ended_on": "This involvement has already ended."})
    _not_in_future(ended_on, "ended_on")
    if ended_on < involvement.started_on:
        raise ValidationError({"ended_on": "This is before the involvement started."})
    involvement.ended_on = ended_on
    involvement.full_clean()
    involvement.save()
    case = involvement.case
    if involvement.worker_id is not None:
        still_involved = (
            Involvement.objects.filter(
                case__pupil_id=case.pupil_id,
                kind=InvolvementKind.FAMILY_SUPPORT,
                worker_id=involvement.worker_id,
                ended_on__isnull=True,
            )
            .exclude(pk=involvement.pk)
            .exists()
        )
        if not still_involved:
            pupil_share_revoke(pupil=case.pupil, with_user=involvement.worker, actor=actor)
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=involvement,
        pupil_id=case.pupil_id,
        detail="ended",
    )
    return involvement
