"""What a family reports through the carers' portal (policy section 3.6): the record, its
refusals, Today's mark, and the one definition of the daily contact made (the school's
setting decides whether the family's own report counts)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Flag, FlagKind
from contacts.models import (
    FAMILY_REPORT_NOTE_LIMIT,
    ContactSettings,
    FamilyReport,
    FamilyReportKind,
)
from contacts.rules import flag_missed_daily_contacts
from contacts.selectors import today_counts
from contacts.services import contact_log_record, family_report_record
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from oversight.measures.contacts import daily_contacts_by_class_and_day
from oversight.measures.scope import Scope
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.contacts.test_today import make_case
from tests.factories import UserFactory

URL = reverse("contacts:today")
THURSDAY = datetime.date(2026, 12, 3)
SATURDAY = datetime.date(2026, 12, 5)


@pytest.fixture
def day(world):
    build_calendar(world.school)
    with time_machine.travel(london(2026, 12, 3, 9, 0), tick=False):
        yield world


@pytest.fixture
def case(day):
    return make_case(day, day.pupil)


@pytest.fixture
def carer_user(world):
    return UserFactory(full_name="Dana Marsh")


def counts(world, value: bool) -> None:
    ContactSettings.objects.update_or_create(
        school=world.school, defaults={"family_report_counts_as_contact": value}
    )


def report(world, carer_user, **extra) -> FamilyReport:
    return family_report_record(
        actor=Actor.for_user(carer_user),
        carer=world.carer,
        pupil=world.pupil,
        day=extra.pop("day", THURSDAY),
        kind=extra.pop("kind", FamilyReportKind.UNWELL),
        **extra,
    )


def test_a_report_is_recorded_once_with_the_carer_and_audited_as_their_action(
    case, world, carer_user
):
    made = report(world, carer_user, note="Temperature since last night.")
    assert (made.carer, made.reported_by, made.day) == (world.carer, carer_user, THURSDAY)
    event = AccessEvent.objects.get(action=AccessAction.CREATE, subject_id=str(made.pk))
    assert event.user_id == carer_user.pk and event.pupil_id == world.pupil.pk
    assert "Temperature" not in event.detail
    with pytest.raises(ValidationError) as refused:
        report(world, carer_user)
    assert "already told the school" in str(refused.value.message_dict["kind"])
    assert FamilyReport.objects.count() == 1
    # Another kind on the same day is a report of its own.
    report(world, carer_user, kind=FamilyReportKind.CANNOT_WORK)
    assert FamilyReport.objects.count() == 2


def test_a_day_that_is_not_a_school_day_is_refused_at_the_day(case, world, carer_user):
    with pytest.raises(ValidationError) as refused:
        report(world, carer_user, day=SATURDAY)
    assert "not a school day" in refused.value.message_dict["day"][0]
    # Christmas Day, inside the term, is a bank holiday.
    with pytest.raises(ValidationError):
        report(world, carer_user, day=datetime.date(2026, 12, 25))
    with pytest.raises(ValidationError) as past:
        report(world, carer_user, day=datetime.date(2026, 12, 2))
    assert "today or a later day" in past.value.message_dict["day"][0]
    assert not FamilyReport.objects.exists()
    assert not AccessEvent.objects.filter(subject_type="contacts.familyreport").exists()


def test_an_oversized_note_is_refused_at_the_note(case, world, carer_user):
    with pytest.raises(ValidationError) as refused:
        report(world, carer_user, note="x" * (FAMILY_REPORT_NOTE_LIMIT + 1))
    assert "characters or fewer" in refused.value.message_dict["note"][0]
    assert not FamilyReport.objects.exists()


def test_today_marks_the_pupil_the_family_reported_and_escapes_what_they_wrote(
    case, world, carer_user
):
    report(world, carer_user, note="<script>alert(1)</script> feverish")
    body = client_for(world.users["teacher"]).get(URL).content.decode()
    assert "Family reported: unwell" in body
    assert "Reported by Dana Marsh (parent/carer)" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; feverish" in body
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize("setting", [True, False])
def test_a_report_is_the_days_contact_only_where_the_school_says_so(
    case, world, carer_user, setting
):
    counts(world, setting)
    report(world, carer_user)
    row = client_for(world.users["teacher"]).get(URL).context["rows"][0]
    assert row.contacted is setting
    assert row.behind is not setting
    assert row.contacts_today == 0  # never a staff contact
    assert today_counts(world.users["teacher"], THURSDAY)["contacted"] == int(setting)
    # The same answer in the oversight figures and the missed-contact flag.
    figures = daily_contacts_by_class_and_day(Scope(school_id=world.school.pk), THURSDAY, THURSDAY)
    assert figures == [(world.class_a.pk, THURSDAY, 1, int(setting))]
    flag_missed_daily_contacts(THURSDAY)
    missed = Flag.objects.filter(case=case, kind=FlagKind.DAILY_CONTACT_MISSED)
    assert missed.exists() is not setting


def test_a_report_counted_as_contact_answers_the_days_missed_contact_flag(case, world, carer_user):
    flag_missed_daily_contacts(THURSDAY)
    flag = Flag.objects.get(case=case, kind=FlagKind.DAILY_CONTACT_MISSED)
    counts(world, True)
    report(world, carer_user)
    flag.refresh_from_db()
    assert flag.resolved_at is not None and flag.resolved_by is None


def test_a_report_is_never_a_staff_attempt_or_no_response(case, world, carer_user):
    counts(world, True)
    report(world, carer_user)
    assert not case.contacts.exists()
    # Staff still make the DSL team's extra calls: the report is not a call.
    contact_log_record(
        actor=Actor.for_user(world.users["teacher"]),
        case=case,
        channel="telephone",
        outcome="carer",
    )
    row = client_for(world.users["teacher"]).get(URL).context["rows"][0]
    assert row.contacts_today == 1 and row.contacted


def test_today_costs_one_query_more_whatever_the_reports(case, world, carer_user):
    from tests.contacts.test_today import _queries

    client = client_for(world.users["teacher"])
    client.get(URL)
    before = _queries(client)
    report(world, carer_user)
    report(world, carer_user, kind=FamilyReportKind.CANNOT_WORK)
    assert _queries(client) == before


def test_the_contact_history_lists_what_the_family_reported_as_theirs(case, world, carer_user):
    report(world, carer_user, note="<i>Sick</i>")
    url = reverse("contacts:case_contacts", args=[case.pk])
    body = client_for(world.users["teacher"]).get(url).content.decode()
    assert "What the family reported" in body
    assert "reported by Dana Marsh (parent/carer)" in body and "&lt;i&gt;Sick&lt;/i&gt;" in body
