"""Retention reviews (policy section 5): what is kept, for how long, and what happens then.

- A pupil's child-protection file (every safeguarding concern about them) is kept until the
  pupil's date of birth plus 25 years (or the school's rule), then queued for REVIEW. It is
  never deleted or anonymised by this service: the DPO can only keep it, with a reason and a
  date to review it again.
- A closed remote-education case is queued N years after it closed (6 by default, or the
  school's rule). Once the DPO approves, ``retention_item_anonymise`` blanks the free text
  of the case and of what hangs from it (see there for exactly which fields).

The nightly job only reads safeguarding tables (to find pupils with a child-protection file)
and writes only to this app's queue.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.documents.services import case_documents_delete
from cases.models import (
    ENDED_STATUSES,
    Agreement,
    Case,
    Flag,
    PaperDelivery,
    Provision,
    ReintegrationPlan,
    ReintegrationPlanVersion,
    ReintegrationStep,
    Review,
    StatusChange,
    WorkFeedback,
)
from contacts.models import ContactLog, ContactPlan, ContactPlanVersion, FamilyReport
from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from dpo.models import (
    DEFAULT_RETENTION_YEARS,
    ItemStatus,
    RetentionKind,
    RetentionReviewItem,
    RetentionRule,
)
from dpo.permissions import can_decide_retention
from safeguarding.models import Concern
from schools.models import Pupil

ANONYMISED = "[anonymised]"
NOT_ALLOWED = "Only the school's data protection officer can do this."
NEVER_ANONYMISED = (
    "Child-protection files are never anonymised or deleted: keep it, with the reason and "
    "when to review it again."
)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _years_by_school(kind: str) -> tuple[dict[int, int], int]:
    overrides = dict(RetentionRule.objects.filter(kind=kind).values_list("school_id", "years"))
    return overrides, DEFAULT_RETENTION_YEARS[kind]


def _per_period(kind: str, school: str, field: str, today: datetime.date) -> list[tuple[int, Q]]:
    """(years, filter) pairs: one per distinct retention period in use, each selecting the
    rows of the schools using it (``school`` is the lookup to the school's id) whose ``field``
    is at least that many years ago."""
    overrides, default = _years_by_school(kind)
    periods = []
    for years in set(overrides.values()) | {default}:
        in_scope = Q(**{f"{school}__in": [s for s, y in overrides.items() if y == years]})
        if years == default:
            in_scope |= ~Q(**{f"{school}__in": list(overrides)})
        periods.append((years, in_scope & Q(**{f"{field}__lte": add_years(today, -years)})))
    return periods


def _already_queued(kind: str):
    return RetentionReviewItem.objects.filter(kind=kind).values("record_id")


@transaction.atomic
def retention_reviews_due(*, today: datetime.date | None = None) -> int:
    """Queue every record whose retention period has run out, and every kept record whose
    review-again date has come. Set-based: a few SELECTs and one INSERT; running it again
    creates nothing (unique per kind, record and due date). Returns the number queued."""
    today = today or timezone.localdate()
    rows: list[RetentionReviewItem] = []

    with_file = Concern.objects.values("pupil_id")
    for years, due in _per_period(
        RetentionKind.CHILD_PROTECTION, "school_id", "date_of_birth", today
    ):
        for pk, school_id, born in (
            Pupil.objects.filter(due, pk__in=with_file)
            .exclude(pk__in=_already_queued(RetentionKind.CHILD_PROTECTION))
            .values_list("pk", "school_id", "date_of_birth")
        ):
            rows.append(
                RetentionReviewItem(
                    school_id=school_id,
                    kind=RetentionKind.CHILD_PROTECTION,
                    record_id=pk,
                    pupil_id=pk,
                    due_on=add_years(born, years),
                )
            )

    for years, due in _per_period(RetentionKind.CASE, "pupil__school_id", "closed_at__date", today):
        for pk, pupil_id, school_id, closed_at in (
            Case.objects.filter(due, status__in=ENDED_STATUSES)
            .exclude(pk__in=_already_queued(RetentionKind.CASE))
            .values_list("pk", "pupil_id", "pupil__school_id", "closed_at")
        ):
            rows.append(
                RetentionReviewItem(
                    school_id=school_id,
                    kind=RetentionKind.CASE,
                    record_id=pk,
                    pupil_id=pupil_id,
                    due_on=add_years(timezone.localtime(closed_at).date(), years),
                )
            )

    for item in RetentionReviewItem.objects.filter(
        status=ItemStatus.KEEP, review_again_on__lte=today
    ).values("school_id", "kind", "record_id", "pupil_id", "review_again_on"):
        rows.append(
            RetentionReviewItem(
                school_id=item["school_id"],
                kind=item["kind"],
                record_id=item["record_id"],
                pupil_id=item["pupil_id"],
                due_on=item["review_again_on"],
            )
        )
    before = RetentionReviewItem.objects.count()
    RetentionReviewItem.objects.bulk_create(rows, ignore_conflicts=True)
    return RetentionReviewItem.objects.count() - before


# --- The DPO's decisions ---------------------------------------------------------------------


def _locked(by: object, item: RetentionReviewItem) -> RetentionReviewItem:
    locked = RetentionReviewItem.objects.select_for_update().get(pk=item.pk)
    if not can_decide_retention(by, locked):
        raise ValidationError(NOT_ALLOWED)
    return locked


@transaction.atomic
def retention_item_approve(*, actor: Actor, item: RetentionReviewItem) -> RetentionReviewItem:
    """The DPO agrees this record may be anonymised (never a child-protection file)."""
    item = _locked(actor.user, item)
    if item.is_safeguarding:
        raise ValidationError(NEVER_ANONYMISED)
    if item.status != ItemStatus.DUE:
        raise ValidationError(f"This item is already {item.get_status_display().lower()}.")
    item.status = ItemStatus.APPROVED
    item.decided_by = actor.user
    item.decided_at = timezone.now()
    item.full_clean()
    item.save()
    access_record(
        action=AccessAction.CHANGE,
        subject=item,
        pupil_id=item.pupil_id,
        actor=actor,
        detail="approved for anonymisation",
    )
    return item


@transaction.atomic
def retention_item_keep(
    *,
    actor: Actor,
    item: RetentionReviewItem,
    reason: str,
    review_again_on: datetime.date | None,
) -> RetentionReviewItem:
    """Keep the record for now, with the reason and when to look at it again (the nightly
    job queues it again on that date)."""
    item = _locked(actor.user, item)
    if item.status not in (ItemStatus.DUE, ItemStatus.APPROVED):
        raise ValidationError(f"This item is already {item.get_status_display().lower()}.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Write why it is kept."})
    if len(reason) > 2000:
        raise ValidationError({"reason": "Keep this under 2,000 characters."})
    if review_again_on is None:
        raise ValidationError({"review_again_on": "Give the date to review it again."})
    if review_again_on <= timezone.localdate():
        raise ValidationError({"review_again_on": "Give a date after today."})
    item.status = ItemStatus.KEEP
    item.keep_reason = reason
    item.review_again_on = review_again_on
    item.decided_by = actor.user
    item.decided_at = timezone.now()
    item.full_clean()
    item.save()
    access_record(
        action=AccessAction.CHANGE, subject=item, pupil_id=item.pupil_id, actor=actor, detail="kept"
    )
    return item


@transaction.atomic
def retention_item_anonymise(*, actor: Actor, item: RetentionReviewItem) -> RetentionReviewItem:
    """Blank the free text of one closed case after the DPO approved it, in one transaction.

    Exactly what changes, for that case only:
    - the case: summary and the reason no medical agreement was needed are emptied; the
      outcome becomes "[anonymised]" (a closed case must have one);
    - agreements: who agreed becomes "[anonymised]", notes emptied;
    - reviews: attendees and progress become "[anonymised]";
    - reintegration plan: support becomes "[anonymised]", flexibilities emptied; its steps'
      descriptions become "[anonymised]"; every version of it likewise, its steps emptied
      and why it changed "[anonymised]";
    - contact plan: the reason for its current decision and for every earlier decision
      becomes "[anonymised]" (a decision must keep a reason);
    - provision feedback, paper-delivery notes, status-change notes, flag resolutions emptied;
    - what the family wrote through the carers' portal: the notes of their feedback on the
      work and of their reports about the days the case ran emptied;
    - contact logs: wellbeing notes, what the family said and why it was logged late emptied,
      EXCEPT a contact that a safeguarding concern was raised from, which stays as it is, part
      of that concern;
    - documents on the case and its agreements: their files are deleted once this commits,
      their names become "[anonymised]" (the only deletion here: a file cannot be blanked).
      Documents on safeguarding concerns are part of the child-protection file and stay.

    Dates, kinds, channels, outcomes and who recorded what are kept, so counts and the audit
    still add up. The pupil's own record (name, date of birth) is not touched: it belongs to
    the school's roll and to any child-protection file. No row is deleted.
    """
    item = _locked(actor.user, item)
    if item.is_safeguarding:
        raise ValidationError(NEVER_ANONYMISED)
    if item.status == ItemStatus.ANONYMISED:
        raise ValidationError("This record has already been anonymised.")
    if item.status != ItemStatus.APPROVED or item.decided_by_id is None:
        raise ValidationError(
            "The data protection officer must approve this item for anonymisation first."
        )
    case = Case.objects.select_for_update().get(pk=item.record_id)
    if case.status not in ENDED_STATUSES:
        raise ValidationError("This case has been reopened: it cannot be anonymised.")
    Case.objects.filter(pk=case.pk).update(
        summary="", medical_agreement_not_needed="", outcome=ANONYMISED
    )
    counts = {
        "agreements": Agreement.objects.filter(case=case).update(agreed_by=ANONYMISED, notes=""),
        "reviews": Review.objects.filter(case=case).update(
            attendees=ANONYMISED, progress=ANONYMISED
        ),
        "plans": ReintegrationPlan.objects.filter(case=case).update(
            support=ANONYMISED, flexibilities=""
        ),
        "steps": ReintegrationStep.objects.filter(plan__case=case).update(description=ANONYMISED),
        "plan versions": ReintegrationPlanVersion.objects.filter(plan__case=case).update(
            support=ANONYMISED, flexibilities="", steps=[], why=ANONYMISED
        ),
        # Versions are never edited in the service's own course; anonymising is the one
        # change retention makes to them, by queryset so that rule stays in the model.
        "contact plans": ContactPlan.objects.filter(case=case)
        .exclude(decided_reason="")
        .update(decided_reason=ANONYMISED),
        "contact plan versions": ContactPlanVersion.objects.filter(plan__case=case).update(
            reason=ANONYMISED
        ),
        "provision": Provision.objects.filter(case=case).update(feedback=""),
        "family feedback": WorkFeedback.objects.filter(case=case).update(note=""),
        "family reports": FamilyReport.objects.filter(
            pupil_id=case.pupil_id,
            day__gte=case.start_date,
            day__lte=case.actual_return_date or case.end_date,
        ).update(note=""),
        "deliveries": PaperDelivery.objects.filter(case=case).update(notes=""),
        "status changes": StatusChange.objects.filter(case=case).update(note=""),
        "flags": Flag.objects.filter(case=case).update(resolution=""),
        "contacts": ContactLog.objects.filter(case=case)
        .exclude(pk__in=Concern.objects.filter(contact__isnull=False).values("contact_id"))
        .update(wellbeing_notes="", work_feedback="", late_reason=""),
        "documents": case_documents_delete(case=case, name_left=ANONYMISED),
    }
    item.status = ItemStatus.ANONYMISED
    item.anonymised_by = actor.user
    item.anonymised_at = timezone.now()
    item.full_clean()
    item.save()
    access_record(
        action=AccessAction.CHANGE,
        subject=item,
        pupil_id=item.pupil_id,
        actor=actor,
        detail=f"anonymised case {case.pk}: "
        + ", ".join(f"{n} {name}" for name, n in counts.items()),
    )
    return item
