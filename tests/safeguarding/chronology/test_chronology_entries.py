"""Contacts and case events in the pupil's safeguarding chronology, at a fixed query cost."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Agreement, AgreementMethod, Party, Review, Status, StatusChange
from cases.models import Decision as ReviewDecision
from contacts.models import Channel, ContactLog, Outcome
from safeguarding.selectors import chronology_for
from schools.permissions import memberships_of
from tests.cases.matrix import open_case_for


def contact_for(case, staff, *, at=None, notes="Sounded cheerful", late_reason=""):
    at = at or timezone.now() - datetime.timedelta(days=1)
    return ContactLog.objects.create(
        case=case,
        contacted_at=at,
        contact_date=timezone.localdate(at),
        staff=staff,
        channel=Channel.TELEPHONE,
        outcome=Outcome.SPOKE_WITH_CARER,
        wellbeing_notes=notes,
        late_reason=late_reason,
    )


def case_events_for(world, case):
    StatusChange.objects.create(
        case=case,
        from_status=Status.PROPOSED,
        to_status=Status.ACTIVE,
        changed_by=world.users["headteacher"],
        note="Agreed by all parties",
    )
    Agreement.objects.create(
        case=case,
        party=Party.CARERS,
        agreed_by="Dana Marsh, mother",
        agreed_on=datetime.date(2026, 11, 20),
        method=AgreementMethod.PHONE,
        notes="Happy with the plan",
        recorded_by=world.users["teacher"],
    )
    Review.objects.create(
        case=case,
        held_on=datetime.date(2026, 11, 27),
        attendees="Class teacher, DSL",
        progress="Logging on most days",
        decision=ReviewDecision.CONTINUE,
        recorded_by=world.users["teacher"],
    )


def test_contacts_are_in_the_chronology_with_their_late_entry_reason(world):
    case = open_case_for(world)
    contact_for(case, world.users["teacher"], late_reason="The school network was down")

    entries = [
        e for e in chronology_for(world.pupil, viewer=world.users["dsl"]) if e.kind == "contact"
    ]

    assert len(entries) == 1
    entry = entries[0]
    assert entry.title == "Daily contact by Telephone: Spoke with a parent or carer"
    assert "Sounded cheerful" in entry.text
    assert "Logged late: The school network was down" in entry.detail
    assert entry.by == world.users["teacher"]


def test_status_changes_agreements_and_reviews_are_in_the_chronology(world):
    case = open_case_for(world)
    case_events_for(world, case)

    by_kind = {e.kind: e for e in chronology_for(world.pupil, viewer=world.users["dsl"])}

    assert by_kind["case_status"].title == "Case status: Proposed → Active"
    assert by_kind["case_status"].text == "Agreed by all parties"
    assert by_kind["agreement"].title == "Agreement: Parents or carers (By telephone)"
    assert "Dana Marsh, mother" in by_kind["agreement"].text
    assert by_kind["review"].title == "Review: Continue as planned"
    assert by_kind["review"].text == "Logging on most days"
    assert "Class teacher, DSL" in by_kind["review"].detail


def test_the_chronology_costs_the_same_queries_for_one_record_of_each_kind_or_many(world):
    case = open_case_for(world)
    contact_for(case, world.users["teacher"])
    case_events_for(world, case)
    # The viewer's memberships are read once and kept for the request, as on the page.
    memberships_of(world.users["dsl"])
    with CaptureQueriesContext(connection) as few:
        chronology_for(world.pupil, viewer=world.users["dsl"])

    for day in range(2, 6):
        contact_for(case, world.users["dsl"], at=timezone.now() - datetime.timedelta(days=day))
    StatusChange.objects.create(
        case=case,
        from_status=Status.ACTIVE,
        to_status=Status.REINTEGRATING,
        changed_by=world.users["dsl"],
    )
    with CaptureQueriesContext(connection) as many:
        entries = chronology_for(world.pupil, viewer=world.users["dsl"])

    assert len([e for e in entries if e.kind == "contact"]) == 5
    assert len(many) == len(few)
