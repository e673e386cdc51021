"""Every write to remote-education cases.

Each function checks the policy's rules, writes in one transaction with an audit row and a
status change where the status moves, and resolves the flags its action answers. Rule
breaches raise ValidationError keyed by the form field that caused them, so a page can show
the message at that field; nothing is half-written.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.arrangement import agreeable, arrangement_for, arrangement_version
from cases.models import (
    CLOSURE_CODES_SET_BY_REGULATION,
    CLOSURE_REASONS,
    DEFAULT_ATTENDANCE_CODES,
    HEALTH_QUESTION_REASONS,
    INDIVIDUAL_REASONS,
    MEDICAL_REASONS,
    OPEN_STATUSES,
    WORK_FEEDBACK_NOTE_LIMIT,
    Agreement,
    AgreementMethod,
    AttendanceCodeChoice,
    Basis,
    Case,
    CaseSettings,
    Closure,
    ClosureCheck,
    Decision,
    FeedbackPeriod,
    Flag,
    FlagKind,
    PaperDelivery,
    Party,
    Provision,
    ReintegrationPlan,
    ReintegrationPlanVersion,
    ReintegrationStep,
    Review,
    Status,
    StatusChange,
    WorkFeedback,
)
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from schools.calendar import (
    add_school_days,
    check_within_calendar,
    is_school_day,
    last_school_day,
    school_days_between,
    term_agreed_for,
    today,
)
from schools.models import Carer, Pupil, School, SchoolClass, Site

BEHAVIOUR_REFUSAL = (
    "Remote education cannot be used because of a pupil's behaviour. Sending a pupil home "
    "for misbehaviour counts as a suspension, even if they are asked to learn online while "
    "suspended. Follow the school's behaviour and suspension procedures instead."
)


def case_settings_for(school: School) -> CaseSettings:
    settings, _ = CaseSettings.objects.get_or_create(school=school)
    return settings


def attendance_code_for(school: School, reason: str) -> str:
    chosen = AttendanceCodeChoice.objects.filter(school=school, reason=reason).first()
    return chosen.code if chosen is not None else DEFAULT_ATTENDANCE_CODES[reason]


def closure_attendance_code(school: School, reason: str, whole_site: bool) -> str:
    """A closure for safety is 'part of the premises closed' (Y3) for a class and 'whole site
    unexpectedly closed' (Y4) for a site, as the 2024 regulations set them; a closure under
    government guidance uses the school's code for that reason."""
    if reason in CLOSURE_CODES_SET_BY_REGULATION:
        class_code, site_code = CLOSURE_CODES_SET_BY_REGULATION[reason]
        return site_code if whole_site else class_code
    return attendance_code_for(school, reason)


def required_parties(case: Case) -> list[str]:
    """Whose agreement a case needs before it can start (policy section 2)."""
    parties = [Party.SCHOOL, Party.CARERS, Party.PUPIL]
    medical = case.reason in MEDICAL_REASONS and not case.medical_agreement_not_needed.strip()
    # For SEND or mental health, staff said at the proposal whether (say) CAMHS should agree.
    health = case.reason in HEALTH_QUESTION_REASONS and bool(case.health_professional_should_agree)
    if medical or health:
        parties.append(Party.MEDICAL)
    # Every pupil with an EHC plan or a social worker brings the local authority in.
    if case.pupil.has_ehc_plan or case.pupil.has_social_worker:
        parties.append(Party.LOCAL_AUTHORITY)
    return parties


def missing_parties(case: Case, agreements: list[Agreement] | None = None) -> list[str]:
    if agreements is None:
        agreements = list(case.agreements.all())
    agreed = {agreement.party for agreement in agreements}
    return [party for party in required_parties(case) if party not in agreed]


def _move(case: Case, to_status: str, by: object, note: str = "") -> None:
    StatusChange.objects.create(
        case=case, from_status=case.status, to_status=to_status, changed_by=by, note=note
    )
    case.status = to_status


def flags_resolve(*, case: Case, kinds: list[str], actor: Actor, resolution: str) -> int:
    return Flag.objects.filter(case=case, kind__in=kinds, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor.user, resolution=resolution[:300]
    )


