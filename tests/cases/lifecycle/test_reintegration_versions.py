"""The reintegration plan (support, flexibilities, steps) is versioned: each change writes a
new version with who, when and why; older versions stay readable on the case page (newest
first) and every version appears in the pupil's safeguarding chronology."""

import datetime as dt

from django.urls import reverse

from cases.models import ReintegrationPlan, ReintegrationPlanVersion
from tests.cases.test_case_journey import active_case, at, errors_of
from tests.conftest import client_for


def save_plan(client, case, **data):
    return client.post(
        reverse("cases:reintegration_save", args=[case.pk]),
        {f"plan-{key}": value for key, value in data.items()},
    )


def test_each_change_writes_a_new_version_and_keeps_the_old_one(world, clock):
    case = active_case(world)
    teacher, slt = world.users["teacher"], world.users["slt_class"]

    assert save_plan(client_for(teacher), case, support="A buddy at break.").status_code == 302
    at(clock, dt.date(2026, 10, 6))
    response = client_for(teacher).post(
        reverse("cases:reintegration_step_add", args=[case.pk]),
        {"step-description": "Mornings in class", "step-target_date": "12/10/2026"},
    )
    assert response.status_code == 302
    at(clock, dt.date(2026, 10, 7))
    response = save_plan(
        client_for(slt),
        case,
        support="A buddy at break and a quiet room.",
        flexibilities="Mornings only at first.",
        why="The pupil found break times hard.",
    )
    assert response.status_code == 302

    versions = list(ReintegrationPlanVersion.objects.filter(plan__case=case).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    first, second, third = versions
    assert first.support == "A buddy at break." and first.steps == []
    assert first.changed_by == teacher and first.why == "Plan written."
    assert second.why == "Step added: Mornings in class"
    assert second.steps == [
        {"description": "Mornings in class", "target_date": "2026-10-12", "done_on": None}
    ]
    assert third.support == "A buddy at break and a quiet room."
    assert third.flexibilities == "Mornings only at first."
    assert third.changed_by == slt and third.why == "The pupil found break times hard."
    assert ReintegrationPlan.objects.get(case=case).support == third.support

    # The case page shows the history, newest first, and the old text is still there.
    page = client_for(teacher).get(case.get_absolute_url()).content.decode()
    history = page.split('id="plan-history"', 1)[1]
    assert history.index("Version 3") < history.index("Version 2") < history.index("Version 1")
    assert "A buddy at break.</" in history
    assert "The pupil found break times hard." in history
    assert slt.get_full_name() in history

    # Both versions of the support appear in the pupil's safeguarding chronology.
    chronology = client_for(world.users["dsl"]).get(
        reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    )
    text = chronology.content.decode()
    assert "Reintegration plan, version 1" in text
    assert "Reintegration plan, version 3" in text
    assert "The pupil found break times hard." in text
    assert text.index("version 1") < text.index("version 3")


def test_changing_a_written_plan_needs_a_reason_at_the_field(world, clock):
    case = active_case(world)
    client = client_for(world.users["teacher"])
    assert save_plan(client, case, support="A buddy at break.").status_code == 302

    response = save_plan(client, case, support="Something else.")

    assert response.status_code == 200
    assert errors_of(response, "plan_form")["why"] == ["Say why the plan changes."]
    assert ReintegrationPlan.objects.get(case=case).support == "A buddy at break."
    assert ReintegrationPlanVersion.objects.count() == 1
