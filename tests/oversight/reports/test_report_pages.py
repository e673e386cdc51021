"""SLT oversight reports from the pages: asking for one, watching it, downloading it, trying a
failed one again; who may see which; bad input refused at the field with nothing written."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from oversight.models import OversightReport, ReportStatus
from oversight.reports import services as reports
from oversight.reports.services import oversight_report_render, oversight_reports_sweep
from remote_learning.celery import app as celery_app
from tests.conftest import client_for
from tests.oversight.factories import AFTER_MARCH, london, month_of_data, report_for
from tests.pdf import pdf_text

NEW = reverse("oversight:report_new")
LIST = reverse("oversight:report_list")


@pytest.fixture
def eager():
    """Celery runs tasks in the caller, as soon as the transaction commits."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def after_march():
    with time_machine.travel(AFTER_MARCH, tick=False):
        yield


def month(scope: str, start: str = "01/03/2026", end: str = "31/03/2026") -> dict:
    return {"scope": scope, "start": start, "end": end}


def test_slt_asks_for_a_site_report_for_a_month_watches_it_and_downloads_it(
    world, after_march, eager, django_capture_on_commit_callbacks
):
    month_of_data(world)
    slt = world.users["slt_other_site"]
    client = client_for(slt)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(NEW, month(f"site-{world.south.pk}"))
    report = OversightReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:report_detail", args=[report.pk])
    assert (report.requested_by, report.site, report.school_class) == (slt, world.south, None)
    assert report.status == ReportStatus.QUEUED
    assert report.expires_at == london(2026, 5, 15, 10, 0)  # 30 days, the default

    waiting = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "Waiting to start" in waiting.content.decode()

    for callback in callbacks:  # the commit sends the task; Celery runs it eagerly
        callback()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100

    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page
    assert reverse("oversight:report_download", args=[report.pk]) in page

    download = client.get(reverse("oversight:report_download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="oversight-report-{report.pk}.pdf"'
    )
    text = " ".join(pdf_text(download.content).split())
    assert "Covers Site: South" in text
    assert "Daily contacts made: 7 of 20 due (35%)" in text
    assert "Ellis" not in text  # a North pupil
    event = AccessEvent.objects.get(action=AccessAction.PRINT)
    assert (event.user_id, event.subject_type, event.subject_id) == (
        slt.pk,
        "oversight.oversightreport",
        str(report.pk),
    )


def test_the_form_offers_only_the_scopes_a_person_oversees(world, after_march):
    narrow = client_for(world.users["slt_other_site"]).get(NEW).content.decode()
    head = client_for(world.users["headteacher"]).get(NEW).content.decode()

    assert f'value="site-{world.south.pk}"' in narrow
    assert f'value="class-{world.class_south.pk}"' in narrow
    assert f'value="site-{world.north.pk}"' not in narrow
    assert f'value="class-{world.class_a.pk}"' not in narrow
    assert f'value="school-{world.school.pk}"' not in narrow
    for value in (
        f"school-{world.school.pk}",
        f"site-{world.north.pk}",
        f"site-{world.south.pk}",
        f"class-{world.class_a.pk}",
        f"class-{world.class_b.pk}",
    ):
        assert f'value="{value}"' in head


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (month("", "", ""), "start", "Enter a date as DD/MM/YYYY."),
        (month("", "01/03/2026", ""), "end", "Enter a date as DD/MM/YYYY."),
        (month("", "31/03/2026", "01/03/2026"), "end", "on or after the first day"),
        (month("", "16/04/2026", "30/04/2026"), "start", "cannot start in the future"),
        (month("", "01/03/2025", "31/03/2026"), "end", "at most a year"),
        (month("", "31/02/2026", "31/03/2026"), "start", "Enter a date as DD/MM/YYYY"),
    ],
)
def test_a_bad_period_is_refused_at_its_field_and_nothing_is_written(
    world, after_march, data, field, message
):
    data["scope"] = f"site-{world.south.pk}"

    response = client_for(world.users["slt_other_site"]).post(NEW, data)

    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert not OversightReport.objects.exists()


@pytest.mark.parametrize("forged", ["site-{north}", "class-{class_a}", "school-{school}", "x"])
def test_a_forged_scope_is_refused_and_nothing_is_written(world, after_march, forged):
    value = forged.format(north=world.north.pk, class_a=world.class_a.pk, school=world.school.pk)

    response = client_for(world.users["slt_other_site"]).post(NEW, month(value))

    assert response.status_code == 200
    assert response.context["form"].errors["scope"] == ["Choose one of the scopes in the list."]
    assert not OversightReport.objects.exists()


def test_the_service_refuses_a_scope_the_person_may_not_see(world, after_march):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        reports.oversight_report_request(
            user=world.users["slt_class"],
            scope_value=f"site-{world.north.pk}",
            start=datetime.date(2026, 3, 1),
            end=datetime.date(2026, 3, 31),
        )
    assert "scope" in refused.value.message_dict
    assert not OversightReport.objects.exists()


