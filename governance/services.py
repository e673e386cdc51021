"""Every write of the governance app: monitoring (section 3.3), policy review (section 6) and
the staff wellbeing pulse (section 3.7).

Keyword-only, one transaction each, ``full_clean()`` before saving. A refusal is a
``ValidationError`` keyed by the form field at fault, raised before anything is written.
Who may act is checked here too, so that no caller can skip it.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from governance import permissions
from governance.models import (
    Coping,
    FollowUp,
    MonitoringActivity,
    MonitoringCorrection,
    NoticeKind,
    PolicyDocument,
    PolicyReviewNotice,
    PolicyStatus,
    PolicyVersion,
    PulseReceipt,
    PulseResponse,
    ReviewReason,
    Workload,
    week_start_of,
)
from governance.selectors import DUE_SOON_DAYS, current_versions
from schools.calendar import today
from schools.models import Membership, School, SchoolClass, Site

NOT_IN_FUTURE = "This date is in the future: record monitoring once it has taken place."


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (29 February
    plus twelve months is 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def review_interval_months() -> int:
    return int(getattr(settings, "POLICY_REVIEW_INTERVAL_MONTHS", 12))


# --- Monitoring --------------------------------------------------------------------------------


@transaction.atomic
def monitoring_record(
    *,
    actor: Actor,
    school: School,
    site: Site | None,
    school_class: SchoolClass | None,
    kind: str,
    held_on: datetime.date,
    participants: str,
    focus: str,
    findings: str,
) -> MonitoringActivity:
    errors: dict[str, str] = {}
    if held_on and held_on > today():
        errors["held_on"] = NOT_IN_FUTURE
    if site is not None and school_class is not None:
        errors["scope"] = "Choose the school, a site or a class, not both."
    elif site is not None and site.school_id != school.pk:
        errors["scope"] = "This site belongs to another school."
    elif school_class is not None and school_class.site.school_id != school.pk:
        errors["scope"] = "This class belongs to another school."
    elif not permissions.can_record_monitoring_for(
        actor.user, school_id=school.pk, site=site, school_class=school_class
    ):
        errors["scope"] = "You can record monitoring only for the classes or site you oversee."
    if errors:
        raise ValidationError(errors)
    activity = MonitoringActivity(
        school=school,
        site=site,
        school_class=school_class,
        kind=kind,
        held_on=held_on,
        participants=participants.strip(),
        focus=focus.strip(),
        findings=findings.strip(),
        recorded_by=actor.user,
    )
    activity.full_clean()
    activity.save()
    access_record(action=AccessAction.CREATE, actor=actor, subject=activity)
    return activity


@transaction.atomic
def monitoring_correct(
    *, actor: Actor, activity: MonitoringActivity, text: str
) -> MonitoringCorrection:
    """Add a correction note: the findings as first saved stay as they were."""
    if not permissions.can_act_on_monitoring(actor.user, activity):
        raise ValidationError({"text": "You cannot add to this monitoring record."})
    correction = MonitoringCorrection(activity=activity, text=text.strip(), added_by=actor.user)
    correction.full_clean()
    correction.save()
    access_record(action=AccessAction.CHANGE, actor=actor, subject=activity, detail="correction")
    return correction


def _is_staff_of(user: User, school_id: int) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(user=user, school_id=school_id)
        .exclude(role__in=permissions.GOVERNOR_ROLES)
        .exists()
    )


@transaction.atomic
def follow_up_add(
    *,
    actor: Actor,
    activity: MonitoringActivity,
    action: str,
    owner: User,
    due_on: datetime.date | None,
) -> FollowUp:
    if not permissions.can_act_on_monitoring(actor.user, activity):
        raise ValidationError({"action": "You cannot add to this monitoring record."})
    if not _is_staff_of(owner, activity.school_id):
        raise ValidationError({"owner": "Choose a member of this school's staff."})
    if due_on is not None and due_on < activity.held_on:
        raise ValidationError({"due_on": "A follow-up cannot be due before the activity was held."})
    follow_up = FollowUp(
        activity=activity, action=action.strip(), owner=owner, due_on=due_on, recorded_by=actor.user
    )
    follow_up.full_clean()
    follow_up.save()
    access_record(action=AccessAction.CHANGE, actor=actor, subject=activity, detail="follow-up")
    return follow_up


@transaction.atomic
def follow_up_mark_done(
    *,
    actor: Actor,
    follow_up: FollowUp,
    done_on: datetime.date | None = None,
) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("activity__school_class")
        .get(pk=follow_up.pk)
    )
    if not permissions.can_act_on_monitoring(actor.user, follow_up.activity):
        raise ValidationError({"done_on": "You cannot change this monitoring record."})
    if follow_up.done_on is not None:
        raise ValidationError({"done_on": "This follow-up is already marked done."})
    done_on = done_on or today()
    if done_on > today():
        raise ValidationError({"done_on": "A follow-up cannot be done in the future."})
    follow_up.done_on = done_on
    follow_up.done_by = actor.user
    follow_up.done_at = timezone.now()
    follow_up.full_clean()
    follow_up.save(update_fields=["done_on", "done_by", "done_at"])
    access_record(
        action=AccessAction.CHANGE,
        actor=actor,
        subject=follow_up.activity,
        detail=f"follow-up {follow_up.pk} done",
    )
    return follow_up


# --- Policy review ---------------------------------------------------------------------------


@transaction.atomic
def policy_document_create(*, actor: Actor, school: School, title: str) -> PolicyDocument:
    if not permissions.is_headteacher_of(actor.user, school.pk):
        raise ValidationError({"title": "Only the headteacher adds a policy."})
    document = PolicyDocument(school=school, title=title.strip())
    document.full_clean()
    document.save()
    access_record(action=AccessAction.CREATE, actor=actor, subject=document)
    return document


@transaction.atomic
def policy_version_draft(
    *,
    actor: Actor,
    document: PolicyDocument,
    label: str,
    summary: str,
    reason: str,
    reason_note: str = "",
    text: str = "",
    reference: str = "",
) -> PolicyVersion:
    if not permissions.can_draft_policy(actor.user, document):
        raise ValidationError({"label": "Only the headteacher drafts a new version."})
    errors: dict[str, str] = {}
    if reason == ReviewReason.OTHER and not reason_note.strip():
        errors["reason_note"] = "Say why the policy was reviewed."
    if not text.strip() and not reference.strip():
        errors["reference"] = "Give the policy text or say where the document is kept."
    if document.versions.filter(status__in=[PolicyStatus.DRAFT, PolicyStatus.REVIEWED]).exists():
        errors["label"] = (
            "A version is already waiting for review or approval: finish that one first."
        )
    if errors:
        raise ValidationError(errors)
    version = PolicyVersion(
        document=document,
        label=label.strip(),
        summary=summary.strip(),
        reason=reason,
        reason_note=reason_note.strip() if reason == ReviewReason.OTHER else "",
        text=text.strip(),
        reference=reference.strip(),
        drafted_by=actor.user,
    )
    version.full_clean()
    version.save()
    access_record(action=AccessAction.CREATE, actor=actor, subject=version)
    return version


def _locked(version: PolicyVersion) -> PolicyVersion:
    return (
        PolicyVersion.objects.select_for_update(of=("self",))
        .select_related("document")
        .get(pk=version.pk)
    )


@transaction.atomic
def policy_version_review(*, actor: Actor, version: PolicyVersion) -> PolicyVersion:
    """Section 6.1: the headteacher (or executive headteacher) reviews the policy."""
    version = _locked(version)
    if not permissions.can_review_policy(actor.user, version):
        raise ValidationError("Only the headteacher can mark a version reviewed.")
    if version.status != PolicyStatus.DRAFT:
        raise ValidationError(f"This version is already {version.get_status_display().lower()}.")
    version.status = PolicyStatus.REVIEWED
    version.reviewed_by = actor.user
    version.reviewed_at = timezone.now()
    version.full_clean()
    version.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    access_record(action=AccessAction.CHANGE, actor=actor, subject=version, detail="reviewed")
    return version


@transaction.atomic
def policy_version_approve(*, actor: Actor, version: PolicyVersion) -> PolicyVersion:
    """Section 6.1: at every review the chair of local governors approves the policy."""
    version = _locked(version)
    if not permissions.can_approve_policy(actor.user, version):
        raise ValidationError("Only the chair of governors can approve a version.")
    if version.status == PolicyStatus.APPROVED:
        raise ValidationError("This version is already approved.")
    if version.status != PolicyStatus.REVIEWED:
        raise ValidationError(
            "The headteacher has not reviewed this version yet, so it cannot be approved."
        )
    if version.reviewed_by_id == actor.user.pk:
        raise ValidationError(
            "You reviewed this version, so someone else must approve it: the same person "
            "cannot both review and approve."
        )
    now = timezone.now()
    version.status = PolicyStatus.APPROVED
    version.approved_by = actor.user
    version.approved_at = now
    version.next_review_on = add_months(timezone.localdate(now), review_interval_months())
    version.full_clean()
    version.save(update_fields=["status", "approved_by", "approved_at", "next_review_on"])
    access_record(action=AccessAction.CHANGE, actor=actor, subject=version, detail="approved")
    return version


def policy_review_notices_record(*, on: datetime.date | None = None) -> int:
    """Record that the review of each policy in force is due soon or overdue: two INSERTs,
    one notice per version and kind however often it runs. Returns how many were new."""
    on = on or today()
    in_force = current_versions()
    overdue = list(in_force.filter(next_review_on__lte=on).values_list("pk", flat=True))
    due_soon = list(
        in_force.filter(
            next_review_on__gt=on, next_review_on__lte=on + datetime.timedelta(days=DUE_SOON_DAYS)
        ).values_list("pk", flat=True)
    )
    candidates = [PolicyReviewNotice(version_id=pk, kind=NoticeKind.OVERDUE) for pk in overdue]
    candidates += [PolicyReviewNotice(version_id=pk, kind=NoticeKind.DUE_SOON) for pk in due_soon]
    before = PolicyReviewNotice.objects.count()
    PolicyReviewNotice.objects.bulk_create(candidates, ignore_conflicts=True)
    return PolicyReviewNotice.objects.count() - before


# --- Wellbeing pulse -------------------------------------------------------------------------

ALREADY_ANSWERED = "You have already told us how you are this week. Thank you."


@transaction.atomic
def pulse_answer(*, actor: Actor, school: School, coping: int, workload: str = "") -> PulseReceipt:
    """Record one anonymous answer for this week, and separately that this person answered.

    The answer row holds the school, the week's Monday and the answer, with a random key and
    no time: nothing in it, or in the receipt, links the two. Deliberately no audit row (it
    would say who answered when). Returns the receipt, never the answer.
    """
    if school.pk not in permissions.pulse_school_ids(actor.user):
        raise ValidationError({"coping": "You can answer only for a school you work at."})
    if coping not in Coping.values:
        raise ValidationError({"coping": "Choose how you are coping."})
    if workload and workload not in Workload.values:
        raise ValidationError({"workload": "Choose one of the workload answers, or none."})
    week = week_start_of(today())
    try:
        with transaction.atomic():
            receipt = PulseReceipt.objects.create(user=actor.user, school=school, week_start=week)
    except IntegrityError:
        raise ValidationError({"coping": ALREADY_ANSWERED}) from None
    response = PulseResponse(school=school, week_start=week, coping=coping, workload=workload)
    response.full_clean()
    response.save(force_insert=True)
    return receipt


def has_answered_pulse(*, user: User, school_id: int) -> bool:
    return PulseReceipt.objects.filter(
        user=user, school_id=school_id, week_start=week_start_of(today())
    ).exists()
