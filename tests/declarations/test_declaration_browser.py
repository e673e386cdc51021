"""In a real browser: a teacher whose grace period has passed is held at the device
declaration, cannot skip one item without saying why, and gets back to work once declared."""

import datetime as dt

import pytest
from django.utils import timezone

from declarations.models import DeclarationDue, DeclarationIssue, DeviceDeclaration
from tests.cases.test_case_journey_browser import sign_in
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_past_the_grace_period_declares_and_gets_back_to_work(page, settings):
    settings.DEVICE_DECLARATION_REQUIRED = True
    world = build_world()
    teacher = world.users["teacher"]
    DeclarationDue.objects.create(
        user=teacher,
        first_seen_at=timezone.now()
        - dt.timedelta(days=settings.DEVICE_DECLARATION_GRACE_DAYS + 1),
    )
    sign_in(page, teacher)
    page.goto("/pupils/")
    assert page.url.endswith("/declaration/")
    assert page.get_by_text("Your declaration is overdue").is_visible()

    page.get_by_label("Your device").fill("Own laptop")
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Yes").check()
    # One item cannot be confirmed, and no reason is given yet: refused at that item.
    encrypted = page.locator("fieldset", has_text="hard drive is encrypted")
    encrypted.get_by_label("I cannot confirm this").check()
    page.get_by_role("button", name="Make my declaration").click()
    assert encrypted.locator(".invalid-feedback").first.is_visible()
    assert not DeviceDeclaration.objects.exists()

    encrypted.get_by_label("If you cannot confirm this, why?").fill("It is an old laptop.")
    page.get_by_role("button", name="Make my declaration").click()
    page.get_by_text("your device declaration is recorded").wait_for()
    assert DeclarationIssue.objects.filter(user=teacher).count() == 1

    page.goto("/pupils/")
    assert page.url.endswith("/pupils/")
    assert page.console_errors == []
