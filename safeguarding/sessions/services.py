"""Virtual sessions (policy Appendix 1): every write. Who may plan, run and read them is in
safeguarding.permissions.

Writes are keyword-only, one transaction each, ``full_clean()`` before saving and an audit
row in the same transaction. Bad input raises ``ValidationError`` keyed by the form field at
fault, before anything is written.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Expression, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case, Provision, Status
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from safeguarding.models import (
    ChecklistItem,
    Concern,
    ConcernCategory,
    ConcernSource,
    SafeguardingSettings,
    SessionAttendance,
    SessionChecklistEntry,
    SessionFamilyAgreement,
    SessionKind,
    VirtualSession,
)
from safeguarding.permissions import can_invite, can_run_session, not_session_staff
from safeguarding.services import concern_raise
from schools.calendar import check_within_calendar, term_agreed_for, today
from schools.models import Carer, Phase, Pupil, School, SchoolDay

DEFAULT_MAX_MINUTES = SafeguardingSettings._meta.get_field("max_session_minutes").default
MIN_STAFF = 2
TWO_STAFF_MESSAGE = (
    "At least two members of staff must be present for a live session. With fewer, offer a "
    "pre-recorded lesson instead: tick the box below."
)


HOUSEHOLD_MESSAGE = (
    "The family must agree that other members of the household will not be seen or heard."
)


def max_session_minutes(school: School) -> int:
    found = SafeguardingSettings.objects.filter(school=school).values_list(
        "max_session_minutes", flat=True
    )
    return next(iter(found), DEFAULT_MAX_MINUTES)


def agreements_in_force(on: datetime.date | Expression) -> QuerySet[SessionFamilyAgreement]:
    """The family agreements that count for a session on ``on`` (a date, or an expression
    for one): the one place that decides whether a family agreed. An agreement recorded by
    staff counts from then on; one the carer gave themselves on the family portal counts for
    sessions in the term it was given for (Appendix 1, agreed term by term)."""
    return SessionFamilyAgreement.objects.filter(
        Q(given_by_carer__isnull=True) | Q(term__first_day__lte=on, term__last_day__gte=on)
    )


def complete_agreements_in_force(on: datetime.date | Expression):
    """Agreements in force that also record the household term: what a live session needs."""
    return agreements_in_force(on).filter(household_not_seen_or_heard=True)


def with_family_agreement(
    sessions: QuerySet[VirtualSession], pupil_id: int
) -> QuerySet[VirtualSession]:
    """``sessions`` marked ``family_agreed``: whether the pupil's family has an agreement in
    force, and complete, for each session's own day. No query until read."""
    return sessions.annotate(
        family_agreed=Exists(
            complete_agreements_in_force(OuterRef("starts_at__date")).filter(pupil_id=pupil_id)
        )
    )


def ground_rules_markers(pupil_ids: list[int], day: datetime.date) -> dict[int, str]:
    """For the Today page: the pupils whose family's session ground rules count on ``day``,
    with who agreed them when it was the carer on the family portal. One query."""
    found: dict[int, str] = {}
    agreements = (
        complete_agreements_in_force(day)
        .filter(pupil_id__in=pupil_ids)
        .select_related("term")
        .order_by("pupil_id", "-recorded_at", "-pk")
    )
    for agreement in agreements:
        if agreement.pupil_id in found:
            continue
        found[agreement.pupil_id] = (
            f"Session ground rules agreed for {agreement.term.name} by "
            f"{agreement.agreed_with} (parent/carer) on the family portal"
            if agreement.is_given_by_carer
            else "Session ground rules agreed with the family"
        )
    return found


def has_agreement(pupil: Pupil, on: datetime.date | None = None) -> bool:
    return agreements_in_force(on or today()).filter(pupil=pupil).exists()


def _agreement_gaps(pupils: list[Pupil], on: datetime.date) -> tuple[list[str], list[str]]:
    """Pupils whose family has agreed nothing that counts for a session on ``on``, and pupils
    whose only such agreements predate the household term (Appendix 1: others at home are
    not seen or heard): two queries."""
    agreed = set(
        agreements_in_force(on).filter(pupil__in=pupils).values_list("pupil_id", flat=True)
    )
    complete = set(
        complete_agreements_in_force(on).filter(pupil__in=pupils).values_list("pupil_id", flat=True)
    )
    never = [p.display_name for p in pupils if p.pk not in agreed]
    incomplete = [p.display_name for p in pupils if p.pk in agreed and p.pk not in complete]
    return never, incomplete


