"""Governance records for tests, written straight to the database (no service checks)."""

import datetime

from django.utils import timezone

from governance.models import (
    MonitoringActivity,
    MonitoringKind,
    PolicyDocument,
    PolicyStatus,
    PolicyVersion,
    ReviewReason,
)


def activity(world, *, by="slt_class", scope=None, held_on=None, **extra) -> MonitoringActivity:
    """An activity at the world's school, for class A unless ``scope`` says otherwise."""
    scope = {"school_class": world.class_a} if scope is None else scope
    values = {
        "school": world.school,
        "kind": MonitoringKind.MEETING,
        "held_on": held_on or timezone.localdate() - datetime.timedelta(days=1),
        "participants": "SLT lead, class teacher",
        "focus": "Daily contact with families",
        "findings": "All families contacted daily.",
        "recorded_by": world.users[by],
        **scope,
        **extra,
    }
    return MonitoringActivity.objects.create(**values)


_labels = iter(range(1, 1_000_000))


def document(world, title="Remote learning policy") -> PolicyDocument:
    return PolicyDocument.objects.get_or_create(school=world.school, title=title)[0]


def version(world, *, status=PolicyStatus.DRAFT, next_review_on=None, **extra) -> PolicyVersion:
    """A version of the world's remote learning policy, taken as far as ``status``."""
    now = timezone.now()
    values = {
        "document": document(world),
        "label": f"v{next(_labels)}",
        "summary": "Updated contact arrangements.",
        "reason": ReviewReason.SCHEDULED,
        "reference": "Policies folder",
        "drafted_by": world.users["headteacher"],
        "status": status,
    }
    if status in (PolicyStatus.REVIEWED, PolicyStatus.APPROVED):
        values |= {"reviewed_by": world.users["headteacher"], "reviewed_at": now}
    if status == PolicyStatus.APPROVED:
        values |= {
            "approved_by": world.users["chair"],
            "approved_at": now,
            "next_review_on": next_review_on or timezone.localdate() + datetime.timedelta(days=365),
        }
    return PolicyVersion.objects.create(**(values | extra))