def _check_time_limit(school: School, start: datetime.date, end: datetime.date, field: str):
    check_within_calendar(school, end, field)
    settings = case_settings_for(school)
    latest = add_school_days(school, start, settings.max_time_limit_school_days)
    if latest is not None and end > latest:
        raise ValidationError(
            {
                field: (
                    f"The time limit can be at most {settings.max_time_limit_school_days} "
                    f"school days after the start, that is {latest:%d/%m/%Y}. Agree a review "
                    "to extend it later if needed."
                )
            }
        )


def _first_review(school: School, start: datetime.date) -> datetime.date:
    """The review ``interval`` school days after ``start``; where the calendar ends sooner, its
    last school day (the time limit, checked against the calendar, ends by then too)."""
    interval = case_settings_for(school).review_interval_school_days
    return add_school_days(school, start, interval) or last_school_day(school) or start


@transaction.atomic
def case_propose(
    *,
    actor: Actor,
    pupil: Pupil,
    reason: str,
    start_date: datetime.date,
    end_date: datetime.date,
    summary: str = "",
    medical_agreement_not_needed: str = "",
    health_professional_should_agree: bool | None = None,
) -> Case:
    """Propose remote education for one pupil who cannot attend for a limited time."""
    if reason not in INDIVIDUAL_REASONS:
        raise ValidationError({"reason": "Choose one of the reasons an individual pupil can have."})
    if reason not in HEALTH_QUESTION_REASONS:
        health_professional_should_agree = None
    elif health_professional_should_agree is None:
        raise ValidationError(
            {
                "health_professional_should_agree": (
                    "Say whether a health professional, for example CAMHS, should agree."
                )
            }
        )
    if end_date < start_date:
        raise ValidationError({"end_date": "The time limit cannot be before the start date."})
    _check_time_limit(pupil.school, start_date, end_date, "end_date")
    # The database constraint holds the line against a race; this puts the message at the
    # field (the conditional unique constraint would otherwise report it for the whole form).
    # Lock the pupil so a proposal and a closure at the same moment cannot both open a case.
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
    if Case.objects.filter(pupil=pupil, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            {
                "pupil": "This pupil already has an open remote-education case. Open that case "
                "to review it, or close it before proposing another."
            }
        )
    case = Case(
        pupil=pupil,
        basis=Basis.INDIVIDUAL,
        reason=reason,
        status=Status.PROPOSED,
        summary=summary,
        start_date=start_date,
        end_date=end_date,
        next_review_date=_first_review(pupil.school, start_date),
        attendance_code=attendance_code_for(pupil.school, reason),
        medical_agreement_not_needed=medical_agreement_not_needed.strip(),
        health_professional_should_agree=health_professional_should_agree,
        proposed_on=today(),
        created_by=actor.user,
    )
    case.full_clean()
    case.save()
    StatusChange.objects.create(case=case, to_status=Status.PROPOSED, changed_by=actor.user)
    access_record(actor=actor, action=AccessAction.CREATE, subject=case, pupil_id=case.pupil_id)
    return case


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(
            f"This case is {case.get_status_display().lower()}. Open a new case if the pupil "
            "needs one."
        )


def _not_in_future(value: datetime.date, field: str) -> None:
    if value > today():
        raise ValidationError({field: "This date is in the future."})


@transaction.atomic
def agreement_record(
    *,
    actor: Actor,
    case: Case,
    party: str,
    agreed_by: str,
    agreed_on: datetime.date,
    method: str,
    notes: str = "",
) -> Agreement:
    _require_open(case)
    _not_in_future(agreed_on, "agreed_on")
    if method == AgreementMethod.FAMILY_PORTAL:
        raise ValidationError({"method": "Only the carer gives an agreement on the family portal."})
    if Agreement.objects.filter(case=case, party=party).exists():
        raise ValidationError({"party": "This party's agreement is already recorded."})
    agreement = Agreement(
        case=case,
        party=party,
        agreed_by=agreed_by.strip(),
        agreed_on=agreed_on,
        method=method,
        notes=notes.strip(),
        recorded_by=actor.user,
    )
    agreement.full_clean()
    agreement.save()
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=agreement,
        pupil_id=case.pupil_id,
        detail=f"agreement: {party}",
    )
    return agreement


