"""Today's contacts (policy section 3.2): who is due a contact today, what is due, the last
contact, the carer's details for those who contact families, cover, and who is behind."""

import datetime
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AttendanceCode, Basis, Case, Reason, Status
from contacts.models import (
    AbsenceReason,
    Channel,
    ContactKind,
    ContactLog,
    ContactPlan,
    CoverAssignment,
    FamilyReport,
    FamilyReportKind,
    Outcome,
    StaffAbsence,
)
from dataprotection.models import AccessAction, AccessEvent
from schools.models import ContactChannel
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import CarerFactory, PupilFactory

URL = reverse("contacts:today")
HX = {"HTTP_HX_REQUEST": "true"}
# Thursday 3 December 2026, a school day; Saturday 5 December is not.
SCHOOL_DAY = london(2026, 12, 3, 11, 0)
SATURDAY = london(2026, 12, 5, 11, 0)
CASE_START = datetime.date(2026, 11, 30)


def make_case(world, pupil, *, status=Status.ACTIVE, start=CASE_START) -> Case:
    return Case.objects.create(
        pupil=pupil,
        basis=Basis.INDIVIDUAL,
        reason=Reason.INJURY,
        status=status,
        start_date=start,
        end_date=start + datetime.timedelta(days=28),
        attendance_code=AttendanceCode.I,
        proposed_on=start,
        created_by=world.users["headteacher"],
        **(
            {"outcome": "Back in class.", "actual_return_date": start}
            if status == Status.CLOSED
            else {}
        ),
    )


