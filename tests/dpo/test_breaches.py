"""The breach register (policy sections 3.5 and 5): anyone at the school flags a suspected
breach, the DPO is told at once by an email with no personal data, the DPO's steps are added
as rows, and the reporter sees only what they wrote and its status."""

import datetime
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from core.actor import Actor
from core.outbox import retry_wait, send_pending
from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import Breach, BreachDecision, BreachNotification, BreachStep, StepKind
from dpo.services import breach_close, breach_decide, breach_report_to_ico
from schools.models import Role
from tests.conftest import client_for
from tests.dpo.factories import breach_for, decided
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.outbox import assert_links_are_absolute, mail_server_down

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
NEW_URL = reverse("dpo:breach_new")
LIST_URL = reverse("dpo:breach_list")
NASTY = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch.object(send_outbox, "apply_async") as nudge:
        yield nudge


def breach_data(world, **overrides) -> dict:
    data = {
        "school": world.school.pk,
        "what_happened": "A class list was emailed to all parents without BCC.",
        "discovered_at": "2026-11-02T09:15",
        "data_affected": "Parents' email addresses",
        "people_affected": "30",
        "containment": "Recalled the email; asked parents to delete it.",
    }
    data.update(overrides)
    return data


def flag(world, django_capture_on_commit_callbacks, persona="it_staff", **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client_for(world.users[persona]).post(NEW_URL, breach_data(world, **overrides))


def test_it_staff_flag_a_breach_and_the_dpo_is_emailed_a_link_without_personal_data(
    world, mailoutbox, django_capture_on_commit_callbacks, _no_broker
):
    response = flag(world, django_capture_on_commit_callbacks)
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("dpo:breach_detail", args=[breach.pk])
    # Entered in UK time (GMT in November), stored in UTC.
    assert breach.discovered_at == datetime.datetime(2026, 11, 2, 9, 15, tzinfo=datetime.UTC)
    assert breach.reported_by == world.users["it_staff"]
    assert breach.people_affected == 30
    assert _no_broker.called
    assert list(BreachNotification.objects.values_list("recipient", "kind", "sent_at")) == [
        (world.users["dpo"].pk, "flagged", None)
    ]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_type="dpo.breach", subject_id=str(breach.pk)
    ).exists()

    assert send_pending(BreachNotification) == 1
    assert send_pending(BreachNotification) == 0
    [message] = mailoutbox
    assert message.to == [world.users["dpo"].email]
    assert message.subject == "A possible data breach has been flagged"
    assert reverse("dpo:breach_detail", args=[breach.pk]) in message.body
    assert_links_are_absolute(message.body, reverse("dpo:breach_detail", args=[breach.pk]))
    for private in ("class list", "BCC", "email addresses", "Recalled", "30"):
        assert private not in message.subject + message.body


def test_a_school_without_a_dpo_tells_the_headteacher(world, django_capture_on_commit_callbacks):
    world.users["dpo"].memberships.all().delete()
    flag(world, django_capture_on_commit_callbacks)
    assert list(BreachNotification.objects.values_list("recipient", flat=True)) == [
        world.users["headteacher"].pk
    ]


def test_a_failed_email_stays_for_the_next_sweep(
    world, django_capture_on_commit_callbacks, _frozen
):
    flag(world, django_capture_on_commit_callbacks)
    with mail_server_down():
        assert send_pending(BreachNotification) == 0
    failed = BreachNotification.objects.get()
    assert (failed.sent_at, failed.attempts, failed.last_error) == (
        None,
        1,
        "ConnectionRefusedError",
    )
    _frozen.shift(retry_wait(1))  # the next sweep after the first retry's wait
    assert send_pending(BreachNotification) == 1


