"""Logging a contact inline (policy section 3.2): tap 1 opens the form in the pupil's row, tap 2
(an outcome button) records it; the row comes back with the new last contact. A second submit
of the same form never records twice; bad input gets a message at its field, nothing written."""

import datetime
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Status
from contacts.models import Channel, ContactKind, ContactLog, ContactPlan, Outcome
from contacts.services import contact_log_record
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from schools.models import ContactChannel
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.contacts.test_today import HX, SCHOOL_DAY, add_contacts, make_case

TODAY_URL = reverse("contacts:today")


def log_url(case) -> str:
    return reverse("contacts:contact_log", args=[case.pk])


def history_url(case) -> str:
    return reverse("contacts:case_contacts", args=[case.pk])


def contact_data(**overrides) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "channel": Channel.TELEPHONE,
        "kind": ContactKind.DAILY,
        "outcome": Outcome.SPOKE_WITH_CARER,
        "pupil_well": "yes",
        "wellbeing_notes": "",
        "work_feedback": "",
        "contacted_at": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def calendar(world):
    build_calendar(world.school)
    return world


@pytest.fixture
def case(calendar):
    world = calendar
    with time_machine.travel(SCHOOL_DAY, tick=False):
        for pupil in (world.other_pupil, world.south_pupil):
            make_case(world, pupil)
        yield make_case(world, world.pupil)


@pytest.fixture
def teacher(world):
    return client_for(world.users["teacher"])


def test_tap_one_opens_the_form_in_the_row_with_the_carers_channel_and_the_kind_due(
    case, world, teacher
):
    world.carer.preferred_channel = ContactChannel.TEAMS
    world.carer.save()
    response = teacher.get(log_url(case), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<li class="list-group-item py-3" id="contact-row-{case.pk}"')
    assert "<html" not in body
    form = response.context["row"].form
    assert form["channel"].value() == Channel.TEAMS
    assert form["kind"].value() == ContactKind.WELLBEING  # none logged this week
    assert uuid.UUID(str(form["submission_key"].value()))
    assert 'name="submission_key"' in body
    for label in ("Spoke with pupil", "Spoke with carer", "Left message", "No response"):
        assert f">{label}</button>" in body
    assert "hx-on" not in body and "<script" not in body and "style=" not in body


def test_tap_two_records_the_contact_and_returns_the_row_with_the_new_last_contact(
    case, world, teacher
):
    response = teacher.post(log_url(case), contact_data(outcome=Outcome.SPOKE_WITH_PUPIL), **HX)
    assert response.status_code == 200
    contact = ContactLog.objects.get(case=case)
    assert (contact.outcome, contact.staff, contact.pupil_well) == (
        Outcome.SPOKE_WITH_PUPIL,
        world.users["teacher"],
        True,
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Logged: Spoke with the pupil." in body
    assert "Thu 03/12/2026 11:00" in body and "Contacted today" in body
    assert f'href="/safeguarding/concerns/new/?contact={contact.pk}"' in body
    assert "Raise a safeguarding concern about this" in body
    # The page's count is updated out of band.
    assert 'id="today-count" hx-swap-oob="true"><strong>1 of 1</strong>' in body
    # The service audits the new contact (ids only).
    created = AccessEvent.objects.get(
        action=AccessAction.CREATE, subject_type="contacts.contactlog"
    )
    assert created.pupil_id == world.pupil.pk


def test_three_contacts_in_a_day_one_of_them_no_response(case, world, teacher):
    for outcome in (Outcome.NO_RESPONSE, Outcome.MESSAGE_LEFT, Outcome.SPOKE_WITH_CARER):
        form = teacher.get(log_url(case), **HX).context["row"].form
        data = contact_data(submission_key=str(form["submission_key"].value()), outcome=outcome)
        assert teacher.post(log_url(case), data, **HX).status_code == 200
    outcomes = list(ContactLog.objects.filter(case=case).values_list("outcome", flat=True))
    assert sorted(outcomes) == sorted(["none", "message", "carer"])
    row = teacher.get(TODAY_URL).context["rows"][0]
    assert row.contacts_today == 3
    history = teacher.get(history_url(case)).content.decode()
    assert history.count("No response") == 1


def test_the_same_form_submitted_twice_records_one_contact_and_says_already_recorded(case, teacher):
    data = contact_data(outcome=Outcome.NO_RESPONSE)
    first = teacher.post(log_url(case), data, **HX)
    second = teacher.post(log_url(case), data, **HX)
    assert ContactLog.objects.filter(case=case).count() == 1
    assert "Logged: No response." in first.content.decode()
    assert "Already recorded" in second.content.decode()
    # Without JavaScript, the same: a redirect with a friendly message.
    third = teacher.post(log_url(case), data, follow=True)
    assert ContactLog.objects.filter(case=case).count() == 1
    assert "Already recorded" in third.content.decode()


def test_the_service_refuses_a_second_contact_with_the_same_key(case, world):
    from contacts.services import AlreadyRecorded

    key = uuid.uuid4()
    kwargs = dict(
        actor=Actor.for_user(world.users["teacher"]),
        case=case,
        channel="telephone",
        outcome="carer",
        submission_key=key,
    )
    first = contact_log_record(**kwargs)
    with pytest.raises(AlreadyRecorded) as raised:
        contact_log_record(**kwargs)
    assert raised.value.contact == first


def test_without_javascript_the_form_is_a_page_and_logging_redirects_to_today(case, teacher):
    page = teacher.get(log_url(case))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = teacher.post(log_url(case), contact_data())
    assert response.status_code == 302
    assert response["Location"] == f"{TODAY_URL}#contact-row-{case.pk}"
    assert ContactLog.objects.filter(case=case).count() == 1
    followed = teacher.get(response["Location"])
    assert "Contact logged for Ellis Marsh" in followed.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contacted_at": "2026-12-04T09:00"}, "contacted_at", "This time is in the future."),
        ({"contacted_at": "2026-11-20T09:00"}, "contacted_at", "The case started on 30/11/2026"),
        ({"contacted_at": "yesterday"}, "contacted_at", "Enter a date and time"),
        ({"outcome": ""}, "outcome", "Choose what happened."),
        ({"outcome": "shrug"}, "outcome", "Choose what happened."),
        ({"channel": "pigeon"}, "channel", "Select a valid choice"),
        ({"wellbeing_notes": "x" * 2001}, "wellbeing_notes", "Keep the notes to 2000 characters"),
        ({"work_feedback": "x" * 2001}, "work_feedback", "Keep the feedback to 2000 characters"),
        ({"submission_key": "not-a-key"}, "submission_key", "This form has expired"),
    ],
)
def test_bad_input_gets_a_message_at_its_field_and_writes_nothing(
    case, teacher, overrides, field, message
):
    for extra in (HX, {}):
        response = teacher.post(log_url(case), contact_data(**overrides), **extra)
        assert response.status_code == 200
        form = response.context["row"].form
        assert any(message in error for error in form.errors[field]), form.errors
        assert message.split(":")[0].replace("'", "&#x27;") in response.content.decode()
    assert not ContactLog.objects.exists()


