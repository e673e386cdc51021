"""Breaches and retention items for the DPO's tests."""

import datetime

from django.utils import timezone

from dpo.models import Breach, BreachDecision


def breach_for(world, *, reporter="it_staff", hours_ago: float = 2, **extra) -> Breach:
    fields = {
        "school": world.school,
        "reported_by": world.users[reporter],
        "what_happened": "A spreadsheet of contact details was emailed to the wrong parent.",
        "discovered_at": timezone.now() - datetime.timedelta(hours=hours_ago),
        "data_affected": "Carers' names and phone numbers",
        "people_affected": 12,
        "containment": "Asked the parent to delete it.",
    }
    fields.update(extra)
    return Breach.objects.create(**fields)


def decided(breach: Breach, decision: str = BreachDecision.NOT_REPORTABLE) -> Breach:
    breach.decision = decision
    breach.decided_at = timezone.now()
    breach.save()
    return breach


def closed_case(world, *, pupil=None, closed_at=None, **extra):
    from cases.models import AttendanceCode, Basis, Case, Reason, Status

    closed_at = closed_at or datetime.datetime(2018, 7, 20, 15, 0, tzinfo=datetime.UTC)
    fields = {
        "pupil": pupil or world.pupil,
        "basis": Basis.INDIVIDUAL,
        "reason": Reason.INJURY,
        "status": Status.CLOSED,
        "summary": "Broken leg after a fall at home; mum worried about stairs.",
        "start_date": datetime.date(2018, 5, 1),
        "end_date": datetime.date(2018, 7, 20),
        "attendance_code": AttendanceCode.I,
        "proposed_on": datetime.date(2018, 5, 1),
        "created_by": world.users["teacher"],
        "outcome": "Back in school full time.",
        "actual_return_date": datetime.date(2018, 7, 20),
        "closed_at": closed_at,
    }
    fields.update(extra)
    return Case.objects.create(**fields)


def retention_item_for(world, *, kind="case", status="due", **extra):
    from dpo.models import RetentionReviewItem

    if kind == "case" and "record_id" not in extra:
        extra["record_id"] = closed_case(world).pk
    fields = {
        "school": world.school,
        "kind": kind,
        "record_id": world.pupil.pk,
        "pupil_id": world.pupil.pk,
        "due_on": datetime.date(2024, 7, 20),
        "status": status,
    }
    fields.update(extra)
    if status == "approved":
        fields.setdefault("decided_by", world.users["dpo"])
        fields.setdefault("decided_at", timezone.now())
    return RetentionReviewItem.objects.create(**fields)
