"""Every write to the breach register (policy sections 3.5 and 5).

Keyword-only, one transaction each, ``full_clean()`` before saving, an audit row in the same
transaction. A breach's account is fixed once flagged; the DPO's work is added as steps.
Emails are written as outbox rows in the same transaction as what they are about, nudged
after commit and swept every minute, so a broker outage delays but never drops them. They
carry no personal data: only a link to sign in.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.actor import Actor
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from dpo.models import (
    ICO_DEADLINE,
    MILESTONE_HOURS,
    OVERDUE_EVERY,
    TEXT_LIMIT,
    Breach,
    BreachDecision,
    BreachNotification,
    BreachReminder,
    BreachStep,
    NotificationKind,
    StepKind,
    overdue_milestone,
)
from dpo.permissions import breach_handlers_for, can_handle_breach, schools_to_report_for
from schools.models import Membership, Role, School

FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def _require_text(field: str, value: str, *, label: str, limit: int = TEXT_LIMIT) -> None:
    if not (value or "").strip():
        raise ValidationError({field: f"Write {label}."})
    if len(value) > limit:
        raise ValidationError({field: f"Keep this under {limit:,} characters."})


# --- Flagging --------------------------------------------------------------------------------


@transaction.atomic
def breach_flag(
    *,
    actor: Actor,
    school: School | None,
    what_happened: str,
    discovered_at: datetime.datetime | None,
    data_affected: str,
    people_affected: int | None = None,
    containment: str = "",
) -> Breach:
    """Record a suspected breach and write an email for each of the school's DPOs in this same
    transaction; sending is nudged once it has committed."""
    if school is None or not schools_to_report_for(actor.user).filter(pk=school.pk).exists():
        raise ValidationError({"school": "Choose a school you work at."})
    _require_text("what_happened", what_happened, label="what happened")
    if discovered_at is None:
        raise ValidationError({"discovered_at": "Give the date and time it was discovered."})
    if discovered_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError(
            {"discovered_at": "This time is in the future: give when it was discovered."}
        )
    _require_text("data_affected", data_affected, label="what data was involved")
    breach = Breach(
        school=school,
        reported_by=actor.user,
        what_happened=what_happened,
        discovered_at=discovered_at,
        data_affected=data_affected,
        people_affected=people_affected,
        containment=containment,
    )
    breach.full_clean()
    breach.save()
    access_record(action=AccessAction.CREATE, subject=breach, actor=actor)
    BreachNotification.objects.bulk_create(
        [
            BreachNotification(recipient=handler, breach=breach, kind=NotificationKind.FLAGGED)
            for handler in breach_handlers_for(school.pk)
        ],
        ignore_conflicts=True,
    )
    outbox_nudge(BreachNotification)
    return breach


# --- The DPO's steps -------------------------------------------------------------------------


def _open_breach(by: object, breach: Breach) -> Breach:
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if not can_handle_breach(by, locked):
        raise ValidationError(
            "Only the school's data protection officer (or, at a school with none, its "
            "headteacher) can do this."
        )
    if locked.is_closed:
        raise ValidationError("This breach is closed.")
    return locked


def _add_step(*, actor: Actor, breach: Breach, kind: str, **fields) -> BreachStep:
    step = BreachStep(breach=breach, kind=kind, recorded_by=actor.user, **fields)
    step.full_clean()
    step.save()
    access_record(action=AccessAction.CHANGE, subject=breach, actor=actor, detail=kind)
    return step


@transaction.atomic
def breach_assess(*, actor: Actor, breach: Breach, assessment: str) -> BreachStep:
    breach = _open_breach(actor.user, breach)
    _require_text("assessment", assessment, label="the risk assessment")
    return _add_step(breach=breach, kind=StepKind.ASSESSMENT, text=assessment, actor=actor)


@transaction.atomic
def breach_decide(
    *,
    actor: Actor,
    breach: Breach,
    decision: str,
    reason: str,
) -> BreachStep:
    """Whether the breach must be reported to the ICO, with the reason. A decision not to
    report is recorded just the same. A later decision is a new step that supersedes it."""
    breach = _open_breach(actor.user, breach)
    if decision not in BreachDecision.values:
        raise ValidationError({"decision": "Choose whether it is reportable."})
    _require_text("reason", reason, label="the reason")
    if decision == BreachDecision.NOT_REPORTABLE and breach.reported_to_ico_on:
        raise ValidationError({"decision": "It has already been reported to the ICO."})
    step = _add_step(
        breach=breach,
        kind=StepKind.DECISION,
        text=reason,
        decision=decision,
        actor=actor,
    )
    breach.decision = decision
    breach.decided_at = step.recorded_at
    breach.save(update_fields=["decision", "decided_at"])
    return step


@transaction.atomic
def breach_report_to_ico(
    *,
    actor: Actor,
    breach: Breach,
    reported_on: datetime.date | None,
    ico_reference: str,
    notes: str = "",
) -> BreachStep:
    breach = _open_breach(actor.user, breach)
    if breach.decision != BreachDecision.REPORTABLE:
        raise ValidationError("Record the decision that it is reportable first.")
    if reported_on is None:
        raise ValidationError({"reported_on": "Give the date it was reported."})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": "This date is in the future."})
    if reported_on < timezone.localtime(breach.discovered_at).date():
        raise ValidationError({"reported_on": "This date is before the breach was discovered."})
    if not ico_reference.strip():
        raise ValidationError({"ico_reference": "Give the ICO's reference."})
    step = _add_step(
        breach=breach,
        kind=StepKind.ICO_REPORT,
        text=notes or "Reported to the ICO.",
        reported_on=reported_on,
        ico_reference=ico_reference.strip(),
        actor=actor,
    )
    breach.reported_to_ico_on = reported_on
    breach.ico_reference = step.ico_reference
    breach.save(update_fields=["reported_to_ico_on", "ico_reference"])
    return step


@transaction.atomic
def breach_record_subjects_told(
    *,
    actor: Actor,
    breach: Breach,
    told: bool | None,
    notes: str,
) -> BreachStep:
    """Whether the people whose data it was have been told, and how or why not."""
    breach = _open_breach(actor.user, breach)
    if told is None:
        raise ValidationError({"told": "Say whether they have been told."})
    _require_text("notes", notes, label="how they were told, or why not")
    return _add_step(
        breach=breach,
        kind=StepKind.SUBJECTS_TOLD,
        text=notes,
        subjects_told=told,
        actor=actor,
    )


@transaction.atomic
def breach_close(*, actor: Actor, breach: Breach, lessons: str) -> BreachStep:
    breach = _open_breach(actor.user, breach)
    if not breach.decision:
        raise ValidationError("Record whether it is reportable to the ICO before closing it.")
    if breach.decision == BreachDecision.REPORTABLE and not breach.reported_to_ico_on:
        raise ValidationError("Record the report to the ICO before closing it.")
    _require_text("lessons", lessons, label="the lessons learned")
    step = _add_step(breach=breach, kind=StepKind.CLOSURE, text=lessons, actor=actor)
    breach.closed_at = step.recorded_at
    breach.save(update_fields=["closed_at"])
    return step


# --- Reminders and sending -------------------------------------------------------------------


def breaches_to_remind() -> QuerySet[Breach]:
    """Breaches whose clock still matters: open, not reported to the ICO, and not decided
    not reportable (deciding that it must be reported does not stop the reminders)."""
    return Breach.objects.filter(closed_at__isnull=True, reported_to_ico_on__isnull=True).exclude(
        decision=BreachDecision.NOT_REPORTABLE
    )


@transaction.atomic
def breach_reminders_due(*, now: datetime.datetime | None = None) -> int:
    """The 72-hour clock's milestones (24 h, 48 h, 66 h after discovery), then one a day once
    the 72 hours are up, for breaches neither reported to the ICO nor decided not reportable:
    one reminder row per (breach, milestone), ever, and an email to each of the school's DPOs
    (or headteachers when it has none). A job that missed days sends each named milestone it
    missed but only the latest daily one.

    Set-based: one query per named milestone, one for breaches past the deadline (and, when
    there are any, one for their reminders already sent), one for the people, two INSERTs;
    running it again creates nothing (the unique constraints keep it so).
    """
    now = now or timezone.now()
    due: list[tuple[int, int, str]] = []
    for milestone, hours in MILESTONE_HOURS.items():
        already = BreachReminder.objects.filter(milestone=milestone).values("breach_id")
        due += [
            (pk, school_id, milestone)
            for pk, school_id in breaches_to_remind()
            .filter(discovered_at__lte=now - datetime.timedelta(hours=hours))
            .exclude(pk__in=already)
            .values_list("pk", "school_id")
        ]
    overdue = []
    for pk, school_id, discovered_at in (
        breaches_to_remind()
        .filter(discovered_at__lte=now - ICO_DEADLINE)
        .values_list("pk", "school_id", "discovered_at")
    ):
        days_late = (now - discovered_at - ICO_DEADLINE) // OVERDUE_EVERY
        hours = (ICO_DEADLINE + days_late * OVERDUE_EVERY) // datetime.timedelta(hours=1)
        overdue.append((pk, school_id, overdue_milestone(hours)))
    if overdue:
        sent = set(
            BreachReminder.objects.filter(
                breach_id__in=[pk for pk, _, _ in overdue],
                milestone__in={milestone for _, _, milestone in overdue},
            ).values_list("breach_id", "milestone")
        )
        due += [row for row in overdue if (row[0], row[2]) not in sent]
    if not due:
        return 0
    school_ids = {school_id for _, school_id, _ in due}
    members = list(
        Membership.objects.filter(
            role__in=(Role.DPO, Role.HEADTEACHER), school_id__in=school_ids, user__is_active=True
        ).values_list("user_id", "school_id", "role")
    )
    with_dpo = {school for _, school, role in members if role == Role.DPO}
    recipients: dict[int, set[int]] = {}
    for user_id, school_id, role in members:
        if role == Role.DPO or school_id not in with_dpo:
            recipients.setdefault(school_id, set()).add(user_id)
    BreachReminder.objects.bulk_create(
        [BreachReminder(breach_id=pk, milestone=milestone) for pk, _, milestone in due],
        ignore_conflicts=True,
    )
    BreachNotification.objects.bulk_create(
        [
            BreachNotification(recipient_id=user_id, breach_id=pk, kind=milestone)
            for pk, school_id, milestone in due
            for user_id in sorted(recipients.get(school_id, ()))
        ],
        ignore_conflicts=True,
    )
    outbox_nudge(BreachNotification)
    return len(due)
