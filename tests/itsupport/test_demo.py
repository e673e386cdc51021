import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from cases.demo import cases_demo_load
from itsupport.demo import itsupport_demo_load
from itsupport.models import DeviceLoan, DeviceNeed, FamilyAssistance, SupportNote, SupportRequest
from itsupport.selectors import overdue_loans
from schools.demo import demo_load

WEDNESDAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_demo_school_gets_it_records_once(db):
    with time_machine.travel(WEDNESDAY, tick=False):
        school = demo_load()
        cases_demo_load(school)
        assert itsupport_demo_load(school) == 3
        assert itsupport_demo_load(school) == 0  # a second load changes nothing
        overdue = list(overdue_loans(DeviceLoan.objects.all(), today=WEDNESDAY.date()))

    assert SupportRequest.objects.count() == 3
    assert SupportRequest.objects.filter(resolved_at__isnull=True).count() == 2
    assert SupportNote.objects.count() == 1
    assert DeviceLoan.objects.count() == 3
    assert DeviceLoan.objects.filter(returned_on__isnull=True).count() == 2
    assert [loan.asset_tag for loan in overdue] == ["LVS-4G-0007"]
    assert overdue[0].overdue_noted_on == WEDNESDAY.date()
    assert DeviceNeed.objects.filter(met_on__isnull=True).count() == 2
    assert DeviceNeed.objects.filter(met_loan__isnull=False).count() == 1
    assert FamilyAssistance.objects.count() == 1
