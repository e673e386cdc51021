"""The headteacher sets up a class through the real pages, in Chromium, then archives it."""

import pytest

from schools.models import SchoolClass
from tests.cases.test_case_journey_browser import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_headteacher_adds_a_class_and_archives_it(page):
    world = build_world()
    sign_in(page, world.users["headteacher"])

    page.goto("/setup/structure/")
    page.get_by_role("link", name="Add a class").click()
    page.get_by_label("Site").select_option(label="North")
    page.get_by_label("Class name").fill("Hazel")
    page.get_by_label("Phase").select_option(label="Primary")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The class was saved.").wait_for()

    hazel = SchoolClass.objects.get(site=world.north, name="Hazel")
    page.goto(f"/setup/classes/{hazel.pk}/")
    page.get_by_role("button", name="Archive").click()
    page.get_by_text("Tick the box to confirm.").wait_for()
    page.get_by_label("Yes, archive it").check()
    page.get_by_role("button", name="Archive").click()
    page.get_by_text("Hazel was archived.").wait_for()

    hazel.refresh_from_db()
    assert hazel.is_archived
    assert not page.console_errors
