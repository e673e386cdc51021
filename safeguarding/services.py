"""Every write to a concern and its triage (policy sections 3.2 and 3.4).

Keyword-only, one transaction each, ``full_clean()`` before saving, an audit row in the same
transaction. A concern's account is fixed once raised: corrections and additions are addenda.
Notifications are written in the same transaction as what they are about; sending them is
nudged after commit and swept every minute, so a broker outage delays but never drops them.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contacts.models import ContactLog
from core.actor import Actor
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.models import (
    RESPONSE_SETTING,
    TEXT_LIMIT,
    Action,
    ActionFlag,
    Addendum,
    Concern,
    ConcernCategory,
    ConcernPupil,
    ConcernSource,
    ConcernStatus,
    Decision,
    Notification,
    NotificationKind,
    Referral,
    ReferralChase,
    ReferralFlag,
    ReferralResponse,
    SafeguardingSettings,
    Urgency,
)
from safeguarding.permissions import (
    can_name_in_concern,
    can_raise_concern_for,
    can_see_receipt,
    can_triage_concern,
    covering,
    dsl_team_for,
    dsl_teams_of,
)
from schools.calendar import add_working_days, compute_school_days, school_time_back, today
from schools.models import Membership, Pupil, Role, School, SchoolDay

# Keeping Children Safe in Education's headings, then the categories schools already had.
# Migration 0006 gave existing schools the ones they lacked: a name added here needs another.
DEFAULT_CATEGORIES = (
    "Physical abuse",
    "Emotional abuse",
    "Sexual abuse",
    "Neglect",
    "Child-on-child abuse",
    "Child criminal exploitation",
    "Child sexual exploitation",
    "Online safety",
    "Radicalisation",
    "Domestic abuse",
    "Mental health",
    "Emotional wellbeing",
    "Physical harm",
    "Family circumstances",
    "Other",
)
# The defaults that are about the child's body (abuse or an injury) and so record a body map.
BODY_MAP_CATEGORIES = ("Physical abuse", "Physical harm")
CLOSE_REASON_LABEL = "why the concern is being closed with this decision"


def _require_text(field: str, value: str, *, label: str, limit: int = TEXT_LIMIT) -> None:
    if not (value or "").strip():
        raise ValidationError({field: f"Write {label}."})
    if len(value) > limit:
        raise ValidationError({field: f"Keep this under {limit:,} characters."})


# --- Categories ------------------------------------------------------------------------------


@transaction.atomic
def concern_categories_ensure(*, school: School) -> list[ConcernCategory]:
    """The school's active categories, creating the defaults the first time they are asked for."""
    if not ConcernCategory.objects.filter(school=school).exists():
        ConcernCategory.objects.bulk_create(
            [
                ConcernCategory(
                    school=school, name=name, records_body_map=name in BODY_MAP_CATEGORIES
                )
                for name in DEFAULT_CATEGORIES
            ],
            ignore_conflicts=True,
        )
    return list(ConcernCategory.objects.filter(school=school, active=True))


def concern_categories_for_new_school(*, school: School, **_: object) -> None:
    """A new school starts with the default categories (``school_created`` receiver)."""
    concern_categories_ensure(school=school)


# --- Raising ---------------------------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *,
    actor: Actor,
    pupil: Pupil,
    category: ConcernCategory | None,
    urgency: str,
    what_happened: str,
    happened_at: datetime.datetime | None,
    childs_words: str = "",
    where: str = "",
    others_told: str = "",
    contact: ContactLog | None = None,
    other_pupils: Iterable[Pupil] = (),
) -> Concern:
    """Record a concern, with the other pupils it names. An immediate one writes a
    notification for each member of the site's DSL team in this same transaction, then nudges
    the sender once it has committed."""
    if not can_raise_concern_for(actor.user, pupil):
        raise ValidationError({"pupil": "You cannot raise a concern about this pupil."})
    other_pupils = _named_pupils_check(actor, pupil, list(other_pupils))
    if contact is not None and contact.case.pupil_id != pupil.pk:
        raise ValidationError({"pupil": "This contact was not about this pupil."})
    if category is None or category.school_id != pupil.school_id:
        raise ValidationError({"category": "Choose a category."})
    _require_text("what_happened", what_happened, label="what happened")
    if happened_at is not None and happened_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"happened_at": "This time is in the future."})
    concern = Concern(
        pupil=pupil,
        source=ConcernSource.CONTACT if contact is not None else ConcernSource.OTHER,
        contact=contact,
        category=category,
        urgency=urgency,
        what_happened=what_happened,
        childs_words=childs_words,
        happened_at=happened_at or timezone.now(),
        where=where,
        others_told=others_told,
        raised_by=actor.user,
    )
    concern.full_clean()
    concern.save()
    access_record(action=AccessAction.CREATE, subject=concern, pupil_id=pupil.pk, actor=actor)
    for other in other_pupils:
        _name_pupil(actor, concern, other, reason="")
    if urgency == Urgency.IMMEDIATE:
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=member, concern=concern, kind=NotificationKind.IMMEDIATE_CONCERN
                )
                for member in dsl_team_for(pupil)
            ]
        )
        outbox_nudge(Notification)
    return concern