# --- Family agreement ------------------------------------------------------------------------


@transaction.atomic
def session_agreement_record(
    *,
    actor: Actor,
    pupil: Pupil,
    agreed_with: str,
    agreed_on: datetime.date,
    no_recordings: bool,
    confidentiality: bool,
    parent_present: bool,
    independent_access_agreed: bool,
    independent_access_agreed_by: str = "",
    dress_and_language: bool,
    expectations_known: bool,
    household_not_seen_or_heard: bool,
) -> SessionFamilyAgreement:
    if not can_invite(actor.user, pupil):
        raise ValidationError("You cannot record an agreement for this pupil.")
    errors: dict[str, str] = {}
    if not agreed_with.strip():
        errors["agreed_with"] = "Name the parent or carer who agreed."
    if agreed_on and agreed_on > today():
        errors["agreed_on"] = "This date is in the future."
    required = {
        "no_recordings": "The family must agree not to make any recordings.",
        "confidentiality": "The family must agree to keep content, password and codes "
        "confidential.",
        "dress_and_language": "The family must agree to appropriate dress and language.",
        "expectations_known": "The family must know the pupil expectations.",
        "household_not_seen_or_heard": HOUSEHOLD_MESSAGE,
    }
    values = {
        "no_recordings": no_recordings,
        "confidentiality": confidentiality,
        "dress_and_language": dress_and_language,
        "expectations_known": expectations_known,
        "household_not_seen_or_heard": household_not_seen_or_heard,
    }
    for field, message in required.items():
        if not values[field]:
            errors[field] = message
    if pupil.school_class.phase == Phase.PRIMARY and not parent_present:
        if not independent_access_agreed:
            errors["parent_present"] = (
                "A primary-phase pupil needs a parent or carer present, unless independent "
                "access was discussed and agreed."
            )
        elif not independent_access_agreed_by.strip():
            errors["independent_access_agreed_by"] = "Record who agreed independent access."
    if errors:
        raise ValidationError(errors)
    agreement = SessionFamilyAgreement(
        pupil=pupil,
        agreed_with=agreed_with.strip(),
        agreed_on=agreed_on,
        no_recordings=no_recordings,
        confidentiality=confidentiality,
        parent_present=parent_present,
        independent_access_agreed=independent_access_agreed,
        independent_access_agreed_by=independent_access_agreed_by.strip(),
        dress_and_language=dress_and_language,
        expectations_known=expectations_known,
        household_not_seen_or_heard=household_not_seen_or_heard,
        recorded_by=actor.user,
    )
    agreement.full_clean()
    agreement.save()
    access_record(action=AccessAction.CREATE, subject=agreement, pupil_id=pupil.pk, actor=actor)
    return agreement


GROUND_RULES_REQUIRED = {
    "no_recordings": "Agree not to make any recordings of the session.",
    "confidentiality": "Agree to keep the content, password and invitation codes confidential.",
    "dress_and_language": "Agree to appropriate clothing and language.",
    "expectations_known": "Agree that you know what is expected of your child.",
    "household_not_seen_or_heard": "Agree that other members of the household will not be "
    "seen or heard.",
}


@transaction.atomic
def session_agreement_give_by_carer(
    *,
    actor: Actor,
    pupil: Pupil,
    carer: Carer,
    no_recordings: bool,
    confidentiality: bool,
    parent_present: bool,
    dress_and_language: bool,
    expectations_known: bool,
    household_not_seen_or_heard: bool,
) -> SessionFamilyAgreement:
    """A parent or carer agrees the ground rules of Appendix 1 themselves, on the family
    portal, for this term (or, in a holiday, the next). The family portal's gate
    (``families.permissions.access_child``) has already said this carer speaks for this
    pupil; the agreement is theirs (recorded_by is their own account), never staff work.
    Independent access is not theirs to agree alone: the policy asks for it to be discussed
    and agreed with the school, so it stays as staff recorded it."""
    pupil = Pupil.objects.select_for_update().select_related("school_class").get(pk=pupil.pk)
    values = {
        "no_recordings": no_recordings,
        "confidentiality": confidentiality,
        "dress_and_language": dress_and_language,
        "expectations_known": expectations_known,
        "household_not_seen_or_heard": household_not_seen_or_heard,
    }
    errors = {
        field: message for field, message in GROUND_RULES_REQUIRED.items() if not values[field]
    }
    if pupil.school_class.phase == Phase.PRIMARY and not parent_present:
        errors["parent_present"] = (
            "A parent or carer must be with your child during the session. If your child "
            "should join on their own, talk to the school first."
        )
    if errors:
        raise ValidationError(errors)
    term = term_agreed_for(pupil.school, today())
    if term is None:
        raise ValidationError(
            "The school has not set its term dates yet, so an agreement cannot be recorded. "
            "Contact the school."
        )
    if SessionFamilyAgreement.objects.filter(pupil=pupil, given_by_carer=carer, term=term).exists():
        raise ValidationError(f"You have already agreed the ground rules for {term.name}.")
    agreement = SessionFamilyAgreement(
        pupil=pupil,
        agreed_with=carer.full_name,
        agreed_on=today(),
        parent_present=parent_present,
        independent_access_agreed=False,
        recorded_by=actor.user,
        given_by_carer=carer,
        term=term,
        **values,
    )
    agreement.full_clean()
    agreement.save()
    access_record(
        action=AccessAction.CREATE,
        subject=agreement,
        pupil_id=pupil.pk,
        actor=actor,
        detail="ground rules agreed by the carer on the family portal",
    )
    return agreement


