"""A remote-education case from proposal to the pupil's return, through the pages, and every
way the policy's rules refuse bad input: a message at the field, and nothing written."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from django.utils.html import escape

from cases.models import (
    Agreement,
    Case,
    CaseSettings,
    Decision,
    Flag,
    FlagKind,
    Party,
    Provision,
    Reason,
    ReintegrationPlan,
    ReintegrationStep,
    Review,
    Status,
    StatusChange,
)
from cases.services import BEHAVIOUR_REFUSAL
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Term
from schools.services import school_days_refresh
from tests.conftest import client_for

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 10, 5)  # a school day in the autumn term


@pytest.fixture
def calendar(world):
    Term.objects.create(
        school=world.school,
        name="Autumn 2026",
        first_day=dt.date(2026, 9, 2),
        last_day=dt.date(2026, 12, 18),
    )
    school_days_refresh(school=world.school)


@pytest.fixture
def clock(calendar):
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


def at(clock, day: dt.date, hour: int = 10) -> None:
    clock.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON))


def url(name: str, *args) -> str:
    return reverse(f"cases:{name}", args=args)


def propose(client, pupil, **changes):
    data = {
        "pupil": pupil.pk,
        "reason": Reason.INJURY,
        "start_date": "05/10/2026",
        "end_date": "16/10/2026",
        "summary": "Recovering from a broken leg; cannot manage the school site yet.",
    }
    data.update(changes)
    return client.post(url("case_propose"), data)


def agree(client, case, party, *, on="05/10/2026", who="Someone, role", method="meeting"):
    return client.post(
        url("agreement_add", case.pk),
        {
            "agreement-party": party,
            "agreement-agreed_by": who,
            "agreement-agreed_on": on,
            "agreement-method": method,
            "agreement-notes": "",
        },
    )


def proposed_case(world, reason=Reason.INJURY, **changes) -> Case:
    response = propose(client_for(world.users["teacher"]), world.pupil, reason=reason, **changes)
    assert response.status_code == 302, response.context["form"].errors
    return Case.objects.get(pupil=world.pupil)


def active_case(world) -> Case:
    case = proposed_case(world)
    client = client_for(world.users["teacher"])
    for party in Party.values:
        assert agree(client, case, party).status_code == 302
    assert client.post(url("case_activate", case.pk)).status_code == 302
    case.refresh_from_db()
    return case


def errors_of(response, form_name: str) -> dict:
    return response.context[form_name].errors


def chronology_of(response) -> str:
    return response.content.decode().split('id="chronology"', 1)[1]


# ---------------------------------------------------------------------------------------------
# The journey


def test_a_case_from_proposal_to_the_pupils_return(world, clock):
    teacher = world.users["teacher"]
    client = client_for(teacher)

    # Monday: the teacher proposes remote education for a pupil recovering from an injury.
    form_page = client.get(url("case_propose") + f"?pupil={world.pupil.pk}")
    page = form_page.content.decode()
    assert "not an equal alternative to attendance" in page
    assert "marked absent" in page
    assert form_page.context["form"].initial["pupil"] == world.pupil
    assert form_page.context["form"].initial["start_date"] == MONDAY
    # The time limit defaults to one review interval (10 school days) after the start.
    assert form_page.context["form"].initial["end_date"] == dt.date(2026, 10, 19)

    response = propose(client, world.pupil)
    case = Case.objects.get(pupil=world.pupil)
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url() + "#next"
    assert case.status == Status.PROPOSED
    assert case.attendance_code == "I"
    assert case.end_date == dt.date(2026, 10, 16)

    page = client.get(case.get_absolute_url()).content.decode()
    assert "Agreement still needed from" in page
    for label in Party.labels:  # injury: a medical professional; EHC plan: the LA
        assert escape(label) in page
    assert "Start remote education" not in page

    # The five parties agree; each agreement records who, when, how and notes.
    agreements = [
        (Party.SCHOOL, "Ms Reed, class teacher", "meeting"),
        (Party.CARERS, "Dana Marsh, mother", "meeting"),
        (Party.PUPIL, "Ellis, with their communication book", "in_person"),
        (Party.MEDICAL, "Dr Hale, GP", "letter"),
        (Party.LOCAL_AUTHORITY, "SEND caseworker, Midshire", "email"),
    ]
    for party, who, method in agreements:
        assert agree(client, case, party, who=who, method=method).status_code == 302
    assert case.agreements.count() == 5
    assert "Start remote education" in client.get(case.get_absolute_url()).content.decode()

    # Tuesday: remote education starts, and the day's provision is recorded.
    at(clock, dt.date(2026, 10, 6))
    client = client_for(teacher)
    assert client.post(url("case_activate", case.pk)).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    response = client.post(
        url("provision_add", case.pk),
        {
            "provision-date": "06/10/2026",
            "provision-sent_by_email": "on",
            "provision-visual_timetable_sent": "on",
        },
    )
    assert response.status_code == 302

    # Wednesday: a work pack and feedback from home.
    at(clock, dt.date(2026, 10, 7), hour=15)
    client = client_for(world.users["class_staff"])
    response = client.post(
        url("provision_add", case.pk),
        {
            "provision-date": "2026-10-07",
            "provision-sent_as_work_pack": "on",
            "provision-resources_signposted": "on",
            "provision-feedback": "Enjoyed the number games.",
        },
    )
    assert response.status_code == 302
    assert case.provisions.count() == 2

    # Thursday: the scheduled rules flag that a review is needed.
    at(clock, dt.date(2026, 10, 8), hour=7)
    Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=dt.date(2026, 10, 8))

    # Friday: a review extends the time limit (the only way to extend it).
    at(clock, dt.date(2026, 10, 9), hour=11)
    client = client_for(world.users["slt_class"])
    response = client.post(
        url("review_add", case.pk),
        {
            "review-held_on": "09/10/2026",
            "review-attendees": "Dana Marsh (mother), Ms Reed (teacher), Mr Amos (SLT)",
            "review-progress": "Healing well; still on crutches.",
            "review-decision": Decision.EXTEND,
            "review-new_end_date": "23/10/2026",
            "review-next_review_date": "16/10/2026",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.end_date == dt.date(2026, 10, 23)
    assert case.next_review_date == dt.date(2026, 10, 16)
    assert not Flag.objects.get(case=case).is_open

    # The next Friday: the review begins reintegration, with a plan and its steps.
    at(clock, dt.date(2026, 10, 16), hour=11)
    client = client_for(teacher)
    response = client.post(
        url("review_add", case.pk),
        {
            "review-held_on": "16/10/2026",
            "review-attendees": "Dana Marsh (mother), Ms Reed (teacher)",
            "review-progress": "Off crutches; keen to see friends.",
            "review-decision": Decision.REINTEGRATE,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REINTEGRATING
    assert case.next_review_date is not None  # the school's usual interval
    response = client.post(
        url("reintegration_save", case.pk),
        {
            "plan-support": "Lift pass; a buddy between lessons.",
            "plan-flexibilities": "Mornings only for the first week.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("reintegration_step_add", case.pk),
        {"step-description": "Mornings in class", "step-target_date": "19/10/2026"},
    )
    assert response.status_code == 302
    step = ReintegrationStep.objects.get(plan__case=case)

    # Monday: the first step happens.
    at(clock, dt.date(2026, 10, 19), hour=13)
    client = client_for(teacher)
    response = client.post(
        url("reintegration_step_done", case.pk, step.pk),
        {f"step{step.pk}-done_on": "19/10/2026"},
    )
    assert response.status_code == 302

    # Wednesday: back full time; the case closes with its outcome.
    at(clock, dt.date(2026, 10, 21), hour=16)
    client = client_for(teacher)
    response = client.post(
        url("case_close", case.pk),
        {"close-outcome": "Back in class full time.", "close-actual_return_date": "21/10/2026"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.actual_return_date == dt.date(2026, 10, 21)

    # The case page tells the whole story, in order, each entry with who and when.
    response = client.get(case.get_absolute_url())
    page = response.content.decode()
    assert "Back in class full time." in page
    assert "Record an agreement" not in page  # a closed case takes no more records
    story = chronology_of(response)
    expected = [
        "Case proposed",
        "Agreed: the school",
        "Agreed: parents or carers",
        "Agreed: the pupil",
        "Agreed: a relevant medical professional",
        "Agreed: the local authority",
        "Proposed → Active",
        "Provision recorded",
        "Provision recorded",
        "Flag raised: Review overdue",
        "Review held",
        "Flag resolved: Review overdue",
        "Review held",
        "Active → Reintegrating",
        "Reintegration plan written",
        "Reintegration step planned",
        "Reintegration step done",
        "Reintegrating → Closed",
    ]
    position = 0
    for title in expected:
        found = story.find(escape(title), position)
        assert found >= 0, f"{title!r} missing or out of order in the chronology"
        position = found + 1
    entries = response.context["page"].chronology
    assert len(entries) == len(expected)
    assert [entry.on for entry in entries] == sorted(entry.on for entry in entries)
    assert {entry.who for entry in entries} >= {
        teacher.get_full_name(),
        world.users["class_staff"].get_full_name(),
        world.users["slt_class"].get_full_name(),
        "Automatic check",
    }
    assert all(entry.who for entry in entries)
    assert "Dr Hale, GP" in page and "Enjoyed the number games." in page

    # Each write was audited, and so was each view of the case.
    created = AccessEvent.objects.filter(action=AccessAction.CREATE, pupil_id=world.pupil.pk)
    assert created.count() == 1 + 5 + 2 + 2 + 1 + 1  # case, agreements, provision, reviews…
    assert AccessEvent.objects.filter(
        action=AccessAction.VIEW, subject_type="cases.case", subject_id=str(case.pk)
    ).exists()


def test_the_dsl_reads_the_case_but_cannot_act_on_it(world, clock):
    case = active_case(world)
    dsl = world.users["dsl"]
    client = client_for(dsl)

    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert "Record an agreement" not in page.content.decode()
    assert "Close the case" not in page.content.decode()

    for name, data in [
        ("agreement_add", {"agreement-party": Party.SCHOOL}),
        ("provision_add", {"provision-date": "05/10/2026", "provision-sent_by_email": "on"}),
        ("case_close", {"close-outcome": "x", "close-actual_return_date": "05/10/2026"}),
    ]:
        assert client.post(url(name, case.pk), data).status_code == 403, name
    assert not case.provisions.exists()
    assert Case.objects.get(pk=case.pk).status == Status.ACTIVE
    denials = AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=dsl.pk)
    assert denials.count() == 3
    assert set(denials.values_list("pupil_id", flat=True)) == {world.pupil.pk}


def test_a_teacher_of_another_class_is_told_the_case_does_not_exist(world, clock):
    case = active_case(world)
    outsider = world.users["other_teacher"]
    client = client_for(outsider)

    hidden = client.get(case.get_absolute_url())
    missing = client.get(url("case_detail", 999999))
    assert hidden.status_code == missing.status_code == 404
    assert "Marsh" not in hidden.content.decode()
    assert client.post(url("case_close", case.pk), {}).status_code == 404

    denial = AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=outsider.pk).first()
    assert denial.subject_type == "cases.case"
    assert denial.subject_id == str(case.pk)
    assert denial.pupil_id == world.pupil.pk
    assert AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=outsider.pk).count() == 3


# ---------------------------------------------------------------------------------------------
# Proposing: behaviour, dates, one open case per pupil


def nothing_written() -> bool:
    return not (
        Case.objects.exists()
        or StatusChange.objects.exists()
        or AccessEvent.objects.filter(action=AccessAction.CREATE).exists()
    )


def test_behaviour_is_never_a_reason_and_staff_are_told_it_is_a_suspension(world, clock):
    client = client_for(world.users["teacher"])
    form = client.get(url("case_propose")).content.decode()
    assert "Sent home because of behaviour" in form

    response = propose(client, world.pupil, reason="behaviour")

    assert response.status_code == 200
    assert errors_of(response, "form")["reason"] == [BEHAVIOUR_REFUSAL]
    assert escape(BEHAVIOUR_REFUSAL) in response.content.decode()
    assert "counts as a suspension" in response.content.decode()
    assert nothing_written()


def test_a_time_limit_before_the_start_is_refused_at_the_field(world, clock):
    response = propose(
        client_for(world.users["teacher"]),
        world.pupil,
        start_date="12/10/2026",
        end_date="09/10/2026",
    )
    assert response.status_code == 200
    assert errors_of(response, "form")["end_date"] == [
        "The time limit cannot be before the start date."
    ]
    assert nothing_written()


def test_a_time_limit_beyond_the_schools_maximum_is_refused_at_the_field(world, clock):
    CaseSettings.objects.create(school=world.school, max_time_limit_school_days=5)
    response = propose(client_for(world.users["teacher"]), world.pupil, end_date="13/10/2026")
    assert response.status_code == 200
    [message] = errors_of(response, "form")["end_date"]
    assert "at most 5 school days" in message and "12/10/2026" in message
    assert "at most 5 school days after the start" in response.content.decode()
    assert nothing_written()


def test_a_date_that_is_not_a_date_gets_a_clear_message(world, clock):
    response = propose(client_for(world.users["teacher"]), world.pupil, start_date="31/02/2026")
    assert response.status_code == 200
    assert "Enter a real date" in errors_of(response, "form")["start_date"][0]
    assert nothing_written()


def test_a_pupil_has_one_open_case_at_a_time(world, clock):
    proposed_case(world)
    client = client_for(world.users["teacher"])

    response = propose(client, world.pupil, reason=Reason.OPERATION)

    assert response.status_code == 200
    [message] = errors_of(response, "form")["pupil"]
    assert "already has an open remote-education case" in message
    assert Case.objects.count() == 1


def test_a_double_submitted_proposal_creates_one_case(world, clock):
    client = client_for(world.users["teacher"])
    assert propose(client, world.pupil).status_code == 302
    again = propose(client, world.pupil)
    assert again.status_code == 200
    assert "already has an open" in again.content.decode()
    assert Case.objects.count() == 1


def test_the_pupil_list_offers_only_pupils_the_person_works_with(world, clock):
    client = client_for(world.users["teacher"])
    form = client.get(url("case_propose")).context["form"]
    assert list(form.fields["pupil"].queryset) == [world.pupil]

    response = propose(client, world.other_pupil)

    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response, "form")["pupil"][0]
    assert not Case.objects.exists()
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, user_id=world.users["teacher"].pk
    ).exists()


def test_a_pupil_in_the_address_who_is_not_theirs_is_not_filled_in(world, clock):
    client = client_for(world.users["teacher"])
    response = client.get(url("case_propose") + f"?pupil={world.other_pupil.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["pupil"] is None
    assert "Penrose" not in response.content.decode()
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, subject_id=str(world.other_pupil.pk)
    ).exists()


def test_the_dsl_cannot_propose_a_case(world, clock):
    client = client_for(world.users["dsl"])
    assert client.get(url("case_propose")).status_code == 403
    assert propose(client, world.pupil).status_code == 403
    assert not Case.objects.exists()


# ---------------------------------------------------------------------------------------------
# Agreements and starting


def test_a_case_cannot_start_without_every_required_agreement(world, clock):
    case = proposed_case(world)
    client = client_for(world.users["teacher"])
    for party in (Party.SCHOOL, Party.CARERS, Party.PUPIL):
        agree(client, case, party)

    response = client.post(url("case_activate", case.pk))

    assert response.status_code == 200
    [message] = errors_of(response, "activate_form")["__all__"]
    assert "cannot start until it is agreed by" in message
    assert "a relevant medical professional" in message
    assert "the local authority" in message
    assert escape(message) in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.PROPOSED
    assert case.status_changes.count() == 1


def test_the_local_authority_must_agree_for_a_pupil_with_an_ehc_plan(world, clock):
    assert world.pupil.has_ehc_plan
    case = proposed_case(
        world, reason=Reason.SEND_OR_MENTAL_HEALTH, health_professional_should_agree="no"
    )
    client = client_for(world.users["teacher"])
    for party in (Party.SCHOOL, Party.CARERS, Party.PUPIL):
        agree(client, case, party)

    refused = client.post(url("case_activate", case.pk))
    assert "the local authority" in refused.content.decode()
    assert "medical" not in refused.context["page"].missing

    agree(client, case, Party.LOCAL_AUTHORITY)
    assert client.post(url("case_activate", case.pk)).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.ACTIVE


def test_a_medical_reason_can_start_without_a_doctor_when_staff_say_why_not(world, clock):
    case = proposed_case(
        world,
        reason=Reason.INFECTIOUS_ILLNESS,
        medical_agreement_not_needed="Chickenpox: exclusion period is standard guidance.",
    )
    client = client_for(world.users["teacher"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Not appropriate: Chickenpox" in page
    for party in (Party.SCHOOL, Party.CARERS, Party.PUPIL, Party.LOCAL_AUTHORITY):
        agree(client, case, party)

    assert client.post(url("case_activate", case.pk)).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.ACTIVE


def test_a_party_agrees_once_and_a_double_submit_is_explained(world, clock):
    case = proposed_case(world)
    client = client_for(world.users["teacher"])
    assert agree(client, case, Party.CARERS).status_code == 302

    again = agree(client, case, Party.CARERS)

    assert again.status_code == 200
    assert errors_of(again, "agreement_form")["party"] == [
        "This party's agreement is already recorded."
    ]
    assert Agreement.objects.filter(case=case).count() == 1


def test_a_race_settled_by_the_database_is_explained_not_a_server_error(world, clock, monkeypatch):
    # Two submissions that both pass the service's checks: the database's unique constraint
    # refuses the second. The person sees why; nothing is half-written.
    case = proposed_case(world)

    def second_of_two(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: cases_agreement.case_id, party")

    monkeypatch.setattr("cases.services.agreement_record", second_of_two)
    response = agree(client_for(world.users["teacher"]), case, Party.SCHOOL)

    assert response.status_code == 200
    assert "saved a moment ago" in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_agreement_needs_who_and_cannot_be_in_the_future(world, clock):
    case = proposed_case(world)
    client = client_for(world.users["teacher"])
    response = agree(client, case, Party.SCHOOL, who="", on="06/10/2026")
    assert response.status_code == 200
    assert errors_of(response, "agreement_form")["agreed_by"] == [
        "Say who agreed, with their role."
    ]
    response = agree(client, case, Party.SCHOOL, on="06/10/2026")
    assert errors_of(response, "agreement_form")["agreed_on"] == ["This date is in the future."]
    assert not Agreement.objects.exists()


# ---------------------------------------------------------------------------------------------
# Provision, reviews, reintegration, closing


def test_provision_only_on_school_days_of_the_case_and_once_a_day(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])
    data = {"provision-sent_by_email": "on"}

    saturday = client.post(url("provision_add", case.pk), {**data, "provision-date": "03/10/2026"})
    assert "between 05/10/2026 and 16/10/2026" in errors_of(saturday, "provision_form")["date"][0]
    nothing = client.post(url("provision_add", case.pk), {"provision-date": "05/10/2026"})
    assert "Tick what was provided" in nothing.content.decode()
    assert client.post(
        url("provision_add", case.pk), {**data, "provision-date": "05/10/2026"}
    ).status_code == (302)
    twice = client.post(url("provision_add", case.pk), {**data, "provision-date": "05/10/2026"})
    assert errors_of(twice, "provision_form")["date"] == [
        "Provision for this day is already recorded."
    ]
    assert Provision.objects.count() == 1

    at(clock, dt.date(2026, 10, 12))
    client = client_for(world.users["teacher"])
    weekend = client.post(url("provision_add", case.pk), {**data, "provision-date": "10/10/2026"})
    assert errors_of(weekend, "provision_form")["date"] == ["This is not a school day."]
    tomorrow = client.post(url("provision_add", case.pk), {**data, "provision-date": "13/10/2026"})
    assert errors_of(tomorrow, "provision_form")["date"] == ["This date is in the future."]
    assert Provision.objects.count() == 1


def test_provision_is_not_taken_for_a_proposed_case(world, clock):
    case = proposed_case(world)
    client = client_for(world.users["teacher"])
    assert "Record a day's provision" not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(
        url("provision_add", case.pk),
        {"provision-date": "05/10/2026", "provision-sent_by_email": "on"},
    )
    assert response.status_code == 200
    assert "Provision is recorded for active cases only." in response.content.decode()
    assert not Provision.objects.exists()


def review_data(**changes) -> dict:
    data = {
        "review-held_on": "05/10/2026",
        "review-attendees": "Dana Marsh (mother), Ms Reed (teacher)",
        "review-progress": "Going well.",
        "review-decision": Decision.CONTINUE,
    }
    return data | {f"review-{key}": value for key, value in changes.items()}


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        ("02/10/2026", "A review cannot be before the case started."),
        ("06/10/2026", "This date is in the future."),
    ],
)
def test_a_review_must_fall_within_the_case(world, clock, held_on, message):
    case = active_case(world)
    response = client_for(world.users["teacher"]).post(
        url("review_add", case.pk), review_data(held_on=held_on)
    )
    assert response.status_code == 200
    assert errors_of(response, "review_form")["held_on"] == [message]
    assert escape(message) in response.content.decode()
    assert not Review.objects.exists()


def test_extending_needs_a_new_time_limit_within_the_maximum(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])

    response = client.post(url("review_add", case.pk), review_data(decision=Decision.EXTEND))
    assert errors_of(response, "review_form")["new_end_date"] == ["Give the new time limit."]
    response = client.post(
        url("review_add", case.pk),
        review_data(decision=Decision.EXTEND, new_end_date="01/12/2026"),
    )
    assert "at most 30 school days" in errors_of(response, "review_form")["new_end_date"][0]
    response = client.post(url("review_add", case.pk), review_data(new_end_date="30/10/2026"))
    assert errors_of(response, "review_form")["new_end_date"] == [
        "Only give a new time limit when extending it."
    ]
    assert not Review.objects.exists()
    assert Case.objects.get(pk=case.pk).end_date == dt.date(2026, 10, 16)


def test_steps_need_a_plan_first(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])
    response = client.post(
        url("reintegration_step_add", case.pk),
        {"step-description": "Mornings in class", "step-target_date": "12/10/2026"},
    )
    assert response.status_code == 200
    assert escape("Write the reintegration plan's support first") in response.content.decode()
    assert not ReintegrationStep.objects.exists()
    response = client.post(url("reintegration_save", case.pk), {"plan-support": ""})
    assert errors_of(response, "plan_form")["support"] == [
        "Say what support is in place for the return."
    ]
    assert not ReintegrationPlan.objects.exists()


def test_a_step_of_another_case_is_not_found(world, clock):
    case = active_case(world)
    other = Case.objects.create(
        pupil=world.other_pupil,
        basis=case.basis,
        reason=case.reason,
        status=Status.ACTIVE,
        start_date=case.start_date,
        end_date=case.end_date,
        attendance_code=case.attendance_code,
        proposed_on=case.proposed_on,
        created_by=world.users["headteacher"],
    )
    plan = ReintegrationPlan.objects.create(
        case=other, support="x", updated_by=world.users["headteacher"]
    )
    step = ReintegrationStep.objects.create(plan=plan, description="x", target_date=MONDAY)
    response = client_for(world.users["teacher"]).post(
        url("reintegration_step_done", case.pk, step.pk), {f"step{step.pk}-done_on": "05/10/2026"}
    )
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.done_on is None


def test_closing_needs_an_outcome_and_a_return_date(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])

    response = client.post(
        url("case_close", case.pk), {"close-outcome": "", "close-actual_return_date": ""}
    )

    assert response.status_code == 200
    errors = errors_of(response, "close_form")
    assert errors["outcome"] == ["Say how the case ended."]
    assert errors["actual_return_date"] == ["Give the date the pupil returned to school."]
    page = response.content.decode()
    assert "Say how the case ended." in page
    assert 'href="#close"' in page  # the summary at the top leads to the form
    case.refresh_from_db()
    assert case.status == Status.ACTIVE and case.closed_at is None


def test_the_return_date_cannot_be_before_the_start_or_in_the_future(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])
    for day, message in [("01/10/2026", "before the case started"), ("09/10/2026", "future")]:
        response = client.post(
            url("case_close", case.pk),
            {"close-outcome": "Back.", "close-actual_return_date": day},
        )
        assert message in errors_of(response, "close_form")["actual_return_date"][0]
    assert Case.objects.get(pk=case.pk).status == Status.ACTIVE
