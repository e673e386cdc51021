"""MIS import: the samples, idempotency, updates, dry runs and the all-or-nothing rule."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from dataprotection.models import AccessAction, AccessEvent
from schools.mis_import.planning import mis_import_plan
from schools.mis_import.runs import mis_import_start
from schools.models import (
    Carer,
    CarerLink,
    Membership,
    MisImportKind,
    MisImportStatus,
    Pathway,
    Pupil,
    Role,
    SchoolClass,
    Site,
)
from tests.factories import PupilFactory, SchoolFactory, UserFactory

SAMPLES = Path(settings.BASE_DIR) / "samples" / "mis"
ORDER = ("classes", "staff", "pupils", "carers")


def sample(kind: str) -> bytes:
    return (SAMPLES / f"{kind}.csv").read_bytes()


def run(school, kind: str, data: bytes, *, dry_run: bool = False, user=None):
    return mis_import_start(
        school=school, kind=kind, data=data, dry_run=dry_run, user=user, background=False
    )


def snapshot(school) -> dict[str, list[tuple]]:
    """Every imported field of every imported record, for before/after comparisons."""
    return {
        "sites": list(Site.objects.filter(school=school).values_list().order_by("pk")),
        "pathways": list(Pathway.objects.filter(school=school).values_list().order_by("pk")),
        "classes": list(
            SchoolClass.objects.filter(site__school=school).values_list().order_by("pk")
        ),
        "pupils": list(Pupil.objects.filter(school=school).values_list().order_by("pk")),
        "carers": list(Carer.objects.filter(school=school).values_list().order_by("pk")),
        "carer links": list(
            CarerLink.objects.filter(pupil__school=school).values_list().order_by("pk")
        ),
        "memberships": list(Membership.objects.filter(school=school).values_list().order_by("pk")),
        "users": list(
            User.objects.filter(memberships__school=school)
            .distinct()
            .values_list("pk", "email", "full_name", "password")
            .order_by("pk")
        ),
    }


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def imported(school):
    """A school with every sample imported once, in the documented order."""
    for kind in ORDER:
        assert run(school, kind, sample(kind)).status == MisImportStatus.APPLIED, kind
    return school


def header_and(kind: str, *rows: str) -> bytes:
    """The sample's header with these rows under it."""
    header = sample(kind).decode().splitlines()[0]
    return "\n".join([header, *rows]).encode() + b"\n"


class TestSamples:
    def test_samples_import_cleanly_into_a_fresh_school(self, imported):
        assert Site.objects.filter(school=imported).count() == 2
        assert SchoolClass.objects.filter(site__school=imported).count() == 8
        assert Pathway.objects.filter(school=imported).count() == 3
        assert Pupil.objects.filter(school=imported).count() == 10
        assert Carer.objects.filter(school=imported).count() == 12
        assert CarerLink.objects.filter(pupil__school=imported).count() == 12
        assert Membership.objects.filter(school=imported).count() == 10
        assert User.objects.filter(memberships__school=imported).distinct().count() == 9

    @pytest.mark.parametrize("kind", ORDER)
    def test_importing_a_sample_again_changes_nothing(self, imported, kind):
        before = snapshot(imported)

        again = run(imported, kind, sample(kind))

        assert again.status == MisImportStatus.APPLIED
        assert snapshot(imported) == before
        assert again.report["changes"] == []
        for counts in again.report["counts"].values():
            assert counts["created"] == counts["updated"] == 0
            assert counts["unchanged"] > 0

    def test_staff_accounts_have_no_usable_password(self, imported):
        user = User.objects.get(email="h.quillon@brookfield-school.example")
        assert user.full_name == "Harriet Quillon"
        assert not user.has_usable_password()

    def test_staff_memberships_are_narrowed_as_the_file_says(self, imported):
        nell = Membership.objects.filter(user__email="n.ashgrove@brookfield-school.example")
        assert {(m.role, m.school_class.name) for m in nell} == {
            (Role.CLASS_STAFF, "Acorn"),
            (Role.CLASS_STAFF, "Birch"),
        }
        dsl = Membership.objects.get(role=Role.DSL, school=imported)
        assert (dsl.site.name, dsl.school_class) == ("Hillside", None)
        head = Membership.objects.get(role=Role.HEADTEACHER, school=imported)
        assert (head.site, head.school_class) == (None, None)

    def test_both_date_formats_are_read(self, imported):
        assert str(Pupil.objects.get(upn="K930202600101").date_of_birth) == "2017-03-14"
        assert str(Pupil.objects.get(upn="K930202600105").date_of_birth) == "2012-09-30"

    def test_each_applied_import_writes_one_audit_row_without_personal_data(self, school):
        admin = UserFactory(is_staff=True)
        result = run(school, "classes", sample("classes"), user=admin)

        event = AccessEvent.objects.get(action=AccessAction.IMPORT)
        assert event.user_id == admin.pk
        assert (event.subject_type, event.subject_id) == ("schools.misimport", str(result.pk))
        assert event.detail.startswith("classes: ")
        assert "8 created" in event.detail
        assert "Acorn" not in event.detail and "Hillside" not in event.detail

    def test_the_file_is_not_kept_once_imported(self, imported):
        latest = imported.mis_imports.first()
        assert latest.content is None


