"""Data for the oversight report tests: a school calendar and a month of remote education.

``month_of_data(world)`` builds, for March 2026 (20 school days, Monday 2 to Friday 27), a
known set of cases, contacts, reviews, flags, visits, provision, sessions and concerns whose
figures the tests assert in the PDF. The numbers it gives for the North site are in
``NORTH_MARCH``.
"""

import datetime
from zoneinfo import ZoneInfo

from cases.models import (
    AttendanceCode,
    Basis,
    Case,
    Decision,
    Flag,
    FlagKind,
    PaperDelivery,
    Provision,
    Reason,
    ReintegrationPlan,
    ReintegrationStep,
    Review,
    Status,
)
from contacts.models import Channel, ContactKind, ContactLog, Outcome
from oversight.models import OversightReport, ReportStatus
from safeguarding.models import (
    ChecklistItem,
    Concern,
    ConcernStatus,
    HomeVisit,
    SessionChecklistEntry,
    SessionKind,
    Urgency,
    VirtualSession,
)
from safeguarding.services import concern_categories_ensure
from schools.models import Term
from schools.services import school_days_refresh
from tests.factories import PupilFactory

LONDON = ZoneInfo("Europe/London")
MARCH_START = datetime.date(2026, 3, 1)
MARCH_END = datetime.date(2026, 3, 31)
# A Wednesday in the Easter holidays: the whole of March is in the past.
AFTER_MARCH = datetime.datetime(2026, 4, 15, 10, 0, tzinfo=LONDON)

TERMS = [
    ("Autumn 2025", datetime.date(2025, 9, 3), datetime.date(2025, 12, 19)),
    ("Spring 2026", datetime.date(2026, 1, 5), datetime.date(2026, 3, 27)),
    ("Summer 2026", datetime.date(2026, 4, 13), datetime.date(2026, 7, 21)),
]

# The North site's figures for March 2026, as the report must print them.
NORTH_MARCH = {
    "opened": 2,
    "running": 2,
    "closed": 1,
    "daily_made": 8,
    "daily_due": 25,
    "checks_made": 1,
    "checks_due": 5,
}


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def build_terms(school) -> None:
    for name, first_day, last_day in TERMS:
        Term.objects.get_or_create(
            school=school, name=name, defaults={"first_day": first_day, "last_day": last_day}
        )
    school_days_refresh(school=school)


def make_case(
    pupil, by, *, start, end, status=Status.ACTIVE, reason=Reason.INFECTIOUS_ILLNESS, **extra
) -> Case:
    return Case.objects.create(
        pupil=pupil,
        basis=Basis.INDIVIDUAL,
        reason=reason,
        status=status,
        start_date=start,
        end_date=end,
        attendance_code=AttendanceCode.I,
        proposed_on=start,
        created_by=by,
        **extra,
    )


def log_contact(
    case, by, day: datetime.date, *, kind=ContactKind.DAILY, outcome=Outcome.SPOKE_WITH_CARER
) -> ContactLog:
    return ContactLog.objects.create(
        case=case,
        contacted_at=datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=LONDON),
        contact_date=day,
        staff=by,
        channel=Channel.TELEPHONE,
        kind=kind,
        outcome=outcome,
    )


def school_days_of(days: list[int], month: int = 3) -> list[datetime.date]:
    return [datetime.date(2026, month, day) for day in days]


