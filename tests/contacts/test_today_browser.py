"""A teacher logs three contacts inline on a phone, in Chromium: the rows update in place and
the page never reloads (the URL never changes)."""

import pytest
import time_machine

from contacts.models import ContactLog, Outcome
from tests.browser import ARTIFACTS
from tests.cases.closures.matrix import build_calendar, london
from tests.cases.test_case_journey_browser import fits_the_screen, sign_in
from tests.contacts.test_today import make_case
from tests.factories import CarerFactory, PupilFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_logs_three_contacts_inline_on_a_phone(page, phone_page):
    # Thursday 3 December 2026, mid-morning; the clock runs so TOTP codes and sessions work.
    with time_machine.travel(london(2026, 12, 3, 10, 0), tick=True):
        world = build_world()
        build_calendar(world.school)
        cases = [make_case(world, world.pupil)]
        for first, last in (("Ada", "Quill"), ("Ben", "Rook")):
            pupil = PupilFactory(school_class=world.class_a, first_name=first, last_name=last)
            CarerFactory(pupil=pupil, full_name=f"Carer of {first}")
            cases.append(make_case(world, pupil))
        make_case(world, world.other_pupil)  # another class's pupil: not on this Today page
        ARTIFACTS.mkdir(exist_ok=True)

        sign_in(phone_page, world.users["teacher"])
        phone_page.goto("/contacts/today/")
        phone_page.get_by_role("heading", name="Today's contacts").wait_for()
        url = phone_page.url
        assert "Penrose" not in phone_page.content()
        assert phone_page.get_by_text("0 of 3").is_visible()
        assert fits_the_screen(phone_page)
        phone_page.screenshot(path=str(ARTIFACTS / "contacts_today_phone.png"), full_page=True)

        outcomes = [
            ("Spoke with carer", "Spoke with a parent or carer"),
            ("No response", "No response"),
            ("Spoke with pupil", "Spoke with the pupil"),
        ]
        for case, (button, shown) in zip(cases, outcomes, strict=True):
            row = phone_page.locator(f"#contact-row-{case.pk}")
            row.get_by_role("link", name="Log contact").click()  # tap 1
            row.get_by_role("button", name=button).wait_for()
            if case is cases[0]:
                assert fits_the_screen(phone_page)
                phone_page.screenshot(
                    path=str(ARTIFACTS / "contacts_today_form_phone.png"), full_page=True
                )
            row.get_by_role("button", name=button).click()  # tap 2: records the contact
            row.get_by_text("Raise a safeguarding concern about this").wait_for()
            assert shown in row.locator(".last-contact").inner_text()
            reached = "Tried today, not reached" if button == "No response" else "Contacted today"
            assert reached in row.inner_text()
            assert phone_page.url == url

        assert ContactLog.objects.count() == 3
        # The count at the top followed, without a reload; "no response" is an attempt, so
        # that family is still to be contacted.
        assert phone_page.locator("#today-count").inner_text().startswith("2 of 3")
        assert ContactLog.objects.filter(outcome=Outcome.NO_RESPONSE).count() == 1
        assert phone_page.url == url
        assert fits_the_screen(phone_page)
        assert phone_page.evaluate("performance.getEntriesByType('navigation').length") == 1
        phone_page.screenshot(
            path=str(ARTIFACTS / "contacts_today_logged_phone.png"), full_page=True
        )

        # SLT over the class on a desktop: the family not reached is still to contact.
        sign_in(page, world.users["slt_class"])
        page.get_by_role("link", name="Today", exact=True).click()
        page.get_by_role("heading", name="Who is behind").wait_for()
        assert page.get_by_text("2 of 3").is_visible()
        assert page.console_errors == []
        page.screenshot(path=str(ARTIFACTS / "contacts_today_desktop.png"), full_page=True)