def carer_agreement_current(case: Case, carer: Carer) -> Agreement | None:
    """The carer's own agreement to the arrangement as it now stands, for this term: None
    when they have not agreed it, agreed an older version or agreed in another term."""
    term = term_agreed_for(case.pupil.school, today())
    if term is None:
        return None
    return (
        Agreement.objects.filter(
            case=case,
            given_by_carer=carer,
            term=term,
            arrangement_version=arrangement_version(arrangement_for(case)),
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )


@transaction.atomic
def carer_agreement_give(*, actor: Actor, case: Case, carer: Carer, version: str) -> Agreement:
    """A parent or carer agrees the arrangement themselves (the carers' party), on the family
    portal. ``version`` is the arrangement_version of what they were shown: if the
    arrangement changed while they read it, nothing is written and they read it again. The
    agreement is to that version, for the term it is given in (or, in a holiday, the next)."""
    case = Case.objects.select_for_update().select_related("pupil__school").get(pk=case.pk)
    if not agreeable(case):
        raise ValidationError(
            "This arrangement has ended, so there is nothing to agree. Contact the school if "
            "you have a question."
        )
    arrangement = arrangement_for(case)
    current = arrangement_version(arrangement)
    if version != current:
        raise ValidationError(
            "The school changed the arrangement while you were reading it. Read it again "
            "below, then agree if you are happy with it."
        )
    term = term_agreed_for(case.pupil.school, today())
    if term is None:
        raise ValidationError(
            "The school has not set its term dates yet, so an agreement cannot be recorded. "
            "Contact the school."
        )
    if Agreement.objects.filter(
        case=case, given_by_carer=carer, arrangement_version=current, term=term
    ).exists():
        raise ValidationError("You have already agreed this arrangement this term.")
    agreement = Agreement(
        case=case,
        party=Party.CARERS,
        agreed_by=carer.full_name,
        agreed_on=today(),
        method=AgreementMethod.FAMILY_PORTAL,
        recorded_by=actor.user,
        given_by_carer=carer,
        arrangement=arrangement,
        arrangement_version=current,
        term=term,
    )
    agreement.full_clean()
    agreement.save()
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=agreement,
        pupil_id=case.pupil_id,
        detail="agreement: carers, given by the carer on the family portal",
    )
    return agreement


@transaction.atomic
def case_activate(*, actor: Actor, case: Case) -> Case:
    """Start remote education: only once every required party has agreed."""
    case = Case.objects.select_for_update().select_related("pupil").get(pk=case.pk)
    if case.status != Status.PROPOSED:
        raise ValidationError("Only a proposed case can be started.")
    missing = missing_parties(case)
    if missing:
        names = ", ".join(Party(party).label.lower() for party in missing)
        raise ValidationError(f"Remote education cannot start until it is agreed by {names}.")
    _move(case, Status.ACTIVE, actor.user)
    case.save(update_fields=["status"])
    flags_resolve(
        case=case,
        kinds=[FlagKind.AGREEMENTS_MISSING],
        actor=actor,
        resolution="All parties agreed.",
    )
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=case,
        pupil_id=case.pupil_id,
        detail="activated",
    )
    return case


