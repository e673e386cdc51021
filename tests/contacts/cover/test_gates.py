"""The cover and directory gates: allowed returns the record, hidden is a 404 and read-only a
403, each refusal with exactly one DENIED row."""

import datetime as dt

from contacts.cover.permissions import (
    access_absence,
    access_absence_case,
    access_absence_list,
    access_absence_report,
    access_cover_list,
    access_directory,
    access_directory_entry,
)
from core.actor import Actor
from schools.calendar import today
from tests.cases.matrix import open_case_for
from tests.contacts.cover.test_cover import make_absence
from tests.contacts.cover.test_directory import entry
from tests.gate_checks import refused


def _as(world, persona: str) -> Actor:
    return Actor.for_user(world.users[persona])


def _absence(world):
    return make_absence(world, first=today(), last=today() + dt.timedelta(days=4))


def test_the_absence_and_cover_pages_let_the_right_roles_through(world):
    assert access_absence_report(_as(world, "teacher")) is None
    assert access_absence_list(_as(world, "slt_class")) is None
    assert access_cover_list(_as(world, "headteacher")) is None
    assert refused(404, access_absence_report, _as(world, "dsl")).detail == (
        "absence report: no teaching or leadership role"
    )
    assert refused(404, access_absence_list, _as(world, "teacher")).detail == (
        "absence list: not SLT or headteacher"
    )
    assert refused(404, access_cover_list, _as(world, "teacher")).detail == (
        "cover list: not SLT or headteacher"
    )


def test_cover_for_an_absence_is_arranged_by_the_schools_leaders(world):
    absence = _absence(world)
    assert access_absence(_as(world, "headteacher"), absence.pk) == absence
    denial = refused(404, access_absence, _as(world, "other_teacher"), absence.pk)
    assert denial.detail == "cover: absence not visible to this person"
    denial = refused(403, access_absence, _as(world, "teacher"), absence.pk)
    assert denial.detail == "cover: may not arrange cover"


def test_one_case_of_an_absence_is_given_by_a_leader_who_works_on_it(world):
    absence, case = _absence(world), open_case_for(world)
    assert access_absence_case(_as(world, "headteacher"), absence.pk, case.pk) == (absence, case)
    denial = refused(404, access_absence_case, _as(world, "slt_other_site"), absence.pk, case.pk)
    assert denial.detail == "cover: absence or case not visible to this person"
    assert denial.pupil_id == world.pupil.pk
    denial = refused(403, access_absence_case, _as(world, "teacher"), absence.pk, case.pk)
    assert denial.detail == "cover: may not arrange cover"
    other = open_case_for(world, world.other_pupil)
    denial = refused(404, access_absence_case, _as(world, "headteacher"), absence.pk, other.pk)
    assert denial.detail == "cover: case not in this absence's cover"


def test_the_directory_is_read_by_staff_and_kept_by_leaders(world):
    assert access_directory(_as(world, "teacher")) is None
    assert access_directory(_as(world, "headteacher"), to="act", what="directory edit") is None
    assert refused(404, access_directory, _as(world, "governor")).detail == (
        "directory: not on the staff of a school"
    )
    denial = refused(403, access_directory, _as(world, "teacher"), to="act", what="directory edit")
    assert denial.detail == "directory edit: not SLT or headteacher"


def test_a_directory_entry_is_changed_by_leaders_of_its_school(world):
    kept = entry(world)
    assert access_directory_entry(_as(world, "headteacher"), kept.pk) == kept
    denial = refused(404, access_directory_entry, _as(world, "governor"), kept.pk)
    assert denial.detail == "directory entry edit: entry not visible to this person"
    denial = refused(
        403, access_directory_entry, _as(world, "teacher"), kept.pk, what="directory entry remove"
    )
    assert denial.detail == "directory entry remove: not SLT or headteacher"
