"""An action on a concern still not done after its due date raises one flag, told to the
person who is to do it and the site's DSL team, listed on the DSL dashboard, and resolved when
the action is done (or no longer applies)."""

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
from safeguarding.models import Action, ActionFlag, ActionOverdueNotice
from safeguarding.rules import flag_overdue_actions
from safeguarding.tasks import check_overdue_actions
from schools.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.safeguarding.matrix_concerns import concern_for

DUE = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(send_outbox, "apply_async"):
        yield


@pytest.fixture
def deputy(world):
    user = UserFactory(full_name="North Deputy")
    MembershipFactory(user=user, school=world.school, role=Role.DEPUTY_DSL, site=world.north)
    return user


def action_due(world, *, who=None, due_on=DUE, concern=None) -> Action:
    return Action.objects.create(
        concern=concern or concern_for(world),
        what="Ring the school nurse about the rash",
        who=who or world.users["headteacher"],
        due_on=due_on,
        recorded_by=world.users["dsl"],
    )


def told(flag: ActionFlag) -> set[str]:
    return set(
        ActionOverdueNotice.objects.filter(flag=flag).values_list("recipient__full_name", flat=True)
    )


def test_an_action_past_its_due_date_raises_one_flag_for_its_owner_and_the_site_dsl_team(
    world, deputy
):
    action = action_due(world)
    action_due(world, due_on=None)  # no due date: never overdue
    assert flag_overdue_actions(DUE) == 0  # due today is not yet overdue
    assert flag_overdue_actions(DUE + datetime.timedelta(days=1)) == 1
    flag = ActionFlag.objects.get()
    assert (flag.action, flag.resolved_at) == (action, None)
    assert told(flag) == {"Headteacher", "Dsl", "North Deputy"}
    # Running again raises and tells nothing new.
    assert flag_overdue_actions(DUE + datetime.timedelta(days=2)) == 0
    assert ActionFlag.objects.count() == 1
    assert ActionOverdueNotice.objects.count() == 3


def test_the_email_links_to_the_concern_and_says_nothing_of_it(world, mailoutbox):
    action = action_due(world)
    flag_overdue_actions(DUE + datetime.timedelta(days=1))
    assert send_pending(ActionOverdueNotice) == 2
    for message in mailoutbox:
        assert reverse("safeguarding:concern_detail", args=[action.concern_id]) in message.body
        for private in ("nurse", "rash", "Ellis", "Marsh"):
            assert private not in message.subject + message.body


def test_marking_the_action_done_resolves_its_flag(world):
    action = action_due(world)
    flag_overdue_actions(DUE + datetime.timedelta(days=1))
    response = client_for(world.users["headteacher"]).post(
        reverse("safeguarding:action_done", args=[action.pk])
    )
    assert response.status_code == 302
    flag = ActionFlag.objects.get()
    assert flag.resolved_at is not None
    assert flag.resolved_by == world.users["headteacher"]
    assert flag_overdue_actions(DUE + datetime.timedelta(days=2)) == 0
    assert ActionFlag.objects.get().resolved_at == flag.resolved_at


def test_a_flag_whose_concern_was_closed_is_tidied_and_a_closed_concern_raises_none(world):
    action = action_due(world)
    flag_overdue_actions(DUE + datetime.timedelta(days=1))
    services.concern_close(
        actor=Actor.for_user(world.users["dsl"]),
        concern=action.concern,
        outcome="No further action",
        reason="The nurse saw the family at the clinic.",
    )
    action_due(world, concern=action.concern)
    assert flag_overdue_actions(DUE + datetime.timedelta(days=2)) == 0
    flag = ActionFlag.objects.get()
    assert flag.resolved_at is not None and flag.resolution


def test_the_dashboard_lists_overdue_actions_for_the_site_dsl_team_only(world):
    action = action_due(world)
    flag_overdue_actions(DUE + datetime.timedelta(days=1))
    url = reverse("safeguarding:dashboard")
    board = client_for(world.users["dsl"]).get(url)
    assert [f.action_id for f in board.context["board"].overdue_actions] == [action.pk]
    assert board.context["board"].overdue_action_count == 1
    assert "Ring the school nurse about the rash" in board.content.decode()
    south = client_for(world.users["deputy_dsl_other_site"]).get(url).context["board"]
    assert (south.overdue_actions, south.overdue_action_count) == ([], 0)


def test_raising_costs_the_same_statements_for_one_action_or_many(world, deputy):
    def statements(count: int, day: datetime.date) -> int:
        for _ in range(count):
            action_due(world, due_on=day - datetime.timedelta(days=1))
        with CaptureQueriesContext(connection) as queries:
            assert flag_overdue_actions(day) == count
        return len(queries)

    assert statements(1, DUE) == statements(5, DUE + datetime.timedelta(days=3))


def test_the_check_runs_every_morning_for_today_in_london(world):
    action_due(world)
    entry = settings.CELERY_BEAT_SCHEDULE["safeguarding-check-overdue-actions"]
    assert entry["task"] == "safeguarding.check_overdue_actions"
    # 00:30 on 2 December in London: already the day after the due date.
    with time_machine.travel(datetime.datetime(2026, 12, 2, 0, 30, tzinfo=datetime.UTC)):
        assert check_overdue_actions() == 1
