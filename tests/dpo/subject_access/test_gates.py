"""The subject access gates: the DPO of the pupil's school, and no one else."""

from dpo.subject_access.permissions import (
    access_subject_access,
    access_subject_access_pupil,
    access_subject_access_request,
)
from dpo.subject_access.services import subject_access_request_log
from schools.calendar import today
from tests.factories import PupilFactory
from tests.gate_checks import actor, refused


def test_the_dpo_exports_their_schools_pupils(world):
    access_subject_access(actor(world, "dpo"))
    assert access_subject_access_pupil(actor(world, "dpo"), world.pupil.pk) == world.pupil
    elsewhere = PupilFactory()  # at another school
    denial = refused(404, access_subject_access_pupil, actor(world, "dpo"), elsewhere.pk)
    assert denial.detail == "subject access: pupil not at this person's school"
    assert denial.pupil_id == elsewhere.pk
    head = refused(404, access_subject_access_pupil, actor(world, "headteacher"), world.pupil.pk)
    assert head.detail == "subject access: not the DPO"
    refused(404, access_subject_access, actor(world, "headteacher"))


def test_a_logged_request_is_the_dpos_alone(world):
    sar = subject_access_request_log(
        actor=actor(world, "dpo"), pupil=world.pupil, requested_by="A carer", received_on=today()
    )
    assert access_subject_access_request(actor(world, "dpo"), sar.pk) == sar
    denial = refused(404, access_subject_access_request, actor(world, "headteacher"), sar.pk)
    assert denial.detail == "subject access: not the DPO"
    missing = refused(404, access_subject_access_request, actor(world, "dpo"), 999999)
    assert (missing.subject_type, missing.subject_id) == ("dpo.subjectaccessrequest", "999999")