def test_a_discovery_time_in_the_future_is_refused_at_the_field(
    world, django_capture_on_commit_callbacks
):
    response = flag(world, django_capture_on_commit_callbacks, discovered_at="2026-11-02T11:00")
    assert response.status_code == 200
    assert response.context["form"].errors["discovered_at"] == [
        "This time is in the future: give when it was discovered."
    ]
    assert not Breach.objects.exists()
    assert not BreachNotification.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("what_happened", "  ", "Write what happened."),
        ("discovered_at", "yesterday", "Enter a valid date/time."),
        ("discovered_at", "", "This field is required."),
        ("data_affected", "", "This field is required."),
        ("people_affected", "-3", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_written(
    world, django_capture_on_commit_callbacks, field, value, message
):
    response = flag(world, django_capture_on_commit_callbacks, **{field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Breach.objects.exists()


def test_nobody_can_flag_a_breach_for_a_school_they_do_not_work_at(
    world, django_capture_on_commit_callbacks
):
    elsewhere = SchoolFactory(name="Faraway")
    response = flag(world, django_capture_on_commit_callbacks, school=elsewhere.pk)
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Breach.objects.exists()


def test_someone_at_two_schools_chooses_which(world, django_capture_on_commit_callbacks):
    second = SchoolFactory(name="Second School")
    MembershipFactory(user=world.users["it_staff"], school=second, role=Role.IT_STAFF)
    page = client_for(world.users["it_staff"]).get(NEW_URL)
    assert not page.context["form"]["school"].is_hidden
    flag(world, django_capture_on_commit_callbacks, school=second.pk)
    assert Breach.objects.get().school == second


def test_the_reporter_sees_what_they_wrote_and_its_status_but_not_the_handling(world):
    breach = breach_for(world, what_happened=NASTY)
    BreachStep.objects.create(
        breach=breach,
        kind=StepKind.ASSESSMENT,
        text="Secret risk assessment",
        recorded_by=world.users["dpo"],
    )
    response = client_for(world.users["it_staff"]).get(breach.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "dpo/breach_receipt.html"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert NASTY not in html
    assert "Secret risk assessment" not in html
    assert "With the data protection officer" in html
    assert "Report to the ICO by" in html
    for action in ("breach_assess", "breach_decide", "breach_close"):
        answer = client_for(world.users["it_staff"]).post(
            reverse(f"dpo:{action}", args=[breach.pk]), {}
        )
        assert answer.status_code == 403


def test_the_dpo_and_headteacher_see_everything_escaped_and_others_get_404(world):
    breach = breach_for(world, containment=NASTY)
    for persona in ("dpo", "headteacher"):
        response = client_for(world.users[persona]).get(breach.get_absolute_url())
        html = response.content.decode()
        assert response.templates[0].name == "dpo/breach_detail.html"
        assert "&lt;script&gt;" in html and NASTY not in html
        assert ("Record the assessment" in html) is (persona == "dpo")
    for persona in ("teacher", "dsl", "governor", "other_school_head"):
        assert client_for(world.users[persona]).get(breach.get_absolute_url()).status_code == 404
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.DENIED, subject_type="dpo.breach", subject_id=str(breach.pk)
        ).count()
        == 4
    )


def test_the_list_shows_the_reporter_only_their_own(world):
    mine = breach_for(world)
    other = breach_for(world, reporter="teacher")
    listed = client_for(world.users["it_staff"]).get(LIST_URL).context["breaches"]
    assert [b.pk for b in listed] == [mine.pk]
    listed = client_for(world.users["dpo"]).get(LIST_URL).context["breaches"]
    assert {b.pk for b in listed} == {mine.pk, other.pk}
    assert client_for(world.users["other_school_head"]).get(LIST_URL).context["breaches"] == []


def test_the_dpo_assesses_decides_reports_and_closes_each_step_its_own_row(world):
    breach = breach_for(world, hours_ago=30)
    dpo = client_for(world.users["dpo"])
    url = breach.get_absolute_url()

    def post(action, data):
        response = dpo.post(reverse(f"dpo:{action}", args=[breach.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]

    post("breach_assess", {"assessment-assessment": "Thirty families' emails: moderate risk."})
    post(
        "breach_decide",
        {"decision-decision": "reportable", "decision-reason": "Many families; cannot recall."},
    )
    post(
        "breach_report",
        {"ico-reported_on": "02/11/2026", "ico-ico_reference": "ICO-123", "ico-notes": ""},
    )
    post("breach_subjects_told", {"told-told": "yes", "told-notes": "Letter to each family."})
    post("breach_close", {"close-lessons": "Use BCC; mail merge for class lists."})

    breach.refresh_from_db()
    assert breach.decision == BreachDecision.REPORTABLE
    assert breach.reported_to_ico_on == datetime.date(2026, 11, 2)
    assert breach.ico_reference == "ICO-123"
    assert breach.closed_at == NOW
    steps = list(breach.steps.values_list("kind", "recorded_by", "recorded_at"))
    assert [kind for kind, _, _ in steps] == [
        "assessment",
        "decision",
        "ico_report",
        "subjects_told",
        "closure",
    ]
    assert {(who, when) for _, who, when in steps} == {(world.users["dpo"].pk, NOW)}
    html = dpo.get(url).content.decode()
    assert "decided: reportable, reported 02/11/2026" in html
    assert "Record the assessment" not in html  # closed: no more steps

    closed = dpo.post(
        reverse("dpo:breach_assess", args=[breach.pk]), {"assessment-assessment": "x"}
    )
    assert closed.status_code == 400
    assert "This breach is closed." in closed.content.decode()
    assert breach.steps.count() == 5


def test_a_decision_not_to_report_is_recorded_with_its_reason(world):
    breach = breach_for(world)
    breach_decide(
        actor=Actor.for_user(world.users["dpo"]),
        breach=breach,
        decision=BreachDecision.NOT_REPORTABLE,
        reason="One email, recalled unread.",
    )
    breach.refresh_from_db()
    step = breach.steps.get()
    assert (step.decision, step.text, step.recorded_by) == (
        "not_reportable",
        "One email, recalled unread.",
        world.users["dpo"],
    )
    html = client_for(world.users["dpo"]).get(LIST_URL).content.decode()
    assert "decided: not reportable" in html


def test_the_dpo_is_told_what_is_missing(world):
    breach = breach_for(world)
    dpo = client_for(world.users["dpo"])
    response = dpo.post(reverse("dpo:breach_decide", args=[breach.pk]), {"decision-reason": "x"})
    assert response.status_code == 400
    assert "decision" in response.context["decision_form"].errors
    response = dpo.post(reverse("dpo:breach_close", args=[breach.pk]), {"close-lessons": "x"})
    assert "Record whether it is reportable to the ICO before closing it." in (
        response.content.decode()
    )
    with pytest.raises(Exception, match="reportable first"):
        breach_report_to_ico(
            actor=Actor.for_user(world.users["dpo"]),
            breach=breach,
            reported_on=NOW.date(),
            ico_reference="1",
        )
    decided(breach, BreachDecision.REPORTABLE)
    response = dpo.post(
        reverse("dpo:breach_report", args=[breach.pk]),
        {"ico-reported_on": "03/11/2026", "ico-ico_reference": "ICO-1"},
    )
    assert response.context["ico_form"].errors["reported_on"] == ["This date is in the future."]
    with pytest.raises(Exception, match="Record the report to the ICO"):
        breach_close(actor=Actor.for_user(world.users["dpo"]), breach=breach, lessons="x")
    assert not breach.steps.exists()


def test_the_headteacher_reads_but_may_not_act(world):
    breach = breach_for(world)
    response = client_for(world.users["headteacher"]).post(
        reverse("dpo:breach_decide", args=[breach.pk]),
        {"decision-decision": "not_reportable", "decision-reason": "x"},
    )
    assert response.status_code == 403
    assert not breach.steps.exists()


def test_in_a_school_without_a_dpo_the_headteacher_acts_on_a_breach(world):
    world.users["dpo"].memberships.all().delete()
    breach = breach_for(world)
    client = client_for(world.users["headteacher"])

    page = client.get(reverse("dpo:breach_detail", args=[breach.pk]))
    response = client.post(
        reverse("dpo:breach_decide", args=[breach.pk]),
        {"decision-decision": "not_reportable", "decision-reason": "Recalled unread."},
    )

    assert "decision_form" in page.context
    assert response.status_code == 302
    step = breach.steps.get()
    assert (step.kind, step.recorded_by) == (StepKind.DECISION, world.users["headteacher"])
    # Other staff still may not act: the teacher cannot even see it.
    other = client_for(world.users["teacher"]).post(
        reverse("dpo:breach_decide", args=[breach.pk]),
        {"decision-decision": "reportable", "decision-reason": "x"},
    )
    assert other.status_code == 404


def test_the_list_costs_the_same_queries_for_one_or_many(world, django_assert_num_queries):
    client = client_for(world.users["dpo"])
    breach_for(world)
    client.get(LIST_URL)  # warm the session and caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL).status_code == 200
        return len(queries)

    few = count()
    for _ in range(20):
        breach_for(world, reporter="teacher")
    assert count() == few


def test_a_former_member_no_longer_sees_their_report(world):
    breach = breach_for(world)
    world.users["it_staff"].memberships.all().delete()
    assert client_for(world.users["it_staff"]).get(breach.get_absolute_url()).status_code == 404


def test_a_user_with_no_school_cannot_flag(world):
    stranger = UserFactory()
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TEST_TOTP_SECRET

    TOTP.activate(stranger, TEST_TOTP_SECRET)
    assert client_for(stranger).get(NEW_URL).status_code == 404


def test_the_reporter_is_not_shown_the_decision(world):
    breach = decided(breach_for(world))
    receipt = client_for(world.users["it_staff"]).get(breach.get_absolute_url()).content.decode()
    listed = client_for(world.users["it_staff"]).get(LIST_URL).content.decode()
    for html in (receipt, listed):
        assert "not reportable" not in html
        assert "Decided by the data protection officer" in html


def test_a_step_on_a_closed_breach_is_refused_with_a_message(world):
    breach = decided(breach_for(world))
    breach_close(actor=Actor.for_user(world.users["dpo"]), breach=breach, lessons="Done.")
    response = client_for(world.users["dpo"]).post(
        reverse("dpo:breach_decide", args=[breach.pk]),
        {"decision-decision": "reportable", "decision-reason": "Changed my mind."},
    )
    assert response.status_code == 400
    assert "This breach is closed." in response.content.decode()
    assert breach.steps.count() == 1
