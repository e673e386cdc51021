"""Home visits (section 3.2): requested, agreed separately by SLT and the DSL, recorded with at
least two members of staff; recording one answers the family-not-responding flag."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Flag, FlagKind
from core.actor import Actor
from safeguarding.models import HomeVisit
from safeguarding.visits.services import Agreement, visit_agree, visit_record
from schools.calendar import today
from schools.models import Role
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory


def _request_visit(world, persona="slt_class") -> HomeVisit:
    case = open_case_for(world)
    response = client_for(world.users[persona]).post(
        reverse("safeguarding:visit_request", args=[case.pk]),
        {"visit-reason": "Three days without an answer."},
    )
    visit = HomeVisit.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:visit_record", args=[visit.pk])
    return visit


def _agree(world, visit, persona, which):
    return client_for(world.users[persona]).post(
        reverse("safeguarding:visit_agree", args=[visit.pk]), {"which": which}
    )


def _record(world, visit, persona, staff):
    return client_for(world.users[persona]).post(
        reverse("safeguarding:visit_record", args=[visit.pk]),
        {
            "record-visited_on": today().isoformat(),
            "record-staff": [world.users[name].pk for name in staff],
            "record-outcome": "Family at home; phone broken.",
        },
    )


def test_slt_and_the_dsl_agree_separately_each_with_who_and_when(world):
    visit = _request_visit(world)
    assert _agree(world, visit, "slt_class", "slt").status_code == 302
    visit.refresh_from_db()
    assert visit.slt_agreed_by == world.users["slt_class"]
    assert visit.slt_agreed_at is not None
    assert visit.dsl_agreed_at is None
    assert _agree(world, visit, "dsl", "dsl").status_code == 302
    visit.refresh_from_db()
    assert visit.dsl_agreed_by == world.users["dsl"]
    assert visit.dsl_agreed_at is not None


def test_the_dsl_cannot_give_slts_agreement_nor_slt_the_dsls(world):
    visit = _request_visit(world)
    assert _agree(world, visit, "dsl", "slt").status_code == 403
    assert _agree(world, visit, "slt_class", "dsl").status_code == 403
    visit.refresh_from_db()
    assert visit.slt_agreed_at is None and visit.dsl_agreed_at is None


def test_a_visit_cannot_be_recorded_before_both_agreements(world):
    visit = _request_visit(world)
    _agree(world, visit, "slt_class", "slt")
    response = _record(world, visit, "dsl", ["dsl", "slt_class"])
    assert response.status_code == 200
    assert "Both SLT and the DSL must agree" in response.content.decode()
    visit.refresh_from_db()
    assert visit.visited_on is None


def test_fewer_than_two_staff_is_a_field_error_and_nothing_is_written(world):
    visit = _request_visit(world)
    _agree(world, visit, "slt_class", "slt")
    _agree(world, visit, "dsl", "dsl")
    response = _record(world, visit, "dsl", ["dsl"])
    assert response.status_code == 200
    assert response.context["record_form"].errors["staff"] == [
        "At least 2 members of staff must attend a home visit."
    ]
    visit.refresh_from_db()
    assert visit.visited_on is None
    assert visit.staff.count() == 0


def test_recording_the_visit_resolves_family_not_responding_and_offers_a_concern(world):
    case = open_case_for(world)
    flag = Flag.objects.create(
        case=case, kind=FlagKind.FAMILY_NOT_RESPONDING, period=case.start_date
    )
    other = Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=case.start_date)
    visit = _request_visit(world, persona="dsl")
    _agree(world, visit, "headteacher", "slt")
    _agree(world, visit, "dsl", "dsl")
    assert _record(world, visit, "dsl", ["dsl", "headteacher"]).status_code == 302
    visit.refresh_from_db()
    assert visit.visited_on == today()
    assert set(visit.staff.all()) == {world.users["dsl"], world.users["headteacher"]}
    assert visit.outcome_recorded_by == world.users["dsl"]
    flag.refresh_from_db()
    other.refresh_from_db()
    assert flag.resolved_at is not None and flag.resolved_by == world.users["dsl"]
    assert other.resolved_at is None
    page = client_for(world.users["dsl"]).get(reverse("safeguarding:visit_record", args=[visit.pk]))
    assert f'href="/safeguarding/concerns/new/?pupil={world.pupil.pk}"' in page.content.decode()


def test_teachers_who_read_the_case_may_not_request_a_visit(world):
    case = open_case_for(world)
    response = client_for(world.users["teacher"]).post(
        reverse("safeguarding:visit_request", args=[case.pk]), {"visit-reason": "x"}
    )
    assert response.status_code == 403
    assert not HomeVisit.objects.exists()


def test_slt_and_the_dsl_agreements_come_from_two_different_people(world):
    """Someone who is both SLT and DSL gives one agreement; the other needs someone else."""
    both = world.users["dsl"]
    MembershipFactory(user=both, school=world.school, role=Role.SLT, site=world.north)
    visit = _request_visit(world)
    assert _agree(world, visit, "dsl", "slt").status_code == 302
    visit.refresh_from_db()
    assert visit.slt_agreed_by == both

    with pytest.raises(ValidationError) as refused:
        visit_agree(actor=Actor.for_user(both), visit=visit, which=Agreement.DSL)
    assert refused.value.message_dict["which"] == [
        "You gave SLT's agreement to this visit: the DSL's agreement must come from someone "
        "else in the DSL team."
    ]
    response = _agree(world, visit, "dsl", "dsl")
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.dsl_agreed_at is None and visit.dsl_agreed_by is None
    page = client_for(both).get(reverse("safeguarding:visit_record", args=[visit.pk]))
    assert "Agree as DSL" not in page.content.decode()
    assert "from someone else in the DSL team" in page.content.decode()

    deputy = UserFactory(full_name="North Deputy")
    MembershipFactory(user=deputy, school=world.school, role=Role.DEPUTY_DSL, site=world.north)
    visit_agree(actor=Actor.for_user(deputy), visit=visit, which=Agreement.DSL)
    visit.refresh_from_db()
    assert visit.dsl_agreed_by == deputy


def test_the_dsl_who_agreed_first_cannot_then_give_slts_agreement(world):
    both = world.users["dsl"]
    MembershipFactory(user=both, school=world.school, role=Role.SLT, site=world.north)
    visit = _request_visit(world)
    visit_agree(actor=Actor.for_user(both), visit=visit, which=Agreement.DSL)
    with pytest.raises(ValidationError) as refused:
        visit_agree(actor=Actor.for_user(both), visit=visit, which=Agreement.SLT)
    assert "SLT's agreement must come from someone else" in refused.value.message_dict["which"][0]
    visit.refresh_from_db()
    assert visit.slt_agreed_at is None


def _agreed_visit(world) -> HomeVisit:
    visit = _request_visit(world)
    _agree(world, visit, "slt_class", "slt")
    _agree(world, visit, "dsl", "dsl")
    return visit


def test_the_visit_staff_list_offers_only_pupil_facing_staff_of_the_pupils_site(world):
    """Same rule as a session's staff present: not the DPO, not governors, not another site."""
    visit = _agreed_visit(world)
    page = client_for(world.users["dsl"]).get(reverse("safeguarding:visit_record", args=[visit.pk]))
    offered = set(page.context["record_form"].fields["staff"].queryset)
    assert {world.users[name] for name in ("dsl", "headteacher", "teacher", "slt_class")} <= offered
    for name in ("dpo", "governor", "chair", "slt_other_site", "deputy_dsl_other_site"):
        assert world.users[name] not in offered, name


def test_the_dpo_is_refused_as_visit_staff_at_the_field(world):
    visit = _agreed_visit(world)
    response = _record(world, visit, "dsl", ["dsl", "dpo"])
    assert response.status_code == 200
    assert response.context["record_form"].errors["staff"]
    visit.refresh_from_db()
    assert visit.visited_on is None


def test_the_service_refuses_staff_who_do_not_work_with_the_pupil_at_the_field(world):
    visit = _agreed_visit(world)
    with pytest.raises(ValidationError) as refused:
        visit_record(
            actor=Actor.for_user(world.users["dsl"]),
            visit=visit,
            visited_on=today(),
            staff=[world.users["dsl"], world.users["dpo"], world.users["slt_other_site"]],
            outcome="Family at home.",
        )
    message = refused.value.message_dict["staff"][0]
    assert "Dpo" in message and "Slt Other Site" in message
    visit.refresh_from_db()
    assert visit.visited_on is None and visit.staff.count() == 0