OTHER_SCHOOL = "Name only pupils of this pupil's school."
NOT_YOURS_TO_NAME = "You can name only pupils you can see."
NAMED_ALREADY = "This pupil is already named in the concern."
NAMED_SUBJECT = "The concern is about this pupil: name the other pupils involved."


def _named_pupils_check(actor: Actor, pupil: Pupil, others: list[Pupil]) -> list[Pupil]:
    """The other pupils a concern about ``pupil`` names, each once: refused at the field if
    one is of another school, is the pupil themself, or is one the person may not see."""
    chosen = list({other.pk: other for other in others}.values())
    for other in chosen:
        if other.school_id != pupil.school_id:
            raise ValidationError({"other_pupils": OTHER_SCHOOL})
        if other.pk == pupil.pk:
            raise ValidationError({"other_pupils": NAMED_SUBJECT})
        if not can_name_in_concern(actor.user, other):
            raise ValidationError({"other_pupils": NOT_YOURS_TO_NAME})
    return chosen


def _name_pupil(actor: Actor, concern: Concern, other: Pupil, *, reason: str) -> ConcernPupil:
    named = ConcernPupil(concern=concern, pupil=other, added_by=actor.user, reason=reason)
    named.full_clean()
    named.save()
    # In the named pupil's audit trail too: the concern is in their chronology now.
    access_record(
        action=AccessAction.CREATE,
        subject=named,
        pupil_id=other.pk,
        actor=actor,
        detail=f"named in concern {concern.pk}",
    )
    return named


@transaction.atomic
def concern_pupil_add(
    *, actor: Actor, concern: Concern, pupil: Pupil | None, reason: str
) -> ConcernPupil:
    """Name another pupil in a concern after it was raised: the DSL team, while the concern is
    open, with the reason. Appended, never removed."""
    concern = _open_concern(concern)
    if not can_triage_concern(actor.user, concern):
        raise ValidationError(NOT_YOURS_TO_ADD_TO)
    if pupil is None:
        raise ValidationError({"pupil": "Choose the pupil to name."})
    _require_text("reason", reason, label="why this pupil is named in the concern")
    try:
        (pupil,) = _named_pupils_check(actor, concern.pupil, [pupil])
    except ValidationError as error:
        raise ValidationError({"pupil": error.error_dict["other_pupils"]}) from None
    if ConcernPupil.objects.filter(concern=concern, pupil=pupil).exists():
        raise ValidationError({"pupil": NAMED_ALREADY})
    return _name_pupil(actor, concern, pupil, reason=reason)


# --- Triage ----------------------------------------------------------------------------------


NOT_YOURS_TO_ADD_TO = "Only current staff who may see this concern can add to it."
CLOSED_CONCERN = "This concern is closed: add an addendum instead."


def _open_concern(concern: Concern | int) -> Concern:
    """The concern, locked until the change commits; refused once it is closed, so every way
    in (page, job, import) finds a closed concern frozen."""
    locked = Concern.objects.select_for_update().get(pk=getattr(concern, "pk", concern))
    if locked.status == ConcernStatus.CLOSED:
        raise ValidationError(CLOSED_CONCERN)
    return locked


