"""Demo governance records for the demo school: the remote learning policy with an approved
version (reviewed by the headteacher, approved by the chair), a few pieces of SLT monitoring
with follow-ups, and anonymous wellbeing pulse answers for recent weeks.

Rows are found by natural keys (title, version label, kind and focus, action), and pulse
answers are added only to a school that has none: loading twice changes nothing.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import User
from governance.models import (
    Coping,
    FollowUp,
    MonitoringActivity,
    MonitoringKind,
    PolicyDocument,
    PolicyStatus,
    PolicyVersion,
    PulseReceipt,
    PulseResponse,
    ReviewReason,
    Workload,
    week_start_of,
)
from governance.services import add_months, review_interval_months
from schools.calendar import today
from schools.models import Membership, Role, School, SchoolClass, Site

SEED = 3_7  # policy section 3.7
PULSE_WEEKS = 6


def _person(key: str) -> User | None:
    return User.objects.filter(email=f"{key}@{DEMO_EMAIL_DOMAIN}").first()


def _policy(school: School, head: User, chair: User) -> None:
    document, _ = PolicyDocument.objects.get_or_create(
        school=school, title="Remote learning policy"
    )
    if document.versions.filter(label="2026.1").exists():
        return
    approved_at = timezone.now() - datetime.timedelta(days=75)
    PolicyVersion.objects.create(
        document=document,
        label="2026.1",
        summary="Annual review: contact arrangements for pupils learning at home, the virtual "
        "session expectations (Appendix 1) and the governors' monitoring of staff wellbeing.",
        reason=ReviewReason.SCHEDULED,
        reference="Staff shared drive: Policies / Remote learning policy 2026.1",
        status=PolicyStatus.APPROVED,
        drafted_by=head,
        reviewed_by=head,
        reviewed_at=approved_at - datetime.timedelta(days=6),
        approved_by=chair,
        approved_at=approved_at,
        next_review_on=add_months(timezone.localdate(approved_at), review_interval_months()),
    )


MONITORING = (
    (
        MonitoringKind.MEETING,
        None,
        None,
        "head",
        20,
        "Headteacher, assistant head, two class teachers, a teaching assistant",
        "Daily contact with families of pupils learning at home",
        "Daily contact is being made through the agreed channels. Two families prefer the "
        "telephone to WEDUC; their class teams now ring first.",
        ("Share the preferred-channel list with class teams", "slt.north", 7),
    ),
    (
        MonitoringKind.WORK_REVIEW,
        "North",
        None,
        "slt.north",
        12,
        "Assistant head, class teachers of the North site",
        "Differentiated work packs",
        "Packs are differentiated well. Visual timetables are missing from three packs.",
        ("Add visual timetables to every pack", "teacher.oak", 10),
    ),
    (
        MonitoringKind.PARENT_FEEDBACK,
        None,
        "Acorn",
        "lead.primary",
        5,
        "Primary lead, class teacher",
        "Parents' and carers' view of the home learning platform",
        "Most families find the platform easy to use. One asked for paper copies as well.",
        None,
    ),
)


def _monitoring(school: School) -> None:
    on = today()
    for kind, site_name, class_name, by, days_ago, who, focus, findings, follow_up in MONITORING:
        recorder = _person(by)
        if recorder is None:
            continue
        site = Site.objects.filter(school=school, name=site_name).first() if site_name else None
        school_class = (
            SchoolClass.objects.filter(site__school=school, name=class_name).first()
            if class_name
            else None
        )
        activity, _ = MonitoringActivity.objects.get_or_create(
            school=school,
            kind=kind,
            focus=focus,
            defaults={
                "site": site,
                "school_class": school_class,
                "held_on": on - datetime.timedelta(days=days_ago),
                "participants": who,
                "findings": findings,
                "recorded_by": recorder,
            },
        )
        owner = _person(follow_up[1]) if follow_up else None
        if follow_up and owner is not None:
            FollowUp.objects.get_or_create(
                activity=activity,
                action=follow_up[0],
                defaults={
                    "owner": owner,
                    "due_on": activity.held_on + datetime.timedelta(days=follow_up[2]),
                    "recorded_by": recorder,
                },
            )


def _pulse(school: School) -> None:
    """Answers for the last few weeks (not this one, so demo staff can still answer)."""
    if PulseResponse.objects.filter(school=school).exists():
        return
    staff = list(
        User.objects.filter(
            memberships__in=Membership.objects.filter(school=school).exclude(
                role__in=[Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS]
            )
        )
        .distinct()
        .order_by("email")
    )
    if not staff:
        return
    rng = random.Random(SEED)  # noqa: S311 (invented answers, not secrets)
    this_week = week_start_of(today())
    for weeks_ago in range(1, PULSE_WEEKS + 1):
        week = this_week - datetime.timedelta(weeks=weeks_ago)
        # One quiet week shows how a week with too few answers is hidden.
        answering = rng.sample(staff, 2 if weeks_ago == 4 else min(len(staff), rng.randint(8, 16)))
        PulseReceipt.objects.bulk_create(
            [PulseReceipt(user=user, school=school, week_start=week) for user in answering],
            ignore_conflicts=True,
        )
        PulseResponse.objects.bulk_create(
            [
                PulseResponse(
                    school=school,
                    week_start=week,
                    coping=rng.choices(list(Coping.values), weights=[4, 5, 3, 2, 1])[0],
                    workload=rng.choice(["", *Workload.values, Workload.HEAVY]),
                )
                for _ in answering
            ]
        )


@transaction.atomic
def governance_demo_load(school: School) -> None:
    head, chair = _person("head"), _person("chair")
    if head is not None and chair is not None:
        _policy(school, head, chair)
    _monitoring(school)
    _pulse(school)
