"""A carer on a 390 px phone tells the school their child is unwell, in Chromium; the teacher
sees it on Today."""

import pytest
import time_machine

from contacts.models import FamilyReport
from tests.browser import ARTIFACTS
from tests.cases.closures.matrix import build_calendar, london
from tests.cases.test_case_journey_browser import fits_the_screen, sign_in
from tests.conftest import TEST_PASSWORD
from tests.contacts.test_today import make_case
from tests.families.families import carer_account
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_carer_reports_their_child_unwell_on_a_phone_and_the_teacher_sees_it(page, phone_page):
    with time_machine.travel(london(2026, 12, 3, 8, 30), tick=True):
        world = build_world()
        build_calendar(world.school)
        make_case(world, world.pupil)
        world.carer.email = "dana@family.example"
        world.carer.save()
        user = carer_account(world.carer)
        ARTIFACTS.mkdir(exist_ok=True)

        phone_page.goto("/accounts/login/")
        phone_page.get_by_label("Email").fill(user.email)
        phone_page.get_by_label("Password").fill(TEST_PASSWORD)
        phone_page.get_by_role("button", name="Sign In").click()
        phone_page.get_by_role("link", name="Tell the school about Ellis Marsh").click()
        phone_page.get_by_role("link", name="My child is unwell or cannot do today's work").click()
        phone_page.get_by_label("My child is unwell").check()
        phone_page.get_by_label("Anything the class team should know (optional)").fill(
            "A temperature since last night."
        )
        assert fits_the_screen(phone_page)
        phone_page.screenshot(path=str(ARTIFACTS / "family_report_phone.png"), full_page=True)
        phone_page.get_by_role("button", name="Tell the school").click()
        phone_page.get_by_text("class team has been told").wait_for()
        assert fits_the_screen(phone_page)
        assert FamilyReport.objects.get().carer == world.carer

        sign_in(page, world.users["teacher"])
        page.goto("/contacts/today/")
        page.get_by_text("Family reported: unwell").wait_for()
        assert page.get_by_text("A temperature since last night.").is_visible()
        assert page.console_errors == []