@transaction.atomic
def concern_acknowledge(*, actor: Actor, concern: Concern) -> Concern:
    concern = _open_concern(concern)
    if concern.acknowledged_at is None:
        concern.status = ConcernStatus.ACKNOWLEDGED
        concern.acknowledged_by = actor.user
        concern.acknowledged_at = timezone.now()
        if concern.owner_id is None:
            concern.owner = actor.user
        concern.full_clean()
        concern.save()
        access_record(
            action=AccessAction.CHANGE,
            subject=concern,
            pupil_id=concern.pupil_id,
            actor=actor,
            detail="acknowledged",
        )
    return concern


@transaction.atomic
def concern_assign(*, actor: Actor, concern: Concern, owner: object | None) -> Concern:
    concern = _open_concern(concern)
    if owner is None:
        raise ValidationError({"owner": "Choose who owns this concern."})
    concern.owner = owner
    if concern.acknowledged_at is None:
        concern.status = ConcernStatus.ACKNOWLEDGED
        concern.acknowledged_by = actor.user
        concern.acknowledged_at = timezone.now()
    concern.full_clean()
    concern.save()
    access_record(
        action=AccessAction.CHANGE,
        subject=concern,
        pupil_id=concern.pupil_id,
        actor=actor,
        detail=f"owner set to user {owner.pk}",
    )
    return concern


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    concern: Concern,
    what: str,
    who: object | None,
    due_on: datetime.date | None = None,
) -> Action:
    concern = _open_concern(concern)
    _require_text("what", what, label="what is to be done", limit=500)
    if who is None:
        raise ValidationError({"who": "Choose who will do it."})
    action = Action(concern=concern, what=what, who=who, due_on=due_on, recorded_by=actor.user)
    action.full_clean()
    action.save()
    access_record(
        action=AccessAction.CREATE, subject=action, pupil_id=concern.pupil_id, actor=actor
    )
    return action


@transaction.atomic
def action_done(
    *,
    actor: Actor,
    action: Action,
    done_on: datetime.date | None = None,
) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    action.concern = _open_concern(action.concern_id)
    if action.done_on is None:
        action.done_on = done_on or timezone.localdate()
        action.full_clean()
        action.save(update_fields=["done_on"])
        access_record(
            action=AccessAction.CHANGE,
            subject=action,
            pupil_id=action.concern.pupil_id,
            actor=actor,
            detail="done",
        )
        # Its overdue flag, if one was raised, is answered by this.
        ActionFlag.objects.filter(action=action, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor.user, resolution="Done"
        )
    return action


@transaction.atomic
def decision_add(
    *,
    actor: Actor,
    concern: Concern,
    decision: str,
    reason: str,
) -> Decision:
    concern = _open_concern(concern)
    _require_text("decision", decision, label="the discussion or decision")
    _require_text("reason", reason, label="the reason")
    record = Decision(concern=concern, decision=decision, reason=reason, decided_by=actor.user)
    record.full_clean()
    record.save()
    access_record(
        action=AccessAction.CREATE, subject=record, pupil_id=concern.pupil_id, actor=actor
    )
    return record


def _school_settings(school_id: int) -> SafeguardingSettings:
    """The school's safeguarding settings, or the defaults while it has saved none."""
    return SafeguardingSettings.objects.filter(school_id=school_id).first() or (
        SafeguardingSettings(school_id=school_id)
    )


def _not_in_future(field: str, day: datetime.date) -> None:
    if day > today():
        raise ValidationError({field: "This date is in the future."})


@transaction.atomic
def referral_add(
    *,
    actor: Actor,
    concern: Concern,
    agency: str,
    reference: str = "",
    notes: str = "",
    referred_on: datetime.date | None = None,
) -> Referral:
    """Record a referral made on ``referred_on`` (today when not given), with the response
    the school expects from that agency: its working days and the date, kept with it. Only an
    open concern takes a new referral."""
    concern = _open_concern(concern)
    if not agency:
        raise ValidationError({"agency": "Choose the agency."})
    referred_on = referred_on or today()
    _not_in_future("referred_on", referred_on)
    days = getattr(_school_settings(concern.pupil.school_id), RESPONSE_SETTING[agency])
    due = add_working_days(referred_on, days)
    referral = Referral(
        concern=concern,
        agency=agency,
        referred_on=referred_on,
        reference=reference,
        notes=notes,
        expected_within_working_days=days,
        response_due_on=due,
        due_on=due,
        made_by=actor.user,
    )
    referral.full_clean()
    referral.save()
    access_record(
        action=AccessAction.CREATE, subject=referral, pupil_id=concern.pupil_id, actor=actor
    )
    return referral