@transaction.atomic
def case_withdraw(*, actor: Actor, case: Case, reason: str) -> Case:
    """Withdraw a proposal before remote education starts; the pupil is free for a new one.

    The reason is kept on the status change, with who withdrew it and when.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.PROPOSED:
        raise ValidationError(
            "Remote education has started, so the proposal can no longer be withdrawn. Hold a "
            "review to end it, or close the case."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the proposal is withdrawn."})
    _move(case, Status.WITHDRAWN, actor.user, note=reason)
    case.next_review_date = None
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "next_review_date", "closed_at"])
    flags_resolve(case=case, kinds=list(FlagKind), actor=actor, resolution="Proposal withdrawn.")
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=case,
        pupil_id=case.pupil_id,
        detail="withdrawn",
    )
    return case


@transaction.atomic
def provision_record(
    *,
    actor: Actor,
    case: Case,
    date: datetime.date,
    sent_by_email: bool = False,
    sent_as_work_pack: bool = False,
    sent_to_platform: bool = False,
    visual_timetable_sent: bool = False,
    resources_signposted: bool = False,
    feedback: str = "",
    work_links: str = "",
) -> Provision:
    # Lock the case: two taps on "Save" at once must still leave one record for the day.
    case = Case.objects.select_for_update().select_related("pupil__school").get(pk=case.pk)
    if case.status not in (Status.ACTIVE, Status.REINTEGRATING):
        raise ValidationError("Provision is recorded for active cases only.")
    _not_in_future(date, "date")
    if not case.start_date <= date <= case.end_date:
        raise ValidationError(
            {
                "date": f"Choose a date between {case.start_date:%d/%m/%Y} and "
                f"{case.end_date:%d/%m/%Y}, while the case runs."
            }
        )
    if not is_school_day(case.pupil.school, date):
        raise ValidationError({"date": "This is not a school day."})
    if Provision.objects.filter(case=case, date=date).exists():
        raise ValidationError({"date": "Provision for this day is already recorded."})
    provision = Provision(
        case=case,
        date=date,
        sent_by_email=sent_by_email,
        sent_as_work_pack=sent_as_work_pack,
        sent_to_platform=sent_to_platform,
        visual_timetable_sent=visual_timetable_sent,
        resources_signposted=resources_signposted,
        feedback=feedback.strip(),
        work_links="\n".join(line.strip() for line in work_links.splitlines() if line.strip()),
        recorded_by=actor.user,
    )
    provision.full_clean()
    provision.save()
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=provision,
        pupil_id=case.pupil_id,
        detail="provision",
    )
    return provision


def _return_errors(
    case: Case, outcome: str, actual_return_date: datetime.date | None
) -> dict[str, str]:
    """What is missing or wrong to close ``case``, by field."""
    errors = {}
    if not outcome.strip():
        errors["outcome"] = "Say how the case ended."
    if actual_return_date is None:
        errors["actual_return_date"] = "Give the date the pupil returned to school."
    elif actual_return_date < case.start_date:
        errors["actual_return_date"] = "The return cannot be before the case started."
    elif actual_return_date > today():
        errors["actual_return_date"] = (
            "The return date is in the future. Close the case once the pupil is back."
        )
    return errors


def _close(
    case: Case, *, actor: Actor, outcome: str, actual_return_date: datetime.date, note: str = ""
) -> None:
    _move(case, Status.CLOSED, actor.user, note=note)
    case.outcome = outcome.strip()
    case.actual_return_date = actual_return_date
    case.closed_at = timezone.now()
    case.next_review_date = None
    case.full_clean()
    case.save()
    flags_resolve(case=case, kinds=list(FlagKind), actor=actor, resolution="Case closed.")


# Decisions after which remote education goes on, so the next review must be set.
GOES_ON = (Decision.CONTINUE, Decision.EXTEND)


@transaction.atomic
def review_record(
    *,
    actor: Actor,
    case: Case,
    held_on: datetime.date,
    attendees: str,
    progress: str,
    decision: str,
    new_end_date: datetime.date | None = None,
    next_review_date: datetime.date | None = None,
    outcome: str = "",
    actual_return_date: datetime.date | None = None,
) -> Review:
    """Hold a review. Extending the time limit happens here and nowhere else.

    Every decision leaves the case consistent: going on (continue, extend) needs the next
    review's date; ending moves the case on, to reintegration (reviewed at the school's usual
    interval unless a date is given) or closed with its outcome and return date.
    """
    case = Case.objects.select_for_update().select_related("pupil__school").get(pk=case.pk)
    if case.status not in (Status.ACTIVE, Status.REINTEGRATING):
        raise ValidationError("Only an active case can be reviewed.")
    _not_in_future(held_on, "held_on")
    if held_on < case.start_date:
        raise ValidationError({"held_on": "A review cannot be before the case started."})
    if decision == Decision.EXTEND:
        if new_end_date is None:
            raise ValidationError({"new_end_date": "Give the new time limit."})
        if new_end_date <= case.end_date:
            raise ValidationError(
                {"new_end_date": f"The new time limit must be after {case.end_date:%d/%m/%Y}."}
            )
        _check_time_limit(case.pupil.school, held_on, new_end_date, "new_end_date")
    elif new_end_date is not None:
        raise ValidationError({"new_end_date": "Only give a new time limit when extending it."})
    if decision == Decision.CLOSE:
        errors = _return_errors(case, outcome, actual_return_date)
        if errors:
            raise ValidationError(errors)
        next_review_date = None
    else:
        if next_review_date is None and decision in GOES_ON:
            raise ValidationError(
                {"next_review_date": "Give the date of the next review: the case goes on."}
            )
        if next_review_date is None:
            next_review_date = _first_review(case.pupil.school, held_on)
        else:
            check_within_calendar(case.pupil.school, next_review_date, "next_review_date")
        if next_review_date <= held_on:
            raise ValidationError({"next_review_date": "The next review must be after this one."})
    review = Review(
        case=case,
        held_on=held_on,
        attendees=attendees.strip(),
        progress=progress.strip(),
        decision=decision,
        new_end_date=new_end_date,
        next_review_date=next_review_date,
        recorded_by=actor.user,
    )
    review.full_clean()
    review.save()
    case.next_review_date = next_review_date
    resolved = [FlagKind.REVIEW_OVERDUE]
    if decision == Decision.EXTEND:
        case.end_date = new_end_date
        resolved.append(FlagKind.TIME_LIMIT_PASSED)
    if decision == Decision.REINTEGRATE and case.status == Status.ACTIVE:
        _move(case, Status.REINTEGRATING, actor.user, note="Decided at review")
    if decision == Decision.CLOSE:
        _close(
            case,
            actor=actor,
            outcome=outcome,
            actual_return_date=actual_return_date,
            note="Decided at review",
        )
        access_record(
            actor=actor,
            action=AccessAction.CHANGE,
            subject=case,
            pupil_id=case.pupil_id,
            detail="closed",
        )
    else:
        case.save(update_fields=["next_review_date", "end_date", "status"])
        flags_resolve(case=case, kinds=resolved, actor=actor, resolution="Review held.")
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=review,
        pupil_id=case.pupil_id,
        detail=f"review: {decision}",
    )
    return review


def _plan_version_write(plan: ReintegrationPlan, *, actor: Actor, why: str) -> None:
    """Keep the plan as it now stands, with who changed it, when and why."""
    steps = [
        {
            "description": step.description,
            "target_date": step.target_date.isoformat(),
            "done_on": step.done_on.isoformat() if step.done_on else None,
        }
        for step in plan.steps.order_by("target_date", "pk")
    ]
    latest = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ReintegrationPlanVersion.objects.create(
        plan=plan,
        number=latest + 1,
        support=plan.support,
        flexibilities=plan.flexibilities,
        steps=steps,
        why=why[:300],
        changed_by=actor.user,
    )


@transaction.atomic
def reintegration_plan_save(
    *,
    actor: Actor,
    case: Case,
    support: str,
    flexibilities: str = "",
    why: str = "",
) -> ReintegrationPlan:
    """Write the plan, or change it: each change is a new version that keeps the old one."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(case)
    if not support.strip():
        raise ValidationError({"support": "Say what support is in place for the return."})
    plan = ReintegrationPlan.objects.filter(case=case).first()
    if plan is not None and not why.strip():
        raise ValidationError({"why": "Say why the plan changes."})
    created = plan is None
    if created:
        plan = ReintegrationPlan(case=case)
    plan.support = support.strip()
    plan.flexibilities = flexibilities.strip()
    plan.updated_by = actor.user
    plan.full_clean()
    plan.save()
    _plan_version_write(plan, actor=actor, why=why.strip() or "Plan written.")
    action = AccessAction.CREATE if created else AccessAction.CHANGE
    access_record(
        actor=actor,
        action=action,
        subject=plan,
        pupil_id=case.pupil_id,
        detail="reintegration plan",
    )
    return plan