def test_a_closed_case_takes_no_contact(case, world, teacher):
    case.status = Status.CLOSED
    case.outcome = "Back in class."
    case.actual_return_date = datetime.date(2026, 12, 2)
    case.save()
    response = teacher.post(log_url(case), contact_data(), **HX)
    assert "Contacts are logged for active cases only." in response.content.decode()
    assert not ContactLog.objects.exists()
    assert "Log contact</a>" not in teacher.get(log_url(case), **HX).content.decode()


def test_the_dsl_may_read_but_not_log_and_others_are_told_the_case_does_not_exist(case, world):
    dsl = client_for(world.users["dsl"])
    assert dsl.get(log_url(case), **HX).status_code == 403
    assert dsl.post(log_url(case), contact_data(), **HX).status_code == 403
    assert dsl.get(history_url(case)).status_code == 200
    other = client_for(world.users["other_teacher"])
    assert other.post(log_url(case), contact_data(), **HX).status_code == 404
    assert other.get(history_url(case)).status_code == 404
    assert (
        client_for(world.users["teacher"])
        .post(log_url(type(case)(pk=99999)), contact_data())
        .status_code
        == 404
    )
    assert not ContactLog.objects.exists()
    denied = AccessEvent.objects.filter(action=AccessAction.DENIED)
    assert (
        denied.filter(
            user_id=world.users["dsl"].pk, detail="log contact: may read but not log"
        ).count()
        == 2
    )
    assert (
        denied.filter(user_id=world.users["other_teacher"].pk, subject_id=str(case.pk)).count() == 2
    )
    assert denied.filter(subject_id="99999", pupil_id__isnull=True).count() == 1