def month_of_data(world) -> dict[str, object]:
    """March 2026 at Heathergate (see the module docstring). Returns the main records."""
    build_terms(world.school)
    by = world.users["teacher"]
    head = world.users["headteacher"]
    ellis = make_case(
        world.pupil,
        by,
        start=datetime.date(2026, 3, 2),
        end=datetime.date(2026, 4, 30),
        next_review_date=datetime.date(2026, 4, 1),
        summary="<script>alert('summary')</script>",
    )
    for day in school_days_of([2, 3, 4, 5, 6]):
        log_contact(
            ellis, by, day, kind=ContactKind.WELLBEING if day.day == 4 else ContactKind.DAILY
        )
    jude = make_case(
        world.other_pupil,
        by,
        start=datetime.date(2026, 3, 9),
        end=datetime.date(2026, 3, 20),
        reason=Reason.OPERATION,
        status=Status.CLOSED,
        outcome="Back in school",
        actual_return_date=datetime.date(2026, 3, 16),
        closed_at=london(2026, 3, 16, 9, 0),
    )
    for day in school_days_of([9, 10, 11]):
        log_contact(jude, by, day)
    # A case at the other site: never in the North site's figures.
    rowan = make_case(
        world.south_pupil, by, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 4, 30)
    )
    for day in school_days_of([2, 3, 4, 5, 6, 9, 10]):
        log_contact(rowan, by, day)
    # A proposal in class A with no agreement at all.
    quill = PupilFactory(school_class=world.class_a, first_name="Zebedee", last_name="Quill")
    make_case(
        quill,
        by,
        start=datetime.date(2026, 4, 20),
        end=datetime.date(2026, 5, 20),
        status=Status.PROPOSED,
    )
    Review.objects.create(
        case=ellis,
        held_on=datetime.date(2026, 3, 10),
        attendees="Class teacher, parent",
        progress="Settled",
        decision=Decision.CONTINUE,
        recorded_by=by,
    )
    plan = ReintegrationPlan.objects.create(
        case=ellis, support="Part-time timetable", updated_by=by
    )
    ReintegrationStep.objects.bulk_create(
        [
            ReintegrationStep(
                plan=plan,
                description="Visit class",
                target_date=datetime.date(2026, 3, 18),
                done_on=datetime.date(2026, 3, 20),
            ),
            ReintegrationStep(
                plan=plan, description="Mornings", target_date=datetime.date(2026, 3, 25)
            ),
            ReintegrationStep(
                plan=plan, description="Full days", target_date=datetime.date(2026, 4, 20)
            ),
        ]
    )
    flag = Flag.objects.create(
        case=ellis, kind=FlagKind.FAMILY_NOT_RESPONDING, period=datetime.date(2026, 3, 6)
    )
    Flag.objects.filter(pk=flag.pk).update(raised_at=london(2026, 3, 11, 16, 30))
    visit = HomeVisit.objects.create(
        case=ellis,
        reason="No answer for three days",
        requested_by=by,
        slt_agreed_by=head,
        slt_agreed_at=london(2026, 3, 12, 9, 0),
        dsl_agreed_by=world.users["dsl"],
        dsl_agreed_at=london(2026, 3, 12, 9, 30),
        visited_on=datetime.date(2026, 3, 13),
        outcome="Family well",
    )
    HomeVisit.objects.filter(pk=visit.pk).update(requested_at=london(2026, 3, 11, 17, 0))
    for day, planning in ((2, True), (3, True), (4, True), (5, False)):
        Provision.objects.create(
            case=ellis,
            date=datetime.date(2026, 3, day),
            sent_by_email=planning,
            visual_timetable_sent=day == 2,
            feedback="<b>Loved it</b>" if day == 3 else "",
            recorded_by=by,
        )
    PaperDelivery.objects.create(
        case=ellis, delivered_on=datetime.date(2026, 3, 4), delivered_by=by
    )
    live = VirtualSession.objects.create(
        school=world.school,
        title="Story time",
        starts_at=london(2026, 3, 10, 11, 0),
        minutes=30,
        planned_by=by,
    )
    live.pupils.set([world.pupil])
    SessionChecklistEntry.objects.create(
        session=live,
        item=ChecklistItem.WAITING_ROOM,
        done=False,
        reason="<i>Forgot</i>",
        recorded_by=by,
    )
    SessionChecklistEntry.objects.create(
        session=live, item=ChecklistItem.LOCKED, done=True, recorded_by=by
    )
    recorded = VirtualSession.objects.create(
        school=world.school,
        kind=SessionKind.PRE_RECORDED,
        title="Phonics",
        starts_at=london(2026, 3, 17, 11, 0),
        minutes=20,
        planned_by=by,
    )
    recorded.pupils.set([world.other_pupil])
    category = concern_categories_ensure(school=world.school)[0]
    concerns = []
    for pupil, urgency, status in (
        (world.pupil, Urgency.IMMEDIATE, ConcernStatus.ACKNOWLEDGED),
        (world.pupil, Urgency.ROUTINE, ConcernStatus.RAISED),
        (world.south_pupil, Urgency.HIGH, ConcernStatus.RAISED),
    ):
        concern = Concern.objects.create(
            pupil=pupil,
            category=category,
            urgency=urgency,
            what_happened="SECRET-CONCERN-TEXT about the family",
            happened_at=london(2026, 3, 12, 10, 0),
            raised_by=by,
            status=status,
        )
        Concern.objects.filter(pk=concern.pk).update(raised_at=london(2026, 3, 12, 11, 0))
        concerns.append(concern)
    return {"ellis": ellis, "jude": jude, "rowan": rowan, "quill": quill, "concerns": concerns}


def report_for(
    world,
    *,
    by="headteacher",
    site=None,
    school_class=None,
    status=ReportStatus.QUEUED,
    content=None,
) -> OversightReport:
    return OversightReport.objects.create(
        requested_by=world.users[by],
        school=world.school,
        site=site,
        school_class=school_class,
        start=MARCH_START,
        end=MARCH_END,
        status=status,
        content=content,
        progress=100 if status == ReportStatus.READY else 0,
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