class TestUpdates:
    def test_a_changed_class_is_updated_and_reported(self, imported):
        pupil = Pupil.objects.get(upn="K930202600101")
        rows = (
            sample("pupils")
            .decode()
            .replace(
                "K930202600101,Ellis,Marrowby,,14/03/2017,Acorn,",
                "K930202600101,Ellis,Marrowby,,14/03/2017,Birch,",
            )
        )

        result = run(imported, "pupils", rows.encode())

        pupil.refresh_from_db()
        assert pupil.school_class.name == "Birch"
        assert result.report["counts"]["pupil"] == {
            "created": 0,
            "updated": 1,
            "unchanged": 9,
            "not_in_file": 0,
        }
        [change] = result.report["changes"]
        assert change["line"] == 2
        assert change["action"] == "updated"
        assert change["fields"] == [["class", "Acorn", "Birch"]]

    def test_headers_are_matched_in_any_case_and_common_mis_variants(self, imported):
        data = (
            b"upn,Legal Forename,Legal Surname,DOB,Reg Group,SITE,EHCP\n"
            b"K930202600111,Noor,Fairlie,01/02/2014,Oak,Meadowbank,Yes\n"
        )

        result = run(imported, "pupils", data)

        assert result.status == MisImportStatus.APPLIED, result.report["errors"]
        assert Pupil.objects.get(upn="K930202600111").school_class.name == "Oak"

    def test_optional_columns_left_out_keep_what_is_there(self, imported):
        data = (
            b"UPN,Legal first name,Legal last name,Date of birth,Class,Site,EHC plan\n"
            b"K930202600103,Finnian,Cadwell,21/06/2015,Birch,Hillside,Y\n"
        )

        result = run(imported, "pupils", data)

        assert result.status == MisImportStatus.APPLIED
        pupil = Pupil.objects.get(upn="K930202600103")
        assert (pupil.preferred_name, pupil.social_worker_name) == ("Finn", "Sam Whitlock")
        assert result.report["counts"]["pupil"]["unchanged"] == 1

    def test_records_missing_from_the_file_are_reported_not_deleted(self, imported):
        result = run(
            imported, "pupils", header_and("pupils", *sample("pupils").decode().splitlines()[1:4])
        )

        assert Pupil.objects.filter(school=imported).count() == 10
        assert result.report["counts"]["pupil"]["not_in_file"] == 7
        assert {"kind": "pupil", "label": "Theo Ashcombe"} in result.report["not_in_file"]

    def test_an_existing_account_is_matched_by_email_in_any_case(self, imported):
        existing = UserFactory(email="sam.elsewhere@brookfield-school.example", full_name="Sam")
        data = header_and(
            "staff", "Sam.Elsewhere@Brookfield-School.EXAMPLE,Sam Elsewhere,Governor,,"
        )

        result = run(imported, "staff", data)

        assert result.status == MisImportStatus.APPLIED
        existing.refresh_from_db()
        assert existing.full_name == "Sam Elsewhere"
        assert existing.has_usable_password()  # an existing login is left alone
        assert Membership.objects.get(user=existing).role == Role.GOVERNOR
        assert User.objects.filter(email__iexact=existing.email).count() == 1

    def test_pupil_keys_are_per_school(self, imported):
        other = PupilFactory(upn="K930202600101")

        run(imported, "pupils", sample("pupils"))

        other.refresh_from_db()
        assert other.school != imported
        assert other.first_name != "Ellis"