def carer_ground_rules_current(pupil: Pupil, carer: Carer) -> SessionFamilyAgreement | None:
    """The carer's own agreement to the ground rules for the term now running (or next)."""
    term = term_agreed_for(pupil.school, today())
    if term is None:
        return None
    return (
        SessionFamilyAgreement.objects.select_related("term")
        .filter(pupil=pupil, given_by_carer=carer, term=term)
        .first()
    )


# --- Planning --------------------------------------------------------------------------------


def _check_staff(*, school: School, pupils: list[Pupil], staff: list[object]) -> None:
    """Only staff working at the pupils' school or site are staff present: not governors, not
    the DPO, not staff of another site."""
    sites = Pupil.objects.filter(pk__in=[p.pk for p in pupils]).values("school_class__site_id")
    others = not_session_staff(school.pk, sites, staff)
    if others:
        names = ", ".join(sorted(member.full_name or member.email for member in others))
        raise ValidationError(
            {
                "staff": "Only staff working at the pupils' school or site count as staff "
                f"present (not governors or the data protection officer): {names}."
            }
        )


def _check_plan(
    *,
    actor: Actor,
    school: School,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    pupils: list[Pupil],
) -> tuple[datetime.datetime, int]:
    errors: dict[str, str] = {}
    if not pupils:
        errors["pupils"] = "Choose the pupils to invite."
    elif any(not can_invite(actor.user, pupil) or pupil.school_id != school.pk for pupil in pupils):
        errors["pupils"] = "You can invite only pupils of your classes."
    if date is None:
        errors["date"] = "Give the date."
    if start_time is None:
        errors["start_time"] = "Give the start time."
    if end_time is None:
        errors["end_time"] = "Give the end time."
    if errors:
        raise ValidationError(errors)
    check_within_calendar(school, date, "date")
    zone = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(date, start_time, tzinfo=zone)
    ends_at = datetime.datetime.combine(date, end_time, tzinfo=zone)
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    limit = max_session_minutes(school)
    if minutes <= 0:
        raise ValidationError({"end_time": "The session must end after it starts."})
    if minutes > limit:
        raise ValidationError(
            {"end_time": f"A session may last at most {limit} minutes; this is {minutes}."}
        )
    return starts_at, minutes


@transaction.atomic
def session_plan(
    *,
    actor: Actor,
    school: School,
    title: str,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    pupils: list[Pupil],
    staff: list[object],
    meeting_link: str = "",
) -> VirtualSession:
    """Plan a live session: two staff at least, each pupil with a school email address and
    their family's agreement. Invitations go to the school address only."""
    starts_at, minutes = _check_plan(
        actor=actor,
        school=school,
        date=date,
        start_time=start_time,
        end_time=end_time,
        pupils=pupils,
    )
    _check_staff(school=school, pupils=pupils, staff=staff)
    errors: dict[str, str] = {}
    if len(set(staff)) < MIN_STAFF:
        errors["staff"] = TWO_STAFF_MESSAGE
    without_email = [p.display_name for p in pupils if not p.school_email]
    without_agreement, incomplete_agreement = _agreement_gaps(pupils, date)
    pupil_errors = []
    if without_email:
        pupil_errors.append(
            "No school email address, so they cannot be invited: " + ", ".join(without_email) + "."
        )
    if without_agreement:
        pupil_errors.append(
            "No family agreement recorded yet that holds on this day, so they cannot be invited: "
            + ", ".join(without_agreement)
            + "."
        )
    if incomplete_agreement:
        pupil_errors.append(
            "The family's agreement does not record that other members of the household will "
            "not be seen or heard; record the agreement again before inviting: "
            + ", ".join(incomplete_agreement)
            + "."
        )
    if pupil_errors:
        errors["pupils"] = " ".join(pupil_errors)
    if errors:
        raise ValidationError(errors)
    session = _create(
        school=school,
        kind=SessionKind.LIVE,
        title=title,
        starts_at=starts_at,
        minutes=minutes,
        meeting_link=meeting_link,
        pupils=pupils,
        staff=staff,
        actor=actor,
    )
    return session


