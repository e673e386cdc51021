"""A contact logged more than two school days after the day it describes needs a reason for
the late entry. School days are counted after the contact's day up to the day it is logged:
a contact on Monday logged on Wednesday is two school days later and needs none; logged on
Thursday it is three, and needs one. Weekends, bank holidays and INSET days do not count.

Calendar (tests/contacts/test_rules.py): Monday 30 March 2026, Tuesday 31, INSET Wednesday
1 April, Thursday 2, Good Friday 3, Easter Monday 6, Tuesday 7.
"""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import Channel, ContactLog, Outcome
from contacts.services import contact_log_record
from core.actor import Actor
from tests.conftest import client_for
from tests.contacts.test_rules import MONDAY, at, calendar, d, running_case  # noqa: F401

LATE = "Say why this contact is logged more than two school days after it happened."


def record(world, case, happened, logged, **extra):
    with time_machine.travel(at(logged, 12), tick=False):
        return contact_log_record(
            actor=Actor.for_user(world.users["teacher"]),
            case=case,
            channel=Channel.TELEPHONE,
            outcome=Outcome.SPOKE_WITH_CARER,
            contacted_at=at(happened, 10),
            **extra,
        )


@pytest.mark.parametrize(
    ("happened", "logged", "late"),
    [
        (d(3, 30), d(3, 31), False),
        (d(3, 30), d(4, 1), False),  # Tuesday only: Wednesday is an INSET day
        (d(3, 30), d(4, 2), False),  # Tuesday and Thursday: two school days
        (d(3, 30), d(4, 7), True),  # Tuesday, Thursday, Tuesday: three
        (d(3, 31), d(4, 6), False),  # Thursday only: Good Friday, the weekend, Easter Monday
        (d(3, 31), d(4, 7), False),  # Thursday and Tuesday
        (d(3, 31), d(4, 8), True),
        (d(3, 28), d(3, 31), False),  # a Saturday's contact: Monday and Tuesday
    ],
)
def test_more_than_two_school_days_later_needs_a_reason(calendar, happened, logged, late):  # noqa: F811
    case = running_case(calendar, start=d(3, 23))
    if late:
        with pytest.raises(ValidationError) as refused:
            record(calendar, case, happened, logged)
        assert refused.value.message_dict == {"late_reason": [LATE]}
        assert not ContactLog.objects.exists()
        contact = record(calendar, case, happened, logged, late_reason="Phone was broken.")
        assert contact.late_reason == "Phone was broken."
    else:
        assert record(calendar, case, happened, logged).late_reason == ""


def test_the_form_refuses_a_late_entry_without_a_reason_at_the_field(calendar):  # noqa: F811
    case = running_case(calendar, calendar.pupil, start=d(3, 23))
    url = reverse("contacts:contact_log", args=[case.pk])
    data = {
        "channel": Channel.TELEPHONE,
        "kind": "daily",
        "outcome": Outcome.SPOKE_WITH_CARER,
        "contacted_at": "2026-03-30T10:00",
    }
    with time_machine.travel(at(d(4, 7), 12), tick=False):
        teacher = client_for(calendar.users["teacher"])
        form = teacher.get(url).context["row"].form
        assert "two school days" in form.fields["late_reason"].help_text
        data["submission_key"] = str(form["submission_key"].value())
        response = teacher.post(url, data, HTTP_HX_REQUEST="true")
        assert response.context["row"].form.errors["late_reason"] == [LATE]
        assert not ContactLog.objects.exists()
        response = teacher.post(url, {**data, "late_reason": "Notes were at home."})
        assert response.status_code == 302
        history = teacher.get(reverse("contacts:case_contacts", args=[case.pk]))
    body = history.content.decode()
    assert "Logged late on 07/04/2026: Notes were at home." in body