@transaction.atomic
def reintegration_step_add(
    *,
    actor: Actor,
    case: Case,
    description: str,
    target_date: datetime.date,
) -> ReintegrationStep:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(case)
    plan = ReintegrationPlan.objects.filter(case=case).first()
    if plan is None:
        raise ValidationError("Write the reintegration plan's support first, then add steps.")
    if target_date < case.start_date:
        raise ValidationError({"target_date": "A step cannot be before the case started."})
    step = ReintegrationStep(plan=plan, description=description.strip(), target_date=target_date)
    step.full_clean()
    step.save()
    _plan_version_write(plan, actor=actor, why=f"Step added: {step.description}")
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=step,
        pupil_id=case.pupil_id,
        detail="reintegration step",
    )
    return step


@transaction.atomic
def reintegration_step_done(
    *, actor: Actor, step: ReintegrationStep, done_on: datetime.date
) -> ReintegrationStep:
    case = Case.objects.select_for_update().get(pk=step.plan.case_id)
    _require_open(case)
    _not_in_future(done_on, "done_on")
    step.done_on = done_on
    step.save(update_fields=["done_on"])
    _plan_version_write(step.plan, actor=actor, why=f"Step done: {step.description}")
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=step,
        pupil_id=case.pupil_id,
        detail="step done",
    )
    return step


