"""Every write to a concern and its triage (policy sections 3.2 and 3.4).

Keyword-only, one transaction each, ``full_clean()`` before saving, an audit row in the same
transaction. A concern's account is fixed once raised: corrections and additions are addenda.
Notifications are written in the same transaction as what they are about; sending them is
nudged after commit and swept every minute, so a broker outage delays but never drops them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contacts.models import ContactLog
from core.actor import Actor
from core.tasks import outbox_nudge
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.models import (
    TEXT_LIMIT,
    Action,
    Addendum,
    Concern,
    ConcernCategory,
    ConcernSource,
    ConcernStatus,
    Decision,
    Notification,
    NotificationKind,
    Referral,
    SafeguardingSettings,
    Urgency,
)
from safeguarding.permissions import (
    DSL_TEAM_ROLES,
    can_raise_concern_for,
    can_see_receipt,
    dsl_team_for,
)
from schools.models import Membership, Pupil, Role, School

DEFAULT_CATEGORIES = (
    "Neglect",
    "Emotional wellbeing",
    "Physical harm",
    "Online safety",
    "Family circumstances",
    "Other",
)
DEFAULT_ACKNOWLEDGE_MINUTES = SafeguardingSettings._meta.get_field(
    "acknowledge_within_minutes"
).default
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
            [ConcernCategory(school=school, name=name) for name in DEFAULT_CATEGORIES],
            ignore_conflicts=True,
        )
    return list(ConcernCategory.objects.filter(school=school, active=True))


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
) -> Concern:
    """Record a concern. An immediate one writes a notification for each member of the site's
    DSL team in this same transaction, then nudges the sender once it has committed."""
    if not can_raise_concern_for(actor.user, pupil):
        raise ValidationError({"pupil": "You cannot raise a concern about this pupil."})
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


@transaction.atomic
def referral_add(
    *,
    actor: Actor,
    concern: Concern,
    agency: str,
    reference: str = "",
    notes: str = "",
) -> Referral:
    concern = _open_concern(concern)
    if not agency:
        raise ValidationError({"agency": "Choose the agency."})
    referral = Referral(
        concern=concern, agency=agency, reference=reference, notes=notes, made_by=actor.user
    )
    referral.full_clean()
    referral.save()
    access_record(
        action=AccessAction.CREATE, subject=referral, pupil_id=concern.pupil_id, actor=actor
    )
    return referral


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


# --- Notifications ---------------------------------------------------------------------------


@transaction.atomic
def notifications_for_unacknowledged(*, now: datetime.datetime | None = None) -> int:
    """Immediate concerns not acknowledged in time: a REMINDER to the site's DSL team and an
    ESCALATION to the headteacher(s), once each (the unique constraint keeps it so).

    Set-based: one query per distinct time limit in use, one for the DSL teams, one for the
    headteachers, one INSERT and one UPDATE, whatever the number of concerns. School hours are
    not taken into account (the limit runs in wall-clock minutes): an immediate concern is
    chased at any hour.
    """
    now = now or timezone.now()
    limits = set(
        SafeguardingSettings.objects.values_list("acknowledge_within_minutes", flat=True)
    ) | {DEFAULT_ACKNOWLEDGE_MINUTES}
    due = Q()
    for minutes in limits:
        in_school = Q(pupil__school__safeguarding_settings__acknowledge_within_minutes=minutes)
        if minutes == DEFAULT_ACKNOWLEDGE_MINUTES:
            in_school |= Q(pupil__school__safeguarding_settings__isnull=True)
        due |= in_school & Q(raised_at__lte=now - datetime.timedelta(minutes=minutes))
    overdue = list(
        Concern.objects.filter(
            due,
            urgency=Urgency.IMMEDIATE,
            status=ConcernStatus.RAISED,
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
        ).values_list("pk", "pupil__school_id", "pupil__school_class__site_id")
    )
    if not overdue:
        return 0
    school_ids = {school_id for _, school_id, _ in overdue}
    team = list(
        Membership.objects.filter(
            role__in=DSL_TEAM_ROLES, school_id__in=school_ids, user__is_active=True
        )
        .filter(Q(site__isnull=False) | Q(school_class__isnull=True))
        .values_list("user_id", "school_id", "site_id")
    )
    heads = list(
        Membership.objects.filter(
            role=Role.HEADTEACHER, school_id__in=school_ids, user__is_active=True
        ).values_list("user_id", "school_id")
    )
    rows = set()
    for concern_id, school_id, site_id in overdue:
        for user_id, member_school, member_site in team:
            if member_school == school_id and member_site in (None, site_id):
                rows.add((user_id, concern_id, NotificationKind.REMINDER))
        for user_id, member_school in heads:
            if member_school == school_id:
                rows.add((user_id, concern_id, NotificationKind.ESCALATION))
    Notification.objects.bulk_create(
        [Notification(recipient_id=u, concern_id=c, kind=k) for u, c, k in sorted(rows)],
        ignore_conflicts=True,
    )
    Concern.objects.filter(pk__in=[row[0] for row in overdue], escalated_at__isnull=True).update(
        escalated_at=now
    )
    outbox_nudge(Notification)
    return len(overdue)
