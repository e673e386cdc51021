"""Policy review (policy section 6): the headteacher reviews, the chair approves, and a flag
when the next review is due."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from governance import services
from governance.models import NoticeKind, PolicyReviewNotice, PolicyStatus
from governance.selectors import policy_reviews_due_for
from governance.tasks import check_policy_reviews
from schools.models import Role
from schools.permissions import forget_memberships
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.governance.factories import document, version
from tests.outbox import assert_links_are_absolute, mail_server_down

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def test_a_version_is_drafted_reviewed_and_approved_with_who_and_when(world):
    doc = document(world)
    head = client_for(world.users["headteacher"])
    response = head.post(
        reverse("governance:version_new", args=[doc.pk]),
        {
            "label": "2026.2",
            "reason": "guidance",
            "summary": "New DfE guidance on remote education.",
            "reference": "Shared drive / Policies",
        },
    )
    assert response.status_code == 302
    draft = doc.versions.get()
    assert (draft.status, draft.drafted_by) == (PolicyStatus.DRAFT, world.users["headteacher"])

    with time_machine.travel(london(2026, 9, 10, 9, 0), tick=False):
        head.post(reverse("governance:version_review", args=[draft.pk]))
    with time_machine.travel(london(2026, 9, 14, 18, 30), tick=False):
        client_for(world.users["chair"]).post(
            reverse("governance:version_approve", args=[draft.pk])
        )
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.APPROVED
    assert draft.reviewed_by == world.users["headteacher"]
    assert draft.reviewed_at == london(2026, 9, 10, 9, 0)
    assert draft.approved_by == world.users["chair"]
    assert draft.approved_at == london(2026, 9, 14, 18, 30)
    assert draft.next_review_on == datetime.date(2027, 9, 14)

    body = head.get(doc.get_absolute_url()).content.decode()
    assert "Reviewed by Headteacher (headteacher) on 10/09/2026 09:00" in body
    assert "Approved by Chair (chair of governors) on 14/09/2026 18:30" in body
    assert "Next review by" in body and "14/09/2027" in body


def test_the_review_interval_is_a_setting(world, settings):
    settings.POLICY_REVIEW_INTERVAL_MONTHS = 6
    reviewed = version(world, status=PolicyStatus.REVIEWED)
    with time_machine.travel(london(2026, 8, 31, 10, 0), tick=False):
        services.policy_version_approve(
            actor=Actor.for_user(world.users["chair"]), version=reviewed
        )
    reviewed.refresh_from_db()
    assert reviewed.next_review_on == datetime.date(2027, 2, 28)


def test_add_months_keeps_to_the_end_of_a_short_month():
    assert services.add_months(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
    assert services.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_approving_before_review_is_refused_with_a_clear_message(world):
    draft = version(world)
    chair = client_for(world.users["chair"])
    response = chair.post(reverse("governance:version_approve", args=[draft.pk]), follow=True)
    assert "has not reviewed this version yet" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (PolicyStatus.DRAFT, None)


def test_the_same_person_cannot_review_and_approve(world):
    head = world.users["headteacher"]
    MembershipFactory(user=head, school=world.school, role=Role.CHAIR_OF_GOVERNORS)
    draft = version(world)
    services.policy_version_review(actor=Actor.for_user(head), version=draft)
    forget_memberships(head)
    with pytest.raises(ValidationError, match="cannot both review and approve"):
        services.policy_version_approve(actor=Actor.for_user(head), version=draft)
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.REVIEWED


@pytest.mark.parametrize("persona", ["chair", "governor", "slt_class", "other_school_head"])
def test_only_a_headteacher_of_the_school_reviews(world, persona):
    draft = version(world)
    with pytest.raises(ValidationError, match="Only the headteacher"):
        services.policy_version_review(actor=Actor.for_user(world.users[persona]), version=draft)
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT


@pytest.mark.parametrize("persona", ["headteacher", "governor", "slt_class"])
def test_only_the_chair_approves(world, persona):
    reviewed = version(world, status=PolicyStatus.REVIEWED)
    with pytest.raises(ValidationError, match="Only the chair"):
        services.policy_version_approve(
            actor=Actor.for_user(world.users[persona]), version=reviewed
        )


def test_reviewing_twice_is_refused(world):
    reviewed = version(world, status=PolicyStatus.REVIEWED)
    with pytest.raises(ValidationError, match="already reviewed"):
        services.policy_version_review(
            actor=Actor.for_user(world.users["headteacher"]), version=reviewed
        )


def test_a_draft_needs_a_reason_note_for_other_and_text_or_a_reference(world):
    doc = document(world)
    response = client_for(world.users["headteacher"]).post(
        reverse("governance:version_new", args=[doc.pk]),
        {"label": "x", "reason": "other", "summary": "Changes"},
    )
    errors = response.context["form"].errors
    assert "reason_note" in errors and "reference" in errors
    assert not doc.versions.exists()


def test_one_version_at_a_time_waits_for_approval(world):
    version(world)
    with pytest.raises(ValidationError) as refused:
        services.policy_version_draft(
            actor=Actor.for_user(world.users["headteacher"]),
            document=document(world),
            label="next",
            summary="s",
            reason="scheduled",
            reference="r",
        )
    assert "label" in refused.value.error_dict


def test_policy_text_is_escaped(world):
    version(world, status=PolicyStatus.APPROVED, text="<script>x()</script>", summary="<i>s</i>")
    body = client_for(world.users["governor"]).get(document(world).get_absolute_url())
    assert "<script>x()</script>" not in body.content.decode()
    assert "&lt;i&gt;s&lt;/i&gt;" in body.content.decode()


# --- Due reviews -----------------------------------------------------------------------------


def test_the_due_review_job_records_and_emails_once_and_respects_time(world, mailoutbox):
    version(world, status=PolicyStatus.APPROVED, next_review_on=datetime.date(2027, 9, 14))
    with time_machine.travel(london(2027, 8, 14, 7, 10), tick=False):  # 31 days before
        assert check_policy_reviews() == 0
        assert not PolicyReviewNotice.objects.exists()
    with time_machine.travel(london(2027, 8, 15, 7, 10), tick=False):  # 30 days before
        assert check_policy_reviews() == 1
        assert check_policy_reviews() == 0
    assert list(PolicyReviewNotice.objects.values_list("kind", flat=True)) == [NoticeKind.DUE_SOON]
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == sorted(
        [world.users["headteacher"].email, world.users["chair"].email]
    )
    assert "review due by 14/09/2027" in mailoutbox[0].subject
    assert_links_are_absolute(
        mailoutbox[0].body, reverse("governance:policy_detail", args=[document(world).pk])
    )
    with time_machine.travel(london(2027, 9, 14, 7, 10), tick=False):
        assert check_policy_reviews() == 1
        assert check_policy_reviews() == 0
    assert set(PolicyReviewNotice.objects.values_list("kind", flat=True)) == {
        NoticeKind.DUE_SOON,
        NoticeKind.OVERDUE,
    }
    assert len(mailoutbox) == 2
    assert "overdue" in mailoutbox[1].subject


def test_a_superseded_version_is_not_flagged(world, mailoutbox):
    version(
        world,
        status=PolicyStatus.APPROVED,
        next_review_on=datetime.date(2026, 1, 1),
        approved_at=timezone.now() - datetime.timedelta(days=400),
    )
    version(world, status=PolicyStatus.APPROVED, next_review_on=datetime.date(2030, 1, 1))
    with time_machine.travel(london(2026, 6, 1, 7, 10), tick=False):
        assert services.policy_review_notices_record() == 0


def test_a_failed_email_is_retried_later(world, mailoutbox):
    version(world, status=PolicyStatus.APPROVED, next_review_on=datetime.date(2026, 6, 1))

    with (
        mail_server_down(ConnectionError),
        time_machine.travel(london(2026, 6, 2, 7, 10), tick=False),
    ):
        assert check_policy_reviews() == 0
    notice = PolicyReviewNotice.objects.get()
    assert (notice.sent_at, notice.attempts) == (None, 1)
    with time_machine.travel(london(2026, 6, 3, 7, 10), tick=False):
        assert check_policy_reviews() == 1
    assert len(mailoutbox) == 1


def test_the_home_page_selector_tells_the_head_and_chair_only(world):
    version(world, status=PolicyStatus.APPROVED, next_review_on=datetime.date(2027, 3, 1))
    with time_machine.travel(london(2027, 2, 10, 9, 0), tick=False):
        due = policy_reviews_due_for(world.users["chair"])
        assert [(d.next_review_on, d.overdue) for d in due] == [(datetime.date(2027, 3, 1), False)]
        assert due[0].message == "Remote learning policy: policy review due on 01/03/2027"
        assert policy_reviews_due_for(world.users["governor"]) == []
        assert policy_reviews_due_for(world.users["other_school_head"]) == []
        body = client_for(world.users["headteacher"]).get(
            reverse("governance:policy_detail", args=[document(world).pk])
        )
        assert "policy review due on 01/03/2027" in body.content.decode()
    with time_machine.travel(london(2027, 3, 2, 9, 0), tick=False):
        assert policy_reviews_due_for(world.users["headteacher"])[0].overdue