def _locked_referral(referral: Referral) -> Referral:
    """The referral, locked until the change commits. Its concern may be closed: an agency's
    answer, or chasing for it, still belongs on the record after the school's part is done."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("concern__pupil")
        .get(pk=referral.pk)
    )


def _after_referral(field: str, day: datetime.date, referral: Referral, what: str) -> None:
    _not_in_future(field, day)
    if day < referral.referred_on:
        raise ValidationError(
            {
                field: f"A {what} cannot be dated before the referral "
                f"({referral.referred_on:%d/%m/%Y})."
            }
        )


def _resolve_referral_flags(referral: Referral, actor: Actor, resolution: str) -> None:
    ReferralFlag.objects.filter(referral=referral, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor.user, resolution=resolution
    )


@transaction.atomic
def referral_response_record(
    *,
    actor: Actor,
    referral: Referral,
    responded_on: datetime.date,
    responded_by: str,
    what_they_said: str,
    outcome: str,
    corrects: ReferralResponse | None = None,
) -> ReferralResponse:
    """The agency's response. A correction is a new response naming the one it corrects
    (of the same referral); the earlier one stays as it was. Resolves the overdue flag."""
    referral = _locked_referral(referral)
    _after_referral("responded_on", responded_on, referral, "response")
    _require_text("responded_by", responded_by, label="who responded", limit=200)
    _require_text("what_they_said", what_they_said, label="what they said")
    _require_text("outcome", outcome, label="the outcome", limit=300)
    if corrects is not None and corrects.referral_id != referral.pk:
        raise ValidationError({"corrects": "Choose a response to this referral."})
    response = ReferralResponse(
        referral=referral,
        responded_on=responded_on,
        responded_by=responded_by,
        what_they_said=what_they_said,
        outcome=outcome,
        corrects=corrects,
        recorded_by=actor.user,
    )
    response.full_clean()
    response.save()
    access_record(
        action=AccessAction.CREATE,
        subject=response,
        pupil_id=referral.concern.pupil_id,
        actor=actor,
        detail="correction" if corrects else "",
    )
    _resolve_referral_flags(referral, actor, "Response recorded")
    return response


AWAITING_NONE = "The response is already recorded: there is nothing to chase."


@transaction.atomic
def referral_chase_record(
    *,
    actor: Actor,
    referral: Referral,
    chased_on: datetime.date,
    how: str,
    spoke_to: str,
    what_was_said: str,
) -> ReferralChase:
    """The agency was chased: the overdue flag is answered, and the response is next awaited
    the school's chase interval of working days after the chase."""
    referral = _locked_referral(referral)
    if referral.responses.exists():
        raise ValidationError(AWAITING_NONE)
    _after_referral("chased_on", chased_on, referral, "chase")
    if not how:
        raise ValidationError({"how": "Choose how the agency was chased."})
    _require_text("spoke_to", spoke_to, label="who was contacted", limit=200)
    _require_text("what_was_said", what_was_said, label="what was said")
    interval = _school_settings(referral.concern.pupil.school_id)
    next_due = add_working_days(chased_on, interval.referral_chase_interval_working_days)
    chase = ReferralChase(
        referral=referral,
        chased_on=chased_on,
        how=how,
        spoke_to=spoke_to,
        what_was_said=what_was_said,
        next_due_on=next_due,
        chased_by=actor.user,
    )
    chase.full_clean()
    chase.save()
    referral.due_on = next_due
    referral.save(update_fields=["due_on"])
    access_record(
        action=AccessAction.CREATE,
        subject=chase,
        pupil_id=referral.concern.pupil_id,
        actor=actor,
    )
    _resolve_referral_flags(referral, actor, "Chased")
    return chase


@transaction.atomic
def addendum_add(*, actor: Actor, concern: Concern, text: str) -> Addendum:
    """A correction or addition; allowed after closing too, since nothing is edited, but only
    from someone who may see the concern now (a reporter who has left the school may not)."""
    if not can_see_receipt(actor.user, concern):
        raise ValidationError(NOT_YOURS_TO_ADD_TO)
    _require_text("text", text, label="the correction or addition")
    addendum = Addendum(concern=concern, text=text, added_by=actor.user)
    addendum.full_clean()
    addendum.save()
    access_record(
        action=AccessAction.CREATE, subject=addendum, pupil_id=concern.pupil_id, actor=actor
    )
    return addendum


