"""A leaver's file not yet received: listed on the DSL dashboard of the pupil's site with how
many school days it is past its date, and, each school day while it is overdue, one email to
each of that site's DSL team (one per person, site and day however many files), naming no
child. A receipt clears the list and stops the emails."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.outbox import send_pending
from core.tasks import send_outbox
from safeguarding.models import TransferFlag, TransferOverdueNotice
from safeguarding.rules import flag_transfers_due
from tests.conftest import client_for
from tests.factories import PupilFactory
from tests.safeguarding.transfers.helpers import DUE_ON, autumn_term, leaving_for

# Due on Friday 11 December; Monday 14th is the first school day past it.
MONDAY = datetime.date(2026, 12, 14)
TUESDAY = datetime.date(2026, 12, 15)
SATURDAY = datetime.date(2026, 12, 12)
DASHBOARD = reverse("safeguarding:dashboard")


@pytest.fixture(autouse=True)
def setting(world):
    autumn_term(world)
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC)


def board_for(world, user: str, day: datetime.date):
    with time_machine.travel(at_noon(day), tick=False):
        return client_for(world.users[user]).get(DASHBOARD)


def test_the_dashboard_lists_a_leavers_file_with_how_many_school_days_it_is_overdue(world):
    leaving_for(world)
    before = board_for(world, "dsl", DUE_ON)
    assert before.context["board"].transfer_count == 1
    [row] = before.context["board"].transfers
    assert row.school_days_overdue == 0
    assert "due 11/12/2026" in before.content.decode()

    after = board_for(world, "dsl", TUESDAY)
    [row] = after.context["board"].transfers
    assert row.school_days_overdue == 2
    page = after.content.decode()
    assert "Files to transfer (1)" in page
    assert "2 school days overdue" in page
    assert reverse("safeguarding:pupil_transfer", args=[world.pupil.pk]) in page


def test_the_other_sites_dsl_team_does_not_see_the_leaver(world):
    leaving_for(world)
    south = board_for(world, "deputy_dsl_other_site", TUESDAY)
    assert south.context["board"].transfers == []
    assert south.context["board"].transfer_count == 0
    assert world.pupil.last_name not in south.content.decode()


def test_a_received_file_leaves_the_dashboard(world):
    leaving_for(world)
    TransferFlag.objects.update(resolved_at=at_noon(MONDAY), resolution="received")
    board = board_for(world, "dsl", TUESDAY)
    assert board.context["board"].transfers == []
    assert "No leaver's file waiting to be transferred." in board.content.decode()


def _dashboard_queries(world) -> int:
    with time_machine.travel(at_noon(TUESDAY), tick=False):
        client = client_for(world.users["dsl"])
        client.get(DASHBOARD)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def test_the_transfer_list_costs_the_dashboard_one_statement_whatever_the_number(world):
    none = _dashboard_queries(world)
    leaving_for(world)
    for _ in range(4):
        leaving_for(world, pupil=PupilFactory(school_class=world.class_a))
    # 17 statements before transfers were listed; the list and its count are one more.
    assert none == _dashboard_queries(world) == 18
    assert board_for(world, "dsl", TUESDAY).context["board"].transfer_count == 5


def test_an_overdue_file_tells_the_sites_dsl_team_once_a_school_day(world, mailoutbox):
    leaving_for(world)
    leaving_for(world, pupil=PupilFactory(school_class=world.class_a))
    assert flag_transfers_due(DUE_ON) == 0
    assert not TransferOverdueNotice.objects.exists()  # due today, not yet overdue

    flag_transfers_due(MONDAY)
    flag_transfers_due(MONDAY)
    # Two files, one site: one email to the north DSL, none to the south's team.
    [notice] = TransferOverdueNotice.objects.all()
    assert (notice.recipient, notice.site, notice.day, notice.files) == (
        world.users["dsl"],
        world.north,
        MONDAY,
        2,
    )
    assert send_pending(TransferOverdueNotice) == 1
    [message] = mailoutbox
    assert message.to == [world.users["dsl"].email]
    assert "2 child-protection files" in message.body
    assert reverse("safeguarding:dashboard") in message.body
    for private in (world.pupil.first_name, world.pupil.last_name, "Larchfield"):
        assert private not in message.subject + message.body

    flag_transfers_due(SATURDAY)
    assert TransferOverdueNotice.objects.count() == 1  # not on a day without school
    flag_transfers_due(TUESDAY)
    assert TransferOverdueNotice.objects.count() == 2  # the next school day, again


def test_a_received_file_stops_the_emails(world):
    leaving_for(world)
    TransferFlag.objects.update(resolved_at=at_noon(MONDAY), resolution="received")
    flag_transfers_due(TUESDAY)
    assert not TransferOverdueNotice.objects.exists()


def test_the_emails_cost_the_same_statements_for_one_file_or_many(world):
    def statements(day: datetime.date) -> int:
        with CaptureQueriesContext(connection) as queries:
            flag_transfers_due(day)
        return len(queries)

    leaving_for(world)
    one = statements(MONDAY)
    for _ in range(4):
        leaving_for(world, pupil=PupilFactory(school_class=world.class_a))
    TransferFlag.objects.update(due_on=DUE_ON)
    assert statements(TUESDAY) == one
