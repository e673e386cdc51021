"""The 72-hour clock: computed in UTC, shown in Europe/London on every page a breach appears,
and the DPO reminded once at 24 h, 48 h and 66 h, then every day once the 72 hours are up,
until the breach is reported to the ICO or a decision not to report it is recorded."""

import datetime
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.outbox import send_pending
from core.tasks import send_outbox
from dpo.clock import clock_for
from dpo.models import BreachDecision, BreachNotification, BreachReminder
from dpo.selectors import open_breaches_for_home
from dpo.services import breach_decide, breach_reminders_due, breach_report_to_ico
from dpo.tasks import check_breach_clocks
from schools.models import Role
from tests.conftest import client_for
from tests.dpo.factories import breach_for, decided
from tests.factories import MembershipFactory, UserFactory
from tests.outbox import assert_links_are_absolute

LONDON = zoneinfo.ZoneInfo("Europe/London")
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def shown_everywhere(world, breach) -> list[str]:
    """The clock's text on the list, the detail page and the home-page block."""
    dpo = world.users["dpo"]
    client = client_for(dpo)
    [listed] = client.get(reverse("dpo:breach_list")).context["breaches"]
    detail = client.get(breach.get_absolute_url()).context["clock"]
    [home] = open_breaches_for_home(dpo)
    return [listed.clock.text, detail.text, home.clock.text]


def test_the_deadline_and_hours_left_are_shown_in_uk_time(world):
    discovered = datetime.datetime(2026, 10, 31, 14, 5, tzinfo=LONDON)  # Saturday, GMT
    with time_machine.travel(discovered + 49 * HOUR, tick=False):
        breach = breach_for(world, discovered_at=discovered)
        assert (
            shown_everywhere(world, breach)
            == ["Report to the ICO by Tue 03/11/2026 14:05 — 23 h left"] * 3
        )
        assert clock_for(breach).state == "warning"
    with time_machine.travel(discovered + 77 * HOUR, tick=False):
        assert (
            clock_for(breach).text == "Report to the ICO by Tue 03/11/2026 14:05 — overdue by 5 h"
        )
        assert clock_for(breach).state == "overdue"
    with time_machine.travel(discovered + 71.5 * HOUR, tick=False):
        assert clock_for(breach).text.endswith("— 30 min left")


def test_a_breach_discovered_before_the_clocks_go_back_gets_72_real_hours(world):
    # Saturday 24/10/2026 12:00 BST = 11:00 UTC; the clocks go back on Sunday 25/10/2026.
    discovered = datetime.datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    assert discovered.utcoffset() == HOUR
    with time_machine.travel(
        datetime.datetime(2026, 10, 26, 11, 0, tzinfo=datetime.UTC), tick=False
    ):
        breach = breach_for(world, discovered_at=discovered)
        assert breach.deadline == datetime.datetime(2026, 10, 27, 11, 0, tzinfo=datetime.UTC)
        assert (
            shown_everywhere(world, breach)
            == ["Report to the ICO by Tue 27/10/2026 11:00 — 24 h left"] * 3
        )
        html = client_for(world.users["dpo"]).get(breach.get_absolute_url()).content.decode()
        assert "Report to the ICO by Tue 27/10/2026 11:00 — 24 h left" in html
        # Discovery is shown as it was on the day, in BST.
        assert "Sat 24/10/2026 12:00" in html


def test_a_decided_breach_shows_the_decision_instead(world):
    breach = decided(breach_for(world), BreachDecision.REPORTABLE)
    assert clock_for(breach).text.startswith("decided: reportable, not yet reported (by ")
    breach.reported_to_ico_on = datetime.date(2026, 11, 2)
    assert clock_for(breach).text == "decided: reportable, reported 02/11/2026"
    assert clock_for(decided(breach_for(world))).text == "decided: not reportable"


def test_the_home_block_is_for_the_dpo_and_headteacher_only_and_skips_closed(world):
    open_one = breach_for(world)
    closed = decided(breach_for(world))
    closed.closed_at = closed.decided_at
    closed.save()
    assert [b.pk for b in open_breaches_for_home(world.users["dpo"])] == [open_one.pk]
    assert [b.pk for b in open_breaches_for_home(world.users["headteacher"])] == [open_one.pk]
    for persona in ("it_staff", "teacher", "other_school_head", "no_role"):
        assert open_breaches_for_home(world.users[persona]) == []


def test_the_dpo_is_reminded_once_at_24_48_and_66_hours(world, mailoutbox):
    second_dpo = UserFactory(full_name="Second Dpo")
    MembershipFactory(user=second_dpo, school=world.school, role=Role.DPO)
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(discovered, tick=False) as clock:
        breach = breach_for(world, discovered_at=discovered)
        clock.shift(23 * HOUR + 59 * datetime.timedelta(minutes=1))
        assert check_breach_clocks() == 0
        clock.shift(datetime.timedelta(minutes=1))
        assert check_breach_clocks() == 1
        assert check_breach_clocks() == 0
        clock.shift(24 * HOUR)
        assert check_breach_clocks() == 1
        clock.shift(17 * HOUR)
        assert check_breach_clocks() == 0
        clock.shift(HOUR)  # 66 hours: 6 hours left
        assert check_breach_clocks() == 1
        clock.shift(5 * HOUR)
        assert check_breach_clocks() == 0
        assert breach_reminders_due() == 0
    assert list(BreachReminder.objects.values_list("milestone", flat=True)) == ["24h", "48h", "66h"]
    assert set(BreachNotification.objects.values_list("recipient", "kind")) == {
        (user.pk, kind)
        for user in (world.users["dpo"], second_dpo)
        for kind in ("24h", "48h", "66h")
    }
    assert send_pending(BreachNotification) == 6
    subjects = sorted({message.subject for message in mailoutbox})
    assert subjects == [
        "Reminder: a data breach is not yet reported to the ICO or decided (24 hours)",
        "Reminder: a data breach is not yet reported to the ICO or decided (48 hours)",
        "Urgent: 6 hours left to report a data breach to the ICO",
    ]
    for message in mailoutbox:
        assert "wrong parent" not in message.body
        assert_links_are_absolute(message.body, reverse("dpo:breach_detail", args=[breach.pk]))


