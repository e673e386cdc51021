"""The retention queue's gates."""

from dpo.permissions import access_retention_item, access_retention_queue
from tests.dpo.factories import retention_item_for
from tests.gate_checks import actor, refused


def test_the_dpo_decides_and_the_headteacher_reads(world):
    item = retention_item_for(world)
    access_retention_queue(actor(world, "headteacher"))
    assert access_retention_item(actor(world, "dpo"), item.pk, to="act") == item
    assert access_retention_item(actor(world, "headteacher"), item.pk) == item
    denial = refused(403, access_retention_item, actor(world, "headteacher"), item.pk, to="act")
    assert (denial.detail, denial.pupil_id) == ("only the DPO decides retention", item.pupil_id)
    refused(404, access_retention_item, actor(world, "teacher"), item.pk)
    refused(404, access_retention_queue, actor(world, "teacher"))
