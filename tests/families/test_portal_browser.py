"""A carer on a 390 px phone: opens their account from the invitation the school emailed,
signs in again with a code sent by email (no second factor), goes from the portal's home to
their child's week, agrees the arrangement and the virtual-session ground rules, reports the
child unwell; the teacher then sees the agreement and the report on Today."""

import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail

from cases.models import Agreement, Provision
from core.actor import Actor
from core.outbox import send_pending
from families.accounts.services import carer_invitation_send
from families.models import CarerInvitationEmail
from safeguarding.models import SessionFamilyAgreement, SessionKind, VirtualSession
from tests.cases.closures.matrix import build_calendar, london
from tests.cases.test_case_journey_browser import fits_the_screen, sign_in
from tests.families.agreements.helpers import open_case
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def emailed(pattern: str) -> str:
    """The first group of ``pattern`` in the newest email sent."""
    return re.search(pattern, mail.outbox[-1].body, re.MULTILINE).group(1)


def carer_accepts_the_invitation(page) -> None:
    """The link in the invitation email: the carer chooses sign-in by code and is signed in."""
    send_pending(CarerInvitationEmail)
    link = emailed(r"https?://\S+(/family/invitation/\S+/)")
    page.goto(link)
    page.get_by_role("heading", name="Open your account").wait_for()
    assert fits_the_screen(page)
    shot(page, "invitation")
    page.get_by_label("Sign in with a code sent to my email each time").check()
    page.get_by_role("button", name="Open my account").click()
    page.wait_for_url("**/family/")


def carer_signs_in_with_a_code(page, email: str) -> None:
    """Through allauth's sign-in by code: no second factor, and the carer lands on the portal."""
    page.goto("/accounts/login/code/")
    page.locator("input[name=email]").fill(email)
    page.get_by_role("button", name="Request Code").click()
    page.locator("input[name=code]").wait_for()
    code = emailed(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$")
    assert fits_the_screen(page)
    shot(page, "sign_in_code")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url("**/family/")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"family_{name}.png"), full_page=True)


def test_a_carer_agrees_on_a_phone_and_the_teacher_sees_it_on_today(page, phone_page):
    with time_machine.travel(london(2026, 12, 3, 10, 0), tick=True):
        world = build_world()
        build_calendar(world.school)
        case = open_case(world)
        Provision.objects.create(
            case=case,
            date=case.start_date,
            sent_by_email=True,
            visual_timetable_sent=True,
            work_links="https://learning.example/phonics/week-14-sounds-and-stories",
            recorded_by=world.users["teacher"],
        )
        session = VirtualSession.objects.create(
            school=world.school,
            kind=SessionKind.LIVE,
            title="Phonics and story time",
            starts_at=london(2026, 12, 4, 14, 0),
            minutes=45,
            meeting_link="https://teams.example/meet/abc",
            planned_by=world.users["teacher"],
        )
        session.pupils.set([world.pupil])
        carer_invitation_send(
            actor=Actor.for_user(world.users["teacher"]), pupil=world.pupil, carer=world.carer
        )

        carer_accepts_the_invitation(phone_page)
        phone_page.get_by_text("Your account is ready. Welcome.").wait_for()
        phone_page.get_by_role("button", name="Sign out").click()
        carer_signs_in_with_a_code(phone_page, world.carer.email)
        phone_page.get_by_role("heading", name="Your children").wait_for()
        assert phone_page.get_by_text("Class: Ash").is_visible()
        assert fits_the_screen(phone_page)
        shot(phone_page, "home")
        phone_page.get_by_role("link", name="The week for Ellis Marsh").click()
        phone_page.get_by_role("heading", name="Ellis's week").wait_for()
        assert phone_page.get_by_text("Planning and activities emailed to you").is_visible()
        assert phone_page.get_by_role("link", name="Join the session").count() == 0
        assert fits_the_screen(phone_page)
        shot(phone_page, "week_before")

        phone_page.get_by_role("link", name="Learning at home").click()
        phone_page.get_by_role("heading", name="The arrangement").wait_for()
        assert fits_the_screen(phone_page)
        shot(phone_page, "arrangement")
        phone_page.get_by_label("I have read the arrangement above and I agree to it").check()
        phone_page.get_by_role("button", name="I agree").click()
        phone_page.get_by_text("You agreed this arrangement on 03/12/2026").wait_for()

        phone_page.get_by_role("link", name="Session ground rules").click()
        phone_page.get_by_role("heading", name="Agree for Autumn 2026").wait_for()
        phone_page.get_by_role("button", name="I agree to the ground rules").click()
        phone_page.locator("#id_no_recordings_error").wait_for()
        assert not SessionFamilyAgreement.objects.exists()
        for box in (
            "I will not make any recordings of the session.",
            "I will keep what happens in the session",
            "A parent or carer will be with my child during the session.",
            "Other people at home will not be seen or heard.",
            "We will dress appropriately and use appropriate language.",
            "I know what is expected of my child",
        ):
            phone_page.get_by_label(box).check()
        assert fits_the_screen(phone_page)
        shot(phone_page, "ground_rules")
        phone_page.get_by_role("button", name="I agree to the ground rules").click()
        phone_page.get_by_text("You agreed the ground rules on 03/12/2026").wait_for()

        phone_page.get_by_role("link", name="The week").click()
        phone_page.get_by_role("link", name="Join the session").wait_for()
        assert fits_the_screen(phone_page)
        shot(phone_page, "week_after")

        phone_page.goto("/family/")
        phone_page.get_by_role("link", name="Tell the school about Ellis Marsh").click()
        phone_page.get_by_role("link", name="My child is unwell or cannot do today's work").click()
        phone_page.get_by_label("My child is unwell").check()
        phone_page.get_by_label("Anything the class team should know").fill("A temperature.")
        assert fits_the_screen(phone_page)
        phone_page.get_by_role("button", name="Tell the school").click()
        phone_page.get_by_text("class team has been told").wait_for()
        assert Agreement.objects.get().given_by_carer == world.carer
        assert phone_page.goto("/contacts/today/").status == 404  # no staff page for a carer

        sign_in(page, world.users["teacher"])
        page.goto("/contacts/today/")
        page.get_by_text(
            "Session ground rules agreed for Autumn 2026 by Dana Marsh (parent/carer) on the "
            "family portal"
        ).wait_for()
        page.get_by_text("Family reported: unwell").wait_for()
        assert page.get_by_text("A temperature.").is_visible()
        shot(page, "teacher_today")
