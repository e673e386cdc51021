"""Device security declarations (policy sections 5.1 and 5.3): the reminder, the gate after
the grace period, the form's refusals, the tasks raised for IT, and governors' coverage."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actor import Actor
from declarations.models import (
    DeclarationAnswer,
    DeclarationDue,
    DeclarationIssue,
    DeclarationItem,
    DeviceDeclaration,
    IssueStatus,
)
from declarations.selectors import DeclarationCoverage, declaration_coverage
from declarations.services import (
    REASON_REQUIRED,
    Answer,
    declaration_issue_resolve,
    declaration_submit,
)
from tests.accounts.test_sign_in import sign_in
from tests.conftest import client_for

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _declaration_gate_on(settings):
    # On whatever the rest of the suite does: these tests are about the gate.
    settings.DEVICE_DECLARATION_REQUIRED = True


DAY0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
HOME = reverse("home")
DECLARE = reverse("dataprotection:declare")
BANNER = "Your device security declaration is due"


def at(days: float, hours: float = 0) -> datetime.datetime:
    return DAY0 + datetime.timedelta(days=days, hours=hours)


def all_yes(**overrides: str) -> dict[str, str]:
    data = {"device_description": "school laptop"}
    for item in DeclarationItem.values:
        data[item] = "yes"
        data[f"{item}_reason"] = ""
    data.update(overrides)
    return data


def get(user, url: str, when: datetime.datetime, **headers: str):
    """A fresh signed-in session at ``when`` (a long gap would time the old one out)."""
    with time_machine.travel(when, tick=False):
        return client_for(user).get(url, headers=headers)


def post(user, url: str, data: dict, when: datetime.datetime):
    with time_machine.travel(when, tick=False):
        return client_for(user).post(url, data)


def declare_yes(user, when: datetime.datetime) -> DeviceDeclaration:
    answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
    with time_machine.travel(when, tick=False):
        return declaration_submit(
            actor=Actor.for_user(user), device_description="school laptop", answers=answers
        )


def test_staff_are_reminded_from_their_first_page_and_blocked_after_five_days(world):
    teacher = world.users["teacher"]

    first = get(teacher, HOME, at(0))
    assert first.status_code == 200
    page = first.content.decode()
    assert BANNER in page and "07/03/2026" in page
    assert DeclarationDue.objects.get(user=teacher).first_seen_at == at(0)

    late_in_grace = get(teacher, HOME, at(4, 23))
    assert late_in_grace.status_code == 200 and BANNER in late_in_grace.content.decode()

    blocked = get(teacher, HOME, at(6))
    assert blocked.status_code == 302 and blocked["Location"] == DECLARE
    pupils = get(teacher, reverse("schools:pupil_list"), at(6))
    assert pupils.status_code == 302 and pupils["Location"] == DECLARE

    # Still open: the declaration, sign-in settings and signing out.
    assert get(teacher, DECLARE, at(6)).status_code == 200
    assert get(teacher, reverse("mfa_index"), at(6)).status_code == 200
    signed_out = post(teacher, reverse("account_logout"), {}, at(6))
    assert signed_out.status_code == 302 and signed_out["Location"] != DECLARE

    declared = post(teacher, DECLARE, all_yes(), at(6))
    assert declared.status_code == 302 and declared["Location"] == HOME

    restored = get(teacher, HOME, at(6, 1))
    assert restored.status_code == 200
    assert BANNER not in restored.content.decode()


def test_staff_are_reminded_as_they_sign_in(world):
    teacher = world.users["teacher"]
    client = Client()

    with time_machine.travel(at(0), tick=False):
        signed_in = sign_in(client, teacher)
        page = client.get(signed_in["Location"]).content.decode()

    # Said once: the banner, not a message repeating it.
    assert "Please make it by <strong>07/03/2026</strong>" in page
    assert page.count("device security declaration") == 1
    assert DeclarationDue.objects.get(user=teacher).first_seen_at == at(0)


def test_the_sign_in_reminder_is_not_given_to_those_with_a_current_declaration(world):
    teacher = world.users["teacher"]
    declare_yes(teacher, at(0))
    client = Client()

    with time_machine.travel(at(1), tick=False):
        signed_in = sign_in(client, teacher)
        page = client.get(signed_in["Location"]).content.decode()

    assert "device security declaration" not in page


def test_the_gate_answers_from_the_session_between_checks(world, django_assert_num_queries):
    teacher = world.users["teacher"]
    declare_yes(teacher, at(0))
    with time_machine.travel(at(1), tick=False):
        client = client_for(teacher)
        client.get(HOME)
        with CaptureQueriesContext(connection) as warm:
            client.get(HOME)
    assert not [q for q in warm.captured_queries if "devicedeclaration" in q["sql"]]
    assert not [q for q in warm.captured_queries if "declarationdue" in q["sql"]]


def test_htmx_requests_are_sent_to_the_declaration_page(world):
    teacher = world.users["teacher"]
    get(teacher, HOME, at(0))

    response = get(teacher, HOME, at(6), HX_Request="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == DECLARE


def test_a_year_later_the_declaration_is_due_again_with_a_new_grace_period(world):
    teacher = world.users["teacher"]
    get(teacher, HOME, at(0))
    declare_yes(teacher, at(1))

    assert BANNER not in get(teacher, HOME, at(365)).content.decode()
    due_again = get(teacher, HOME, at(366, 1))
    assert due_again.status_code == 200 and BANNER in due_again.content.decode()
    assert get(teacher, HOME, at(366 + 5, 2)).status_code == 302

    declare_yes(teacher, at(372))
    assert get(teacher, HOME, at(372, 1)).status_code == 200


def test_the_grace_period_counts_from_first_use_not_from_the_account(world):
    teacher = world.users["teacher"]
    teacher.date_joined = at(-200)
    teacher.save(update_fields=["date_joined"])

    assert get(teacher, HOME, at(0)).status_code == 200
    assert get(teacher, HOME, at(4)).status_code == 200


def test_governors_and_people_without_a_role_never_need_to_declare(world):
    for key in ("governor", "chair", "no_role"):
        user = world.users[key]
        get(user, HOME, at(0))
        response = get(user, HOME, at(30))
        assert response.status_code == 200, key
        assert BANNER not in response.content.decode()
        assert get(user, DECLARE, at(30)).status_code == 404
    assert not DeclarationDue.objects.exists()


def test_the_gate_can_be_switched_off(world, settings):
    settings.DEVICE_DECLARATION_REQUIRED = False
    teacher = world.users["teacher"]
    get(teacher, HOME, at(0))

    response = get(teacher, HOME, at(30))

    assert response.status_code == 200 and BANNER not in response.content.decode()


def test_the_grace_period_and_validity_come_from_settings(world, settings):
    settings.DEVICE_DECLARATION_GRACE_DAYS = 1
    settings.DEVICE_DECLARATION_VALID_DAYS = 30
    teacher = world.users["teacher"]
    get(teacher, HOME, at(0))

    assert get(teacher, HOME, at(1, 1)).status_code == 302
    declare_yes(teacher, at(2))
    assert get(teacher, HOME, at(31)).status_code == 200
    # 31 days of 24 hours after declaring: the clocks went forward on 29/03, so 09:00 on
    # 04/04 is still an hour short.
    assert get(teacher, HOME, at(33)).status_code == 200
    assert get(teacher, HOME, at(33, 1)).status_code == 302


def test_an_item_not_confirmed_without_a_reason_is_refused_at_its_field(world):
    teacher = world.users["teacher"]

    response = post(teacher, DECLARE, all_yes(encrypted="cannot"), at(0))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"encrypted_reason": [REASON_REQUIRED]}
    assert 'id="id_encrypted_reason_error"' in response.content.decode()
    assert not DeviceDeclaration.objects.exists()
    assert not DeclarationAnswer.objects.exists()
    assert not DeclarationIssue.objects.exists()


def test_every_item_needs_an_answer_and_the_device_a_description(world):
    data = all_yes(device_description="   ")
    del data["antivirus"]

    response = post(world.users["teacher"], DECLARE, data, at(0))

    errors = response.context["form"].errors
    assert set(errors) == {"antivirus", "device_description"}
    assert not DeviceDeclaration.objects.exists()


def test_an_item_that_cannot_be_confirmed_raises_a_task_for_it(world):
    teacher = world.users["teacher"]
    data = all_yes(
        device_description="own phone",
        encrypted="cannot",
        encrypted_reason="I do not know how to check",
        not_shared="cannot",
        not_shared_reason="My partner uses it too",
    )

    response = post(teacher, DECLARE, data, at(0))

    assert response.status_code == 302
    declaration = DeviceDeclaration.objects.get()
    assert (declaration.user, declaration.device_description) == (teacher, "own phone")
    assert declaration.answers.count() == len(DeclarationItem.values)
    issues = DeclarationIssue.objects.order_by("item")
    assert [(i.item, i.reason, i.status, i.user) for i in issues] == [
        ("encrypted", "I do not know how to check", IssueStatus.OPEN, teacher),
        ("not_shared", "My partner uses it too", IssueStatus.OPEN, teacher),
    ]
    # A declaration with open items still counts as made.
    assert get(teacher, HOME, at(10)).status_code == 200


def test_a_new_declaration_supersedes_and_keeps_the_old_one(world):
    teacher = world.users["teacher"]
    declare_yes(teacher, at(0))
    declare_yes(teacher, at(100))

    assert DeviceDeclaration.objects.filter(user=teacher).count() == 2
    page = get(teacher, DECLARE, at(101)).content.decode()
    assert "Your declaration of 10/06/2026 (school laptop) is current" in page


def test_the_declaration_page_quotes_the_policy_on_strong_passwords(world):
    page = get(world.users["teacher"], DECLARE, at(0)).content.decode()

    assert (
        "at least 8 characters, with a combination of upper and lower-case letters, numbers "
        "and special characters (e.g. asterisk or currency symbol)"
    ) in page


def test_coverage_counts_current_declarations_only(world):
    teacher, dsl, head = (world.users[k] for k in ("teacher", "dsl", "headteacher"))
    declare_yes(teacher, at(0))
    declare_yes(dsl, at(-400))

    ids = [teacher.pk, dsl.pk, head.pk, teacher.pk]
    assert declaration_coverage(user_ids=ids, at=at(10)) == DeclarationCoverage(1, 0, 3)
    assert declaration_coverage(user_ids=ids, at=at(-300)) == DeclarationCoverage(1, 0, 3)
    assert declaration_coverage(user_ids=ids, at=at(-500)) == DeclarationCoverage(0, 0, 3)
    assert declaration_coverage(user_ids=[]) == DeclarationCoverage(0, 0, 0)


def test_a_declaration_with_an_item_not_confirmed_waits_for_it_and_is_not_compliant(world):
    teacher, dsl, it = (world.users[k] for k in ("teacher", "dsl", "it_staff"))
    answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
    answers["antivirus"] = Answer(confirmed=False, reason="No antivirus on my laptop")
    with time_machine.travel(at(0), tick=False):
        declaration_submit(
            actor=Actor.for_user(teacher), device_description="own laptop", answers=answers
        )
    declare_yes(dsl, at(0))
    ids = [teacher.pk, dsl.pk]

    # The IT task is raised as before; the declaration is not counted as compliant.
    issue = DeclarationIssue.objects.get(user=teacher, item="antivirus", status=IssueStatus.OPEN)
    assert declaration_coverage(user_ids=ids, at=at(1)) == DeclarationCoverage(
        compliant=1, waiting_for_it=1, staff=2
    )

    with time_machine.travel(at(2), tick=False):
        declaration_issue_resolve(
            actor=Actor.for_user(it), issue=issue, note="Installed the school's antivirus"
        )
    assert declaration_coverage(user_ids=ids, at=at(3)) == DeclarationCoverage(2, 0, 2)


def test_an_older_open_task_does_not_hold_back_a_newer_declaration_confirmed_in_full(world):
    teacher = world.users["teacher"]
    answers = {item: Answer(confirmed=True) for item in DeclarationItem.values}
    answers["updates"] = Answer(confirmed=False, reason="Updates are switched off")
    with time_machine.travel(at(0), tick=False):
        declaration_submit(
            actor=Actor.for_user(teacher), device_description="own laptop", answers=answers
        )
    declare_yes(teacher, at(5))

    assert declaration_coverage(user_ids=[teacher.pk], at=at(6)) == DeclarationCoverage(1, 0, 1)
