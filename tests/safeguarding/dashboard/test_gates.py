"""The gates of the DSL dashboard, a case's safeguarding page and home visits."""

from safeguarding.dashboard.permissions import (
    access_dashboard,
    access_involvement,
    access_safeguarding_case,
    access_visit,
    access_visit_agreement,
    access_visit_case,
)
from safeguarding.visits.services import Agreement
from tests.cases.matrix import open_case_for
from tests.gate_checks import actor, refused
from tests.safeguarding.dashboard.matrix import involvement_for, visit_for


def test_the_dashboard_is_for_the_dsl_team_and_headteachers(world):
    access_dashboard(actor(world, "deputy_dsl_other_site"))
    row = refused(404, lambda: access_dashboard(actor(world, "teacher")))
    assert (row.subject_type, row.detail) == (
        "safeguarding.concern",
        "safeguarding dashboard refused",
    )


def test_the_dsl_gets_the_case_safeguarding_page(world):
    case = open_case_for(world)
    assert access_safeguarding_case(actor(world, "dsl"), case.pk) == case


def test_a_teacher_who_reads_the_case_gets_a_403_with_one_denied_row(world):
    case = open_case_for(world)
    row = refused(403, lambda: access_safeguarding_case(actor(world, "teacher"), case.pk))
    assert row.detail == "may see this case but not act on its safeguarding"
    assert row.pupil_id == world.pupil.pk


def test_a_hidden_case_is_a_404_with_one_denied_row(world):
    case = open_case_for(world)
    row = refused(404, lambda: access_safeguarding_case(actor(world, "other_teacher"), case.pk))
    assert row.detail == "case not visible to this person"
    refused(404, lambda: access_visit_case(actor(world, "dsl"), 999_999))


def test_slt_ask_for_a_visit_but_not_for_the_safeguarding_page(world):
    case = open_case_for(world)
    assert access_visit_case(actor(world, "slt_class"), case.pk) == case
    refused(403, lambda: access_safeguarding_case(actor(world, "slt_class"), case.pk))


def test_an_involvement_comes_with_its_case(world):
    involvement = involvement_for(world)
    assert access_involvement(actor(world, "dsl"), involvement.pk) == (
        involvement,
        involvement.case,
    )
    row = refused(404, lambda: access_involvement(actor(world, "dsl"), 999_999))
    assert row.detail == "no such involvement"
    refused(403, lambda: access_involvement(actor(world, "class_staff"), involvement.pk))


def test_a_visit_says_whose_agreement_the_person_may_give(world):
    visit = visit_for(world)
    slt = access_visit(actor(world, "slt_class"), visit.pk)
    assert slt.visit == visit
    assert slt.may_agree(Agreement.SLT) and not slt.may_agree(Agreement.DSL)
    assert not slt.may_see_case_page
    assert access_visit(actor(world, "dsl"), visit.pk).may_see_case_page


def test_a_visit_is_hidden_or_forbidden_with_one_denied_row(world):
    visit = visit_for(world)
    assert (
        refused(404, lambda: access_visit(actor(world, "dsl"), 999_999)).detail == "no such visit"
    )
    refused(404, lambda: access_visit(actor(world, "other_teacher"), visit.pk))
    refused(403, lambda: access_visit(actor(world, "teacher"), visit.pk))


def test_the_dsl_may_not_give_slts_agreement(world):
    visit = visit_for(world)
    dsl = actor(world, "dsl")
    access = access_visit(dsl, visit.pk)
    access_visit_agreement(dsl, access, Agreement.DSL)
    row = refused(403, lambda: access_visit_agreement(dsl, access, Agreement.SLT))
    assert row.detail == "may not give the slt agreement"
