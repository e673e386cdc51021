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


# --- The designated member of staff for the weekly check (section 3.2) -----------------------

TODAY = (2026, 12, 3, 11, 0)  # a Thursday, a school day


def plan_data(**overrides) -> dict:
    data = {"extra_calls_per_day": "0", "decided_reason": "The nurse knows the family well."}
    data.update(overrides)
    return data


def test_the_plan_form_offers_the_pupils_schools_staff_who_contact_families(case, world):  # noqa: F811
    form = client_for(world.users["dsl"]).get(history_url(case)).context["plan_form"]
    offered = set(form.fields["wellbeing_check_by"].queryset)
    assert {world.users[p] for p in ("teacher", "nurse_shared", "family_support_unshared")} <= (
        offered
    )
    for persona in ("governor", "chair", "it_staff", "dpo", "other_school_head", "no_role"):
        assert world.users[persona] not in offered, persona
    assert form.fields["wellbeing_check_by"].help_text


@pytest.mark.parametrize("persona", ["governor", "other_school_head", "no_role"])
def test_someone_who_is_not_staff_of_the_pupils_school_is_refused_at_the_field(
    case,  # noqa: F811
    world,
    persona,
):
    response = client_for(world.users["dsl"]).post(
        plan_url(case), plan_data(wellbeing_check_by=world.users[persona].pk)
    )
    assert response.status_code == 200
    assert response.context["plan_form"].errors["wellbeing_check_by"]
    assert not ContactPlanVersion.objects.exists()
    # The service holds the same rule whoever calls it.
    with pytest.raises(ValidationError) as refused:
        decide(
            world,
            case,
            extra_calls_per_day=0,
            decided_reason="x",
            wellbeing_check_by=world.users[persona],
        )
    assert "wellbeing_check_by" in refused.value.message_dict


def test_the_designated_person_sees_the_pupil_on_today_and_logs_the_check(case, world):  # noqa: F811
    nurse = world.users["family_support_unshared"]  # no share: the plan is their only way in
    dsl = client_for(world.users["dsl"])
    with time_machine.travel(london(*TODAY), tick=False):
        assert client_for(nurse).get("/contacts/today/").status_code == 404
        response = dsl.post(plan_url(case), plan_data(wellbeing_check_by=nurse.pk))
        assert response.status_code == 302
        assert ContactPlan.objects.get(case=case).wellbeing_check_by == nurse

        page = client_for(nurse).get("/contacts/today/")
        assert [row.case for row in page.context["rows"]] == [case]
        assert "Marsh, Ellis" in page.content.decode()
        log_url = reverse("contacts:contact_log", args=[case.pk])
        form = client_for(nurse).get(log_url, HTTP_HX_REQUEST="true").context["row"].form
        assert form["kind"].value() == "wellbeing"
        logged = client_for(nurse).post(
            log_url,
            {
                "submission_key": str(form["submission_key"].value()),
                "channel": "telephone",
                "kind": "wellbeing",
                "outcome": "carer",
            },
        )
        assert logged.status_code == 302
        assert client_for(nurse).get(history_url(case)).status_code == 200
    contact = case.contacts.get()
    assert (contact.staff, contact.kind, contact.counts_as_wellbeing_check) == (
        nurse,
        "wellbeing",
        True,
    )
    # Every step is in the audit under their name.
    seen = AccessEvent.objects.filter(user_id=nurse.pk, pupil_id=world.pupil.pk)
    assert set(seen.values_list("action", flat=True)) >= {AccessAction.VIEW, AccessAction.CREATE}


def test_a_new_designation_takes_the_pupil_away_from_the_previous_person(case, world):  # noqa: F811
    first = world.users["family_support_unshared"]
    decide(
        world,
        case,
        extra_calls_per_day=0,
        decided_reason="Knows the family.",
        wellbeing_check_by=first,
    )
    decide(world, case, extra_calls_per_day=0, decided_reason="Back to the teacher.")
    with time_machine.travel(london(*TODAY), tick=False):
        assert client_for(first).get(history_url(case)).status_code == 404
        assert client_for(first).get("/contacts/today/").status_code == 404
    denied = AccessEvent.objects.filter(user_id=first.pk, action=AccessAction.DENIED)
    assert denied.count() == 2


@pytest.mark.parametrize("persona", ["family_support_unshared", "teacher", "governor", "no_role"])
def test_the_designation_predicate_and_its_scope_agree(case, world, persona):  # noqa: F811
    from contacts.permissions import cases_designated_to, is_designated_for_check

    user = world.users[persona]
    ContactPlan.objects.create(case=case, wellbeing_check_by=user)
    loaded = type(case).objects.select_related("pupil", "contact_plan").get(pk=case.pk)
    expected = persona in ("family_support_unshared", "teacher")
    assert is_designated_for_check(user, loaded) is expected
    assert cases_designated_to(user).filter(pk=case.pk).exists() is expected
