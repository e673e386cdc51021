"""A referral with no response recorded by its expected date raises one flag to the DSL team
of the pupil's site, shown on the DSL dashboard with how overdue it is, until a response is
recorded (which resolves it) or the agency is chased (which resolves it and pushes the next
due date by the school's chase interval). Working days are Monday to Friday other than bank
holidays in England: an agency works through the school holidays."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actor import Actor
from core.outbox import send_pending
from core.tasks import send_outbox
from safeguarding import services
from safeguarding.models import Agency, ReferralFlag, ReferralOverdueNotice
from safeguarding.rules import flag_overdue_referrals
from safeguarding.tasks import check_overdue_referrals
from schools.calendar import add_working_days, working_days_between
from tests.conftest import client_for
from tests.safeguarding.matrix_concerns import concern_for

FRIDAY = datetime.date(2026, 12, 4)
MONDAY = datetime.date(2026, 12, 7)
TUESDAY = datetime.date(2026, 12, 8)
# The Friday before the summer bank holiday (Monday 31 August 2026).
BEFORE_BANK_HOLIDAY = datetime.date(2026, 8, 28)


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC)


def refer(world, *, on=FRIDAY, agency=Agency.SOCIAL_CARE, concern=None):
    with time_machine.travel(at_noon(on), tick=False):
        return services.referral_add(
            actor=Actor.for_user(world.users["dsl"]),
            concern=concern or concern_for(world),
            agency=agency,
            reference="MASH-7",
            referred_on=on,
        )


def test_one_working_day_runs_across_a_weekend_and_a_bank_holiday():
    assert add_working_days(FRIDAY, 1) == MONDAY
    assert add_working_days(BEFORE_BANK_HOLIDAY, 1) == datetime.date(2026, 9, 1)
    assert add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 29)
    assert working_days_between(FRIDAY, TUESDAY) == 2
    assert working_days_between(BEFORE_BANK_HOLIDAY, datetime.date(2026, 9, 2)) == 2


def test_a_friday_referral_is_overdue_on_tuesday_not_before(world):
    referral = refer(world)
    assert flag_overdue_referrals(datetime.date(2026, 12, 5)) == 0  # Saturday
    assert flag_overdue_referrals(MONDAY) == 0  # the decision is due today
    assert flag_overdue_referrals(TUESDAY) == 1
    flag = ReferralFlag.objects.get()
    assert (flag.referral, flag.due_on, flag.resolved_at) == (referral, MONDAY, None)


def test_a_bank_holiday_monday_gives_one_more_day(world):
    refer(world, on=BEFORE_BANK_HOLIDAY)
    assert flag_overdue_referrals(datetime.date(2026, 8, 31)) == 0
    assert flag_overdue_referrals(datetime.date(2026, 9, 1)) == 0
    assert flag_overdue_referrals(datetime.date(2026, 9, 2)) == 1


def test_the_flag_is_raised_once_and_told_to_the_site_dsl_team_once(world, mailoutbox):
    referral = refer(world)
    assert flag_overdue_referrals(TUESDAY) == 1
    assert flag_overdue_referrals(TUESDAY) == 0
    assert flag_overdue_referrals(TUESDAY + datetime.timedelta(days=1)) == 0
    assert ReferralFlag.objects.count() == 1
    told = set(ReferralOverdueNotice.objects.values_list("recipient__full_name", flat=True))
    assert told == {"Dsl"}
    assert send_pending(ReferralOverdueNotice) == 1
    message = mailoutbox[0]
    assert reverse("safeguarding:concern_detail", args=[referral.concern_id]) in message.body
    for private in ("MASH", "Ellis", "social care"):
        assert private not in message.subject + message.body


def test_a_response_clears_the_flag_and_no_new_one_is_raised(world):
    referral = refer(world)
    flag_overdue_referrals(TUESDAY)
    with time_machine.travel(at_noon(TUESDAY), tick=False):
        services.referral_response_record(
            actor=Actor.for_user(world.users["dsl"]),
            referral=referral,
            responded_on=TUESDAY,
            responded_by="Duty social worker",
            what_they_said="No further action by us; early help offered.",
            outcome="Stepped down to early help",
        )
    flag = ReferralFlag.objects.get()
    assert flag.resolved_at is not None and flag.resolved_by == world.users["dsl"]
    assert flag_overdue_referrals(TUESDAY + datetime.timedelta(days=10)) == 0


def test_a_chase_clears_the_flag_and_pushes_the_next_due_date(world):
    referral = refer(world)
    flag_overdue_referrals(TUESDAY)
    with time_machine.travel(at_noon(TUESDAY), tick=False):
        chase = services.referral_chase_record(
            actor=Actor.for_user(world.users["dsl"]),
            referral=referral,
            chased_on=TUESDAY,
            how="phone",
            spoke_to="MASH duty desk",
            what_was_said="Decision expected tomorrow.",
        )
    # The school's chase interval (default two working days) from the chase.
    assert chase.next_due_on == datetime.date(2026, 12, 10)
    referral.refresh_from_db()
    assert referral.due_on == datetime.date(2026, 12, 10)
    assert referral.response_due_on == MONDAY  # what was first expected is kept
    assert ReferralFlag.objects.get().resolved_at is not None
    assert flag_overdue_referrals(datetime.date(2026, 12, 10)) == 0
    assert flag_overdue_referrals(datetime.date(2026, 12, 11)) == 1
    assert ReferralFlag.objects.filter(resolved_at__isnull=True).get().due_on == datetime.date(
        2026, 12, 10
    )


def test_the_dashboard_lists_referrals_awaiting_a_response_with_how_overdue(world):
    refer(world)
    flag_overdue_referrals(TUESDAY)
    with time_machine.travel(at_noon(datetime.date(2026, 12, 9)), tick=False):
        board = client_for(world.users["dsl"]).get(reverse("safeguarding:dashboard"))
        south = client_for(world.users["deputy_dsl_other_site"]).get(
            reverse("safeguarding:dashboard")
        )
    rows = board.context["board"].overdue_referrals
    assert board.context["board"].overdue_referral_count == 1
    assert rows[0].working_days_overdue == 2
    body = board.content.decode()
    assert "Referrals awaiting a response" in body
    assert "2 working days overdue" in body
    assert south.context["board"].overdue_referrals == []


def test_the_dashboard_costs_the_same_whatever_the_number_of_overdue_referrals(world):
    def statements() -> int:
        with time_machine.travel(at_noon(TUESDAY), tick=False):
            client = client_for(world.users["dsl"])
            client.get(reverse("safeguarding:dashboard"))  # warm the session
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("safeguarding:dashboard")).status_code == 200
        return len(queries)

    refer(world)
    flag_overdue_referrals(TUESDAY)
    one = statements()
    for _ in range(4):
        refer(world)
    flag_overdue_referrals(TUESDAY)
    assert ReferralFlag.objects.count() == 5
    assert statements() == one


def test_raising_costs_the_same_statements_for_one_referral_or_many(world):
    def statements(count: int, day: datetime.date) -> int:
        for _ in range(count):
            refer(world, on=day - datetime.timedelta(days=7))
        with CaptureQueriesContext(connection) as queries:
            assert flag_overdue_referrals(day) == count
        return len(queries)

    assert statements(1, TUESDAY) == statements(5, TUESDAY + datetime.timedelta(days=14))


def test_the_check_runs_every_morning_for_today_in_london(world):
    refer(world)
    entry = settings.CELERY_BEAT_SCHEDULE["safeguarding-check-overdue-referrals"]
    assert entry["task"] == "safeguarding.check_overdue_referrals"
    with time_machine.travel(datetime.datetime(2026, 12, 8, 0, 30, tzinfo=datetime.UTC)):
        assert check_overdue_referrals() == 1


def test_a_closed_concerns_referral_still_awaiting_a_response_stays_flagged_and_listed(world):
    referral = refer(world)
    services.concern_close(
        actor=Actor.for_user(world.users["dsl"]),
        concern=referral.concern,
        outcome="Referred to children's social care",
        reason="Their decision is awaited.",
    )
    assert flag_overdue_referrals(TUESDAY) == 1
    with time_machine.travel(at_noon(TUESDAY), tick=False):
        board = client_for(world.users["dsl"]).get(reverse("safeguarding:dashboard"))
    assert [f.referral_id for f in board.context["board"].overdue_referrals] == [referral.pk]
