"""Flags raised by the case rules reach the people who must act, on their home page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.flags.rules import run_case_rules
from cases.flags.selectors import HOME_FLAG_LIMIT, case_url, flags_needing_action
from cases.models import Flag, FlagKind
from tests.cases.flags.test_rules import TIME_LIMIT, on, running_case, with_summer_term
from tests.conftest import client_for

FLAGGED_ON = TIME_LIMIT + dt.timedelta(days=3)


@pytest.fixture
def flagged(world):
    """Ellis (class Ash) and Jude (class Birch) each with an overdue review and a passed time
    limit; Rowan at the south site with no case."""
    with_summer_term(world)
    ellis = running_case(world, world.pupil)
    jude = running_case(world, world.other_pupil)
    with on(FLAGGED_ON):
        run_case_rules(FLAGGED_ON)
    return world, ellis, jude


def home_page(user) -> str:
    with on(FLAGGED_ON, hour=9):
        response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_teacher_sees_their_classes_flags_and_not_other_classes(flagged):
    world, ellis, _ = flagged

    page = home_page(world.users["teacher"])

    assert "Flags needing action" in page
    assert page.count("Ellis Marsh") == 2
    assert "Review overdue" in page
    assert "Time limit reached or passed" in page
    assert f"since {ellis.end_date:%d/%m/%Y}" in page
    assert "Jude Penrose" not in page


def test_the_other_classes_teacher_sees_only_their_own(flagged):
    world, _, _ = flagged

    page = home_page(world.users["other_teacher"])

    assert page.count("Jude Penrose") == 2
    assert "Ellis Marsh" not in page


@pytest.mark.parametrize(
    ("persona", "sees_ellis", "sees_jude"),
    [
        ("class_staff", True, False),
        ("slt_class", True, False),
        ("headteacher", True, True),
        ("dsl", True, True),  # the DSL team reads its site's cases
        ("slt_other_site", False, False),
        ("other_school_head", False, False),
    ],
)
def test_leaders_see_the_flags_of_the_cases_they_oversee(flagged, persona, sees_ellis, sees_jude):
    world, _, _ = flagged

    page = home_page(world.users[persona])

    assert "Flags needing action" in page
    assert ("Ellis Marsh" in page) is sees_ellis
    assert ("Jude Penrose" in page) is sees_jude


@pytest.mark.parametrize("persona", ["dpo", "governor", "it_staff", "family_support_shared"])
def test_people_without_a_role_on_cases_see_no_flags(flagged, persona):
    world, _, _ = flagged

    page = home_page(world.users[persona])

    assert "Flags needing action" not in page
    assert "Ellis Marsh" not in page


def test_resolved_flags_leave_the_home_page(flagged):
    world, ellis, _ = flagged
    Flag.objects.filter(case=ellis).update(resolved_at=Flag.objects.first().raised_at)

    page = home_page(world.users["teacher"])

    assert "Ellis Marsh" not in page
    assert "Nothing needs action on your cases." in page


def test_each_flag_links_to_its_case_once_the_case_page_exists(flagged):
    world, ellis, _ = flagged

    page = home_page(world.users["teacher"])

    url = case_url(ellis)
    if url is None:  # the case pages are not routed yet: the name is shown without a link
        assert "<strong>Ellis Marsh</strong>" in page
    else:
        assert f'href="{url}"' in page


def test_the_home_page_costs_the_same_queries_for_two_flags_or_many(flagged):
    world, ellis, _ = flagged
    teacher = world.users["teacher"]

    def queries() -> int:
        with on(FLAGGED_ON, hour=9), CaptureQueriesContext(connection) as captured:
            client_for(teacher).get(reverse("home"))
        return len(captured)

    few = queries()
    Flag.objects.bulk_create(
        Flag(case=ellis, kind=FlagKind.DAILY_CONTACT_MISSED, period=TIME_LIMIT - dt.timedelta(n))
        for n in range(HOME_FLAG_LIMIT + 5)
    )
    many = queries()

    assert many == few  # the count of them all comes with the first twenty
    shown = flags_needing_action(teacher)
    assert len(shown.flags) == HOME_FLAG_LIMIT
    assert shown.total == HOME_FLAG_LIMIT + 7
    with on(FLAGGED_ON, hour=9):
        page = client_for(teacher).get(reverse("home")).content.decode()
    assert "and 7 more" in page


def test_the_selector_is_one_query(flagged, django_assert_max_num_queries):
    world, ellis, _ = flagged
    teacher = world.users["teacher"]
    Flag.objects.bulk_create(
        Flag(case=ellis, kind=FlagKind.DAILY_CONTACT_MISSED, period=TIME_LIMIT - dt.timedelta(n))
        for n in range(HOME_FLAG_LIMIT * 3)
    )

    with django_assert_max_num_queries(2):  # memberships, the flags with their count
        shown = flags_needing_action(teacher)
        names = [flag.case.pupil.display_name for flag in shown.flags]
        classes = {flag.case.pupil.school_class.name for flag in shown.flags}

    assert set(names) == {"Ellis Marsh"}
    assert classes == {"Ash"}
