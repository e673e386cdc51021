"""The case list and the case page: who sees which cases, the filters, and a fixed number of
queries whatever the number of cases or records."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import (
    Agreement,
    AttendanceCode,
    Basis,
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
from dataprotection.models import AccessAction, AccessEvent
from schools.models import SchoolDay, Term
from schools.services import school_days_refresh
from tests.conftest import client_for
from tests.factories import PupilFactory

LONDON = ZoneInfo("Europe/London")
THURSDAY = dt.date(2026, 10, 8)
LIST = reverse("cases:case_list")


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
    with time_machine.travel(dt.datetime(2026, 10, 8, 9, 0, tzinfo=LONDON), tick=False):
        yield


def make_case(world, pupil=None, **fields) -> Case:
    values = {
        "pupil": pupil or world.pupil,
        "basis": Basis.INDIVIDUAL,
        "reason": Reason.INJURY,
        "status": Status.ACTIVE,
        "start_date": dt.date(2026, 10, 1),
        "end_date": dt.date(2026, 10, 30),
        "next_review_date": dt.date(2026, 10, 15),
        "attendance_code": AttendanceCode.I,
        "proposed_on": dt.date(2026, 10, 1),
        "created_by": world.users["teacher"],
    }
    return Case.objects.create(**(values | fields))


def cases_listed(client, query: str = "") -> list[Case]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


# ---------------------------------------------------------------------------------------------
# The list


def test_the_list_shows_only_cases_the_person_may_see(world, clock):
    mine = make_case(world)
    other_class = make_case(world, pupil=world.other_pupil)
    south = make_case(world, pupil=world.south_pupil)

    assert cases_listed(client_for(world.users["teacher"])) == [mine]
    assert set(cases_listed(client_for(world.users["dsl"]))) == {mine, other_class}
    assert set(cases_listed(client_for(world.users["headteacher"]))) == {mine, other_class, south}
    assert cases_listed(client_for(world.users["slt_other_site"])) == [south]
    assert cases_listed(client_for(world.users["other_school_head"])) == []
    for persona in ("it_staff", "family_support_shared", "nurse_shared", "governor", "dpo"):
        response = client_for(world.users[persona]).get(LIST)
        assert response.status_code == 404, persona


def test_the_list_shows_what_each_case_needs(world, clock):
    case = make_case(world, next_review_date=dt.date(2026, 10, 7))
    Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=THURSDAY)
    Flag.objects.create(case=case, kind=FlagKind.DAILY_CONTACT_MISSED, period=THURSDAY)
    Flag.objects.create(
        case=case,
        kind=FlagKind.AGREEMENTS_MISSING,
        period=dt.date(2026, 10, 1),
        resolved_at=dt.datetime(2026, 10, 2, tzinfo=LONDON),
    )
    response = client_for(world.users["teacher"]).get(LIST)
    page = response.content.decode()
    [row] = response.context["page"].object_list
    assert row.open_flag_count == 2
    for text in ("Marsh, Ellis", "Ash", "Active", "30/10/2026", "07/10/2026", "Due"):
        assert text in page, text
    assert case.get_reason_display() in page
    assert AccessEvent.objects.filter(
        action=AccessAction.LIST, subject_type="cases.case", user_id=world.users["teacher"].pk
    ).exists()


def test_the_list_is_empty_with_a_word_of_explanation(world, clock):
    response = client_for(world.users["teacher"]).get(LIST)
    assert "There are no open remote-education cases" in response.content.decode()
    filtered = client_for(world.users["teacher"]).get(LIST + "?status=closed")
    assert "No cases match these filters" in filtered.content.decode()


def test_filters_by_status_site_class_and_reason(world, clock):
    proposed = make_case(world, status=Status.PROPOSED)
    closed = make_case(
        world,
        pupil=world.other_pupil,
        status=Status.CLOSED,
        outcome="Back.",
        actual_return_date=dt.date(2026, 10, 5),
        reason=Reason.OPERATION,
    )
    south = make_case(world, pupil=world.south_pupil, reason=Reason.SEND_OR_MENTAL_HEALTH)
    client = client_for(world.users["headteacher"])

    assert set(cases_listed(client)) == {proposed, south}  # open cases by default
    assert cases_listed(client, "?status=closed") == [closed]
    assert cases_listed(client, "?status=proposed") == [proposed]
    assert set(cases_listed(client, "?status=all")) == {proposed, closed, south}
    assert cases_listed(client, f"?site={world.south.pk}") == [south]
    assert cases_listed(client, f"?school_class={world.class_a.pk}") == [proposed]
    assert cases_listed(client, f"?reason={Reason.SEND_OR_MENTAL_HEALTH}") == [south]
    assert cases_listed(client, f"?status=all&reason={Reason.OPERATION}") == [closed]


def test_review_due_means_the_next_review_is_today_or_earlier(world, clock):
    due_today = make_case(world, next_review_date=THURSDAY)
    overdue = make_case(world, pupil=world.other_pupil, next_review_date=dt.date(2026, 10, 1))
    make_case(world, pupil=world.south_pupil, next_review_date=dt.date(2026, 10, 9))
    client = client_for(world.users["headteacher"])
    assert set(cases_listed(client, "?review_due=on")) == {due_today, overdue}


def test_time_limit_near_counts_school_days_not_calendar_days(world, clock):
    # From Thursday 8 October, with the default warning of 3 school days:
    # Tuesday 13th is 3 school days away (Fri, Mon, Tue), Wednesday 14th is 4.
    near = make_case(world, end_date=dt.date(2026, 10, 13))
    make_case(world, pupil=world.other_pupil, end_date=dt.date(2026, 10, 14))
    passed = make_case(world, pupil=world.south_pupil, end_date=dt.date(2026, 10, 7))
    client = client_for(world.users["headteacher"])

    assert set(cases_listed(client, "?time_limit_near=on")) == {near, passed}
    page = client.get(LIST).content.decode()
    assert page.count(">Near<") == 1 and page.count(">Passed<") == 1

    # An INSET day on Monday 12th takes one school day out of the count.
    SchoolDay.objects.filter(school=world.school, date=dt.date(2026, 10, 12)).delete()
    assert len(cases_listed(client, "?time_limit_near=on")) == 3

    CaseSettings.objects.create(school=world.school, time_limit_warning_school_days=1)
    assert cases_listed(client, "?time_limit_near=on") == [passed]


def test_a_filter_the_person_cannot_use_is_an_error_at_the_field(world, clock):
    make_case(world)
    response = client_for(world.users["teacher"]).get(LIST + f"?site={world.south.pk}")
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["site"][0]
    assert list(response.context["page"].object_list) == []
    response = client_for(world.users["teacher"]).get(LIST + "?status=nonsense&page=x")
    assert response.status_code == 200
    assert "status" in response.context["form"].errors


def test_the_list_is_paginated_and_keeps_its_filters(world, clock):
    pupils = PupilFactory.create_batch(30, school_class=world.class_a)
    for pupil in pupils:
        make_case(world, pupil=pupil)
    client = client_for(world.users["teacher"])
    first = client.get(LIST + f"?school_class={world.class_a.pk}")
    assert len(first.context["page"].object_list) == 25
    page = first.content.decode()
    assert "Page 1 of 2" in page
    assert f"?school_class={world.class_a.pk}&amp;page=2" in page
    second = client.get(LIST + f"?school_class={world.class_a.pk}&page=2")
    assert len(second.context["page"].object_list) == 5


def test_the_menu_offers_cases_to_those_who_may_list_them(world):
    assert 'href="/cases/"' in client_for(world.users["dsl"]).get("/").content.decode()
    assert 'href="/cases/"' not in client_for(world.users["governor"]).get("/").content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_10_or_300_cases(world, clock):
    def add_cases(count: int) -> None:
        for pupil in PupilFactory.create_batch(count, school_class=world.class_a):
            case = make_case(world, pupil=pupil, next_review_date=THURSDAY)
            Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=THURSDAY)

    client = client_for(world.users["headteacher"])
    url = LIST + f"?site={world.north.pk}&review_due=on"
    add_cases(10)
    client.get(url)  # warm per-process caches (content types)
    small = count_queries(client, url)
    add_cases(290)
    large = count_queries(client, url)
    assert small == large
    assert large <= 12
    page = client.get(url).context["page"]
    assert page.paginator.count == 300
    assert [case.open_flag_count for case in page.object_list] == [1] * 25


# ---------------------------------------------------------------------------------------------
# The case page


def fill_case(world, case: Case, days: int) -> None:
    """Agreements, reviews, provision, steps, flags and status changes: many rows of each."""
    teacher = world.users["teacher"]
    for party in Party.values:
        Agreement.objects.get_or_create(
            case=case,
            party=party,
            defaults={
                "agreed_by": "Someone",
                "agreed_on": case.start_date,
                "method": "meeting",
                "recorded_by": teacher,
            },
        )
    school_days = SchoolDay.objects.filter(school=world.school, date__gte=case.start_date)
    existing = set(case.provisions.values_list("date", flat=True))
    Provision.objects.bulk_create(
        [
            Provision(case=case, date=day, sent_by_email=True, feedback="ok", recorded_by=teacher)
            for day in school_days.values_list("date", flat=True)[:days]
            if day not in existing
        ]
    )
    Review.objects.bulk_create(
        [
            Review(
                case=case,
                held_on=case.start_date,
                attendees="x",
                progress="y",
                decision=Decision.CONTINUE,
                recorded_by=teacher,
            )
            for _ in range(days // 5)
        ]
    )
    plan, _ = ReintegrationPlan.objects.get_or_create(
        case=case, defaults={"support": "s", "updated_by": teacher}
    )
    ReintegrationStep.objects.bulk_create(
        [
            ReintegrationStep(plan=plan, description=f"step {n}", target_date=case.start_date)
            for n in range(days // 5)
        ]
    )
    StatusChange.objects.bulk_create(
        [StatusChange(case=case, to_status=Status.ACTIVE, changed_by=teacher)] * (days // 5)
    )
    Flag.objects.bulk_create(
        [
            Flag(case=case, kind=FlagKind.DAILY_CONTACT_MISSED, period=day, resolved_by=teacher)
            for day in school_days.values_list("date", flat=True)[: days // 5]
        ],
        ignore_conflicts=True,
    )


def test_the_case_page_costs_the_same_queries_for_few_or_many_records(world, clock):
    case = make_case(world, start_date=dt.date(2026, 9, 7), end_date=dt.date(2026, 10, 16))
    client = client_for(world.users["teacher"])
    fill_case(world, case, days=5)  # one review, step and flag; five days of provision
    client.get(case.get_absolute_url())  # warm per-process caches
    small = count_queries(client, case.get_absolute_url())
    fill_case(world, case, days=25)  # five of each, 25 days of provision
    large = count_queries(client, case.get_absolute_url())
    assert small == large
    assert large <= 21  # 20, and one for the family's feedback on the work
    assert Provision.objects.filter(case=case).count() == 25


def test_the_case_page_says_what_is_needed_next(world, clock):
    case = make_case(
        world,
        start_date=dt.date(2026, 10, 5),
        end_date=dt.date(2026, 10, 13),
        next_review_date=dt.date(2026, 10, 7),
    )
    StatusChange.objects.create(
        case=case, from_status=Status.PROPOSED, to_status=Status.ACTIVE, changed_by=case.created_by
    )
    Provision.objects.create(
        case=case, date=dt.date(2026, 10, 6), sent_by_email=True, recorded_by=case.created_by
    )
    response = client_for(world.users["teacher"]).get(case.get_absolute_url())
    page = response.content.decode()
    next_panel = page.split('id="next"', 1)[1].split("</section>", 1)[0]
    assert "Review due" in next_panel and "07/10/2026" in next_panel
    assert "Time limit near" in next_panel and "3 school days away" in next_panel
    # Only days since the case was activated (today) count as missing provision.
    assert response.context["page"].days_without_provision == [THURSDAY]
    assert "Provision not yet recorded" in next_panel
    assert "marked absent" in page
    assert "I: Illness" in page


def test_a_proposed_case_lists_the_missing_agreements_by_party(world, clock):
    case = make_case(world, status=Status.PROPOSED)
    Agreement.objects.create(
        case=case,
        party=Party.CARERS,
        agreed_by="Dana Marsh",
        agreed_on=THURSDAY,
        method="phone",
        recorded_by=case.created_by,
    )
    response = client_for(world.users["teacher"]).get(case.get_absolute_url())
    missing = response.context["page"].missing
    assert missing == [Party.SCHOOL, Party.PUPIL, Party.MEDICAL, Party.LOCAL_AUTHORITY]
    next_panel = response.content.decode().split('id="next"', 1)[1].split("</section>", 1)[0]
    assert "The local authority" in next_panel and "Parents or carers" not in next_panel
    assert "Start remote education" not in next_panel


def test_the_pupil_record_loads_the_pupils_cases(world):
    from tests.cases.matrix import open_case_for
    from tests.conftest import client_for as _client

    case = open_case_for(world)
    url = reverse("cases:pupil_cases", args=[world.pupil.pk])
    teacher_view = _client(world.users["teacher"]).get(url).content.decode()
    assert case.get_absolute_url() in teacher_view
    assert "Propose remote education" not in teacher_view  # one open case at a time
    it_view = _client(world.users["it_staff"]).get(url).content.decode()
    assert case.get_absolute_url() not in it_view
    assert "does not include remote-education cases" in it_view