@transaction.atomic
def case_close(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    actual_return_date: datetime.date | None,
) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(case)
    if case.status == Status.PROPOSED:
        # A closed case counts as remote education given; a proposal never was.
        raise ValidationError(
            "Remote education has not started on this proposal: withdraw it instead."
        )
    errors = _return_errors(case, outcome, actual_return_date)
    if errors:
        raise ValidationError(errors)
    _close(case, actor=actor, outcome=outcome, actual_return_date=actual_return_date)
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=case,
        pupil_id=case.pupil_id,
        detail="closed",
    )
    return case


def pupils_in(site: Site | None, school_class: SchoolClass | None) -> QuerySet[Pupil]:
    pupils = Pupil.objects.filter(on_roll=True)
    if school_class is not None:
        return pupils.filter(school_class=school_class)
    return pupils.filter(school_class__site=site)


@transaction.atomic
def closure_open(
    *,
    actor: Actor,
    school: School,
    reason: str,
    start_date: datetime.date,
    end_date: datetime.date,
    site: Site | None = None,
    school_class: SchoolClass | None = None,
) -> Closure:
    """Open a case for every pupil of a site or class in one step (policy section 3.2).

    The closure is the school's decision under government guidance or for safety, so its cases
    start active; agreements can still be recorded on each case. Its time limit is within the
    school's maximum, like any case. A pupil already on their own case keeps it: the case joins
    the closure (and notes it) instead of a second one being opened.
    """
    if reason not in CLOSURE_REASONS:
        raise ValidationError({"reason": "Choose a reason for closing a site or class."})
    target_school_id = (
        site.school_id
        if site is not None
        else (school_class.site.school_id if school_class is not None else None)
    )
    if target_school_id is not None and target_school_id != school.pk:
        raise ValidationError("That site or class belongs to another school.")
    closure = Closure(
        school=school,
        site=site,
        school_class=school_class,
        reason=reason,
        start_date=start_date,
        end_date=end_date,
        created_by=actor.user,
    )
    closure.full_clean()
    _check_time_limit(school, start_date, end_date, "end_date")
    pupils = list(pupils_in(site, school_class).select_for_update())
    if not pupils:
        raise ValidationError("There are no pupils on roll there.")
    joined = list(Case.objects.filter(pupil__in=pupils, status__in=OPEN_STATUSES))
    on_own_case = {case.pupil_id for case in joined}
    pupils = [pupil for pupil in pupils if pupil.pk not in on_own_case]
    closure.save()
    closure.joined_cases.set(joined)
    code = closure_attendance_code(school, reason, whole_site=site is not None)
    review = _first_review(school, start_date)
    cases = Case.objects.bulk_create(
        [
            Case(
                pupil=pupil,
                basis=Basis.CLOSURE,
                reason=reason,
                status=Status.ACTIVE,
                closure=closure,
                start_date=start_date,
                end_date=end_date,
                next_review_date=review,
                attendance_code=code,
                proposed_on=today(),
                created_by=actor.user,
            )
            for pupil in pupils
        ]
    )
    StatusChange.objects.bulk_create(
        [StatusChange(case=case, to_status=Status.ACTIVE, changed_by=actor.user) for case in cases]
    )
    ClosureCheck.objects.bulk_create([ClosureCheck(case=case) for case in cases])
    access_record(
        action=AccessAction.CREATE,
        actor=actor,
        subject=closure,
        detail=f"closure: {len(cases)} cases opened, {len(joined)} joined",
    )
    # One row per pupil too, so each pupil's access log shows their case being opened.
    access_record_many(
        action=AccessAction.CREATE,
        actor=actor,
        subjects=[(case, case.pupil_id) for case in cases],
        detail=f"opened by closure {closure.pk}",
    )
    if joined:
        access_record_many(
            action=AccessAction.CHANGE,
            actor=actor,
            subjects=[(case, case.pupil_id) for case in joined],
            detail=f"joined closure {closure.pk}",
        )
    return closure


