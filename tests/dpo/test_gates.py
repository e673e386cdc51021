"""The breach register's gates."""

from dpo.permissions import access_breach, access_breach_register
from tests.dpo.factories import breach_for
from tests.gate_checks import actor, refused


def test_anyone_at_a_school_may_use_the_register(world):
    access_breach_register(actor(world, "teacher"))
    denial = refused(404, access_breach_register, actor(world, "no_role"))
    assert (denial.subject_type, denial.detail) == ("dpo.breach", "no membership at any school")


def test_the_dpo_acts_on_a_breach_that_the_reporter_and_head_may_only_read(world):
    breach = breach_for(world, reporter="it_staff")
    assert access_breach(actor(world, "dpo"), breach.pk, to="act") == breach
    assert access_breach(actor(world, "it_staff"), breach.pk) == breach
    denial = refused(403, access_breach, actor(world, "headteacher"), breach.pk, to="act")
    assert denial.detail == "only the DPO acts on a breach"
    refused(403, access_breach, actor(world, "it_staff"), breach.pk, to="act")
    hidden = refused(404, access_breach, actor(world, "teacher"), breach.pk)
    assert hidden.detail == "breach not visible to this person"
    refused(404, access_breach, actor(world, "dpo"), 999999)
