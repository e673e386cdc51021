"""Every decision a review can take leaves the case in a consistent state: a case that goes
on has its next review; one that ends moves on to reintegration, or closes with its outcome
and return date. A missing field is refused at that field, with nothing written."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Case, Decision, Flag, FlagKind, Review, Status
from tests.cases.test_case_journey import active_case, at, errors_of, review_data
from tests.conftest import client_for


def review(world, case, **changes):
    return client_for(world.users["teacher"]).post(
        reverse("cases:review_add", args=[case.pk]), review_data(**changes)
    )


@pytest.mark.parametrize("decision", [Decision.CONTINUE, Decision.EXTEND])
def test_a_case_that_goes_on_needs_its_next_review_date(world, clock, decision):
    case = active_case(world)
    extra = {"new_end_date": "23/10/2026"} if decision == Decision.EXTEND else {}

    response = review(world, case, decision=decision, **extra)

    assert response.status_code == 200
    assert errors_of(response, "review_form")["next_review_date"] == [
        "Give the date of the next review: the case goes on."
    ]
    assert not Review.objects.exists()


def test_continuing_sets_the_next_review(world, clock):
    case = active_case(world)
    response = review(world, case, decision=Decision.CONTINUE, next_review_date="12/10/2026")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    assert case.next_review_date == dt.date(2026, 10, 12)


def test_ending_by_reintegration_moves_the_case_on_with_a_next_review(world, clock):
    case = active_case(world)
    response = review(world, case, decision=Decision.REINTEGRATE)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REINTEGRATING
    assert case.next_review_date is not None


def test_ending_by_closing_needs_the_outcome_and_the_return_date_at_their_fields(world, clock):
    case = active_case(world)

    response = review(world, case, decision=Decision.CLOSE)

    assert response.status_code == 200
    errors = errors_of(response, "review_form")
    assert errors["outcome"] == ["Say how the case ended."]
    assert errors["actual_return_date"] == ["Give the date the pupil returned to school."]
    assert not Review.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.ACTIVE and case.next_review_date is not None


def test_ending_by_closing_closes_the_case_with_its_outcome(world, clock):
    case = active_case(world)
    Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=dt.date(2026, 10, 5))
    at(clock, dt.date(2026, 10, 9))

    response = review(
        world,
        case,
        held_on="09/10/2026",
        decision=Decision.CLOSE,
        outcome="Back in class full time.",
        actual_return_date="08/10/2026",
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.outcome == "Back in class full time."
    assert case.actual_return_date == dt.date(2026, 10, 8)
    assert case.next_review_date is None and case.closed_at is not None
    assert case.status_changes.filter(to_status=Status.CLOSED, note="Decided at review").exists()
    assert not Flag.objects.filter(case=case, resolved_at__isnull=True).exists()
    assert Review.objects.get(case=case).decision == Decision.CLOSE


def test_no_decision_leaves_an_active_case_without_a_next_review(world, clock):
    """Whatever the decision, an open case afterwards has a next review."""
    for decision, extra in [
        (Decision.CONTINUE, {"next_review_date": "12/10/2026"}),
        (Decision.EXTEND, {"new_end_date": "23/10/2026", "next_review_date": "12/10/2026"}),
        (Decision.REINTEGRATE, {}),
        (Decision.CLOSE, {"outcome": "Back.", "actual_return_date": "05/10/2026"}),
    ]:
        case = Case.objects.filter(pupil=world.pupil, status__in=["active"]).first()
        case = case or active_case(world)
        review(world, case, decision=decision, **extra)
        case.refresh_from_db()
        assert not case.is_open or case.next_review_date is not None, decision
        if case.is_open:
            Case.objects.filter(pk=case.pk).update(status=Status.ACTIVE)