def add_contacts(case, staff, count: int, *, last_day=datetime.date(2026, 12, 2), **extra):
    """``count`` past contacts, one a day going back from ``last_day``, in one INSERT."""
    contacts = []
    for n in range(count):
        day = last_day - datetime.timedelta(days=n % 3000)
        at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=datetime.UTC)
        at -= datetime.timedelta(minutes=n // 3000)
        contacts.append(
            ContactLog(
                case=case,
                contacted_at=at,
                contact_date=day,
                staff=staff,
                channel=Channel.TELEPHONE,
                kind=extra.get("kind", ContactKind.DAILY),
                outcome=extra.get("outcome", Outcome.SPOKE_WITH_CARER),
                submission_key=uuid.uuid4(),
            )
        )
    ContactLog.objects.bulk_create(contacts, batch_size=2000)


@pytest.fixture
def calendar(world):
    build_calendar(world.school)
    return world


@pytest.fixture
def school_day(calendar):
    with time_machine.travel(SCHOOL_DAY, tick=False):
        yield calendar


@pytest.fixture
def cases(school_day):
    world = school_day
    return {
        "pupil": make_case(world, world.pupil),
        "other": make_case(world, world.other_pupil),
        "south": make_case(world, world.south_pupil),
    }


def test_the_teacher_sees_their_classes_pupils_and_no_one_elses(cases, world):
    not_started = make_case(
        world,
        PupilFactory(school_class=world.class_a, last_name="Later"),
        start=datetime.date(2026, 12, 7),
    )
    proposed = make_case(
        world,
        PupilFactory(school_class=world.class_a, last_name="Proposed"),
        status=Status.PROPOSED,
    )
    response = client_for(world.users["teacher"]).get(URL)
    assert response.status_code == 200
    ids = [row.case.pk for row in response.context["rows"]]
    assert ids == [cases["pupil"].pk]
    assert not {cases["other"].pk, cases["south"].pk, not_started.pk, proposed.pk} & set(ids)
    body = response.content.decode()
    assert "Marsh, Ellis" in body and "Penrose" not in body and "Tate" not in body
    assert "Not yet contacted" in body and "Wellbeing check due" in body
    assert "Due today:" in body and "daily contact, weekly wellbeing check" in body


def test_the_page_shows_the_last_contact_and_the_carers_details(cases, world):
    world.carer.preferred_channel = ContactChannel.EMAIL
    world.carer.email = "dana@family.example"
    world.carer.save()
    add_contacts(cases["pupil"], world.users["class_staff"], 3, outcome=Outcome.MESSAGE_LEFT)
    body = client_for(world.users["teacher"]).get(URL).content.decode()
    assert "Wed 02/12/2026 09:30" in body
    assert "Left a message" in body
    assert "Dana Marsh" in body and "prefers Email" in body
    assert "07700 900123" in body and "dana@family.example" in body


def test_a_covering_teacher_sees_the_covered_case_while_the_absence_lasts(cases, world):
    absence = StaffAbsence.objects.create(
        staff=world.users["teacher"],
        school=world.school,
        first_day=datetime.date(2026, 12, 2),
        last_day=datetime.date(2026, 12, 3),
        reason=AbsenceReason.SICKNESS,
        reported_by=world.users["headteacher"],
    )
    CoverAssignment.objects.create(
        case=cases["pupil"],
        absence=absence,
        covered_by=world.users["other_teacher"],
        assigned_by=world.users["headteacher"],
    )
    client = client_for(world.users["other_teacher"])
    response = client.get(URL)
    ids = {row.case.pk for row in response.context["rows"]}
    assert ids == {cases["pupil"].pk, cases["other"].pk}
    body = response.content.decode()
    assert "Cover:" in body and "07700 900123" in body
    # The day after the absence, the case is the class teacher's again.
    with time_machine.travel(london(2026, 12, 4, 9, 0), tick=False):
        response = client_for(world.users["other_teacher"]).get(URL)
    assert {row.case.pk for row in response.context["rows"]} == {cases["other"].pk}


def test_cover_given_to_someone_outside_the_contact_roles_hides_the_carers_numbers(cases, world):
    absence = StaffAbsence.objects.create(
        staff=world.users["teacher"],
        school=world.school,
        first_day=datetime.date(2026, 12, 3),
        last_day=datetime.date(2026, 12, 3),
        reason=AbsenceReason.SICKNESS,
        reported_by=world.users["headteacher"],
    )
    CoverAssignment.objects.create(
        case=cases["pupil"],
        absence=absence,
        covered_by=world.users["it_staff"],
        assigned_by=world.users["headteacher"],
    )
    response = client_for(world.users["it_staff"]).get(URL)
    assert response.status_code == 200
    assert [row.case.pk for row in response.context["rows"]] == [cases["pupil"].pk]
    body = response.content.decode()
    assert "Dana Marsh" in body
    assert "07700 900123" not in body


def test_people_who_do_not_contact_families_are_told_the_page_does_not_exist(school_day):
    world = school_day
    for persona in ("dsl", "it_staff", "dpo", "governor", "no_role"):
        assert client_for(world.users[persona]).get(URL).status_code == 404
    denied = AccessEvent.objects.filter(action=AccessAction.DENIED, route__contains="today")
    assert denied.count() == 5


def test_the_weekly_wellbeing_check_is_due_until_one_is_logged_this_week(cases, world):
    client = client_for(world.users["teacher"])
    row = client.get(URL).context["rows"][0]
    assert row.wellbeing_due and row.suggested_kind == ContactKind.WELLBEING
    # Last week's check does not count for this week.
    add_contacts(
        cases["pupil"],
        world.users["teacher"],
        1,
        kind=ContactKind.WELLBEING,
        last_day=datetime.date(2026, 11, 27),
    )
    assert client.get(URL).context["rows"][0].wellbeing_due
    add_contacts(
        cases["pupil"],
        world.users["teacher"],
        1,
        kind=ContactKind.WELLBEING,
        last_day=datetime.date(2026, 11, 30),
    )
    row = client.get(URL).context["rows"][0]
    assert not row.wellbeing_due and row.suggested_kind == ContactKind.DAILY


def test_extra_calls_decided_by_the_dsl_team_are_counted_due_against_done(cases, world):
    ContactPlan.objects.create(
        case=cases["pupil"],
        extra_calls_per_day=2,
        extra_call_weekdays="1,3",  # Tuesday and Thursday: today is a Thursday
        decided_by=world.users["dsl"],
        decided_reason="Family under strain.",
        decided_at=timezone.now(),
    )
    add_contacts(cases["pupil"], world.users["teacher"], 1, last_day=datetime.date(2026, 12, 3))
    client = client_for(world.users["teacher"])
    row = client.get(URL).context["rows"][0]
    assert (row.extra_calls, row.due, row.contacts_today, row.behind) == (2, 3, 1, True)
    assert "Calls 1 of 3" in client.get(URL).content.decode()
    with time_machine.travel(london(2026, 12, 4, 9, 0), tick=False):  # a Friday
        row = client_for(world.users["teacher"]).get(URL).context["rows"][0]
    assert (row.extra_calls, row.due) == (0, 1)


def test_on_a_day_that_is_not_a_school_day_the_page_says_so_and_still_offers_logging(cases, world):
    with time_machine.travel(SATURDAY, tick=False):
        response = client_for(world.users["teacher"]).get(URL)
    body = response.content.decode()
    assert "is not a school day" in body
    assert "nothing (not a school day)" in body
    assert reverse("contacts:contact_log", args=[cases["pupil"].pk]) in body
    assert response.context["rows"][0].due == 0


def test_slt_see_who_is_behind_per_class_and_per_teacher(cases, world):
    second = make_case(world, PupilFactory(school_class=world.class_a, last_name="Second"))
    add_contacts(second, world.users["teacher"], 1, last_day=datetime.date(2026, 12, 3))
    response = client_for(world.users["slt_class"]).get(URL)
    page = response.context["page"]
    assert page.leads
    assert [(e.label, e.pupils, e.not_contacted) for e in page.by_class] == [("Ash (North)", 2, 1)]
    assert [(e.label, e.pupils, e.not_contacted) for e in page.by_teacher] == [("Teacher", 2, 1)]
    assert "Who is behind" in response.content.decode()
    head = client_for(world.users["headteacher"]).get(URL).context["page"]
    assert {e.label for e in head.by_class} == {"Ash (North)", "Birch (North)", "Cedar (South)"}
    # Teachers do not get the oversight tables.
    assert "Who is behind" not in client_for(world.users["teacher"]).get(URL).content.decode()


def test_the_page_is_audited_with_counts_only(cases, world):
    client_for(world.users["teacher"]).get(URL)
    event = AccessEvent.objects.filter(action=AccessAction.LIST).latest("pk")
    assert event.detail == "today 2026-12-03: 1 pupils, 0 contacted"
    assert "Marsh" not in event.detail


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["teacher", "slt_class"])
def test_the_page_costs_the_same_queries_for_5_or_200_pupils_and_10_or_10000_contacts(
    school_day, persona
):
    world = school_day
    client = client_for(world.users[persona])
    few = [make_case(world, world.pupil)]
    for n in range(4):
        pupil = PupilFactory(school_class=world.class_a, last_name=f"Few{n}")
        CarerFactory(pupil=pupil)
        few.append(make_case(world, pupil))
    add_contacts(few[0], world.users["teacher"], 10)
    client.get(URL)  # the first request of a session also updates the session
    small = _queries(client)

    pupils = PupilFactory.create_batch(195, school_class=world.class_a)
    for pupil in pupils:
        CarerFactory(pupil=pupil)
        CarerFactory(pupil=pupil)
    many = [make_case(world, pupil) for pupil in pupils]
    add_contacts(many[0], world.users["teacher"], 10_000)
    add_contacts(many[1], world.users["class_staff"], 5, last_day=datetime.date(2026, 12, 3))
    ContactPlan.objects.create(
        case=many[2],
        extra_calls_per_day=1,
        decided_reason="Worried.",
        decided_by=world.users["dsl"],
        decided_at=timezone.now(),
    )
    # What families reported about today (through the carers' portal) costs one query.
    for pupil in pupils[:50]:
        FamilyReport.objects.create(
            pupil=pupil,
            day=datetime.date(2026, 12, 3),
            kind=FamilyReportKind.UNWELL,
            carer=pupil.carers.first(),
            reported_by=world.users["no_role"],
        )
    response = client.get(URL)
    assert len(response.context["rows"]) == 200
    assert _queries(client) == small


def test_another_school_s_headteacher_sees_none_of_heathergate_s_pupils(cases, world):
    response = client_for(world.users["other_school_head"]).get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Marsh" not in response.content.decode()


def test_a_family_tried_but_not_reached_today_is_not_shown_as_contacted(cases, world):
    today = SCHOOL_DAY.date()
    add_contacts(
        cases["pupil"], world.users["teacher"], 1, last_day=today, outcome=Outcome.NO_RESPONSE
    )
    body = client_for(world.users["teacher"]).get(URL).content.decode()
    assert "Tried today, not reached" in body
    assert "Contacted today" not in body

    add_contacts(
        cases["pupil"], world.users["teacher"], 1, last_day=today, outcome=Outcome.SPOKE_WITH_PUPIL
    )
    ContactLog.objects.filter(outcome=Outcome.SPOKE_WITH_PUPIL).update(contacted_at=SCHOOL_DAY)
    body = client_for(world.users["teacher"]).get(URL).content.decode()
    assert "Contacted today" in body