class TestDryRun:
    def test_a_dry_run_writes_nothing_but_reports_the_plan(self, school):
        result = run(school, "classes", sample("classes"), dry_run=True)

        assert result.status == MisImportStatus.CHECKED
        assert not Site.objects.filter(school=school).exists()
        assert not SchoolClass.objects.exists()
        assert not AccessEvent.objects.filter(action=AccessAction.IMPORT).exists()
        assert result.report["counts"]["class"]["created"] == 8
        assert result.report["counts"]["site"]["created"] == 2
        assert len(result.report["changes"]) == 8 + 2 + 3

    def test_a_clean_dry_run_keeps_its_file_to_import_later(self, school):
        result = run(school, "classes", sample("classes"), dry_run=True)
        assert bytes(result.content) == sample("classes")

    def test_the_plan_function_alone_writes_nothing(self, imported):
        before = snapshot(imported)
        plan = mis_import_plan(
            school=imported,
            kind=MisImportKind.PUPILS,
            data=sample("pupils").replace(b",Acorn,", b",Birch,"),
        )
        assert plan.errors == []
        assert sum(c.action == "updated" for c in plan.changes) == 2
        assert snapshot(imported) == before


class TestAllOrNothing:
    def test_one_bad_row_writes_nothing_and_is_named(self, imported):
        before = snapshot(imported)
        lines = sample("pupils").decode().replace(",Acorn,", ",Birch,").splitlines()
        lines[5] = lines[5].replace("2012-09-30", "31/02/2012")  # line 6 of the file

        result = run(imported, "pupils", ("\n".join(lines) + "\n").encode())

        assert result.status == MisImportStatus.FAILED
        assert snapshot(imported) == before
        assert result.report["errors"] == [
            {
                "line": 6,
                "column": "Date of birth",
                "reason": 'bad date "31/02/2012" in column "Date of birth": use DD/MM/YYYY',
            }
        ]
        assert not AccessEvent.objects.filter(
            action=AccessAction.IMPORT, subject_id=str(result.pk)
        ).exists()

    def test_every_bad_row_is_reported(self, imported):
        data = header_and(
            "pupils",
            "K930202600121,Ana,Example,,01/01/2015,Acorn,Hillside,Y,,,,",
            "K930202600122,,Example,,01/01/2015,Acorn,Hillside,Y,,,,",
            "K930202600123,Bo,Example,,01/13/2015,Nowhere,Hillside,Y,,,,",
        )

        result = run(imported, "pupils", data)

        found = [(e["line"], e["column"]) for e in result.report["errors"]]
        assert found == [(3, "Legal first name"), (4, "Date of birth"), (4, "Class")]
        assert not Pupil.objects.filter(upn="K930202600121").exists()

    def test_a_failure_while_saving_rolls_back_everything(self, imported, monkeypatch):
        before = snapshot(imported)
        original_save = Pupil.save
        saves = []

        def save_then_crash(self, *args, **kwargs):
            saves.append(1)
            if len(saves) == 2:
                raise RuntimeError("simulated crash")
            return original_save(self, *args, **kwargs)

        monkeypatch.setattr(Pupil, "save", save_then_crash)
        # Two pupils move class: the first is saved, the second crashes.
        result = run(imported, "pupils", sample("pupils").replace(b",Acorn,", b",Birch,"))

        assert len(saves) == 2
        assert result.status == MisImportStatus.ERROR
        assert snapshot(imported) == before
        assert "nothing was saved" in result.report["errors"][0]["reason"]
        assert not AccessEvent.objects.filter(
            action=AccessAction.IMPORT, subject_id=str(result.pk)
        ).exists()


def test_checking_a_file_costs_the_same_queries_whatever_its_length(imported):
    def queries_for(rows: int) -> int:
        data = b"\n".join(sample("carers").splitlines()[: rows + 1])
        with CaptureQueriesContext(connection) as queries:
            plan = mis_import_plan(school=imported, kind=MisImportKind.CARERS, data=data)
        assert plan.rows == rows and plan.errors == []
        return len(queries)

    assert queries_for(1) == queries_for(12)
