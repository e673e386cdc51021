"""A teacher proposes a case and records an agreement through the real pages, in Chromium,
on a desktop and on a phone."""

import datetime as dt

import pytest

from cases.models import Agreement, Case, Status
from schools.calendar import today
from schools.models import Term
from schools.services import school_days_refresh
from tests.browser import ARTIFACTS
from tests.conftest import TEST_PASSWORD, totp_code
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", level=1).wait_for()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_teacher_proposes_a_case_and_records_an_agreement(page, phone_page):
    world = build_world()
    Term.objects.create(
        school=world.school,
        name="This term",
        first_day=today() - dt.timedelta(days=30),
        last_day=today() + dt.timedelta(days=90),
    )
    school_days_refresh(school=world.school)
    ARTIFACTS.mkdir(exist_ok=True)

    sign_in(page, world.users["teacher"])
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("heading", name="Remote-education cases").wait_for()
    assert page.get_by_text("There are no open remote-education cases").is_visible()

    page.get_by_role("link", name="Propose a case").click()
    page.get_by_role("heading", name="Propose remote education for a pupil").wait_for()
    assert page.get_by_text("not an equal alternative to attendance").is_visible()
    page.get_by_label("Pupil", exact=True).select_option(label="Marsh, Ellis (Ash)")
    page.get_by_label("Why the pupil cannot attend").select_option(
        label="Recovering from injury, where attendance may inhibit recovery"
    )
    # Start date and time limit come filled in: today, and one review interval later.
    assert page.get_by_label("Start date").input_value() == today().isoformat()
    assert page.get_by_label("Time limit", exact=True).input_value() > today().isoformat()
    page.get_by_label("Summary").fill("Broken leg: cannot manage the site on crutches yet.")
    page.screenshot(path=str(ARTIFACTS / "case_propose_desktop.png"), full_page=True)
    page.get_by_role("button", name="Propose the case").click()

    page.get_by_role("heading", name="What's needed next").wait_for()
    assert page.get_by_text("Case proposed.").is_visible()
    case = Case.objects.get(pupil=world.pupil)
    assert case.status == Status.PROPOSED
    assert "/cases/" in page.url and "Marsh" not in page.url

    page.get_by_label("Who agreed", exact=True).select_option(label="Parents or carers")
    page.get_by_label("Name and role").fill("Dana Marsh, mother")
    page.get_by_label("How", exact=True).select_option(label="By telephone")
    page.get_by_label("Notes").fill("Happy with work packs and a call each morning.")
    page.get_by_role("button", name="Record agreement").click()

    page.get_by_text("Agreement recorded: parents or carers.").wait_for()
    agreements = page.locator("#agreements table")
    assert "Dana Marsh, mother" in agreements.inner_text()
    assert "By telephone" in agreements.inner_text()
    assert Agreement.objects.filter(case=case).count() == 1
    assert "Agreed: parents or carers" in page.locator("#chronology").inner_text()
    assert page.console_errors == []  # nothing blocked by the Content-Security-Policy
    page.screenshot(path=str(ARTIFACTS / "case_detail_desktop.png"), full_page=True)

    # The class's teaching assistant opens the same case on a phone.
    sign_in(phone_page, world.users["class_staff"])
    phone_page.goto(case.get_absolute_url())
    phone_page.get_by_role("heading", name="What's needed next").wait_for()
    assert phone_page.get_by_label("Who agreed", exact=True).is_visible()
    assert fits_the_screen(phone_page)
    phone_page.screenshot(path=str(ARTIFACTS / "case_detail_phone.png"), full_page=True)
    phone_page.goto("/cases/")
    phone_page.get_by_role("link", name="Marsh, Ellis").wait_for()
    assert fits_the_screen(phone_page)
    phone_page.screenshot(path=str(ARTIFACTS / "case_list_phone.png"), full_page=True)
