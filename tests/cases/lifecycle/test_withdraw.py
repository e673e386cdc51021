"""A proposal can be withdrawn, with a reason, until remote education starts; the pupil is
then free for a new proposal, and the case page says who withdrew it, when and why."""

import datetime as dt

from django.urls import reverse
from django.utils.html import escape

from cases.models import Case, Flag, FlagKind, Status, StatusChange
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.test_case_journey import (
    active_case,
    chronology_of,
    errors_of,
    propose,
    proposed_case,
)
from tests.conftest import client_for

WHY = "The family moved the operation to the summer holidays."


def withdraw(client, case, reason=WHY):
    return client.post(reverse("cases:case_withdraw", args=[case.pk]), {"withdraw-reason": reason})


def test_a_proposal_withdrawn_with_a_reason_frees_the_pupil_for_a_new_one(world, clock):
    case = proposed_case(world)
    Flag.objects.create(case=case, kind=FlagKind.AGREEMENTS_MISSING, period=dt.date(2026, 10, 5))
    teacher = world.users["teacher"]
    client = client_for(teacher)

    response = withdraw(client, case)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert not case.is_open
    assert case.next_review_date is None
    assert case.closed_at is not None
    change = StatusChange.objects.get(case=case, to_status=Status.WITHDRAWN)
    assert change.from_status == Status.PROPOSED
    assert change.changed_by == teacher
    assert change.note == WHY
    assert not Flag.objects.get(case=case).is_open
    assert AccessEvent.objects.filter(
        action=AccessAction.CHANGE, subject_id=str(case.pk), detail="withdrawn"
    ).exists()

    # The case page says who withdrew it, when and why; it takes no more records.
    response = client.get(case.get_absolute_url())
    page = response.content.decode()
    assert "Proposal withdrawn" in page
    assert escape(WHY) in page
    assert teacher.get_full_name() in page
    assert "05/10/2026" in page
    assert "Record an agreement" not in page
    assert escape("Proposed → Withdrawn") in chronology_of(response)

    # The pupil can have a new proposal.
    assert propose(client, world.pupil).status_code == 302
    assert Case.objects.filter(pupil=world.pupil, status=Status.PROPOSED).count() == 1


def test_withdrawing_needs_a_reason_at_the_field(world, clock):
    case = proposed_case(world)
    response = withdraw(client_for(world.users["teacher"]), case, reason="  ")
    assert response.status_code == 200
    assert errors_of(response, "withdraw_form")["reason"] == ["Say why the proposal is withdrawn."]
    case.refresh_from_db()
    assert case.status == Status.PROPOSED
    assert not StatusChange.objects.filter(to_status=Status.WITHDRAWN).exists()


def test_a_case_that_has_started_cannot_be_withdrawn(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])
    assert "Withdraw the proposal" not in client.get(case.get_absolute_url()).content.decode()

    response = withdraw(client, case)

    assert response.status_code == 200
    assert "Remote education has started" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACTIVE


def test_the_proposal_page_offers_the_withdrawal_to_those_who_may_propose(world, clock):
    case = proposed_case(world)
    assert "Withdraw the proposal" in (
        client_for(world.users["class_staff"]).get(case.get_absolute_url()).content.decode()
    )
    dsl = client_for(world.users["dsl"])
    assert "Withdraw the proposal" not in dsl.get(case.get_absolute_url()).content.decode()
    assert withdraw(dsl, case).status_code == 403
    assert withdraw(client_for(world.users["other_teacher"]), case).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.PROPOSED


def test_a_proposal_that_never_started_is_withdrawn_not_closed(world, clock):
    case = proposed_case(world)
    client = client_for(world.users["teacher"])
    assert "Close the case" not in client.get(case.get_absolute_url()).content.decode()

    response = client.post(
        reverse("cases:case_close", args=[case.pk]),
        {"close-outcome": "Not needed.", "close-actual_return_date": "05/10/2026"},
    )

    assert response.status_code == 200
    assert "withdraw it instead" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.PROPOSED
