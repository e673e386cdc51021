"""Device declarations by site for IT staff and SLT: statuses, the IT tasks, who may resolve
them, and a fixed cost per page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actor import Actor
from declarations.models import DeclarationIssue, DeclarationItem, IssueStatus
from declarations.selectors import declaration_coverage
from declarations.services import Answer, declaration_gate_state, declaration_submit
from schools.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _declaration_gate_on(settings):
    # On whatever the rest of the suite does: these tests are about the gate.
    settings.DEVICE_DECLARATION_REQUIRED = True


NOW = datetime.datetime(2026, 5, 11, 10, 0, tzinfo=LONDON)
URL = reverse("device_declarations:compliance")


def declare(user, *, when=NOW, cannot: dict[str, str] | None = None, device="school laptop"):
    answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
    for item, reason in (cannot or {}).items():
        answers[item] = Answer(confirmed=False, reason=reason)
    with time_machine.travel(when, tick=False):
        return declaration_submit(
            actor=Actor.for_user(user), device_description=device, answers=answers
        )


def seen(user, when):
    with time_machine.travel(when, tick=False):
        declaration_gate_state(user=user)


def page_as(user, query: str = ""):
    with time_machine.travel(NOW, tick=False):
        return client_for(user).get(URL + query)


def resolve_url(issue) -> str:
    return reverse("device_declarations:issue_resolve", args=[issue.pk])


def test_it_staff_see_every_site_with_each_persons_status(world):
    declare(world.users["teacher"])
    seen(world.users["dsl"], NOW - datetime.timedelta(days=2))
    seen(world.users["class_staff"], NOW - datetime.timedelta(days=9))
    declare(world.users["other_teacher"], cannot={"encrypted": "No idea <b>how</b>"})

    response = page_as(world.users["it_staff"])

    assert response.status_code == 200
    rows = {row["user__full_name"]: row for row in response.context["rows"]}
    assert rows["Teacher"]["state"].status == "current"
    assert rows["Dsl"]["state"].status == "due"
    assert rows["Class Staff"]["state"].status == "overdue"
    assert rows["Other Teacher"]["open_issues"] == 1
    assert rows["Dsl"]["not_yet_seen"] is False
    assert rows["Headteacher"]["not_yet_seen"] is True
    assert rows["Teacher"]["not_yet_seen"] is False
    assert rows["Teacher"]["site_name"] == "North"
    assert rows["Slt Other Site"]["site_name"] == "South"
    assert rows["Headteacher"]["site_name"] is None
    assert "Governor" not in rows and "Chair" not in rows
    assert "Other School Head" not in rows
    page = response.content.decode()
    assert "No idea &lt;b&gt;how&lt;/b&gt;" in page and "<b>how</b>" not in page
    assert "Whole school" in page and "Resolve" in page


def test_slt_see_their_own_site_only_and_no_resolve_button(world):
    declare(world.users["teacher"], cannot={"antivirus": "Expired"})

    north = page_as(world.users["slt_class"])
    south = page_as(world.users["slt_other_site"])

    north_names = {row["user__full_name"] for row in north.context["rows"]}
    south_names = {row["user__full_name"] for row in south.context["rows"]}
    assert "Teacher" in north_names and "Deputy Dsl Other Site" not in north_names
    assert "Deputy Dsl Other Site" in south_names and "Teacher" not in south_names
    assert "Headteacher" not in north_names  # school-wide staff belong to no one site
    assert len(north.context["issues_page"].object_list) == 1
    assert not south.context["issues_page"].object_list
    assert "Resolve this task" not in north.content.decode()


def test_a_teacher_is_told_nothing_is_there(world):
    assert page_as(world.users["teacher"]).status_code == 404
    assert page_as(world.users["governor"]).status_code == 404


def test_it_staff_resolve_a_task_with_a_note(world):
    issue = declare(world.users["teacher"], cannot={"encrypted": "Not sure"}).issues.get()
    it_staff = world.users["it_staff"]

    response = client_for(it_staff).post(resolve_url(issue), {"note": "Turned on BitLocker"})

    assert response.status_code == 302 and response["Location"] == URL
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED
    assert (issue.resolved_by, issue.resolution_note) == (it_staff, "Turned on BitLocker")
    assert issue.resolved_at is not None
    again = client_for(it_staff).post(resolve_url(issue), {"note": "twice"})
    assert again.status_code == 200
    issue.refresh_from_db()
    assert issue.resolution_note == "Turned on BitLocker"


def test_resolving_needs_a_note_at_the_field(world):
    issue = declare(world.users["teacher"], cannot={"encrypted": "Not sure"}).issues.get()

    response = client_for(world.users["it_staff"]).post(resolve_url(issue), {"note": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["Say what was done, for the record."]}
    assert DeclarationIssue.objects.get().status == IssueStatus.OPEN


def test_slt_may_not_resolve_and_others_are_told_nothing_is_there(world):
    issue = declare(world.users["teacher"], cannot={"encrypted": "Not sure"}).issues.get()

    for key, expected in (
        ("slt_class", 403),
        ("headteacher", 403),
        ("slt_other_site", 404),
        ("teacher", 404),
        ("other_school_head", 404),
    ):
        response = client_for(world.users[key]).post(resolve_url(issue), {"note": "done"})
        assert response.status_code == expected, key
    assert DeclarationIssue.objects.get().status == IssueStatus.OPEN


def _queries(client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + query).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_few_or_many_staff(world):
    with time_machine.travel(NOW, tick=False):
        client = client_for(world.users["it_staff"])
        client.get(URL)  # the session's first request writes its start time
        declare(world.users["teacher"], cannot={"encrypted": "a"})
        few = _queries(client)
        for n in range(70):
            user = UserFactory(full_name=f"Staff {n:02}")
            MembershipFactory(
                user=user, school=world.school, role=Role.TEACHER, school_class=world.class_b
            )
            if n % 2:
                declare(user, cannot={"antivirus": "b", "updates": "c"})
            else:
                seen(user, NOW)
        many = _queries(client)
        second_page = _queries(client, "?page=2&issues_page=2")

    assert few == many == second_page
    response = page_as(world.users["it_staff"], "?page=2")
    assert response.context["staff_page"].paginator.num_pages == 2


def test_a_latest_declaration_waiting_for_it_says_so_as_the_governors_figure_counts_it(world):
    """The page and declaration_coverage share one definition of waiting for IT: the latest
    current declaration has an item IT has not yet resolved."""
    teacher, other, head = (world.users[k] for k in ("teacher", "other_teacher", "headteacher"))
    declare(teacher, cannot={"antivirus": "No antivirus on my laptop"})
    # An older open task does not hold back a newer declaration confirmed in full.
    declare(other, when=NOW - datetime.timedelta(days=20), cannot={"updates": "Switched off"})
    declare(other, when=NOW - datetime.timedelta(days=5))
    declare(head)

    response = page_as(world.users["it_staff"])

    rows = {row["user__full_name"]: row for row in response.context["rows"]}
    assert rows["Teacher"]["state"].waiting_for_it is True
    assert rows["Other Teacher"]["state"].waiting_for_it is False
    assert rows["Headteacher"]["state"].waiting_for_it is False
    ids = [teacher.pk, other.pk, head.pk]
    with time_machine.travel(NOW, tick=False):
        coverage = declaration_coverage(user_ids=ids)
    waiting = sum(
        rows[name]["state"].waiting_for_it for name in rows if rows[name]["user_id"] in ids
    )
    assert coverage.waiting_for_it == waiting == 1
    page = response.content.decode()
    page = page[page.index('id="staff-heading"') :]  # the staff table, not the IT tasks
    teacher_row = page[page.index(">Teacher<") : page.index("</tr>", page.index(">Teacher<"))]
    assert "Waiting for IT" in teacher_row and "Current" not in teacher_row
    head_row = page[page.index(">Headteacher<") : page.index("</tr>", page.index(">Headteacher<"))]
    assert "Current" in head_row and "Waiting for IT" not in head_row
