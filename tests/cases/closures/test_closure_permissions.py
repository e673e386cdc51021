"""The closure gates: each predicate agrees with the queryset scope that lists the same thing,
for every persona of the shared world."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.closures.permissions import (
    attendance_pupils_for,
    attendance_sites_for,
    can_edit_class_overview,
    can_export_attendance,
    can_list_closures,
    can_open_closures,
    can_record_provision,
    can_view_class_overview,
    closure_cases_visible_to,
)
from cases.closures.selectors import closures_for_list, provision_today_rows
from cases.models import Case, Reason
from cases.permissions import LEADERSHIP_ROLES, can_work_on_case
from cases.services import closure_open
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Pupil, SchoolClass
from schools.permissions import pupil_access
from tests.cases.closures.matrix import (
    EDITS_CLASS_A,
    LEADERS,
    READS_CASES,
    READS_CLASS_A,
    WORKS_ON_CASES,
    build_calendar,
    london,
)
from tests.conftest import client_for


@pytest.fixture
def both_sites_closed(world):
    build_calendar(world.school)
    with time_machine.travel(london(2026, 12, 3, 9, 0), tick=False):
        for site in (world.north, world.south):
            closure_open(
                actor=Actor.for_user(world.users["headteacher"]),
                school=world.school,
                reason=Reason.GOVERNMENT_GUIDANCE,
                start_date=datetime.date(2026, 12, 1),
                end_date=datetime.date(2026, 12, 11),
                site=site,
            )
        yield world


def test_the_page_gates_match_the_matrix_groups(world):
    for key, user in world.users.items():
        assert can_open_closures(user) is (key in LEADERS), key
        assert can_export_attendance(user) is (key in LEADERS), key
        assert can_record_provision(user) is (key in WORKS_ON_CASES), key
        assert can_list_closures(user) is (key in READS_CASES), key
        assert can_view_class_overview(user, world.class_a) is (
            key in EDITS_CLASS_A | READS_CLASS_A
        ), key
        assert can_edit_class_overview(user, world.class_a) is (key in EDITS_CLASS_A), key


def test_the_class_overview_predicate_agrees_with_the_closure_list_scope(both_sites_closed):
    world = both_sites_closed
    classes = list(SchoolClass.objects.select_related("site"))
    for key, user in world.users.items():
        listed = set(
            closure_cases_visible_to(user).values_list("pupil__school_class_id", flat=True)
        )
        allowed = {c.pk for c in classes if can_view_class_overview(user, c)}
        assert listed == allowed, key
        on_page = {
            school_class.school_class_id
            for entry in closures_for_list(user)
            for school_class in entry.classes
        }
        assert on_page == allowed, key


def test_the_provision_checklist_shows_exactly_the_cases_a_person_may_work_on(
    both_sites_closed,
):
    world = both_sites_closed
    cases = list(Case.objects.select_related("pupil__school_class__site"))
    day = datetime.date(2026, 12, 3)
    for key, user in world.users.items():
        rows, _ = provision_today_rows(user, day)
        shown = {row.case.pk for row in rows}
        assert shown == {case.pk for case in cases if can_work_on_case(user, case)}, key


def test_the_attendance_scope_is_the_pupils_a_person_leads(world):
    pupils = list(Pupil.objects.select_related("school_class__site"))
    for key, user in world.users.items():
        scope = set(attendance_pupils_for(user))
        leads = {p for p in pupils if pupil_access(user, p).roles & LEADERSHIP_ROLES}
        assert scope == leads, key
        assert set(attendance_sites_for(user)) == {p.school_class.site for p in leads}, key


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("cases:closure_list", "it_staff"),
        ("cases:closure_list", "family_support_shared"),
        ("cases:closure_new", "dsl"),
        ("cases:provision_today", "dsl"),
        ("cases:attendance_export", "teacher"),
    ],
)
def test_refusals_are_not_found_and_recorded(world, name, persona):
    user = world.users[persona]
    response = client_for(user).get(reverse(name))
    assert response.status_code == 404
    event = AccessEvent.objects.get(action=AccessAction.DENIED, user_id=user.pk)
    assert event.route == name
    assert event.pupil_id is None


def test_a_refused_case_is_recorded_against_its_pupil(both_sites_closed):
    world = both_sites_closed
    case = Case.objects.get(pupil=world.pupil)
    user = world.users["deputy_dsl_other_site"]
    response = client_for(user).post(
        reverse("cases:closure_check", args=[case.pk]),
        {"wellbeing": "well", "internet_access": "online"},
    )
    assert response.status_code == 404
    event = AccessEvent.objects.get(action=AccessAction.DENIED, user_id=user.pk)
    assert event.pupil_id == world.pupil.pk
    assert event.subject_type == "cases.case" and event.subject_id == str(case.pk)
