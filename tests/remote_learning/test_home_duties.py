"""The home page puts each person's oversight duties in front of them: open breaches with
their 72-hour clock for the DPO, a policy review falling due for the head and the chair, the
governors' summary for governors, and reports for SLT."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from dpo.services import breach_flag
from governance.services import (
    policy_document_create,
    policy_version_approve,
    policy_version_draft,
    policy_version_review,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HOME = "/"


def home_for(world, persona: str) -> str:
    return client_for(world.users[persona]).get(HOME).content.decode()


def test_the_dpo_sees_an_open_breach_with_its_clock(world):
    breach = breach_flag(
        actor=Actor.for_user(world.users["it_staff"]),
        school=world.school,
        what_happened="A laptop was left on a train.",
        discovered_at=timezone.now() - datetime.timedelta(hours=2),
        data_affected="Class list",
        people_affected=8,
    )
    page = home_for(world, "dpo")
    assert breach.get_absolute_url() in page
    assert "Open data breaches" in page
    assert "Open data breaches" not in home_for(world, "teacher")


def test_the_head_and_the_chair_are_told_when_the_policy_review_is_due(world):
    with time_machine.travel(datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC)):
        document = policy_document_create(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            title="Remote learning policy",
        )
        version = policy_version_draft(
            actor=Actor.for_user(world.users["headteacher"]),
            document=document,
            label="2025.1",
            summary="First version",
            reason="scheduled",
            reference="Staff handbook, section 4",
        )
        policy_version_review(actor=Actor.for_user(world.users["headteacher"]), version=version)
        policy_version_approve(actor=Actor.for_user(world.users["chair"]), version=version)
    # Twelve months later the review is due within the month.
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)):
        for persona in ("headteacher", "chair"):
            assert "policy review due on 01/12/2026" in home_for(world, persona)
        assert "policy review due" not in home_for(world, "teacher")


def test_governors_are_offered_their_summary_and_slt_their_reports(world):
    governor = home_for(world, "governor")
    assert reverse("oversight:governors_summary") in governor
    assert reverse("oversight:report_new") not in governor
    slt = home_for(world, "slt_class")
    assert reverse("oversight:report_new") in slt
    assert reverse("oversight:governors_summary") not in slt
