"""The MIS import still does the bulk work (it creates sites and classes), but gives no new
work to an archived site or class."""

import pytest
from django.utils import timezone

from schools.mis_import.runs import mis_import_start
from schools.models import MisImportKind, MisImportStatus, SchoolClass, Site
from tests.factories import SchoolClassFactory, SchoolFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _run(school, kind: str, text: str):
    return mis_import_start(
        school=school, kind=kind, data=text.encode(), dry_run=False, background=False
    )


def _reasons(run) -> list[str]:
    return [error["reason"] for error in run.report["errors"]]


def test_the_import_still_creates_sites_and_classes():
    school = SchoolFactory()

    run = _run(school, MisImportKind.CLASSES, "Site,Class,Phase\nHillside,Acorn,Primary\n")

    assert run.status == MisImportStatus.APPLIED
    assert SchoolClass.objects.filter(site__school=school, site__name="Hillside").count() == 1


def test_a_class_row_for_an_archived_class_fails_and_nothing_is_written():
    archived = SchoolClassFactory(name="Acorn", site__name="Hillside", archived_at=timezone.now())
    school = archived.site.school

    run = _run(
        school,
        MisImportKind.CLASSES,
        "Site,Class,Phase\nHillside,Acorn,Primary\nHillside,Oak,Primary\n",
    )

    assert run.status == MisImportStatus.FAILED
    assert _reasons(run) == [
        'class "Acorn" is archived in School setup: restore it there, or leave it out of the file'
    ]
    assert not SchoolClass.objects.filter(name="Oak").exists()


def test_a_new_class_at_an_archived_site_fails():
    site = SiteFactory(name="Hillside", archived_at=timezone.now())

    run = _run(site.school, MisImportKind.CLASSES, "Site,Class,Phase\nHillside,Oak,Primary\n")

    assert run.status == MisImportStatus.FAILED
    assert 'site "Hillside" is archived' in _reasons(run)[0]
    assert not SchoolClass.objects.filter(name="Oak").exists()


def test_an_archived_class_missing_from_the_file_is_not_reported_as_missing():
    archived = SchoolClassFactory(name="Acorn", site__name="Hillside", archived_at=timezone.now())

    run = _run(
        archived.site.school, MisImportKind.CLASSES, "Site,Class,Phase\nHillside,Oak,Primary\n"
    )

    assert run.status == MisImportStatus.APPLIED
    assert run.report["not_in_file"] == []


def test_pupils_and_staff_are_not_put_in_an_archived_class_or_site():
    archived = SchoolClassFactory(name="Acorn", site__name="Hillside", archived_at=timezone.now())
    school = archived.site.school
    Site.objects.filter(pk=archived.site_id).update(archived_at=timezone.now())

    pupils = _run(
        school,
        MisImportKind.PUPILS,
        "UPN,Legal first name,Legal last name,Date of birth,Class,Site,EHC plan\n"
        "K930202600101,Ellis,Marrowby,14/03/2017,Acorn,Hillside,Y\n",
    )
    staff = _run(
        school,
        MisImportKind.STAFF,
        "Email,Full name,Role,Site,Class\n"
        "t@school.example,Tam Teacher,Teacher,Hillside,Acorn\n"
        "d@school.example,Dee DSL,DSL,Hillside,\n",
    )

    assert pupils.status == MisImportStatus.FAILED
    assert 'class "Acorn" is archived' in _reasons(pupils)[0]
    assert staff.status == MisImportStatus.FAILED
    assert len(_reasons(staff)) == 2
    assert all("is archived" in reason for reason in _reasons(staff))
