"""For SEND and mental-health reasons the proposal asks whether a health professional (for
example CAMHS) should agree, and records the answer: required for that reason, and when yes,
the medical professional is one of the parties who must agree."""

from cases.models import Case, Party, Reason
from cases.services import required_parties
from tests.cases.test_case_journey import propose
from tests.conftest import client_for

FIELD = "health_professional_should_agree"


def _propose(world, **changes):
    return propose(
        client_for(world.users["teacher"]),
        world.pupil,
        reason=Reason.SEND_OR_MENTAL_HEALTH,
        **changes,
    )


def test_the_answer_is_required_for_send_and_mental_health_at_the_field(world, clock):
    response = _propose(world)
    assert response.status_code == 200
    assert response.context["form"].errors[FIELD] == [
        "Say whether a health professional, for example CAMHS, should agree."
    ]
    assert not Case.objects.exists()


def test_yes_makes_the_medical_professional_a_party_who_must_agree(world, clock):
    assert _propose(world, **{FIELD: "yes"}).status_code == 302
    case = Case.objects.get()
    assert case.health_professional_should_agree is True
    assert Party.MEDICAL in required_parties(case)
    page = client_for(world.users["teacher"]).get(case.get_absolute_url()).content.decode()
    assert "Health professional should agree" in page
    assert "Yes (for example CAMHS)" in page
    assert "A relevant medical professional" in page.split("Agreement still needed from", 1)[1]


def test_no_is_recorded_and_no_medical_agreement_is_needed(world, clock):
    assert _propose(world, **{FIELD: "no"}).status_code == 302
    case = Case.objects.get()
    assert case.health_professional_should_agree is False
    assert Party.MEDICAL not in required_parties(case)
    page = client_for(world.users["teacher"]).get(case.get_absolute_url()).content.decode()
    assert "Health professional should agree" in page


def test_other_reasons_are_not_asked(world, clock):
    response = propose(client_for(world.users["teacher"]), world.pupil, **{FIELD: "yes"})
    assert response.status_code == 302
    assert Case.objects.get().health_professional_should_agree is None