@transaction.atomic
def concern_close(*, actor: Actor, concern: Concern, outcome: str, reason: str) -> Concern:
    """Close with a decision and its reason, "no further action" included: a record that
    stands up to scrutiny says why nothing more was done, not only that it stopped."""
    concern = _open_concern(concern)
    _require_text("outcome", outcome, label="the decision (for example: no further action)")
    _require_text("reason", reason, label=CLOSE_REASON_LABEL)
    now = timezone.now()
    if concern.acknowledged_at is None:
        concern.acknowledged_by = actor.user
        concern.acknowledged_at = now
    concern.status = ConcernStatus.CLOSED
    concern.outcome = outcome
    concern.close_reason = reason
    concern.closed_by = actor.user
    concern.closed_at = now
    concern.full_clean()
    concern.save()
    access_record(
        action=AccessAction.CHANGE,
        subject=concern,
        pupil_id=concern.pupil_id,
        actor=actor,
        detail="closed",
    )
    return concern


# --- Chasing unacknowledged concerns ---------------------------------------------------------

# How far back the chase reads school days: more than the longest limit twice (two times
# 1,950 school minutes is ten school days) across the longest holiday.
CHASE_WINDOW_DAYS = 120
# Escalation to the headteacher comes when this many times the limit has passed.
ESCALATE_AT = 2


def _school_days_for_chase(
    school_ids: set[int], now: datetime.datetime
) -> dict[int, list[datetime.date]]:
    """Each school's school days in the window before ``now``: one query. A school with none
    at all (no calendar entered yet) counts weekdays other than bank holidays, so a missing
    calendar delays nothing rather than silencing the chase."""
    last = timezone.localtime(now).date()
    first = last - datetime.timedelta(days=CHASE_WINDOW_DAYS)
    days: dict[int, list[datetime.date]] = {school_id: [] for school_id in school_ids}
    for school_id, date in SchoolDay.objects.filter(
        school_id__in=school_ids, date__range=(first, last)
    ).values_list("school_id", "date"):
        days[school_id].append(date)
    weekdays = compute_school_days([(first, last)], [])
    return {school_id: found or weekdays for school_id, found in days.items()}


def _waited_since(
    chase: SafeguardingSettings,
    urgency: str,
    minutes: int,
    days: list[datetime.date],
    now: datetime.datetime,
) -> datetime.datetime:
    """The latest raising time that has waited ``minutes``: on the clock for an immediate
    concern, in school time for the others (the window's start when the window holds less)."""
    if urgency == Urgency.IMMEDIATE:
        return now - datetime.timedelta(minutes=minutes)
    found = school_time_back(
        now, minutes, days, starts=chase.school_day_starts, ends=chase.school_day_ends
    )
    return found or now - datetime.timedelta(days=CHASE_WINDOW_DAYS)


def chase_limits(chase: SafeguardingSettings) -> dict[str, int]:
    """The school's limit for each urgency: clock minutes (immediate) or school minutes."""
    return {
        Urgency.IMMEDIATE: chase.acknowledge_within_minutes,
        Urgency.HIGH: chase.acknowledge_high_within_school_minutes,
        Urgency.ROUTINE: chase.acknowledge_routine_within_school_minutes,
    }


