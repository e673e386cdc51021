"""Every write about contact with families."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, Flag, FlagKind, Status
from cases.services import flags_resolve
from contacts.models import (
    FAMILY_REPORT_NOTE_LIMIT,
    SUCCESSFUL_OUTCOMES,
    ContactKind,
    ContactLog,
    ContactPlan,
    ContactPlanVersion,
    ContactSettings,
    FamilyReport,
    FamilyReportKind,
    family_reports_counted,
)
from contacts.permissions import staff_for_wellbeing_check
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import is_school_day, school_days_between, today
from schools.models import Carer, Pupil, School

CONTACTABLE_STATUSES = (Status.ACTIVE, Status.REINTEGRATING)
MORE_CALLS_NEED_A_REASON = "Say why the DSL team decided on more frequent calls."
NOT_STAFF_FOR_THE_CHECK = (
    "Choose a member of staff of the pupil's school who contacts families, or leave it blank "
    "for the class teacher."
)
LATE_AFTER_SCHOOL_DAYS = 2
LATE_NEEDS_A_REASON = "Say why this contact is logged more than two school days after it happened."
CHANGES_NEED_A_REASON = "Say why the plan changed: every decision is kept with its reason."


class AlreadyRecorded(Exception):
    """This form was submitted before: the contact it describes is already in the log."""

    def __init__(self, contact: ContactLog) -> None:
        super().__init__("Already recorded")
        self.contact = contact


def contact_settings_for(school: School) -> ContactSettings:
    settings, _ = ContactSettings.objects.get_or_create(school=school)
    return settings


def logged_late(school: School, contact_date: datetime.date, logged_on: datetime.date) -> bool:
    """Whether a contact on ``contact_date`` logged on ``logged_on`` is a late entry: more than
    LATE_AFTER_SCHOOL_DAYS school days after it, counting the school days after the contact's
    day up to and including the day it is logged (Monday's contact logged on Wednesday: two,
    on time; on Thursday: three, late). Weekends, bank holidays and INSET days never count."""
    if logged_on <= contact_date:
        return False
    later = school_days_between(school, contact_date + datetime.timedelta(days=1), logged_on)
    return len(later) > LATE_AFTER_SCHOOL_DAYS


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the school week that holds ``day``."""
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def contact_log_record(
    *,
    actor: Actor,
    case: Case,
    channel: str,
    outcome: str,
    kind: str = ContactKind.DAILY,
    contacted_at: datetime.datetime | None = None,
    pupil_well: bool | None = None,
    wellbeing_notes: str = "",
    work_feedback: str = "",
    late_reason: str = "",
    submission_key: uuid.UUID | None = None,
) -> ContactLog:
    """Log one contact and resolve the flags it answers.

    ``submission_key`` comes from the form that was shown: submitting the same form twice
    (a double tap, a resend) raises AlreadyRecorded with the first contact instead of
    recording a second one.
    """
    if submission_key is not None:
        earlier = ContactLog.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            raise AlreadyRecorded(earlier)
    case = Case.objects.select_for_update().select_related("pupil__school").get(pk=case.pk)
    if case.status not in CONTACTABLE_STATUSES:
        raise ValidationError("Contacts are logged for active cases only.")
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"contacted_at": "This time is in the future."})
    local_date = timezone.localdate(contacted_at)
    if not case.start_date <= local_date <= max(case.end_date, today()):
        raise ValidationError(
            {"contacted_at": f"The case started on {case.start_date:%d/%m/%Y}: pick a later time."}
        )
    if not outcome:
        raise ValidationError({"outcome": "Choose what happened."})
    if not late_reason.strip() and logged_late(case.pupil.school, local_date, today()):
        raise ValidationError({"late_reason": LATE_NEEDS_A_REASON})
    contact = ContactLog(
        case=case,
        contacted_at=contacted_at,
        contact_date=local_date,
        staff=actor.user,
        channel=channel,
        kind=kind,
        outcome=outcome,
        pupil_well=pupil_well,
        wellbeing_notes=wellbeing_notes.strip(),
        work_feedback=work_feedback.strip(),
        late_reason=late_reason.strip(),
        submission_key=submission_key or uuid.uuid4(),
    )
    contact.full_clean()
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        # The same form, submitted twice at the same moment: the other request won.
        earlier = ContactLog.objects.get(submission_key=contact.submission_key)
        raise AlreadyRecorded(earlier) from None
    _resolve_answered_flags(case=case, contact=contact, actor=actor)
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=contact,
        pupil_id=case.pupil_id,
        detail=f"contact: {kind}, {outcome}",
    )
    return contact


def _resolve_answered_flags(*, case: Case, contact: ContactLog, actor: Actor) -> None:
    open_flags = Flag.objects.filter(case=case, resolved_at__isnull=True)
    # Reaching the pupil or a carer on a day answers that day's missed daily contact; a
    # message left or no answer is an attempt, and the day's contact is still not made.
    if contact.outcome in SUCCESSFUL_OUTCOMES:
        open_flags.filter(kind=FlagKind.DAILY_CONTACT_MISSED, period=contact.contact_date).update(
            resolved_at=timezone.now(), resolved_by=actor.user, resolution="Contact logged."
        )
    if contact.counts_as_wellbeing_check:
        open_flags.filter(kind=FlagKind.WELLBEING_CHECK_OVERDUE).update(
            resolved_at=timezone.now(), resolved_by=actor.user, resolution="Wellbeing check logged."
        )
    if contact.outcome in SUCCESSFUL_OUTCOMES:
        flags_resolve(
            case=case,
            kinds=[FlagKind.FAMILY_NOT_RESPONDING],
            actor=actor,
            resolution="The family was reached.",
        )