@transaction.atomic
def closure_check_update(
    *, actor: Actor, case: Case, wellbeing: str, internet_access: str
) -> ClosureCheck:
    _require_open(case)
    check, _ = ClosureCheck.objects.get_or_create(case=case)
    check.wellbeing = wellbeing
    check.internet_access = internet_access
    check.updated_by = actor.user
    check.full_clean()
    check.save()
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=check,
        pupil_id=case.pupil_id,
        detail="class overview",
    )
    return check


@transaction.atomic
def paper_delivery_record(
    *, actor: Actor, case: Case, delivered_on: datetime.date, notes: str = ""
) -> PaperDelivery:
    _require_open(case)
    _not_in_future(delivered_on, "delivered_on")
    if delivered_on < case.start_date:
        raise ValidationError({"delivered_on": "A delivery cannot be before the case started."})
    delivery = PaperDelivery(
        case=case, delivered_on=delivered_on, delivered_by=actor.user, notes=notes.strip()
    )
    delivery.full_clean()
    delivery.save()
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=delivery,
        pupil_id=case.pupil_id,
        detail="paper delivery",
    )
    return delivery


# --- Feedback on the work from the carers' portal ------------------------------------------


@transaction.atomic
def work_feedback_give(
    *,
    actor: Actor,
    case: Case,
    carer: object,
    period: str,
    starts_on: datetime.date,
    rating: str,
    note: str = "",
) -> WorkFeedback:
    """A parent or carer says how they found the work of one school day or one school week.
    The carers' portal's gate has checked the carer may act for the case's pupil; the actor
    is the carer's own sign-in. Kept beside the provision, as written."""
    case = Case.objects.select_for_update().select_related("pupil__school").get(pk=case.pk)
    if case.status not in (Status.ACTIVE, Status.REINTEGRATING):
        raise ValidationError("Feedback is given while remote education runs.")
    note = note.strip()
    if len(note) > WORK_FEEDBACK_NOTE_LIMIT:
        raise ValidationError(
            {"note": f"Keep the note to {WORK_FEEDBACK_NOTE_LIMIT} characters or fewer."}
        )
    if period == FeedbackPeriod.WEEK:
        starts_on -= datetime.timedelta(days=starts_on.weekday())
        last = starts_on + datetime.timedelta(days=6)
        if not school_days_between(case.pupil.school, starts_on, last):
            raise ValidationError({"starts_on": "The school was not open that week."})
    elif period == FeedbackPeriod.DAY:
        if not is_school_day(case.pupil.school, starts_on):
            raise ValidationError({"starts_on": "This is not a school day."})
        last = starts_on
    else:
        raise ValidationError({"period": "Choose a day or the week."})
    if starts_on > today():
        raise ValidationError({"starts_on": "Choose a day that has already started."})
    if last < case.start_date:
        raise ValidationError(
            {"starts_on": f"Remote education started on {case.start_date:%d/%m/%Y}."}
        )
    feedback = WorkFeedback(
        case=case,
        period=period,
        starts_on=starts_on,
        rating=rating,
        note=note,
        carer=carer,
        given_by=actor.user,
    )
    feedback.full_clean()
    feedback.save()
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=feedback,
        pupil_id=case.pupil_id,
        detail=f"carer feedback: {period}",
    )
    return feedback