def test_a_job_that_missed_a_day_catches_up_with_one_reminder_per_milestone(world):
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(discovered + 70 * HOUR, tick=False):
        breach_for(world, discovered_at=discovered)
        assert check_breach_clocks() == 3
        assert check_breach_clocks() == 0
    assert BreachReminder.objects.count() == 3


def test_no_reminder_after_a_decision(world):
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(discovered, tick=False) as clock:
        breach = breach_for(world, discovered_at=discovered)
        clock.shift(25 * HOUR)
        assert check_breach_clocks() == 1
        breach_decide(
            actor=Actor.for_user(world.users["dpo"]),
            breach=breach,
            decision=BreachDecision.NOT_REPORTABLE,
            reason="Recalled unread.",
        )
        clock.shift(48 * HOUR)
        assert check_breach_clocks() == 0
    assert list(BreachReminder.objects.values_list("milestone", flat=True)) == ["24h"]


def test_reminders_go_on_every_day_after_the_deadline_until_it_is_reported(world, mailoutbox):
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    dpo = Actor.for_user(world.users["dpo"])
    with time_machine.travel(discovered, tick=False) as clock:
        breach = breach_for(world, discovered_at=discovered)
        clock.shift(30 * HOUR)
        assert check_breach_clocks() == 1  # 24 hours
        # Deciding that it must be reported does not stop the reminders: reporting does.
        breach_decide(
            actor=dpo, breach=breach, decision=BreachDecision.REPORTABLE, reason="High risk."
        )
        clock.shift(18 * HOUR)
        assert check_breach_clocks() == 1  # 48 hours
        clock.shift(18 * HOUR)
        assert check_breach_clocks() == 1  # 66 hours
        for _day in range(3):  # 72 h, 96 h, 120 h: the deadline has passed
            clock.shift(6 * HOUR)
            assert check_breach_clocks() == 1
            clock.shift(18 * HOUR)
            assert check_breach_clocks() == 0
        clock.shift(6 * HOUR)  # 144 hours, reported before the job runs
        breach_report_to_ico(
            actor=dpo, breach=breach, reported_on=timezone.localdate(), ico_reference="IC-1"
        )
        for _day in range(4):
            clock.shift(24 * HOUR)
            assert check_breach_clocks() == 0
    assert list(BreachReminder.objects.values_list("milestone", flat=True)) == [
        "24h",
        "48h",
        "66h",
        "72h",
        "96h",
        "120h",
    ]
    send_pending(BreachNotification)
    assert mailoutbox[-1].subject == (
        "Overdue: report the data breach to the ICO, or record why it is not reportable"
    )


def test_reminders_go_on_after_the_deadline_until_a_decision_not_to_report(world):
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(discovered, tick=False) as clock:
        breach = breach_for(world, discovered_at=discovered)
        clock.shift(100 * HOUR)
        # A job that missed days sends the milestones it missed and one overdue reminder.
        assert check_breach_clocks() == 4
        clock.shift(24 * HOUR)
        assert check_breach_clocks() == 1
        breach_decide(
            actor=Actor.for_user(world.users["dpo"]),
            breach=breach,
            decision=BreachDecision.NOT_REPORTABLE,
            reason="Recalled unread; no risk to anyone.",
        )
        for _day in range(3):
            clock.shift(24 * HOUR)
            assert check_breach_clocks() == 0
    assert list(BreachReminder.objects.values_list("milestone", flat=True)) == [
        "24h",
        "48h",
        "66h",
        "96h",
        "120h",
    ]


def test_reminders_are_set_based(world, django_assert_num_queries):
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(discovered + 70 * HOUR, tick=False):
        for _ in range(15):
            breach_for(world, discovered_at=discovered)
        # Three SELECTs (one per milestone) and one for breaches past the deadline, one for
        # the people, two INSERTs, plus the savepoint pair of the transaction.
        with django_assert_num_queries(9):
            assert breach_reminders_due() == 45
    # Past the deadline: one more SELECT for the overdue reminders already sent.
    with (
        time_machine.travel(discovered + 100 * HOUR, tick=False),
        django_assert_num_queries(10),
    ):
        assert breach_reminders_due() == 15


def test_a_breach_discovered_before_the_clocks_go_forward_shows_its_deadline_in_bst(world):
    # Saturday 27/03/2027 12:00 GMT; the clocks go forward on Sunday 28/03/2027.
    discovered = datetime.datetime(2027, 3, 27, 12, 0, tzinfo=LONDON)
    with time_machine.travel(discovered + HOUR, tick=False):
        breach = breach_for(world, discovered_at=discovered)
        assert breach.deadline == datetime.datetime(2027, 3, 30, 12, 0, tzinfo=datetime.UTC)
        assert clock_for(breach).text == "Report to the ICO by Tue 30/03/2027 13:00 — 71 h left"


def test_reminders_go_to_the_headteacher_when_the_school_has_no_dpo(world):
    world.users["dpo"].memberships.all().delete()
    discovered = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    with time_machine.travel(discovered + 25 * HOUR, tick=False):
        breach_for(world, discovered_at=discovered)
        assert check_breach_clocks() == 1
    assert list(BreachNotification.objects.values_list("recipient", "kind")) == [
        (world.users["headteacher"].pk, "24h")
    ]