def test_another_slt_without_the_scope_gets_404_and_the_refusal_is_audited(world):
    report = report_for(
        world,
        by="slt_class",
        school_class=world.class_a,
        status=ReportStatus.READY,
        content=b"%PDF-1.7",
    )
    url = reverse("oversight:report_download", args=[report.pk])

    assert client_for(world.users["slt_other_site"]).get(url).status_code == 404
    assert client_for(world.users["headteacher"]).get(url).status_code == 200
    denied = AccessEvent.objects.get(action=AccessAction.DENIED)
    assert (denied.user_id, denied.subject_id) == (world.users["slt_other_site"].pk, str(report.pk))
    printed = AccessEvent.objects.get(action=AccessAction.PRINT)
    assert printed.user_id == world.users["headteacher"].pk


def test_a_report_not_yet_ready_is_not_downloaded(world):
    report = report_for(world, site=world.north)

    response = client_for(world.users["headteacher"]).get(
        reverse("oversight:report_download", args=[report.pk])
    )

    assert response.status_code == 302
    assert not AccessEvent.objects.filter(action=AccessAction.PRINT).exists()


def test_a_failed_render_shows_failed_and_can_be_tried_again(
    world, after_march, monkeypatch, eager, django_capture_on_commit_callbacks
):
    month_of_data(world)
    report = report_for(world, site=world.north)

    def broken(*args, **kwargs):
        raise OSError("disk full <with a pupil's name>")

    working = reports.render_pdf
    monkeypatch.setattr(reports, "render_pdf", broken)
    assert oversight_report_render(report_id=report.pk).status == ReportStatus.FAILED
    report.refresh_from_db()
    assert report.error_message == reports.FAILED_MESSAGE
    client = client_for(world.users["headteacher"])
    page = client.get(reverse("oversight:report_detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Failed." in page.content.decode() and "Try again" in page.content.decode()

    monkeypatch.setattr(reports, "render_pdf", working)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("oversight:report_retry", args=[report.pk]))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert report.error_message == ""


def test_retrying_a_report_that_did_not_fail_changes_nothing(world):
    report = report_for(world, site=world.north, status=ReportStatus.READY, content=b"%PDF")

    response = client_for(world.users["headteacher"]).post(
        reverse("oversight:report_retry", args=[report.pk])
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and bytes(report.content) == b"%PDF"


def test_the_task_is_idempotent(world, after_march):
    report = report_for(world, site=world.north)

    first = oversight_report_render(report_id=report.pk)
    content = bytes(first.content)
    second = oversight_report_render(report_id=report.pk)

    assert second is None
    report.refresh_from_db()
    assert bytes(report.content) == content and report.status == ReportStatus.READY
    assert oversight_report_render(report_id=999999) is None


def test_reports_are_kept_for_the_configured_time_then_swept(world, settings, after_march):
    settings.OVERSIGHT_REPORT_RETENTION_DAYS = 7
    report = reports.oversight_report_request(
        user=world.users["headteacher"],
        scope_value=f"school-{world.school.pk}",
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
    )
    assert report.expires_at == london(2026, 4, 22, 10, 0)
    kept = report_for(world, site=world.north)
    stuck = report_for(world, site=world.south, status=ReportStatus.RUNNING)
    OversightReport.objects.filter(pk=stuck.pk).update(started_at=london(2026, 4, 15, 8, 0))

    counts = oversight_reports_sweep(now=london(2026, 4, 22, 10, 0))

    assert counts["deleted"] == 1
    assert not OversightReport.objects.filter(pk=report.pk).exists()
    assert OversightReport.objects.filter(pk=kept.pk).exists()
    stuck.refresh_from_db()
    assert stuck.status == ReportStatus.FAILED and stuck.error_message == reports.STOPPED_MESSAGE
    assert oversight_reports_sweep(now=london(2026, 4, 22, 10, 0))["deleted"] == 0


def _list_queries(client) -> int:
    client.get(LIST)  # the first page of a session records things once (device declaration)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_one_report_as_for_a_page_of_them(world):
    client = client_for(world.users["headteacher"])
    report_for(world, site=world.north)
    one = _list_queries(client)
    for _ in range(24):
        report_for(world, by="slt_class", school_class=world.class_a, status=ReportStatus.READY)

    assert _list_queries(client) == one
    page = client.get(LIST).content.decode()
    assert "Class: Ash" in page and "Page 1 of 2" in page
    assert page.count('<a href="/oversight/reports/') == 20


def test_the_list_shows_only_reports_the_person_may_read(world):
    mine = report_for(world, by="slt_class", school_class=world.class_a)
    other_site = report_for(world, by="slt_other_site", site=world.south)

    page = client_for(world.users["slt_class"]).get(LIST).content.decode()

    assert reverse("oversight:report_detail", args=[mine.pk]) in page
    assert reverse("oversight:report_detail", args=[other_site.pk]) not in page


def test_the_list_has_an_empty_state(world):
    page = client_for(world.users["headteacher"]).get(LIST).content.decode()

    assert "No reports yet." in page


def test_with_the_broker_down_the_report_waits_for_the_sweep(
    world, after_march, monkeypatch, django_capture_on_commit_callbacks
):
    from oversight.tasks import oversight_report_render_task

    sent = []

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(oversight_report_render_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["headteacher"]).post(
            NEW, month(f"school-{world.school.pk}")
        )

    assert response.status_code == 302
    report = OversightReport.objects.get()
    assert report.status == ReportStatus.QUEUED

    monkeypatch.setattr(
        oversight_report_render_task, "apply_async", lambda args, **kw: sent.append(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = oversight_reports_sweep(now=london(2026, 4, 15, 10, 10))

    assert counts["sent_again"] == 1
    assert sent == [(report.pk,)]