def _create(
    *, actor: Actor, school, kind, title, starts_at, minutes, meeting_link, pupils, staff
) -> VirtualSession:
    session = VirtualSession(
        school=school,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        minutes=minutes,
        meeting_link=meeting_link if kind == SessionKind.LIVE else "",
        planned_by=actor.user,
    )
    session.full_clean()
    session.save()
    session.pupils.set(pupils)
    session.staff.set(staff)
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                session=session,
                pupil=pupil,
                invited_at_email=pupil.school_email if kind == SessionKind.LIVE else "",
            )
            for pupil in pupils
        ]
    )
    for pupil in pupils:
        access_record(
            action=AccessAction.CREATE, subject=session, pupil_id=pupil.pk, actor=actor, detail=kind
        )
    return session


@transaction.atomic
def session_record_prerecorded(
    *,
    actor: Actor,
    school: School,
    title: str,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    pupils: list[Pupil],
    staff: list[object],
) -> VirtualSession:
    """Fewer than two staff: a pre-recorded lesson is offered instead. It is provision (sent to
    the home learning platform) for the lesson's date, not the day it is entered: recorded now
    when that date has come, otherwise on the day by the daily job."""
    starts_at, minutes = _check_plan(
        actor=actor,
        school=school,
        date=date,
        start_time=start_time,
        end_time=end_time,
        pupils=pupils,
    )
    _check_staff(school=school, pupils=pupils, staff=staff)
    session = _create(
        school=school,
        kind=SessionKind.PRE_RECORDED,
        title=title,
        starts_at=starts_at,
        minutes=minutes,
        meeting_link="",
        pupils=pupils,
        staff=staff,
        actor=actor,
    )
    if date <= today():
        prerecorded_provision_record(on=date, actor=actor, session_ids=[session.pk])
    return session


PRERECORDED_FEEDBACK = "Pre-recorded lesson offered instead of a live session: "


@transaction.atomic
def prerecorded_provision_record(
    *, on: datetime.date, actor: Actor, session_ids: list[int] | None = None
) -> int:
    """Provision for the pre-recorded lessons dated ``on`` (those of ``session_ids`` only, when
    given): one row per running case of an invited pupil, on a school day with nothing yet
    recorded for it, by the teacher who planned the lesson. A few statements whatever the
    number of cases; running it again records nothing new."""
    if on > today():
        return 0
    sessions = VirtualSession.objects.filter(kind=SessionKind.PRE_RECORDED, starts_at__date=on)
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
    cases = (
        Case.objects.filter(
            status__in=(Status.ACTIVE, Status.REINTEGRATING),
            start_date__lte=on,
            end_date__gte=on,
        )
        .filter(Exists(SchoolDay.objects.filter(school_id=OuterRef("pupil__school_id"), date=on)))
        .exclude(Exists(Provision.objects.filter(case_id=OuterRef("pk"), date=on)))
    )
    due = (
        SessionAttendance.objects.filter(session__in=sessions, pupil__cases__in=cases)
        .order_by("session__starts_at", "session_id")
        .values_list("pupil__cases__id", "pupil_id", "session__title", "session__planned_by_id")
    )
    first_per_case: dict[int, tuple[int, str, int]] = {}
    for case_id, pupil_id, title, planned_by_id in due:
        first_per_case.setdefault(case_id, (pupil_id, title, planned_by_id))
    provisions = [
        Provision(
            case_id=case_id,
            date=on,
            sent_to_platform=True,
            feedback=f"{PRERECORDED_FEEDBACK}{title}"[:2000],
            recorded_by_id=planned_by_id,
        )
        for case_id, (_, title, planned_by_id) in first_per_case.items()
    ]
    try:
        with transaction.atomic():
            Provision.objects.bulk_create(provisions)
    except IntegrityError:
        # Someone recorded the day's provision at the same moment: theirs stands.
        return 0
    access_record_many(
        action=AccessAction.CREATE,
        actor=actor,
        subjects=[(p, first_per_case[p.case_id][0]) for p in provisions],
        detail="provision: pre-recorded lesson",
    )
    return len(provisions)


