"""Longer absences (section 3.2): the social-worker-not-informed rule, recording that the
social worker was told, and family support involvement granting and revoking access."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AttendanceCode, Basis, Case, Flag, FlagKind, Reason, Status
from safeguarding.models import Involvement, InvolvementKind, SafeguardingSettings
from safeguarding.rules import flag_social_worker_not_informed
from safeguarding.tasks import check_long_absences
from schools.models import Pupil, Term
from schools.permissions import can_view_pupil
from schools.services import school_days_refresh
from tests.conftest import client_for

START = dt.date(2026, 3, 2)  # a Monday
TENTH_SCHOOL_DAY = dt.date(2026, 3, 13)
ELEVENTH_SCHOOL_DAY = dt.date(2026, 3, 16)
CLOSED = {"outcome": "Back in school.", "actual_return_date": dt.date(2026, 3, 9)}


def _calendar(world) -> None:
    Term.objects.create(
        school=world.school,
        name="Spring 2026",
        first_day=dt.date(2026, 1, 5),
        last_day=dt.date(2026, 3, 27),
    )
    school_days_refresh(school=world.school)


def _case(world, pupil=None, *, status=Status.ACTIVE) -> Case:
    pupil = pupil or world.pupil
    Pupil.objects.filter(pk=pupil.pk).update(social_worker_name="Sam Okafor")
    return Case.objects.create(
        pupil=pupil,
        basis=Basis.INDIVIDUAL,
        reason=Reason.INJURY,
        status=status,
        start_date=START,
        end_date=dt.date(2026, 3, 27),
        attendance_code=AttendanceCode.I,
        proposed_on=START,
        created_by=world.users["headteacher"],
        **(CLOSED if status == Status.CLOSED else {}),
    )


def _open_flags():
    return Flag.objects.filter(kind=FlagKind.SOCIAL_WORKER_NOT_INFORMED, resolved_at__isnull=True)


def test_the_rule_fires_once_after_the_schools_number_of_school_days(world):
    _calendar(world)
    case = _case(world)
    assert flag_social_worker_not_informed(TENTH_SCHOOL_DAY) == 0
    assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY) == 1
    assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY) == 0
    assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY + dt.timedelta(days=1)) == 0
    flag = _open_flags().get()
    assert flag.case == case and flag.period == START


def test_the_school_sets_the_number_of_days(world):
    _calendar(world)
    _case(world)
    SafeguardingSettings.objects.create(school=world.school, long_absence_school_days=12)
    assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY) == 0
    assert flag_social_worker_not_informed(dt.date(2026, 3, 18)) == 1


def test_pupils_without_a_social_worker_and_closed_cases_are_not_flagged(world):
    _calendar(world)
    Case.objects.create(
        pupil=world.other_pupil,
        basis=Basis.INDIVIDUAL,
        reason=Reason.INJURY,
        status=Status.ACTIVE,
        start_date=START,
        end_date=dt.date(2026, 3, 27),
        attendance_code=AttendanceCode.I,
        proposed_on=START,
        created_by=world.users["headteacher"],
    )
    _case(world, world.south_pupil, status=Status.CLOSED)
    assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY) == 0


def test_the_daily_task_runs_the_rule_for_today_in_london(world):
    _calendar(world)
    _case(world)
    with time_machine.travel(dt.datetime(2026, 3, 13, 7, 30, tzinfo=dt.UTC), tick=False):
        assert check_long_absences() == 0
    with time_machine.travel(dt.datetime(2026, 3, 16, 7, 30, tzinfo=dt.UTC), tick=False):
        assert check_long_absences() == 1
        assert check_long_absences() == 0


def test_recording_the_social_worker_informed_resolves_the_flag_at_once(world):
    _calendar(world)
    case = _case(world)
    with time_machine.travel(dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC), tick=False):
        assert check_long_absences() == 1
        response = client_for(world.users["dsl"]).post(
            reverse("safeguarding:social_worker_informed", args=[case.pk]),
            {"informed-informed_on": "2026-03-16", "informed-how": "phone"},
        )
        assert response.status_code == 302
        assert not _open_flags().exists()
        flag = Flag.objects.get(case=case)
        assert flag.resolved_by == world.users["dsl"]
        assert check_long_absences() == 0


def test_the_tidy_up_resolves_flags_of_closed_cases(world):
    _calendar(world)
    case = _case(world)
    flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, **CLOSED)
    flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY)
    assert not _open_flags().exists()


def _bulk_cases(world, count: int, first: int) -> None:
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=world.school,
            school_class=world.class_a,
            upn=f"L{n:011d}A",
            first_name=f"Pupil{n}",
            last_name="Scale",
            date_of_birth=dt.date(2015, 1, 1),
            has_ehc_plan=False,
            social_worker_name="Sam Okafor",
        )
        for n in range(first, first + count)
    )
    Case.objects.bulk_create(
        Case(
            pupil=pupil,
            basis=Basis.INDIVIDUAL,
            reason=Reason.INJURY,
            status=Status.ACTIVE,
            start_date=START,
            end_date=dt.date(2026, 3, 27),
            attendance_code=AttendanceCode.I,
            proposed_on=START,
            created_by=world.users["headteacher"],
        )
        for pupil in pupils
    )


def test_the_rule_costs_the_same_statements_for_10_and_1000_cases(world):
    _calendar(world)
    _bulk_cases(world, 10, 0)
    with CaptureQueriesContext(connection) as few:
        assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY) == 10
    _bulk_cases(world, 990, 10)
    with CaptureQueriesContext(connection) as many:
        assert flag_social_worker_not_informed(ELEVENTH_SCHOOL_DAY) == 990
    assert len(few) == len(many)


def test_family_support_involvement_grants_and_ending_it_revokes_access(world):
    worker = world.users["family_support_unshared"]
    case = _case(world)
    assert not can_view_pupil(worker, world.pupil)
    client = client_for(world.users["dsl"])
    response = client.post(
        reverse("safeguarding:involvement_add", args=[case.pk]),
        {
            "involvement-kind": InvolvementKind.FAMILY_SUPPORT,
            "involvement-worker": worker.pk,
            "involvement-started_on": START.isoformat(),
        },
    )
    assert response.status_code == 302
    involvement = Involvement.objects.get(case=case)
    assert involvement.worker == worker
    assert can_view_pupil(worker, Pupil.objects.get(pk=world.pupil.pk))

    response = client.post(
        reverse("safeguarding:involvement_end", args=[involvement.pk]),
        {f"end{involvement.pk}-ended_on": START.isoformat()},
    )
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == START
    assert not can_view_pupil(worker, Pupil.objects.get(pk=world.pupil.pk))


def test_family_support_without_a_worker_is_a_field_error(world):
    case = _case(world)
    response = client_for(world.users["headteacher"]).post(
        reverse("safeguarding:involvement_add", args=[case.pk]),
        {
            "involvement-kind": InvolvementKind.FAMILY_SUPPORT,
            "involvement-started_on": START.isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["involvement_form"].errors["worker"] == [
        "Name the family support worker."
    ]
    assert not Involvement.objects.exists()


def test_the_case_page_shows_the_schools_safeguarding_partnership(world):
    case = _case(world)
    body = (
        client_for(world.users["dsl"])
        .get(reverse("safeguarding:case_safeguarding", args=[case.pk]))
        .content.decode()
    )
    assert world.school.safeguarding_partnership_name in body
    assert f'href="{world.school.safeguarding_partnership_url}"' in body


def test_others_who_read_the_case_get_403_and_the_other_site_404(world):
    case = _case(world)
    url = reverse("safeguarding:involvement_add", args=[case.pk])
    data = {"involvement-kind": "social_care", "involvement-started_on": START.isoformat()}
    assert client_for(world.users["teacher"]).post(url, data).status_code == 403
    assert client_for(world.users["deputy_dsl_other_site"]).post(url, data).status_code == 404
    assert not Involvement.objects.exists()