@transaction.atomic
def contact_plan_save(
    *,
    actor: Actor,
    case: Case,
    extra_calls_per_day: int,
    extra_call_weekdays: str = "",
    decided_reason: str = "",
    wellbeing_check_by: object | None = None,
) -> ContactPlan:
    """Decide the case's contact plan: more frequent calls are a DSL-team decision, and every
    change says why.

    Nothing is overwritten: the decision is a new ContactPlanVersion (who, when, why), the
    one it replaces is marked replaced and kept, and the plan takes the new values so that
    everything reading the current plan stays one join away. All in one transaction.
    """
    reason = decided_reason.strip()
    if not reason:
        raise ValidationError(
            {
                "decided_reason": MORE_CALLS_NEED_A_REASON
                if extra_calls_per_day
                else CHANGES_NEED_A_REASON
            }
        )
    if wellbeing_check_by is not None and not (
        staff_for_wellbeing_check(case.pupil.school_id).filter(pk=wellbeing_check_by.pk).exists()
    ):
        raise ValidationError({"wellbeing_check_by": NOT_STAFF_FOR_THE_CHECK})
    plan, _ = ContactPlan.objects.select_for_update().get_or_create(case=case)
    now = timezone.now()
    version = ContactPlanVersion(
        plan=plan,
        extra_calls_per_day=extra_calls_per_day,
        extra_call_weekdays=extra_call_weekdays,
        wellbeing_check_by=wellbeing_check_by,
        reason=reason,
        decided_by=actor.user,
        decided_at=now,
    )
    version.full_clean(exclude=["plan"])
    plan.versions.filter(replaced_at__isnull=True).update(replaced_at=now)
    version.save()
    plan.extra_calls_per_day = extra_calls_per_day
    plan.extra_call_weekdays = extra_call_weekdays
    plan.decided_reason = reason
    plan.wellbeing_check_by = wellbeing_check_by
    plan.decided_by = actor.user
    plan.decided_at = now
    plan.full_clean()
    plan.save()
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=plan,
        pupil_id=case.pupil_id,
        detail=f"contact plan: version {version.pk}",
    )
    return plan


# --- What families report through the carers' portal ---------------------------------------

NOT_A_SCHOOL_DAY = "This is not a school day: choose a day the school is open."
ALREADY_REPORTED = "You have already told the school this for that day."
NOTE_TOO_LONG = f"Keep the note to {FAMILY_REPORT_NOTE_LIMIT} characters or fewer."


@transaction.atomic
def family_report_record(
    *,
    actor: Actor,
    carer: Carer,
    pupil: Pupil,
    day: datetime.date,
    kind: str,
    note: str = "",
) -> FamilyReport:
    """A parent or carer tells the school their child is unwell, cannot do the day's work, or
    needs help with it. The carers' portal's gate has checked the carer may act for the
    pupil; the actor is the carer's own sign-in.

    Only for a school day of the pupil's school, today or later in the school week ahead (no
    earlier day: the teacher has acted on it already); once per pupil, day and kind. Where the
    school counts a family's report as the daily contact, it answers that day's
    missed-contact flag.
    """
    note = note.strip()
    if len(note) > FAMILY_REPORT_NOTE_LIMIT:
        raise ValidationError({"note": NOTE_TOO_LONG})
    if kind not in FamilyReportKind.values:
        raise ValidationError({"kind": "Choose what you are telling the school."})
    if day < today():
        raise ValidationError({"day": "Choose today or a later day."})
    if day > today() + datetime.timedelta(days=14):
        raise ValidationError({"day": "Choose a day in the next two weeks."})
    pupil = Pupil.objects.select_for_update().select_related("school").get(pk=pupil.pk)
    if not is_school_day(pupil.school, day):
        raise ValidationError({"day": NOT_A_SCHOOL_DAY})
    if FamilyReport.objects.filter(pupil=pupil, day=day, kind=kind).exists():
        raise ValidationError({"kind": ALREADY_REPORTED})
    report = FamilyReport(
        pupil=pupil, day=day, kind=kind, note=note, carer=carer, reported_by=actor.user
    )
    report.full_clean()
    report.save()
    if family_reports_counted(day).filter(pk=report.pk).exists():
        Flag.objects.filter(
            case__pupil=pupil,
            kind=FlagKind.DAILY_CONTACT_MISSED,
            period=day,
            resolved_at__isnull=True,
        ).update(
            # No member of staff resolved it: the family's own report answered it.
            resolved_at=timezone.now(),
            resolution="The family reported through the carers' portal.",
        )
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=report,
        pupil_id=pupil.pk,
        detail="carer report",
    )
    return report
