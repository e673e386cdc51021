"""The demo school has one closed breach decided not reportable and one open breach, and
loading it again adds nothing."""

from unittest import mock

from core.tasks import send_outbox
from dpo.demo import breaches_demo_load
from dpo.models import Breach, BreachDecision
from schools.demo import demo_load


def test_the_demo_breaches_load_once(db):
    with mock.patch.object(send_outbox, "apply_async"):
        school = demo_load()
        breaches_demo_load(school)
        breaches_demo_load(school)
    closed, still_open = Breach.objects.order_by("discovered_at")
    assert (closed.decision, closed.closed_at is not None) == (BreachDecision.NOT_REPORTABLE, True)
    assert [step.kind for step in closed.steps.all()] == [
        "assessment",
        "decision",
        "subjects_told",
        "closure",
    ]
    assert (still_open.decision, still_open.closed_at) == ("", None)
    assert Breach.objects.count() == 2
