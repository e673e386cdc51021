"""The DSL team's contact plan (policy section 3.2) is a decision that is never overwritten:
each change is a new version saying who decided what, when and why; the plan itself holds
the current decision, and the contact history and the safeguarding chronology show them all."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import ContactPlan, ContactPlanVersion
from contacts.services import contact_plan_save
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.closures.matrix import london
from tests.conftest import client_for
from tests.contacts.test_logging import calendar, case, history_url  # noqa: F401


def plan_url(of_case) -> str:
    return reverse("contacts:contact_plan", args=[of_case.pk])


def decide(world, of_case, *, by="dsl", at=(2026, 12, 1, 9, 0), **data):
    with time_machine.travel(london(*at), tick=False):
        return contact_plan_save(actor=Actor.for_user(world.users[by]), case=of_case, **data)


def test_a_change_adds_a_version_and_keeps_the_old_one(case, world):  # noqa: F811
    decide(world, case, extra_calls_per_day=2, extra_call_weekdays="0,2", decided_reason="Strain.")
    decide(
        world,
        case,
        by="headteacher",
        at=(2026, 12, 2, 14, 0),
        extra_calls_per_day=0,
        decided_reason="Things have settled at home.",
    )

    plan = ContactPlan.objects.get(case=case)
    assert (plan.extra_calls_per_day, plan.decided_by, plan.decided_reason) == (
        0,
        world.users["headteacher"],
        "Things have settled at home.",
    )
    versions = list(plan.versions.all())
    assert [
        (v.extra_calls_per_day, v.extra_call_weekdays, v.decided_by, v.reason) for v in versions
    ] == [
        (0, "", world.users["headteacher"], "Things have settled at home."),
        (2, "0,2", world.users["dsl"], "Strain."),
    ]
    assert versions[1].decided_at == london(2026, 12, 1, 9, 0)
    assert [v.is_current for v in versions] == [True, False]
    # Each decision is audited in the same transaction.
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.CHANGE, subject_type="contacts.contactplan", pupil_id=world.pupil.pk
        ).count()
        == 2
    )


def test_every_change_says_why(case, world):  # noqa: F811
    decide(world, case, extra_calls_per_day=1, decided_reason="Strain.")
    with pytest.raises(ValidationError) as refused:
        decide(world, case, extra_calls_per_day=0, decided_reason="  ")
    assert "decided_reason" in refused.value.message_dict
    assert ContactPlanVersion.objects.count() == 1
    assert ContactPlan.objects.get().extra_calls_per_day == 1


def test_the_versions_cannot_be_edited_or_deleted(case, world):  # noqa: F811
    version = decide(world, case, extra_calls_per_day=1, decided_reason="Strain.").versions.get()
    version.reason = "Rewritten"
    with pytest.raises(ValueError, match="never changed"):
        version.save()
    with pytest.raises(ValueError, match="never changed"):
        version.delete()


def test_the_history_page_shows_every_decision_newest_first(case, world):  # noqa: F811
    decide(world, case, extra_calls_per_day=2, extra_call_weekdays="0,2", decided_reason="Strain.")
    dsl = client_for(world.users["dsl"])
    response = dsl.post(
        plan_url(case), {"extra_calls_per_day": "1", "decided_reason": "Calmer this week."}
    )
    assert response.status_code == 302

    body = client_for(world.users["teacher"]).get(history_url(case)).content.decode()
    section = body[body.index('id="plan-history"') :]
    assert section.index("Calmer this week.") < section.index("Strain.")
    assert "2 extra calls a day on Monday, Wednesday" in section
    assert "1 extra call a day on every school day" in section
    assert "01/12/2026 09:00" in section
    assert "Current" in section


def test_the_history_page_costs_the_same_queries_for_one_or_many_decisions(
    case,  # noqa: F811
    world,
):
    decide(world, case, extra_calls_per_day=1, decided_reason="First.")
    teacher = client_for(world.users["teacher"])
    teacher.get(history_url(case))
    with CaptureQueriesContext(connection) as one:
        teacher.get(history_url(case))
    for n in range(20):
        decide(
            world,
            case,
            by=("dsl", "headteacher")[n % 2],
            extra_calls_per_day=n % 3,
            decided_reason=f"Decision {n}.",
        )
    with CaptureQueriesContext(connection) as many:
        teacher.get(history_url(case))
    assert len(many) == len(one)


def test_the_chronology_shows_the_current_and_the_past_decisions(case, world):  # noqa: F811
    decide(world, case, extra_calls_per_day=2, extra_call_weekdays="0,2", decided_reason="Strain.")
    decide(world, case, at=(2026, 12, 2, 14, 0), extra_calls_per_day=0, decided_reason="Settled.")

    url = reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    with time_machine.travel(london(2026, 12, 3, 10, 0), tick=False):
        response = client_for(world.users["dsl"]).get(url)
    entries = [e for e in response.context["entries"] if e.kind == "contact_plan"]

    assert [(e.title, e.text) for e in entries] == [
        ("Contact plan: 2 extra calls a day on Monday, Wednesday", "Strain."),
        ("Contact plan: daily contact only", "Settled."),
    ]
    assert entries[0].detail == "Replaced on 02/12/2026"
    assert entries[1].detail == "The current plan"
    assert entries[0].by == world.users["dsl"]
    body = response.content.decode()
    assert "Contact plan: daily contact only" in body and "Replaced on 02/12/2026" in body


def test_the_decision_on_the_day_is_what_today_reads(case, world):  # noqa: F811
    decide(world, case, extra_calls_per_day=2, decided_reason="Strain.")
    decide(world, case, extra_calls_per_day=1, decided_reason="Calmer.")
    with time_machine.travel(london(2026, 12, 3, 11, 0), tick=False):
        row = client_for(world.users["teacher"]).get("/contacts/today/").context["rows"][-1]
    assert row.case == case and row.extra_calls == 1
