"""Staff absences and cover (policy section 3.1): reporting, the cover list, reassigning one
case or all of them, the checks at the field, refusals, and a fixed number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AttendanceCode, Basis, Case, Reason, Status
from contacts.cover.services import absence_report, cover_assign, cover_assign_all
from contacts.models import AbsenceReason, ContactSettings, CoverAssignment, StaffAbsence
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, PupilFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
THURSDAY = dt.date(2026, 10, 8)
REPORT = reverse("contacts:absence_report")
COVER = reverse("contacts:cover_list")
ABSENCES = reverse("contacts:absence_list")


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 10, 8, 9, 0, tzinfo=LONDON), tick=False):
        yield


def make_case(world, pupil=None, **fields) -> Case:
    values = {
        "pupil": pupil or world.pupil,
        "basis": Basis.INDIVIDUAL,
        "reason": Reason.INJURY,
        "status": Status.ACTIVE,
        "start_date": dt.date(2026, 10, 1),
        "end_date": dt.date(2026, 10, 30),
        "next_review_date": dt.date(2026, 10, 15),
        "attendance_code": AttendanceCode.I,
        "proposed_on": dt.date(2026, 10, 1),
        "created_by": world.users["teacher"],
    }
    return Case.objects.create(**(values | fields))


def make_absence(world, who="teacher", first=THURSDAY, last=THURSDAY + dt.timedelta(days=4)):
    return StaffAbsence.objects.create(
        staff=world.users[who],
        school=world.school,
        first_day=first,
        last_day=last,
        reason=AbsenceReason.SICKNESS,
        reported_by=world.users[who],
    )


def report(client, **data):
    values = {"first_day": "08/10/2026", "last_day": "09/10/2026", "reason": "sickness"}
    return client.post(REPORT, values | data)


# --- Reporting -------------------------------------------------------------------------------


def test_a_teacher_reports_their_own_absence(world, clock):
    teacher = world.users["teacher"]
    response = report(client_for(teacher), reason="dependant")

    assert response.status_code == 302
    absence = StaffAbsence.objects.get()
    assert (absence.staff, absence.reported_by, absence.school) == (teacher, teacher, world.school)
    assert (absence.first_day, absence.last_day) == (THURSDAY, dt.date(2026, 10, 9))
    assert absence.reason == AbsenceReason.DEPENDANT
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_type="contacts.staffabsence", subject_id=absence.pk
    ).exists()


def test_a_teacher_cannot_report_for_someone_else(world, clock):
    response = report(client_for(world.users["teacher"]), staff=world.users["other_teacher"].pk)

    assert response.status_code == 302
    assert StaffAbsence.objects.get().staff == world.users["teacher"]


def test_the_headteacher_reports_for_a_member_of_staff(world, clock):
    head = world.users["headteacher"]
    response = report(client_for(head), staff=world.users["other_teacher"].pk)

    assert response.status_code == 302
    assert response.url == COVER
    absence = StaffAbsence.objects.get()
    assert (absence.staff, absence.reported_by) == (world.users["other_teacher"], head)


def test_the_report_page_shows_the_schools_availability_hours(world, clock):
    ContactSettings.objects.create(
        school=world.school, available_from=dt.time(9, 0), available_until=dt.time(15, 0)
    )
    page = client_for(world.users["teacher"]).get(REPORT).content.decode()
    assert "9.00am" in page and "3.00pm" in page


def test_a_last_day_before_the_first_is_refused_at_the_field(world, clock):
    response = report(client_for(world.users["teacher"]), last_day="07/10/2026")

    assert response.status_code == 200
    assert response.context["form"].errors["last_day"] == [
        "The last day cannot be before the first."
    ]
    assert not StaffAbsence.objects.exists()


def test_an_overlapping_absence_is_refused_at_the_field(world, clock):
    make_absence(world, first=dt.date(2026, 10, 9), last=dt.date(2026, 10, 12))
    response = report(client_for(world.users["teacher"]))

    assert response.status_code == 200
    assert "overlaps these dates" in response.context["form"].errors["first_day"][0]
    assert StaffAbsence.objects.count() == 1


def test_reporting_for_someone_not_at_the_school_is_refused(world, clock):
    stranger = UserFactory()
    response = report(client_for(world.users["headteacher"]), staff=stranger.pk)

    assert response.status_code == 200
    assert "staff" in response.context["form"].errors
    assert not StaffAbsence.objects.exists()


def test_the_service_refuses_bad_absences(world, clock):
    head = world.users["headteacher"]
    with pytest.raises(ValidationError) as error:
        absence_report(
            actor=Actor.for_user(head),
            staff=UserFactory(),
            school=world.school,
            first_day=THURSDAY,
            last_day=THURSDAY,
            reason=AbsenceReason.SICKNESS,
        )
    assert "staff" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        absence_report(
            actor=Actor.for_user(world.users["teacher"]),
            staff=world.users["other_teacher"],
            school=world.school,
            first_day=THURSDAY,
            last_day=THURSDAY,
            reason=AbsenceReason.SICKNESS,
        )
    assert "staff" in error.value.message_dict
    assert not StaffAbsence.objects.exists()


def test_those_without_cases_have_no_absence_page(world):
    for persona in ("dsl", "governor", "no_role", "it_staff"):
        assert client_for(world.users[persona]).get(REPORT).status_code == 404


# --- The cover list --------------------------------------------------------------------------


def test_slt_see_the_absent_teachers_active_cases_and_reassign_them(world, clock):
    case = make_case(world)
    make_case(world, pupil=world.other_pupil)  # class B: not the absent teacher's
    make_case(world, pupil=PupilFactory(school_class=world.class_a), status=Status.PROPOSED)
    absence = make_absence(world)
    client = client_for(world.users["slt_class"])

    entries = client.get(COVER).context["entries"]
    assert [entry.absence for entry in entries] == [absence]
    assert [row.case for row in entries[0].rows] == [case]
    assert entries[0].rows[0].cover is None

    covered_by = world.users["class_staff"]
    response = client.post(
        reverse("contacts:cover_assign", args=[absence.pk, case.pk]), {"covered_by": covered_by.pk}
    )
    assert response.status_code == 302
    cover = CoverAssignment.objects.get()
    assert (cover.case, cover.absence, cover.covered_by) == (case, absence, covered_by)
    assert cover.assigned_by == world.users["slt_class"]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE,
        subject_type="contacts.coverassignment",
        subject_id=cover.pk,
        pupil_id=world.pupil.pk,
    ).exists()

    # Changing who covers keeps one assignment.
    client.post(
        reverse("contacts:cover_assign", args=[absence.pk, case.pk]),
        {"covered_by": world.users["headteacher"].pk},
    )
    assert CoverAssignment.objects.get().covered_by == world.users["headteacher"]
    entries = client.get(COVER).context["entries"]
    assert entries[0].rows[0].cover.covered_by == world.users["headteacher"]


def test_assign_all_gives_every_case_to_one_person(world, clock):
    pupils = PupilFactory.create_batch(3, school_class=world.class_a)
    cases = [make_case(world, pupil=pupil) for pupil in pupils]
    absence = make_absence(world)
    response = client_for(world.users["headteacher"]).post(
        reverse("contacts:cover_assign_all", args=[absence.pk]),
        {"covered_by": world.users["other_teacher"].pk},
    )

    assert response.status_code == 302
    covers = CoverAssignment.objects.filter(absence=absence)
    assert {cover.case for cover in covers} == set(cases)
    assert {cover.covered_by for cover in covers} == {world.users["other_teacher"]}


def test_slt_of_another_site_see_the_absence_but_not_the_pupils(world, clock):
    make_case(world)
    make_absence(world)
    entries = client_for(world.users["slt_other_site"]).get(COVER).context["entries"]
    assert len(entries) == 1
    assert entries[0].rows == []


def test_past_absences_leave_the_cover_list_but_stay_on_the_absence_list(world, clock):
    past = make_absence(world, first=dt.date(2026, 9, 28), last=dt.date(2026, 9, 30))
    client = client_for(world.users["headteacher"])
    assert client.get(COVER).context["entries"] == []
    assert client.get(ABSENCES).context["absences"] == [past]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("teacher", "is the one who is away"),
        ("stranger", "Choose a member of staff at this school from the list."),
        ("governor", "Choose a member of staff at this school from the list."),
    ],
)
def test_cover_for_the_absent_person_or_an_outsider_is_refused_at_the_field(
    world, clock, who, message
):
    case = make_case(world)
    absence = make_absence(world)
    person = UserFactory() if who == "stranger" else world.users[who]
    if who == "stranger":
        MembershipFactory(user=person, role=Role.TEACHER)  # at another school
    response = client_for(world.users["headteacher"]).post(
        reverse("contacts:cover_assign", args=[absence.pk, case.pk]), {"covered_by": person.pk}
    )

    assert response.status_code == 200
    entry = response.context["entries"][0]
    form = entry.rows[0].form
    if who == "teacher":
        # The absent person is not offered; posted anyway, the choice is refused.
        assert form.errors["covered_by"] == [
            "Choose a member of staff at this school from the list."
        ]
    else:
        assert message in form.errors["covered_by"][0]
    assert not CoverAssignment.objects.exists()


def test_the_service_refuses_cover_by_the_absent_person_or_an_outsider(world, clock):
    case = make_case(world)
    absence = make_absence(world)
    head = world.users["headteacher"]
    with pytest.raises(ValidationError, match="is the one who is away"):
        cover_assign(
            actor=Actor.for_user(head),
            absence=absence,
            case=case,
            covered_by=world.users["teacher"],
        )
    with pytest.raises(ValidationError, match="does not teach or lead at this school"):
        cover_assign(
            actor=Actor.for_user(head), absence=absence, case=case, covered_by=world.users["dpo"]
        )
    with pytest.raises(ValidationError, match="does not teach or lead at this school"):
        cover_assign_all(
            actor=Actor.for_user(head),
            absence=absence,
            cases=[case],
            covered_by=world.users["other_school_head"],
        )
    make_absence(world, who="other_teacher")
    with pytest.raises(ValidationError, match="also away"):
        cover_assign(
            actor=Actor.for_user(head),
            absence=absence,
            case=case,
            covered_by=world.users["other_teacher"],
        )
    other_case = make_case(world, pupil=world.other_pupil)
    with pytest.raises(ValidationError, match="not one the absent person"):
        cover_assign(
            actor=Actor.for_user(head),
            absence=absence,
            case=other_case,
            covered_by=world.users["class_staff"],
        )
    assert not CoverAssignment.objects.exists()


def test_the_absent_teacher_may_not_reassign_their_cases(world, clock):
    case = make_case(world)
    absence = make_absence(world)
    client = client_for(world.users["teacher"])
    data = {"covered_by": world.users["class_staff"].pk}

    assert client.get(COVER).status_code == 404
    assert (
        client.post(reverse("contacts:cover_assign", args=[absence.pk, case.pk]), data).status_code
        == 403
    )
    assert (
        client.post(reverse("contacts:cover_assign_all", args=[absence.pk]), data).status_code
        == 403
    )
    assert not CoverAssignment.objects.exists()


def test_other_people_cannot_learn_of_the_absence(world, clock):
    case = make_case(world)
    absence = make_absence(world)
    data = {"covered_by": world.users["class_staff"].pk}
    for persona in ("dsl", "other_teacher", "other_school_head", "governor"):
        client = client_for(world.users[persona])
        url = reverse("contacts:cover_assign", args=[absence.pk, case.pk])
        assert client.post(url, data).status_code == 404, persona
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == 4
    assert not CoverAssignment.objects.exists()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_cover_list_costs_the_same_queries_for_5_or_50_cases(world, clock):
    absence = make_absence(world)
    make_absence(world, who="class_staff")

    def add(count: int) -> None:
        for pupil in PupilFactory.create_batch(count, school_class=world.class_a):
            case = make_case(world, pupil=pupil)
            CoverAssignment.objects.create(
                case=case,
                absence=absence,
                covered_by=world.users["other_teacher"],
                assigned_by=world.users["headteacher"],
            )

    client = client_for(world.users["headteacher"])
    add(5)
    client.get(COVER)
    small = count_queries(client, COVER)
    add(45)
    large = count_queries(client, COVER)
    assert small == large
    assert large <= 12
    rows = client.get(COVER).context["entries"][0].rows
    assert len(rows) == 50


def test_the_absence_list_costs_the_same_queries_for_few_or_many(world, clock):
    client = client_for(world.users["headteacher"])
    make_absence(world)
    client.get(ABSENCES)
    small = count_queries(client, ABSENCES)
    for offset in range(1, 20):
        first = THURSDAY + dt.timedelta(days=7 * offset)
        make_absence(world, first=first, last=first)
    assert count_queries(client, ABSENCES) == small
