"""Each check appears when what it needs is missing and disappears once it is fixed."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from schools.models import Membership, Role, SchoolDay
from setup.checklist.selectors import checklist_for
from tests.conftest import TEST_TOTP_SECRET
from tests.factories import (
    MembershipFactory,
    PupilFactory,
    SchoolClassFactory,
    SiteFactory,
    UserFactory,
)
from tests.setup.checklist.conftest import TODAY, person


def missing(school) -> dict[str, object]:
    return {item.key: item for item in checklist_for(school).missing}


def test_a_school_with_everything_in_place_has_a_clean_checklist(ready):
    checklist = checklist_for(ready.school)

    assert checklist.is_clean
    assert len(checklist.done) == 10


def test_no_school_day_after_today_is_listed_until_a_term_ahead_is_added(ready):
    SchoolDay.objects.filter(school=ready.school, date__gt=TODAY).delete()

    item = missing(ready.school)["calendar"]
    assert item.problem == "The calendar's last school day is 10/03/2026: no terms ahead."
    assert "No flag for a missed daily contact" in item.stops

    SchoolDay.objects.create(school=ready.school, date=TODAY + datetime.timedelta(days=1))
    assert "calendar" not in missing(ready.school)


def test_an_empty_calendar_says_no_terms_have_been_added(ready):
    SchoolDay.objects.filter(school=ready.school).delete()

    assert missing(ready.school)["calendar"].problem.startswith("The calendar has no school days")


def test_a_site_with_no_dsl_is_named_until_a_dsl_covers_it(ready):
    south = SiteFactory(school=ready.school, name="South")

    assert missing(ready.school)["site_dsl"].names == ("South",)

    person(ready, "south_dsl", Role.DSL, site=south)
    assert "site_dsl" not in missing(ready.school)


def test_a_deputy_dsl_at_another_site_does_not_cover_a_site(ready):
    south = SiteFactory(school=ready.school, name="South")
    person(ready, "south_deputy", Role.DEPUTY_DSL, site=south)

    assert missing(ready.school)["site_dsl"].names == ("South",)


def test_a_school_wide_dsl_covers_every_site(ready):
    Membership.objects.filter(role=Role.DSL).delete()
    SiteFactory(school=ready.school, name="South")
    assert missing(ready.school)["site_dsl"].names == ("North", "South")

    person(ready, "lead_dsl", Role.DSL)
    assert "site_dsl" not in missing(ready.school)


def test_many_sites_without_a_dsl_are_counted_beyond_the_first_ten(ready):
    for n in range(12):
        SiteFactory(school=ready.school, name=f"Site {n:02d}")

    item = missing(ready.school)["site_dsl"]
    assert len(item.names) == 10
    assert item.more == 2


@pytest.mark.parametrize(
    ("key", "role"),
    [("deputy_dsl", Role.DEPUTY_DSL), ("dpo", Role.DPO), ("chair", Role.CHAIR_OF_GOVERNORS)],
)
def test_a_missing_role_is_listed_until_someone_holds_it(ready, key, role):
    Membership.objects.filter(school=ready.school, role=role).delete()

    assert key in missing(ready.school)

    person(ready, f"new_{key}", role)
    assert key not in missing(ready.school)


def test_a_role_held_by_a_switched_off_account_covers_nothing(ready):
    ready.people["dpo"].is_active = False
    ready.people["dpo"].save()

    assert "dpo" in missing(ready.school)


def test_an_email_backend_that_only_prints_is_listed_in_production(ready, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert "email" in missing(ready.school)

    settings.DEBUG = True
    assert "email" not in missing(ready.school)


@pytest.mark.parametrize("address", ["", "http://remote-learning.school.example"])
def test_a_site_address_that_is_unset_or_not_https_is_listed_in_production(
    ready, settings, address
):
    settings.SITE_URL = address

    assert "site_url" in missing(ready.school)

    settings.SITE_URL = "https://remote-learning.school.example"
    assert "site_url" not in missing(ready.school)


def test_people_without_two_step_verification_are_counted_until_they_set_it_up(ready):
    newcomer = UserFactory(full_name="Nadia Newcomer")
    MembershipFactory(user=newcomer, school=ready.school, role=Role.TEACHER)
    MembershipFactory(user=newcomer, school=ready.school, role=Role.SLT)

    item = missing(ready.school)["mfa"]
    assert item.problem.startswith("1 person has a role here")

    TOTP.activate(newcomer, TEST_TOTP_SECRET)
    assert "mfa" not in missing(ready.school)


def test_people_without_a_role_here_are_not_counted(ready):
    UserFactory(full_name="Somebody Else")

    assert "mfa" not in missing(ready.school)


def test_a_class_with_no_teacher_is_named_until_a_teacher_is_given_it(ready):
    birch = SchoolClassFactory(site=ready.site, name="Birch")
    person(ready, "birch_staff", Role.CLASS_STAFF, school_class=birch)

    assert missing(ready.school)["class_teacher"].names == ("Birch",)

    person(ready, "birch_teacher", Role.TEACHER, school_class=birch)
    assert "class_teacher" not in missing(ready.school)


def test_an_archived_class_or_site_needs_no_teacher_and_no_dsl(ready):
    from django.utils import timezone

    south = SiteFactory(school=ready.site.school, name="South")
    birch = SchoolClassFactory(site=ready.site, name="Birch")
    assert {"site_dsl", "class_teacher"} <= set(missing(ready.school))

    south.archived_at = birch.archived_at = timezone.now()
    south.save()
    birch.save()
    assert not {"site_dsl", "class_teacher"} & set(missing(ready.school))


def test_pupils_with_neither_an_ehc_plan_nor_a_social_worker_are_counted(
    ready, pupils_may_lack_ehc_plan_and_social_worker
):
    pupil = PupilFactory(school_class=ready.school_class, has_ehc_plan=False)
    PupilFactory(school_class=ready.school_class, has_ehc_plan=False, on_roll=False)

    item = missing(ready.school)["pupil_la"]
    assert item.problem.startswith("1 pupil has neither an EHC plan nor a social worker")

    pupil.social_worker_name = "Sam Carter"
    pupil.save()
    assert "pupil_la" not in missing(ready.school)
