"""The settings area's gates: each predicate agrees with its set of schools, allowed returns
the school, hidden is a 404 and read-only a 403, each refusal with exactly one DENIED row."""

from setup.settings_area.permissions import (
    access_school_settings,
    access_settings_area,
    can_change_settings_of,
    can_read_school_settings,
    can_read_settings_of,
    schools_with_readable_settings,
)
from tests.gate_checks import actor, refused
from tests.world import PERSONAS

READS = {"headteacher", "administrator", "slt_class", "slt_other_site"}
CHANGES = {"headteacher", "administrator"}


def test_who_reads_and_who_changes_the_schools_settings(world):
    for persona in PERSONAS:
        user = world.users[persona]
        assert can_read_settings_of(user, world.school) is (persona in READS), persona
        assert can_change_settings_of(user, world.school) is (persona in CHANGES), persona
        readable = set(schools_with_readable_settings(user))
        # The predicate and the set of schools agree.
        assert (world.school in readable) is can_read_settings_of(user, world.school), persona
        assert can_read_school_settings(user) is bool(readable), persona


def test_the_gate_returns_the_school_to_readers_and_refuses_the_rest(world):
    pk = world.school.pk
    assert access_school_settings(actor(world, "slt_class"), pk) == world.school
    assert access_school_settings(actor(world, "administrator"), pk, to="act") == world.school
    denial = refused(404, access_school_settings, actor(world, "other_school_head"), pk)
    assert denial.detail == "school settings: school not visible to this person"
    assert (denial.subject_type, denial.subject_id) == ("schools.school", str(pk))
    denial = refused(403, access_school_settings, actor(world, "slt_other_site"), pk, to="act")
    assert denial.detail == "school settings: may not change settings"
    refused(404, access_school_settings, actor(world, "headteacher"), pk + 1000)


def test_the_settings_area_exists_only_for_those_who_read_some_schools_settings(world):
    assert access_settings_area(actor(world, "other_school_head")) is None
    denial = refused(404, access_settings_area, actor(world, "dpo"))
    assert denial.detail == "school settings: not SLT, headteacher or administrator"
