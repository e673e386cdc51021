"""MIS import: the upload and status pages, the Celery task path, the sweep and the command."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schools.mis_import import runs as imports
from schools.models import MisImport, MisImportStatus, SchoolClass, Site
from schools.permissions import can_import_mis
from schools.tasks import mis_import_process_task, mis_imports_sweep_task
from tests.factories import SchoolFactory

SAMPLES = Path(settings.BASE_DIR) / "samples" / "mis"
UPLOAD_URL = reverse("schools:import_upload")


@pytest.fixture
def school(db):
    return SchoolFactory(urn="123456")


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def upload(client: Client, school, kind: str, data: bytes, *, dry_run: bool = True):
    form = {"school": school.pk, "kind": kind, "file": SimpleUploadedFile(f"{kind}.csv", data)}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(UPLOAD_URL, form)


def sample(kind: str) -> bytes:
    return (SAMPLES / f"{kind}.csv").read_bytes()


class TestAccess:
    def test_anonymous_people_are_sent_to_sign_in(self, db):
        response = Client().get(UPLOAD_URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_staff_who_are_not_administrators_are_told_nothing_is_there(
        self, signed_in_client, school
    ):
        run = MisImport.objects.create(school=school, kind="classes")
        assert signed_in_client.get(UPLOAD_URL).status_code == 404
        assert signed_in_client.post(UPLOAD_URL, {}).status_code == 404
        assert signed_in_client.get(run.get_absolute_url()).status_code == 404
        assert signed_in_client.post(run.get_absolute_url()).status_code == 404

    def test_the_gate_needs_an_active_administrator(self, admin_user, staff_user):
        assert can_import_mis(admin_user) is True
        assert can_import_mis(staff_user) is False
        admin_user.is_active = False
        assert can_import_mis(admin_user) is False

    def test_administrators_see_the_upload_form(self, admin_client, school):
        response = admin_client.get(UPLOAD_URL)
        assert response.status_code == 200
        page = response.content.decode()
        for label in ('for="id_school"', 'for="id_kind"', 'for="id_file"', 'for="id_dry_run"'):
            assert label in page
        assert 'enctype="multipart/form-data"' in page
        assert "Legal first name" in page  # the layouts are listed
        assert "<script>" not in page  # CSP: no inline scripts

    def test_an_unknown_run_is_404(self, admin_client, db):
        assert admin_client.get(reverse("schools:import_status", args=[999])).status_code == 404


class TestUploadPage:
    def test_a_dry_run_shows_the_plan_and_saves_nothing(self, admin_client, admin_user, school):
        response = upload(admin_client, school, "classes", sample("classes"))

        run = MisImport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == run.get_absolute_url()
        assert (run.status, run.dry_run, run.uploaded_by) == ("checked", True, admin_user)
        assert not Site.objects.filter(school=school).exists()
        page = admin_client.get(run.get_absolute_url()).content.decode()
        assert "No problems found" in page
        assert "Acorn (Hillside)" in page
        assert "Import this file now" in page

    def test_a_clean_dry_run_can_then_be_imported(self, admin_client, school):
        upload(admin_client, school, "classes", sample("classes"))
        dry = MisImport.objects.get()

        response = admin_client.post(dry.get_absolute_url())

        applied = MisImport.objects.exclude(pk=dry.pk).get()
        assert response["Location"] == applied.get_absolute_url()
        assert applied.status == MisImportStatus.APPLIED
        assert SchoolClass.objects.filter(site__school=school).count() == 8
        # The dry run's copy of the file is gone, so it cannot be imported twice.
        assert admin_client.post(dry.get_absolute_url()).status_code == 302
        assert MisImport.objects.count() == 2

    def test_an_import_without_dry_run_saves_at_once(self, admin_client, school):
        upload(admin_client, school, "classes", sample("classes"), dry_run=False)
        assert MisImport.objects.get().status == MisImportStatus.APPLIED
        assert SchoolClass.objects.filter(site__school=school).count() == 8

    def test_errors_are_listed_with_line_column_and_reason(self, admin_client, school):
        data = b"Site,Class,Phase\nHillside,Oak,Nursery\n"
        upload(admin_client, school, "classes", data, dry_run=False)

        run = MisImport.objects.get()
        page = admin_client.get(run.get_absolute_url()).content.decode()
        assert run.status == MisImportStatus.FAILED
        assert "<td>2</td><td>Phase</td><td>unknown phase &quot;Nursery&quot;</td>" in page
        assert "Import this file now" not in page
        assert run.content is None  # a rejected file is not kept

    def test_a_file_over_the_limit_is_refused_at_the_field(self, admin_client, school, settings):
        settings.MIS_IMPORT_MAX_BYTES = 10
        response = upload(admin_client, school, "classes", sample("classes"))
        assert response.status_code == 200
        assert "File too large" in response.content.decode()
        assert not MisImport.objects.exists()

    def test_htmx_polls_a_partial_until_the_run_finishes(self, admin_client, school):
        run = MisImport.objects.create(school=school, kind="classes", content=b"x", rows_total=10)
        MisImport.objects.filter(pk=run.pk).update(status="checking", rows_done=4)

        response = admin_client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")

        page = response.content.decode()
        assert "<html" not in page
        assert 'hx-trigger="every 2s"' in page
        assert 'value="40"' in page

    def test_a_finished_run_stops_polling(self, admin_client, school):
        upload(admin_client, school, "classes", sample("classes"))
        run = MisImport.objects.get()
        page = admin_client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert "hx-trigger" not in page


class TestCeleryPath:
    def test_a_large_file_is_queued_then_processed_by_the_task(
        self, admin_client, school, settings, monkeypatch, django_capture_on_commit_callbacks
    ):
        settings.MIS_IMPORT_SYNC_MAX_ROWS = 3
        progress: list[tuple[int, int]] = []
        record = imports._set_progress

        def spy(run_id: int, done: int, total: int) -> None:
            progress.append((done, total))
            record(run_id, done, total)

        monkeypatch.setattr(imports, "_set_progress", spy)

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            upload(admin_client, school, "classes", sample("classes"), dry_run=False)
        run = MisImport.objects.get()
        assert run.status == MisImportStatus.QUEUED
        assert len(callbacks) == 1  # the task is sent once the run is committed
        page = admin_client.get(run.get_absolute_url()).content.decode()
        assert 'hx-trigger="every 2s"' in page

        mis_import_process_task(run.pk)

        run.refresh_from_db()
        assert run.status == MisImportStatus.APPLIED
        assert (run.rows_done, run.rows_total) == (8, 8)
        assert progress[-1] == (8, 8)
        assert len(progress) > 1
        assert SchoolClass.objects.filter(site__school=school).count() == 8

    def test_the_task_does_nothing_the_second_time(self, school):
        run = imports.mis_import_start(
            school=school, kind="classes", data=sample("classes"), background=True
        )
        mis_import_process_task(run.pk)
        finished = MisImport.objects.get(pk=run.pk).finished_at

        mis_import_process_task(run.pk)

        assert MisImport.objects.get(pk=run.pk).finished_at == finished

    def test_the_sweep_runs_lost_tasks_closes_dead_ones_and_forgets_old_files(self, school):
        long_ago = timezone.now() - datetime.timedelta(days=30)
        lost = MisImport.objects.create(
            school=school, kind="classes", content=sample("classes"), created_at=long_ago
        )
        dead = MisImport.objects.create(
            school=school, kind="classes", status="writing", content=b"x", started_at=long_ago
        )
        old_dry_run = MisImport.objects.create(
            school=school, kind="classes", status="checked", content=b"x", finished_at=long_ago
        )

        mis_imports_sweep_task()

        lost.refresh_from_db()
        dead.refresh_from_db()
        old_dry_run.refresh_from_db()
        assert lost.status == MisImportStatus.CHECKED
        assert (dead.status, dead.content) == (MisImportStatus.ERROR, None)
        assert (old_dry_run.status, old_dry_run.content) == (MisImportStatus.CHECKED, None)


class TestCommand:
    def test_it_imports_and_prints_the_report(self, school, capsys):
        call_command("import_mis", str(SAMPLES / "classes.csv"), school="123456", kind="classes")

        out = capsys.readouterr().out
        assert "class: 8 created" in out
        assert "Imported." in out
        assert SchoolClass.objects.filter(site__school=school).count() == 8
        assert MisImport.objects.get().source == "command"

    def test_a_dry_run_saves_nothing(self, school, capsys):
        call_command(
            "import_mis",
            str(SAMPLES / "classes.csv"),
            school="123456",
            kind="classes",
            dry_run=True,
        )
        assert "nothing saved" in capsys.readouterr().out
        assert not SchoolClass.objects.exists()

    def test_it_fails_with_the_errors_when_a_row_is_bad(self, school, tmp_path, capsys):
        path = tmp_path / "classes.csv"
        path.write_text("Site,Class,Phase\nHillside,Oak,Primary\nHillside,Ash,Nursery\n")

        with pytest.raises(CommandError, match="1 error"):
            call_command("import_mis", str(path), school="123456", kind="classes")

        assert 'line 3, column "Phase": unknown phase "Nursery"' in capsys.readouterr().err
        assert not SchoolClass.objects.exists()

    def test_it_exits_non_zero_from_the_shell(self, school, tmp_path):
        path = tmp_path / "classes.csv"
        path.write_text("Site,Class\nHillside,Oak\n")
        with pytest.raises(SystemExit) as exit_:
            execute_from_command_line(
                ["manage.py", "import_mis", str(path), "--school", "123456", "--kind", "classes"]
            )
        assert exit_.value.code != 0

    def test_it_refuses_an_unknown_school_or_a_file_too_large(self, school, settings):
        with pytest.raises(CommandError, match="No school"):
            call_command(
                "import_mis", str(SAMPLES / "classes.csv"), school="999999", kind="classes"
            )
        settings.MIS_IMPORT_MAX_BYTES = 10
        with pytest.raises(CommandError, match="file too large"):
            call_command(
                "import_mis", str(SAMPLES / "classes.csv"), school="123456", kind="classes"
            )


def test_the_upload_page_costs_the_same_queries_whatever_the_history(admin_client, school):
    MisImport.objects.create(school=school, kind="classes")
    admin_client.get(UPLOAD_URL)  # the first request of a session does some set-up
    with CaptureQueriesContext(connection) as one:
        admin_client.get(UPLOAD_URL)
    for _ in range(5):
        MisImport.objects.create(school=SchoolFactory(), kind="pupils")
    with CaptureQueriesContext(connection) as six:
        admin_client.get(UPLOAD_URL)
    assert len(six) == len(one)