def test_a_covering_teacher_logs_for_the_covered_case(case, world):
    from contacts.models import AbsenceReason, CoverAssignment, StaffAbsence

    absence = StaffAbsence.objects.create(
        staff=world.users["teacher"],
        school=world.school,
        first_day=datetime.date(2026, 12, 3),
        last_day=datetime.date(2026, 12, 3),
        reason=AbsenceReason.SICKNESS,
        reported_by=world.users["headteacher"],
    )
    CoverAssignment.objects.create(
        case=case,
        absence=absence,
        covered_by=world.users["other_teacher"],
        assigned_by=world.users["headteacher"],
    )
    other = client_for(world.users["other_teacher"])
    assert other.post(log_url(case), contact_data(), **HX).status_code == 200
    assert ContactLog.objects.get(case=case).staff == world.users["other_teacher"]
    assert other.get(history_url(case)).status_code == 200


# --- Contact history and plan ----------------------------------------------------------------


def test_the_history_is_newest_first_and_paginated(case, world, teacher):
    add_contacts(case, world.users["teacher"], 25)
    page1 = teacher.get(history_url(case))
    contacts = list(page1.context["page_obj"].object_list)
    assert len(contacts) == 20
    assert contacts[0].contact_date == datetime.date(2026, 12, 2)
    assert contacts == sorted(contacts, key=lambda c: c.contacted_at, reverse=True)
    page2 = teacher.get(history_url(case) + "?page=2")
    assert len(page2.context["page_obj"].object_list) == 5
    assert "Save the contact plan" not in page1.content.decode()


def test_the_dsl_team_sets_more_frequent_calls_with_a_reason(case, world):
    dsl = client_for(world.users["dsl"])
    url = reverse("contacts:contact_plan", args=[case.pk])
    response = dsl.post(
        url, {"extra_calls_per_day": "2", "extra_call_weekdays": ["0", "2"], "decided_reason": ""}
    )
    assert response.status_code == 200
    assert "Say why the DSL team decided" in response.content.decode()
    assert not ContactPlan.objects.exists()
    response = dsl.post(url, {"extra_calls_per_day": "9", "decided_reason": "Because."})
    assert "Enter 0 to 5 calls." in response.content.decode()
    response = dsl.post(
        url,
        {
            "extra_calls_per_day": "2",
            "extra_call_weekdays": ["0", "2"],
            "decided_reason": "Agreed at the DSL meeting.",
        },
    )
    assert response.status_code == 302
    plan = ContactPlan.objects.get(case=case)
    assert (plan.extra_calls_per_day, plan.extra_call_weekdays, plan.decided_by) == (
        2,
        "0,2",
        world.users["dsl"],
    )
    body = client_for(world.users["teacher"]).get(history_url(case)).content.decode()
    assert "2 extra telephone calls a day" in body and "Monday, Wednesday" in body
    assert "Agreed at the DSL meeting." in body and "Dsl" in body


def test_others_who_see_the_case_may_not_set_the_plan(case, world):
    url = reverse("contacts:contact_plan", args=[case.pk])
    data = {"extra_calls_per_day": "1", "decided_reason": "Why not."}
    for persona in ("teacher", "class_staff", "slt_class"):
        assert client_for(world.users[persona]).post(url, data).status_code == 403
    assert client_for(world.users["other_teacher"]).post(url, data).status_code == 404
    assert not ContactPlan.objects.exists()
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == 4


def _history_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(history_url(case)).status_code == 200
    return len(captured)


def test_the_history_costs_the_same_queries_for_10_or_10000_contacts(case, world, teacher):
    add_contacts(case, world.users["teacher"], 10)
    teacher.get(history_url(case))
    few = _history_queries(teacher, case)
    add_contacts(case, world.users["class_staff"], 9_990, last_day=datetime.date(2026, 12, 1))
    assert _history_queries(teacher, case) == few


def test_the_row_partial_costs_the_same_queries_for_10_or_10000_contacts(case, world, teacher):
    add_contacts(case, world.users["teacher"], 10)
    teacher.get(log_url(case), **HX)
    with CaptureQueriesContext(connection) as small:
        teacher.get(log_url(case), **HX)
    add_contacts(case, world.users["class_staff"], 9_990, last_day=datetime.date(2026, 12, 1))
    with CaptureQueriesContext(connection) as large:
        teacher.get(log_url(case), **HX)
    assert len(large) == len(small)


def test_logging_on_a_day_that_is_not_a_school_day_is_allowed(calendar, world):
    with time_machine.travel(london(2026, 12, 5, 10, 0), tick=False):
        case = make_case(world, world.pupil)
        response = client_for(world.users["teacher"]).post(log_url(case), contact_data(), **HX)
        assert "Logged:" in response.content.decode()
    assert ContactLog.objects.get().contact_date == datetime.date(2026, 12, 5)
