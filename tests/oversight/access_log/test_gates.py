"""The access log's gate."""

from oversight.access_log.permissions import access_access_log
from tests.gate_checks import actor, refused


def test_the_dpo_and_headteacher_read_the_log(world):
    access_access_log(actor(world, "dpo"))
    access_access_log(actor(world, "headteacher"))
    assert refused(404, access_access_log, actor(world, "slt_class")).detail == "access log"
