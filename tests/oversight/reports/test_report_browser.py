"""In a real browser: a senior leader asks for an oversight report on one site for a month,
watches it being made, and downloads it; a governor opens the summary and its PDF and finds
no pupil's name in either."""

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest

from oversight.models import OversightReport
from oversight.tasks import oversight_report_render_task
from schools.calendar import today
from schools.models import Term
from schools.services import school_days_refresh
from tests.cases.test_case_journey_browser import sign_in
from tests.pdf import pdf_text
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _term(world) -> None:
    Term.objects.create(
        school=world.school,
        name="This term",
        first_day=today() - dt.timedelta(days=60),
        last_day=today() + dt.timedelta(days=60),
    )
    school_days_refresh(school=world.school)


def test_slt_make_a_site_report_watch_it_progress_and_download_it(page):
    world = build_world()
    _term(world)
    start = today() - dt.timedelta(days=27)
    # The worker is asleep when the report is asked for: the page must show it waiting.
    with mock.patch.object(oversight_report_render_task, "apply_async") as nudge:
        sign_in(page, world.users["headteacher"])
        page.get_by_role("button", name="Leadership").click()
        page.get_by_role("link", name="Oversight reports").click()
        page.get_by_role("link", name="Make a report").click()
        page.get_by_label("What the report covers").select_option(label=f"Site: {world.north.name}")
        page.get_by_label("First day").fill(start.strftime("%d/%m/%Y"))
        page.get_by_label("Last day").fill(today().strftime("%d/%m/%Y"))
        page.get_by_role("button", name="Make the report").click()
        page.locator("#report-progress").wait_for()
    assert nudge.called
    report = OversightReport.objects.get()
    assert page.get_by_role("link", name="Download the PDF").count() == 0

    # The worker wakes up; the page notices by itself (htmx polls) and offers the download.
    oversight_report_render_task(report.pk)
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=15_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "CONFIDENTIAL" in text
    assert world.north.name in text
    assert start.strftime("%d/%m/%Y") in text
    assert "Cases" in text and "Safeguarding" in text
    assert page.console_errors == []


def test_a_governor_finds_no_pupil_name_in_the_summary_or_its_pdf(page):
    world = build_world()
    _term(world)
    pupil_name = f"{world.pupil.first_name} {world.pupil.last_name}"
    sign_in(page, world.users["governor"])
    page.get_by_role("link", name="Governors' summary").first.click()
    page.get_by_role("heading", name="Governors' summary", exact=False).first.wait_for()
    html = page.content()
    assert world.pupil.last_name not in html and world.pupil.first_name not in html
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "CONFIDENTIAL" in text
    assert pupil_name not in text and world.pupil.last_name not in text