# --- On the day ------------------------------------------------------------------------------


@transaction.atomic
def session_checklist_record(
    *,
    actor: Actor,
    session: VirtualSession,
    answers: dict[str, tuple[bool | None, str]],
    attended: list[Pupil],
) -> list[SessionChecklistEntry]:
    """Record the on-the-day checklist once: each item done, or not done with the reason; and
    who of the invited pupils attended."""
    session = VirtualSession.objects.select_for_update().get(pk=session.pk)
    if not can_run_session(actor.user, session):
        raise ValidationError("You cannot record this session's checklist.")
    if SessionChecklistEntry.objects.filter(session=session).exists():
        raise ValidationError("The checklist for this session is already recorded.")
    errors: dict[str, str] = {}
    for item in ChecklistItem.values:
        done, reason = answers.get(item, (None, ""))
        if done is None:
            errors[item] = "Say whether this was done."
        elif not done and not reason.strip():
            errors[f"{item}_reason"] = "Give the reason it was not done."
    invited = set(session.pupils.values_list("pk", flat=True))
    if any(pupil.pk not in invited for pupil in attended):
        errors["attended"] = "Only invited pupils can attend."
    if errors:
        raise ValidationError(errors)
    entries = []
    for item in ChecklistItem.values:
        done, reason = answers[item]
        entry = SessionChecklistEntry(
            session=session,
            item=item,
            done=bool(done),
            reason="" if done else reason.strip(),
            recorded_by=actor.user,
        )
        entry.full_clean()
        entries.append(entry)
    SessionChecklistEntry.objects.bulk_create(entries)
    came = {pupil.pk for pupil in attended}
    for row in SessionAttendance.objects.filter(session=session):
        row.attended = row.pupil_id in came
        row.save(update_fields=["attended"])
    for pupil_id in invited:
        access_record(
            action=AccessAction.CHANGE,
            subject=session,
            pupil_id=pupil_id,
            actor=actor,
            detail="checklist",
        )
    return entries


@transaction.atomic
def session_stop(*, actor: Actor, session: VirtualSession) -> VirtualSession:
    """Stop a session for an immediate concern. The concern itself is raised next."""
    session = VirtualSession.objects.select_for_update().get(pk=session.pk)
    if not can_run_session(actor.user, session):
        raise ValidationError("You cannot stop this session.")
    if session.kind != SessionKind.LIVE:
        raise ValidationError("Only a live session can be stopped.")
    if session.stopped_at is None:
        session.stopped_at = timezone.now()
        session.stopped_by = actor.user
        session.full_clean()
        session.save(update_fields=["stopped_at", "stopped_by"])
        for pupil_id in session.pupils.values_list("pk", flat=True):
            access_record(
                action=AccessAction.CHANGE,
                subject=session,
                pupil_id=pupil_id,
                actor=actor,
                detail="stopped",
            )
    return session


@transaction.atomic
def concern_raise_from_session(
    *,
    actor: Actor,
    session: VirtualSession,
    pupil: Pupil,
    category: ConcernCategory | None,
    urgency: str,
    what_happened: str,
    happened_at: datetime.datetime | None,
    childs_words: str = "",
    where: str = "",
    others_told: str = "",
    other_pupils: Iterable[Pupil] = (),
) -> Concern:
    """A concern raised from a virtual session: recorded as any concern is (an immediate one
    notifies the site's DSL team), with the session attached."""
    if not session.pupils.filter(pk=pupil.pk).exists():
        raise ValidationError({"pupil": "This pupil was not invited to this session."})
    concern = concern_raise(
        pupil=pupil,
        category=category,
        urgency=urgency,
        what_happened=what_happened,
        happened_at=happened_at,
        childs_words=childs_words,
        where=where or "Virtual session",
        others_told=others_told,
        other_pupils=other_pupils,
        actor=actor,
    )
    concern.source = ConcernSource.VIRTUAL_SESSION
    concern.session = session
    concern.full_clean()
    concern.save(update_fields=["source", "session"])
    access_record(
        action=AccessAction.CHANGE,
        subject=concern,
        pupil_id=pupil.pk,
        actor=actor,
        detail=f"raised from session {session.pk}",
    )
    return concern
