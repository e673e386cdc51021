"""Each member of staff has one list of what is theirs: actions assigned to them, flags on the
cases of their pupils, concerns awaiting their acknowledgement and referrals to chase (the
DSL team of the pupil's site), and the notifications they were sent, which they mark read
there. The home page sums it up and the menu shows the count."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Flag, FlagKind
from core.actor import Actor
from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import BreachNotification
from oversight.my_tasks.selectors import forget_task_counts, task_counts
from safeguarding.models import (
    Action,
    ActionFlag,
    ActionOverdueNotice,
    Agency,
    Concern,
    ConcernStatus,
    Notification,
    NotificationKind,
    Referral,
    ReferralFlag,
    TransferFlag,
    Urgency,
)
from tests.cases.flags.test_rules import running_case, with_summer_term
from tests.conftest import client_for
from tests.safeguarding.matrix_concerns import concern_for
from tests.safeguarding.transfers.helpers import autumn_term, leaving_for

pytestmark = pytest.mark.django_db

TASKS = "/tasks/"


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(send_outbox, "apply_async"):
        yield


def page_for(world, persona: str) -> str:
    response = client_for(world.users[persona]).get(TASKS)
    assert response.status_code == 200
    return response.content.decode()


def action_for(world, *, who: str, due_on=None, what="Phone the family") -> Action:
    return Action.objects.create(
        concern=concern_for(world),
        what=what,
        who=world.users[who],
        due_on=due_on,
        recorded_by=world.users["dsl"],
    )


def referral_awaited(world, *, concern=None) -> ReferralFlag:
    referral = Referral.objects.create(
        concern=concern or concern_for(world),
        agency=Agency.SOCIAL_CARE,
        reference="MASH-7",
        due_on=datetime.date(2026, 12, 1),
        made_by=world.users["dsl"],
    )
    return ReferralFlag.objects.create(referral=referral, due_on=referral.due_on)


def test_the_page_has_a_heading_and_says_plainly_when_there_is_nothing_to_do(world):
    page = page_for(world, "teacher")
    assert "<h1" in page and "My tasks" in page
    assert "Nothing assigned to you" in page
    assert "No unread notifications" in page


def test_open_actions_assigned_to_me_are_listed_overdue_first_with_due_date_and_link(world):
    today = timezone.localdate()
    later = action_for(world, who="dsl", due_on=today + datetime.timedelta(days=5), what="Later")
    late = action_for(world, who="dsl", due_on=today - datetime.timedelta(days=2), what="Late")
    done = action_for(world, who="dsl", what="Already done")
    done.done_on = today
    done.save()
    action_for(world, who="headteacher", what="Someone else's")
    page = page_for(world, "dsl")
    assert page.index("Late") < page.index("Later")
    assert "Already done" not in page and "Someone else" not in page
    assert f"{late.due_on:%d/%m/%Y}" in page and "overdue" in page.lower()
    assert reverse("safeguarding:concern_detail", args=[later.concern_id]) in page
    assert "Ellis Marsh" in page
    assert "Someone else" in page_for(world, "headteacher")


def test_an_action_on_a_pupil_i_may_no_longer_see_is_not_shown(world):
    # The deputy of the other site was named on a concern at the north site: they may not see
    # the pupil, so neither the action nor the child's name appears.
    action_for(world, who="deputy_dsl_other_site", what="Visit the family")
    page = page_for(world, "deputy_dsl_other_site")
    assert "Visit the family" not in page and "Ellis" not in page


def test_case_flags_appear_for_those_who_see_them_on_their_cases_and_not_for_others(world):
    with_summer_term(world)
    case = running_case(world, world.pupil)
    Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=datetime.date(2026, 5, 1))
    assert "Review overdue" in page_for(world, "teacher")
    assert "Review overdue" not in page_for(world, "other_teacher")
    assert "Ellis" not in page_for(world, "other_teacher")


def test_unacknowledged_concerns_go_to_the_sites_dsl_team_immediate_first_with_their_age(world):
    routine = concern_for(world)
    immediate = concern_for(world, urgency=Urgency.IMMEDIATE)
    acknowledged = concern_for(world, urgency=Urgency.HIGH)
    Concern.objects.filter(pk=acknowledged.pk).update(status=ConcernStatus.ACKNOWLEDGED)
    page = page_for(world, "dsl")
    routine_link = reverse("safeguarding:concern_detail", args=[routine.pk])
    immediate_link = reverse("safeguarding:concern_detail", args=[immediate.pk])
    acknowledged_link = reverse("safeguarding:concern_detail", args=[acknowledged.pk])
    assert page.index(immediate_link) < page.index(routine_link)
    assert acknowledged_link not in page
    assert "Awaiting acknowledgement" in page and "raised" in page
    for persona in ("deputy_dsl_other_site", "teacher", "slt_class"):
        assert routine_link not in page_for(world, persona)


def test_referrals_awaiting_a_response_are_for_the_sites_dsl_team_to_chase(world):
    flag = referral_awaited(world)
    link = reverse("safeguarding:concern_detail", args=[flag.referral.concern_id])
    page = page_for(world, "dsl")
    assert "Referrals to chase" in page and "MASH-7" in page and link in page
    for persona in ("deputy_dsl_other_site", "teacher"):
        assert "MASH-7" not in page_for(world, persona)
    flag.resolved_at = timezone.now()
    flag.save()
    assert "MASH-7" not in page_for(world, "dsl")


def test_transfers_have_their_own_section_empty_while_no_file_waits(world):
    page = page_for(world, "dsl")
    assert 'id="transfers-heading"' in page
    assert "No child-protection file is waiting for you to transfer it." in page


def test_a_leavers_file_to_transfer_is_the_sites_dsl_teams_task_until_received(world):
    autumn_term(world)
    leaving = leaving_for(world)
    transfer_page = reverse("safeguarding:pupil_transfer", args=[world.pupil.pk])
    page = page_for(world, "dsl")
    assert transfer_page in page and "due 11/12/2026" in page
    assert task_counts(world.users["dsl"]).transfers == 1
    assert transfer_page not in page_for(world, "teacher")
    TransferFlag.objects.filter(leaving=leaving).update(resolved_at=timezone.now())
    forget_task_counts(world.users["dsl"])
    assert task_counts(world.users["dsl"]).transfers == 0


def unread_for(world, persona: str) -> Notification:
    return Notification.objects.create(
        recipient=world.users[persona],
        concern=concern_for(world),
        kind=NotificationKind.IMMEDIATE_CONCERN,
    )


def test_my_notifications_are_listed_without_detail_and_marked_read_with_an_audit(world):
    note = unread_for(world, "dsl")
    page = page_for(world, "dsl")
    mark = reverse("my_tasks:notification_read", args=["concern", note.pk])
    assert "An immediate safeguarding concern needs you" in page and mark in page
    assert mark not in page_for(world, "headteacher")
    response = client_for(world.users["dsl"]).post(mark)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    event = AccessEvent.objects.filter(action=AccessAction.CHANGE).latest("pk")
    assert (event.user_id, event.pupil_id) == (world.users["dsl"].pk, world.pupil.pk)
    assert mark not in page_for(world, "dsl")


def test_an_overdue_notice_is_listed_and_marked_read_too(world):
    action = action_for(world, who="headteacher", due_on=datetime.date(2026, 1, 1))
    flag = ActionFlag.objects.create(action=action)
    notice = ActionOverdueNotice.objects.create(
        recipient=world.users["dsl"], concern=action.concern, flag=flag
    )
    mark = reverse("my_tasks:notification_read", args=["action-overdue", notice.pk])
    assert mark in page_for(world, "dsl")
    assert client_for(world.users["dsl"]).post(mark).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notification_cannot_be_marked_read_and_the_refusal_is_audited(world):
    note = unread_for(world, "dsl")
    mark = reverse("my_tasks:notification_read", args=["concern", note.pk])
    denied = AccessEvent.objects.filter(action=AccessAction.DENIED).count()
    assert client_for(world.users["headteacher"]).post(mark).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == denied + 1


def test_marking_read_is_a_post(world):
    note = unread_for(world, "dsl")
    mark = reverse("my_tasks:notification_read", args=["concern", note.pk])
    assert client_for(world.users["dsl"]).get(mark).status_code == 405


def test_the_menu_and_the_home_page_show_my_count_which_falls_as_i_read(world):
    note = unread_for(world, "dsl")
    concern_for(world)  # awaiting acknowledgement
    action_for(world, who="dsl")  # its concern also awaits acknowledgement
    client = client_for(world.users["dsl"])
    home = client.get("/").content.decode()
    # Three concerns awaiting acknowledgement (the notification's, the action's and one more),
    # one action, one unread notification: in the menu and in the home page's summary.
    assert home.count('data-task-count="5"') == 2
    assert TASKS in home and "3 concerns awaiting acknowledgement" in home
    client.post(reverse("my_tasks:notification_read", args=["concern", note.pk]))
    assert 'data-task-count="4"' in client.get("/").content.decode()


def test_governors_have_no_tasks_page_and_no_menu_entry(world):
    response = client_for(world.users["governor"]).get(TASKS)
    assert response.status_code == 404
    assert TASKS not in client_for(world.users["governor"]).get("/").content.decode()


def _queries(client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (content types, settings)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _lots_of_tasks(world, n: int) -> None:
    for _ in range(n):
        action_for(world, who="dsl", due_on=datetime.date(2026, 1, 1))
        referral_awaited(world)
        unread_for(world, "dsl")


def test_the_tasks_page_and_the_home_page_cost_the_same_whatever_the_number_of_tasks(world):
    client = client_for(world.users["dsl"])
    _lots_of_tasks(world, 1)
    few_tasks, few_home = _queries(client, TASKS), _queries(client, "/")
    _lots_of_tasks(world, 6)
    assert _queries(client, TASKS) == few_tasks
    assert _queries(client, "/") == few_home


def test_the_menu_count_costs_one_query_on_an_ordinary_page(world):
    client = client_for(world.users["teacher"])
    with mock.patch("remote_learning.context_processors.task_count", return_value=0):
        without = _queries(client, reverse("schools:pupil_list"))
    assert _queries(client, reverse("schools:pupil_list")) == without + 1


def test_the_home_page_summary_reuses_the_menus_count(world):
    client = client_for(world.users["dsl"])
    _lots_of_tasks(world, 2)
    with mock.patch("remote_learning.context_processors.task_count", return_value=0):
        menu_not_counted = _queries(client, "/")
    # The home page's summary counted already; the menu takes its number from there.
    assert _queries(client, "/") == menu_not_counted


def test_a_breach_notification_reaches_the_dpo_alone(world):
    from dpo.services import breach_flag

    breach_flag(
        actor=Actor.for_user(world.users["it_staff"]),
        school=world.school,
        what_happened="A laptop was left on a train.",
        discovered_at=timezone.now() - datetime.timedelta(hours=2),
        data_affected="Class list",
        people_affected=8,
    )
    note = BreachNotification.objects.get(recipient=world.users["dpo"])
    mark = reverse("my_tasks:notification_read", args=["breach", note.pk])
    assert mark in page_for(world, "dpo")
    assert mark not in page_for(world, "it_staff")


def test_each_section_has_a_heading_and_each_mark_read_button_names_its_notification(world):
    unread_for(world, "dsl")
    page = page_for(world, "dsl")
    for heading in (
        "actions-heading",
        "flags-heading",
        "concerns-heading",
        "referrals-heading",
        "transfers-heading",
        "notifications-heading",
    ):
        assert f'<h2 id="{heading}"' in page and f'aria-labelledby="{heading}"' in page
    assert (
        'Mark read<span class="visually-hidden">: An immediate safeguarding concern needs you'
        in page
    )
    assert "No child-protection file is waiting for you to transfer it." in page
