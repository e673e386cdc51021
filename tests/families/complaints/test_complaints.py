"""Complaints and worries from families (policy section 3.6): the response date from the
school's setting in school days, routing to senior leaders or to the safeguarding team, the
family's acknowledgement, the log's gates and cost, and responses kept for good."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import ContactSettings
from core.actor import Actor
from core.outbox import send_pending
from dataprotection.models import AccessAction, AccessEvent
from families.complaints.permissions import can_read_complaint, complaints_visible_to
from families.complaints.services import complaint_make, complaint_respond
from families.models import (
    COMPLAINT_TEXT_LIMIT,
    Complaint,
    ComplaintAcknowledgement,
    ComplaintNotice,
    ComplaintResponse,
)
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import UserFactory

LOG = reverse("families:complaint_list")
# Thursday 3 December 2026, a school day.
THURSDAY = london(2026, 12, 3, 10, 0)


@pytest.fixture
def school(world):
    build_calendar(world.school)
    world.carer.email = "dana@family.example"
    world.carer.save()
    with time_machine.travel(THURSDAY, tick=False):
        yield world


@pytest.fixture
def carer_user(db):
    return UserFactory(full_name="Dana Marsh")


def make(world, carer_user, **extra) -> Complaint:
    values = {"text": "The work pack did not arrive.", "about_safety": False} | extra
    values.setdefault("pupil", world.pupil)
    return complaint_make(
        actor=Actor.for_user(carer_user), carer=world.carer, school=world.school, **values
    )


def notified(complaint) -> set[str]:
    return {
        notice.recipient.full_name
        for notice in ComplaintNotice.objects.filter(complaint=complaint).select_related(
            "recipient"
        )
    }


def test_the_response_is_due_the_schools_number_of_school_days_later_skipping_the_weekend(
    school, carer_user
):
    ContactSettings.objects.update_or_create(
        school=school.school, defaults={"complaint_response_school_days": 2}
    )
    complaint = make(school, carer_user)
    # Friday, then Monday: the weekend is not counted.
    assert complaint.response_due == datetime.date(2026, 12, 7)
    assert complaint.response_days == 2
    # Received on a Saturday, one school day later is the Monday.
    ContactSettings.objects.filter(school=school.school).update(complaint_response_school_days=1)
    with time_machine.travel(london(2026, 12, 5, 10, 0), tick=False):
        assert make(school, carer_user).response_due == datetime.date(2026, 12, 7)


def test_the_default_is_ten_school_days(school, carer_user):
    # Thursday 3 December + 10 school days = Thursday 17 December.
    assert make(school, carer_user).response_due == datetime.date(2026, 12, 17)


def test_a_complaint_goes_to_senior_leaders_and_a_safety_worry_to_the_dsl_team(school, carer_user):
    users = school.users
    complaint = make(school, carer_user)
    assert notified(complaint) == {users["slt_class"].full_name, users["headteacher"].full_name}
    worry = make(school, carer_user, about_safety=True, text="He said someone hurt him.")
    assert notified(worry) == {users["dsl"].full_name, users["headteacher"].full_name}
    event = AccessEvent.objects.get(subject_type="families.complaint", subject_id=str(worry.pk))
    assert event.user_id == carer_user.pk and "hurt" not in event.detail


def test_the_family_is_acknowledged_by_email_with_the_date_and_nothing_they_wrote(
    school, carer_user, settings
):
    make(school, carer_user, text="Private words about the teacher.")
    send_pending(ComplaintAcknowledgement)
    send_pending(ComplaintNotice)
    to_family = [m for m in mail.outbox if m.to == ["dana@family.example"]]
    assert len(to_family) == 1
    assert "respond by 17/12/2026" in to_family[0].body
    assert all("Private words" not in m.body for m in mail.outbox)
    to_staff = [m for m in mail.outbox if m.to != ["dana@family.example"]]
    assert {m.subject for m in to_staff} == {"A family has made a complaint"}


def test_a_safety_worry_is_never_shown_to_slt_who_are_not_on_the_safeguarding_team(
    school, carer_user
):
    users = school.users
    worry = make(school, carer_user, about_safety=True)
    complaint = make(school, carer_user)
    slt = users["slt_class"]
    assert not can_read_complaint(slt, worry)
    assert list(complaints_visible_to(slt)) == [complaint]
    assert list(complaints_visible_to(users["dsl"])) == [worry]
    assert set(complaints_visible_to(users["headteacher"])) == {worry, complaint}
    assert set(complaints_visible_to(users["slt_other_site"])) == set()
    response = client_for(slt).get(reverse("families:complaint_detail", args=[worry.pk]))
    assert response.status_code == 404
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, subject_id=str(worry.pk), user_id=slt.pk
    ).exists()
    # The predicate and the scope agree for every persona.
    for user in users.values():
        visible = set(complaints_visible_to(user))
        assert visible == {c for c in (worry, complaint) if can_read_complaint(user, c)}


def test_the_log_marks_what_is_overdue_and_escapes_what_families_wrote(school, carer_user):
    make(school, carer_user, text="<script>alert(1)</script> missing work")
    with time_machine.travel(london(2026, 12, 18, 9, 0), tick=False):
        head = client_for(school.users["headteacher"])
        body = head.get(LOG).content.decode()
        assert "Overdue" in body and "Dana Marsh" in body
        complaint = Complaint.objects.get()
        detail = head.get(reverse("families:complaint_detail", args=[complaint.pk]))
    html = detail.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; missing work" in html
    assert "<script>alert(1)" not in html
    assert "Reported by Dana Marsh (parent/carer)" in html


def test_bad_input_is_refused_at_the_field_and_nothing_is_written(school, carer_user):
    with pytest.raises(ValidationError) as empty:
        make(school, carer_user, text="   ")
    assert "Tell us" in empty.value.message_dict["text"][0]
    with pytest.raises(ValidationError) as long:
        make(school, carer_user, text="x" * (COMPLAINT_TEXT_LIMIT + 1))
    assert "characters or fewer" in long.value.message_dict["text"][0]
    assert not Complaint.objects.exists() and not ComplaintNotice.objects.exists()


def test_responses_are_kept_and_a_correction_is_a_new_response(school, carer_user):
    complaint = make(school, carer_user)
    head = school.users["headteacher"]
    client = client_for(head)
    url = reverse("families:complaint_detail", args=[complaint.pk])
    assert client.post(url, {"text": "Called Mrs Marsh; pack resent."}).status_code == 302
    first = ComplaintResponse.objects.get()
    assert client.post(url, {"text": "Pack resent by post.", "corrects": first.pk}).status_code == (
        302
    )
    assert ComplaintResponse.objects.count() == 2
    assert ComplaintResponse.objects.last().corrects == first
    first.text = "Changed"
    with pytest.raises(ValueError):
        first.save()
    # An empty response is refused at the field.
    response = client.post(url, {"text": ""})
    assert response.status_code == 200 and response.context["form"].errors["text"]
    other = make(school, carer_user)
    response = client.post(
        url,
        {
            "text": "x",
            "corrects": complaint_respond(
                actor=Actor.for_user(head), complaint=other, text="Elsewhere."
            ).pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["corrects"]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LOG).status_code == 200
    return len(captured)


def test_the_log_costs_the_same_queries_for_3_or_30_complaints(school, carer_user):
    client = client_for(school.users["headteacher"])
    for n in range(3):
        make(school, carer_user, about_safety=bool(n % 2))
    client.get(LOG)
    few = _queries(client)
    for n in range(27):
        make(school, carer_user, about_safety=bool(n % 2), pupil=None if n % 3 else school.pupil)
    assert _queries(client) == few
