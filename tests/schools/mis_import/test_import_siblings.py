"""MIS import: a carer of several pupils is one person, linked to each child."""

import pytest

from schools.mis_import.planning import mis_import_plan
from schools.mis_import.runs import mis_import_start
from schools.models import Carer, CarerLink, MisImportKind, MisImportStatus
from tests.factories import PupilFactory, SchoolClassFactory, SchoolFactory, SiteFactory

HEADER = "Pupil UPN,Carer name,Relationship,Phone,Email,Priority\n"
ANA, BEN, CAL = "A00000000001B", "A00000000002B", "A00000000003B"


@pytest.fixture
def school(db):
    school = SchoolFactory()
    ash = SchoolClassFactory(site=SiteFactory(school=school, name="North"), name="Ash")
    for upn, first in ((ANA, "Ana"), (BEN, "Ben"), (CAL, "Cal")):
        PupilFactory(school_class=ash, upn=upn, first_name=first, last_name="Example")
    return school


def run(school, data: str):
    return mis_import_start(
        school=school,
        kind=MisImportKind.CARERS,
        data=data.encode(),
        dry_run=False,
        user=None,
        background=False,
    )


def links(school) -> list[tuple[str, str, str, int]]:
    return sorted(
        CarerLink.objects.filter(pupil__school=school).values_list(
            "pupil__upn", "carer__full_name", "relationship", "priority"
        )
    )


def test_siblings_with_the_same_carer_name_and_email_share_one_carer_record(school):
    result = run(
        school,
        HEADER + f"{ANA},Kim Example,Mum,07700 900001,kim@family.example,1\n"
        f"{BEN},Kim Example,Stepmother,,KIM@family.example,2\n",
    )

    assert result.status == MisImportStatus.APPLIED, result.report["errors"]
    (kim,) = Carer.objects.filter(school=school)
    assert kim.email == "kim@family.example"
    assert links(school) == [
        (ANA, "Kim Example", "mother", 1),
        (BEN, "Kim Example", "step_parent", 2),
    ]
    assert result.report["counts"]["carer"]["created"] == 1
    assert result.report["counts"]["carer link"]["created"] == 2


def test_the_same_name_and_phone_links_to_a_carer_recorded_by_an_earlier_import(school):
    assert run(school, HEADER + f"{ANA},Kim Example,Mum,07700 900001,,1\n").status == (
        MisImportStatus.APPLIED
    )

    result = run(school, HEADER + f"{ANA},Kim Example,Mum,07700 900001,,1\n"
                 f"{CAL},Kim Example,Mum,07700900001,,1\n")  # fmt: skip

    assert result.status == MisImportStatus.APPLIED, result.report["errors"]
    assert Carer.objects.filter(school=school).count() == 1
    assert [upn for upn, *_ in links(school)] == [ANA, CAL]
    assert result.report["counts"]["carer"] == {
        "created": 0, "updated": 0, "unchanged": 1, "not_in_file": 0
    }  # fmt: skip


def test_the_same_name_with_neither_email_nor_phone_in_common_is_two_people(school):
    result = run(
        school,
        HEADER + f"{ANA},Sam Example,Dad,07700 900001,,1\n{BEN},Sam Example,Dad,07700 900002,,1\n",
    )

    assert result.status == MisImportStatus.APPLIED
    assert Carer.objects.filter(school=school).count() == 2


def test_a_carer_of_another_school_is_never_linked(school):
    other = SchoolFactory()
    their_pupil = PupilFactory(school_class=SchoolClassFactory(site=SiteFactory(school=other)))
    assert run(other, HEADER + f"{their_pupil.upn},Kim Example,Mum,07700 900001,,1\n").status == (
        MisImportStatus.APPLIED
    )

    assert run(school, HEADER + f"{ANA},Kim Example,Mum,07700 900001,,1\n").status == (
        MisImportStatus.APPLIED
    )

    assert Carer.objects.filter(school=school).count() == 1
    assert Carer.objects.filter(school=other).count() == 1
    for link in CarerLink.objects.select_related("pupil", "carer"):
        assert link.pupil.school_id == link.carer.school_id


def test_one_carer_with_different_details_on_two_rows_is_refused_at_the_column(school):
    data = (
        "Pupil UPN,Carer name,Relationship,Phone,Email,Address\n"
        f"{ANA},Kim Example,Mum,07700 900001,kim@family.example,1 Hill Row\n"
        f"{BEN},Kim Example,Mum,07700 900001,kim@family.example,9 Dale End\n"
    )
    plan = mis_import_plan(school=school, kind=MisImportKind.CARERS, data=data.encode())

    assert [(e.line, e.column) for e in plan.errors] == [(3, "Address")]
    assert "differs from line 2 for the same carer" in plan.errors[0].reason
    result = run(school, data)
    assert result.status != MisImportStatus.APPLIED
    assert not Carer.objects.filter(school=school).exists()
