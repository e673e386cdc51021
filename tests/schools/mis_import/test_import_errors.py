"""MIS import: every kind of bad input is refused with its line, column and reason, and
nothing is written."""

import pytest

from schools.mis_import.planning import mis_import_plan
from schools.models import MisImportKind, Pupil, SchoolClass
from tests.factories import SchoolClassFactory, SchoolFactory, SiteFactory

PUPILS_HEADER = "UPN,Legal first name,Legal last name,Date of birth,Class,Site,EHC plan\n"
STAFF_HEADER = "Email,Full name,Role,Site,Class\n"


@pytest.fixture
def school(db):
    school = SchoolFactory()
    SchoolClassFactory(site=SiteFactory(school=school, name="North"), name="Ash")
    return school


def errors(school, kind: str, data: bytes | str) -> list[tuple[int | None, str, str]]:
    if isinstance(data, str):
        data = data.encode()
    plan = mis_import_plan(school=school, kind=kind, data=data)
    return [(e.line, e.column, e.reason) for e in plan.errors]


def test_a_missing_column_is_named(school):
    assert errors(school, MisImportKind.CLASSES, "Site,Class,Pathway\nNorth,Oak,\n") == [
        (1, "Phase", 'missing column "Phase"')
    ]


def test_a_bad_date_is_named_with_its_value(school):
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,31/02/2015,Ash,North,Y\n"
    assert errors(school, MisImportKind.PUPILS, data) == [
        (2, "Date of birth", 'bad date "31/02/2015" in column "Date of birth": use DD/MM/YYYY')
    ]


def test_a_date_of_birth_in_the_future_is_refused(school):
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2999,Ash,North,Y\n"
    assert errors(school, MisImportKind.PUPILS, data) == [
        (2, "Date of birth", "The date of birth cannot be in the future.")
    ]


def test_an_unknown_class_is_named_with_its_site(school):
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2015,Oak,North,Y\n"
    assert errors(school, MisImportKind.PUPILS, data) == [
        (2, "Class", 'unknown class "Oak" at site "North"')
    ]


def test_a_class_of_another_school_is_unknown(school):
    SchoolClassFactory(site__name="North", name="Oak")
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2015,Oak,North,Y\n"
    assert errors(school, MisImportKind.PUPILS, data)[0][2] == 'unknown class "Oak" at site "North"'


def test_a_duplicate_upn_names_the_other_line(school):
    data = (
        PUPILS_HEADER
        + "A00000000001B,Ana,Example,01/01/2015,Ash,North,Y\n"
        + "A00000000002B,Bo,Example,01/01/2015,Ash,North,Y\n"
        + "a00000000001b,Cy,Example,01/01/2015,Ash,North,Y\n"
    )
    assert errors(school, MisImportKind.PUPILS, data) == [
        (4, "UPN", "duplicate UPN, also on line 2")
    ]


def test_a_malformed_upn_is_refused(school):
    data = PUPILS_HEADER + "12345,Ana,Example,01/01/2015,Ash,North,Y\n"
    [(line, column, reason)] = errors(school, MisImportKind.PUPILS, data)
    assert (line, column) == (2, "UPN")
    assert "13 characters" in reason


def test_a_pupil_needs_an_ehc_plan_or_a_social_worker(school):
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2015,Ash,North,N\n"
    [(line, column, reason)] = errors(school, MisImportKind.PUPILS, data)
    assert (line, column) == (2, "EHC plan")
    assert "EHC plan or a social worker" in reason


def test_a_social_worker_is_enough_without_an_ehc_plan(school):
    data = (
        "UPN,Legal first name,Legal last name,Date of birth,Class,Site,EHC plan,"
        "Social worker name\nA00000000001B,Ana,Example,01/01/2015,Ash,North,,Jo Caseworker\n"
    )
    assert errors(school, MisImportKind.PUPILS, data) == []


def test_a_flag_that_is_not_y_or_n_is_refused(school):
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2015,Ash,North,maybe\n"
    assert errors(school, MisImportKind.PUPILS, data) == [
        (2, "EHC plan", '"maybe" in column "EHC plan" is not Y or N')
    ]


