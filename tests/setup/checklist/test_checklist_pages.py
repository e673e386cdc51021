"""The checklist page, its list of people without two-step verification, and the head's
home page banner: who sees what, what each page links to, and what each costs."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from schools.models import Membership, Role, SchoolDay
from tests.conftest import TEST_TOTP_SECRET, client_for
from tests.factories import MembershipFactory, PupilFactory, SchoolFactory, UserFactory
from tests.setup.checklist.conftest import person

CHECKLIST = reverse("setup:checklist")
WITHOUT_MFA = reverse("setup:staff_without_mfa")
IMPORT = reverse("schools:import_upload")


def admin():
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


def take_away_the_dpo_and_the_calendar(ready) -> None:
    Membership.objects.filter(school=ready.school, role=Role.DPO).delete()
    SchoolDay.objects.filter(school=ready.school).delete()


def test_the_head_sees_what_is_missing_what_stops_and_how_to_fix_it(ready):
    take_away_the_dpo_and_the_calendar(ready)

    page = client_for(ready.people["headteacher"]).get(CHECKLIST).content.decode()

    assert "Setup incomplete: 2 things to do." in page
    assert "Nobody is the school&#x27;s Data Protection Officer." in page
    assert "reach nobody who can handle them (policy section 5)" in page
    assert "The calendar has no school days" in page
    assert "A chair of governors" in page  # already in place
    # The head cannot use the MIS import, so is not sent to a page that would answer 404.
    assert IMPORT not in page
    assert "an administrator imports the MIS staff file" in page
    # The head keeps the calendar, so is sent there for the missing terms.
    assert f'href="{reverse("schools:calendar_list")}"' in page


def test_an_administrator_is_linked_to_the_pages_that_fix_each_item(ready, settings):
    take_away_the_dpo_and_the_calendar(ready)
    UserFactory()  # with a role nowhere: not counted
    MembershipFactory(user=UserFactory(), school=ready.school, role=Role.TEACHER)

    page = client_for(admin()).get(CHECKLIST, {"school": ready.school.pk}).content.decode()

    assert f'href="{IMPORT}"' in page
    assert f'href="{reverse("schools:calendar_list")}"' in page
    assert f'href="{WITHOUT_MFA}?school={ready.school.pk}"' in page


def test_slt_read_the_checklist_and_are_told_who_fixes_it(ready):
    take_away_the_dpo_and_the_calendar(ready)

    page = client_for(ready.people["slt"]).get(CHECKLIST).content.decode()

    assert "The headteacher or an administrator can fix them." in page


def test_a_clean_checklist_says_setup_is_complete(ready):
    page = client_for(ready.people["headteacher"]).get(CHECKLIST).content.decode()

    assert "Setup complete: nothing is missing." in page


def test_an_administrator_chooses_among_every_school(ready):
    other = SchoolFactory(name="Aldermoor School")

    page = client_for(admin()).get(CHECKLIST).content.decode()

    assert "Setup checklist: Aldermoor School" in page
    assert f'href="?school={ready.school.pk}"' in page
    assert f'href="?school={other.pk}"' in page


def test_an_administrator_before_any_school_exists_is_told_to_create_one(db):
    response = client_for(admin()).get(CHECKLIST)

    assert response.status_code == 200
    assert "No school has been created yet" in response.content.decode()


@pytest.mark.parametrize("wanted", ["other", "abc"])
def test_another_schools_checklist_is_refused_as_if_it_did_not_exist(ready, wanted):
    other = SchoolFactory(name="Elsewhere")
    school = other.pk if wanted == "other" else wanted

    response = client_for(ready.people["headteacher"]).get(CHECKLIST, {"school": school})

    assert response.status_code == 404
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, subject_type="setup.checklist"
    ).exists()


@pytest.mark.parametrize("persona", ["teacher", "dsl", "dpo", "chair"])
def test_everyone_else_is_told_the_checklist_does_not_exist(ready, persona):
    client = client_for(ready.people[persona])

    assert client.get(CHECKLIST).status_code == 404
    assert client.get(WITHOUT_MFA).status_code == 404


def _school_of_size(ready, n: int) -> None:
    for i in range(n):
        MembershipFactory(user=UserFactory(), school=ready.school, role=Role.TEACHER)
        PupilFactory(school_class=ready.school_class)
        person(ready, f"class_staff_{i}", Role.CLASS_STAFF, school_class=ready.school_class)


@pytest.mark.parametrize("url", [CHECKLIST, WITHOUT_MFA, reverse("home")])
def test_each_page_costs_the_same_for_2_and_for_50_staff_and_pupils(
    ready, url, django_assert_max_num_queries
):
    client = client_for(ready.people["headteacher"])
    _school_of_size(ready, 2)
    client.get(url)  # the session's first-visit writes
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _school_of_size(ready, 48)

    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_people_without_two_step_verification_are_listed_with_their_roles(ready):
    newcomer = UserFactory(full_name="Nadia Newcomer", email="n.newcomer@school.example")
    MembershipFactory(user=newcomer, school=ready.school, role=Role.TEACHER)

    page = client_for(ready.people["headteacher"]).get(WITHOUT_MFA).content.decode()

    assert "Nadia Newcomer" in page
    assert "n.newcomer@school.example" in page
    assert "Teacher · Heathergate School" in page
    assert "Never" in page
    assert "Headteacher Headteacher" not in page  # has set it up


def test_the_list_is_paginated(ready):
    for _ in range(51):
        MembershipFactory(user=UserFactory(), school=ready.school, role=Role.TEACHER)

    page = client_for(ready.people["headteacher"]).get(WITHOUT_MFA).content.decode()

    assert "51 people, showing 1\N{EN DASH}50." in page
    assert "Page 1 of 2" in page


def test_the_heads_home_page_says_setup_is_incomplete_until_it_is_clean(ready):
    take_away_the_dpo_and_the_calendar(ready)
    client = client_for(ready.people["headteacher"])

    page = client.get(reverse("home")).content.decode()
    link = f'<a href="{CHECKLIST}?school={ready.school.pk}">Setup incomplete: 2 things to do</a>'
    assert link in page

    person(ready, "new_dpo", Role.DPO)
    SchoolDay.objects.create(school=ready.school, date="2026-03-11")
    assert "Setup incomplete" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["slt", "teacher", "dsl"])
def test_nobody_but_the_head_is_shown_the_banner(ready, persona):
    take_away_the_dpo_and_the_calendar(ready)

    page = client_for(ready.people[persona]).get(reverse("home")).content.decode()

    assert "Setup incomplete" not in page


def test_the_head_and_administrators_are_offered_the_checklist_in_the_menu(ready):
    for user in (ready.people["headteacher"], admin()):
        page = client_for(user).get(reverse("home")).content.decode()
        assert f'href="{CHECKLIST}"' in page
    assert f'href="{CHECKLIST}"' not in (
        client_for(ready.people["slt"]).get(reverse("home")).content.decode()
    )