@transaction.atomic
def notifications_for_unacknowledged(*, now: datetime.datetime | None = None) -> int:
    """Chase every concern nobody has acknowledged: a REMINDER to the site's DSL team when the
    school's limit for its urgency has passed, an ESCALATION to the headteacher(s) when twice
    the limit has passed (to the DSL team again for a category kept for the DSL team only),
    once each (``reminded_at``, ``escalated_at`` and the notification's
    unique constraint keep it so). Returns how many concerns were chased.

    Immediate concerns count on the clock, at any hour; high and routine concerns count school
    time only (the school's school days, between its school day's start and end, Europe/London),
    so one raised on a Friday afternoon is chased on Monday.

    Set-based: one query for the schools waiting, one for their settings, one for their school
    days, one each for the concerns due a reminder and an escalation (their time limits, one
    per school and urgency, combined in the WHERE clause), one for the DSL teams, one for the
    headteachers, then one INSERT and two UPDATEs, whatever the number of concerns.
    """
    now = now or timezone.now()
    waiting = Concern.objects.filter(
        status=ConcernStatus.RAISED, acknowledged_at__isnull=True, escalated_at__isnull=True
    )
    school_ids = set(waiting.values_list("pupil__school_id", flat=True).distinct())
    if not school_ids:
        return 0
    chosen = {s.school_id: s for s in SafeguardingSettings.objects.filter(school_id__in=school_ids)}
    days = _school_days_for_chase(school_ids, now)
    remind, escalate = Q(pk__in=[]), Q(pk__in=[])
    for school_id in school_ids:
        chase = chosen.get(school_id) or SafeguardingSettings(school_id=school_id)
        for urgency, minutes in chase_limits(chase).items():
            this = Q(pupil__school_id=school_id, urgency=urgency)
            school_days = days[school_id]
            reminded_by = _waited_since(chase, urgency, minutes, school_days, now)
            escalated_by = _waited_since(chase, urgency, minutes * ESCALATE_AT, school_days, now)
            remind |= this & Q(raised_at__lte=reminded_by)
            escalate |= this & Q(raised_at__lte=escalated_by)
    shape = ("pk", "pupil__school_id", "pupil__school_class__site_id", "category__dsl_team_only")
    to_remind = list(waiting.filter(remind, reminded_at__isnull=True).values_list(*shape))
    to_escalate = list(waiting.filter(escalate).values_list(*shape))
    if not to_remind and not to_escalate:
        return 0
    # An escalation brings the reminder with it when that has not gone yet (a job that did not
    # run must not skip it); one already sent is not sent again (ignore_conflicts).
    rows = _reminders(to_remind + to_escalate) | _escalations(to_escalate)
    Notification.objects.bulk_create(
        [Notification(recipient_id=u, concern_id=c, kind=k) for u, c, k in sorted(rows)],
        ignore_conflicts=True,
    )
    Concern.objects.filter(pk__in=[row[0] for row in to_remind]).update(reminded_at=now)
    Concern.objects.filter(pk__in=[row[0] for row in to_escalate]).update(
        reminded_at=Coalesce("reminded_at", Value(now)), escalated_at=now
    )
    outbox_nudge(Notification)
    return len({row[0] for row in to_remind} | {row[0] for row in to_escalate})


# (concern, school, site, whether its category is for the DSL team only)
ChaseRow = tuple[int, int, int, bool]


def _team_told(concerns: list[ChaseRow], kind: str) -> set[tuple[int, int, str]]:
    """``kind`` for each member of the DSL team covering each concern's site: one query."""
    if not concerns:
        return set()
    team = dsl_teams_of({school_id for _, school_id, _, _ in concerns})
    return {
        (user_id, concern_id, kind)
        for concern_id, school_id, site_id, _ in concerns
        for user_id in covering(team, school_id, site_id)
    }


def _reminders(concerns: list[ChaseRow]) -> set[tuple[int, int, str]]:
    """A REMINDER for each member of the DSL team covering each concern's site: one query."""
    return _team_told(concerns, NotificationKind.REMINDER)


def _escalations(concerns: list[ChaseRow]) -> set[tuple[int, int, str]]:
    """An ESCALATION for each headteacher of each concern's school: one query. A concern of a
    category kept for the DSL team only is escalated to the DSL team instead (one more query):
    the headteacher may not know it exists (it may be an allegation about them)."""
    restricted = [row for row in concerns if row[3]]
    concerns = [row for row in concerns if not row[3]]
    told = _team_told(restricted, NotificationKind.ESCALATION)
    if not concerns:
        return told
    heads = list(
        Membership.objects.filter(
            role=Role.HEADTEACHER,
            school_id__in={school_id for _, school_id, _, _ in concerns},
            user__is_active=True,
        ).values_list("user_id", "school_id")
    )
    return told | {
        (user_id, concern_id, NotificationKind.ESCALATION)
        for concern_id, school_id, _, _ in concerns
        for user_id, member_school in heads
        if member_school == school_id
    }
