"""The SLT oversight report prints the figures of the data it covers, section by section, and
nothing of what it must not (concern text, pupils outside its scope)."""

import datetime

import pytest
import time_machine

from cases.models import Status
from governance.models import MonitoringActivity, MonitoringKind
from oversight.models import ReportStatus
from oversight.reports.services import oversight_report_render
from tests.factories import PupilFactory
from tests.oversight.factories import (
    AFTER_MARCH,
    NORTH_MARCH,
    make_case,
    month_of_data,
    report_for,
)
from tests.pdf import pdf_text


def rendered_text(report) -> str:
    with time_machine.travel(AFTER_MARCH, tick=False):
        done = oversight_report_render(report_id=report.pk)
    assert done.status == ReportStatus.READY, done.error_message
    assert done.progress == 100
    return " ".join(pdf_text(bytes(done.content)).split())


@pytest.fixture
def march(world):
    return month_of_data(world)


def test_the_north_sites_report_for_march_prints_each_sections_figures(world, march):
    MonitoringActivity.objects.create(
        school=world.school,
        site=world.north,
        kind=MonitoringKind.WORK_REVIEW,
        held_on=datetime.date(2026, 3, 18),
        participants="SLT lead, two class teachers",
        focus="Work packs",
        findings="Packs were <em>differentiated</em> well",
        recorded_by=world.users["headteacher"],
    )
    text = rendered_text(report_for(world, site=world.north))

    # Cover: scope, period, who and when (Europe/London, UK format).
    assert "Covers Site: North" in text
    assert "Period 01/03/2026 to 31/03/2026" in text
    assert "School days in the period 20" in text
    assert "Asked for by Headteacher" in text
    assert "Made 15/04/2026 10:00 (UK time)" in text
    assert "CONFIDENTIAL" in text and "Page 1 of" in text
    # 1. Cases opened, running and closed, by reason.
    assert "Infectious illness 1 1 0" in text
    assert "Preparing for or recovering from an operation 1 1 1" in text
    n = NORTH_MARCH
    assert f"All reasons {n['opened']} {n['running']} {n['closed']}" in text
    # 2. Agreements, reviews and time limits (today: 15/04/2026).
    assert "Open cases (proposed, active or reintegrating) 2" in text
    assert "Proposals still missing an agreement 1" in text
    assert "Reviews overdue 1" in text
    assert "Time limits reached or passed 0" in text
    assert "Reviews held in the period: 1" in text
    assert "Continue as planned 1" in text
    assert "Ellis Marsh Ash 01/04/2026 (overdue) 30/04/2026" in text
    # 3. Reintegration: one step of three done by 31/03, one late.
    assert "Plan steps done by 31/03/2026, of all steps 1 of 3 (33%)" in text
    assert "Steps past their target date and not done 1" in text
    # 4. Contact: 25 daily contacts due (20 + 5 school days), 8 made; checks 1 of 5.
    assert (
        f"Daily contacts made: {n['daily_made']} of {n['daily_due']} due (32%). "
        f"Weekly wellbeing checks made: {n['checks_made']} of {n['checks_due']} due (20%)."
    ) in text
    assert "Ash (North) 5 20 25% 1 4 25%" in text
    assert "Birch (North) 3 5 60% 0 1 0%" in text
    assert "Week of 09/03/2026 3 10 30% 0 2 0%" in text
    assert "<svg" not in text  # the chart is drawn, not printed as markup
    # 5. Families not responding and home visits.
    assert "Family not responding: arrange a home visit 1 1" in text
    assert "Home visits asked for in the period 1" in text
    assert "of which agreed by SLT and the DSL 1" in text
    assert "Home visits made in the period 1" in text
    # 6. Provision.
    assert "Days of provision recorded, of daily contacts due 4 of 25" in text
    assert "Days with planning and activities sent (email, work pack or platform) 3" in text
    assert "Days with a visual timetable sent 1" in text
    assert "Paper copies delivered 1" in text
    # 7. Virtual sessions and checklist gaps.
    assert "Sessions in the period 2" in text
    assert "Sessions whose checklist has an item not done 1" in text
    assert "Waiting room opened 1" in text
    # 8. Safeguarding: counts by urgency and status, never the text.
    assert "Concerns raised in the period: 2." in text
    assert "All 1 1 0 2" in text
    assert "SECRET-CONCERN-TEXT" not in text
    # 9. Monitoring by senior leaders, free text escaped.
    assert "Review of work set" in text
    assert "Packswere<em>differentiated</em>well" in text.replace(" ", "")
    # The other site's pupil appears nowhere.
    assert "Rowan" not in text and "Tate" not in text


def test_a_class_report_counts_only_that_class(world, march):
    text = rendered_text(report_for(world, by="slt_class", school_class=world.class_a))

    assert "Covers Class: Ash" in text
    assert "Daily contacts made: 5 of 20 due (25%)" in text
    assert "Birch" not in text
    assert "Jude" not in text
    assert "Sessions in the period 1" in text
    assert "Concerns raised in the period: 2." in text


def test_the_whole_school_report_counts_both_sites(world, march):
    text = rendered_text(report_for(world))

    assert "Covers Whole school: Heathergate School" in text
    # North's 25 plus Rowan's 20 school days at the South site; 8 + 7 made.
    assert "Daily contacts made: 15 of 45 due (33%)" in text
    assert "Concerns raised in the period: 3." in text


def test_markup_in_a_pupils_name_is_printed_as_text(world, march):
    pupil = PupilFactory(school_class=world.class_b, first_name="<b>Bold</b>", last_name="<i>x</i>")
    make_case(
        pupil,
        world.users["teacher"],
        start=datetime.date(2026, 3, 2),
        end=datetime.date(2026, 4, 1),
        status=Status.ACTIVE,
    )
    text = rendered_text(report_for(world, site=world.north))

    assert "<b>Bold</b> <i>x</i> Birch" in text


def test_a_period_ending_after_today_is_counted_to_today(world, march):
    report = report_for(world, site=world.north)
    report.end = datetime.date(2026, 4, 30)
    report.save()

    text = rendered_text(report)

    assert "Period 01/03/2026 to 30/04/2026 (figures to 15/04/2026)" in text
    # Ellis's case also runs on 13, 14 and 15 April (summer term): 28 due in all.
    assert "Daily contacts made: 8 of 28 due" in text