def test_a_latin_1_file_is_the_wrong_encoding_and_the_line_is_named(school):
    data = (PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2015,Ash,North,Y\n").encode()
    data += "A00000000002B,Zoé,Example,01/01/2015,Ash,North,Y\n".encode("latin-1")
    [(line, _column, reason)] = errors(school, MisImportKind.PUPILS, data)
    assert line == 3
    assert reason.startswith("wrong encoding: line 3 is not UTF-8")


def test_a_pound_sign_in_a_windows_file_is_the_wrong_encoding(school):
    data = "Site,Class,Pathway,Phase\nNorth,£ class,,Primary\n".encode("cp1252")
    assert errors(school, MisImportKind.CLASSES, data)[0][0] == 2


def test_utf8_with_a_byte_order_mark_is_read(school):
    data = "\ufeffSite,Class,Pathway,Phase\nNorth,Zoë's class,,Primary\n".encode()
    assert errors(school, MisImportKind.CLASSES, data) == []


def test_a_file_too_large_is_refused_before_reading_rows(school, settings):
    settings.MIS_IMPORT_MAX_BYTES = 40
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,01/01/2015,Ash,North,Y\n"
    [(line, _column, reason)] = errors(school, MisImportKind.PUPILS, data)
    assert line is None
    assert reason.startswith("file too large")


def test_too_many_rows_are_refused(school, settings):
    settings.MIS_IMPORT_MAX_ROWS = 1
    data = "Site,Class,Phase\nNorth,Oak,Primary\nNorth,Elm,Primary\n"
    assert errors(school, MisImportKind.CLASSES, data) == [
        (None, "", "too many rows: 2; the limit is 1")
    ]


def test_an_unknown_role_is_refused(school):
    data = STAFF_HEADER + "wiz@school.example,Wiz Ard,Wizard,,\n"
    assert errors(school, MisImportKind.STAFF, data) == [(2, "Role", 'unknown role "Wizard"')]


def test_an_invalid_email_is_refused(school):
    data = STAFF_HEADER + "not-an-email,Ana Example,Teacher,North,Ash\n"
    assert errors(school, MisImportKind.STAFF, data) == [
        (2, "Email", 'invalid email "not-an-email" in column "Email"')
    ]


def test_staff_class_needs_its_site_and_sites_must_exist(school):
    data = (
        STAFF_HEADER
        + "a@school.example,Ana Example,Teacher,,Ash\n"
        + "b@school.example,Bo Example,DSL,South,\n"
        + "c@school.example,Cy Example,Teacher,North,Oak\n"
    )
    assert errors(school, MisImportKind.STAFF, data) == [
        (2, "Site", 'give the site of class "Ash"'),
        (3, "Site", 'unknown site "South"'),
        (4, "Class", 'unknown class "Oak" at site "North"'),
    ]


def test_one_email_with_two_names_is_refused(school):
    data = (
        STAFF_HEADER
        + "a@school.example,Ana Example,Teacher,North,Ash\n"
        + "A@school.example,Anna Other,DSL,North,\n"
    )
    assert errors(school, MisImportKind.STAFF, data) == [
        (3, "Full name", "a different name for this email is on line 2")
    ]


def test_a_duplicate_class_is_refused(school):
    data = "Site,Class,Phase\nNorth,Oak,Primary\nnorth,OAK,Secondary\n"
    assert errors(school, MisImportKind.CLASSES, data) == [
        (3, "Class", 'duplicate class "OAK" at site "north", also on line 2')
    ]


def test_an_unknown_phase_is_refused(school):
    data = "Site,Class,Phase\nNorth,Oak,Nursery\n"
    assert errors(school, MisImportKind.CLASSES, data) == [(2, "Phase", 'unknown phase "Nursery"')]


def test_a_carer_of_an_unknown_pupil_is_refused(school):
    data = "Pupil UPN,Carer name,Relationship\nA00000000001B,Kim Example,Mum\n"
    assert errors(school, MisImportKind.CARERS, data) == [
        (2, "Pupil UPN", "no pupil with this UPN at the school: import pupils first")
    ]


def test_carer_values_are_checked(school):
    Pupil.objects.create(
        school=school,
        school_class=SchoolClass.objects.get(name="Ash"),
        upn="A00000000001B",
        first_name="Ana",
        last_name="Example",
        date_of_birth="2015-01-01",
        has_ehc_plan=True,
    )
    data = (
        "Pupil UPN,Carer name,Relationship,Email,Preferred channel,Priority\n"
        "A00000000001B,Kim Example,Aunt,kim@,Pigeon,first\n"
    )
    assert errors(school, MisImportKind.CARERS, data) == [
        (2, "Email", 'invalid email "kim@" in column "Email"'),
        (2, "Preferred channel", 'unknown preferred channel "Pigeon"'),
        (2, "Priority", '"first" in column "Priority" is not a number from 1 to 99'),
    ]


def test_an_empty_required_value_is_named(school):
    data = "Site,Class,Phase\nNorth,,Primary\n"
    assert errors(school, MisImportKind.CLASSES, data) == [(2, "Class", 'column "Class" is empty')]


def test_an_empty_file_is_refused(school):
    assert errors(school, MisImportKind.CLASSES, b"") == [(1, "", "the file is empty")]


def test_a_row_with_extra_values_is_refused(school):
    data = "Site,Class,Phase\nNorth,Oak,Primary,Ash\n"
    assert errors(school, MisImportKind.CLASSES, data)[0][:2] == (2, "")


def test_a_quoted_value_over_two_lines_keeps_later_line_numbers_right(school):
    data = 'Site,Class,Pathway,Phase\nNorth,Oak,"Sensory\nand more",Primary\nNorth,Elm,,Nursery\n'
    assert errors(school, MisImportKind.CLASSES, data) == [(4, "Phase", 'unknown phase "Nursery"')]


def test_every_problem_of_a_row_is_reported_together(school):
    data = PUPILS_HEADER + "A00000000001B,Ana,Example,31/02/2015,Oak,North,N\n"
    assert [(line, column) for line, column, _ in errors(school, MisImportKind.PUPILS, data)] == [
        (2, "Date of birth"),
        (2, "Class"),
        (2, "EHC plan"),
    ]
