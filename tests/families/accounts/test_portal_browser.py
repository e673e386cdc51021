"""On a 390 px phone: a carer opens their invitation, chooses to sign in by code, sees their
child, signs out, and signs in again with a code sent by email."""

import re

import pytest
from django.core import mail

from core.actor import Actor
from core.outbox import send_pending
from families.accounts.services import carer_invitation_send
from families.models import CarerInvitationEmail
from schools.models import Role
from tests.factories import CarerFactory, MembershipFactory, PupilFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_carer_accepts_an_invitation_and_signs_in_by_code_on_a_phone(phone_page):
    page = phone_page
    child = PupilFactory(first_name="Ellis", last_name="Marsh", school_class__name="Ash")
    carer = CarerFactory(pupil=child, full_name="Dana Marsh", email="dana@family.example")
    teacher = UserFactory()
    MembershipFactory(
        user=teacher, school=child.school, role=Role.TEACHER, school_class=child.school_class
    )
    carer_invitation_send(actor=Actor.for_user(teacher), pupil=child, carer=carer)
    send_pending(CarerInvitationEmail)
    link = re.search(r"/family/invitation/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    page.get_by_role("heading", name="Open your account").wait_for()
    page.get_by_label("Sign in with a code sent to my email each time").check()
    page.get_by_role("button", name="Open my account").click()

    page.get_by_role("heading", name="Your children").wait_for()
    assert "Ellis Marsh" in page.content() and "Class: Ash" in page.content()
    # Phone first: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    mail.outbox.clear()
    page.get_by_role("link", name=re.compile("code", re.IGNORECASE)).first.click()
    page.get_by_label("Email").fill("dana@family.example")
    page.get_by_role("button", name=re.compile("code", re.IGNORECASE)).click()
    code = re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", mail.outbox[0].body, re.M)
    page.get_by_label("Code").fill(code.group(1))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("heading", name="Your children").wait_for()
    assert "Ellis Marsh" in page.content()
