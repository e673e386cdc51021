import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from cases.demo import cases_demo_load
from cases.models import Case, Flag, FlagKind, Status
from schools.demo import demo_load

# A Wednesday in term, so "today" is a school day.
WEDNESDAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_demo_school_gets_a_case_in_each_state_once(db):
    with time_machine.travel(WEDNESDAY, tick=False):
        school = demo_load()
        assert cases_demo_load(school) == 5
        assert cases_demo_load(school) == 0  # a second load changes nothing

    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [Status.PROPOSED, Status.ACTIVE, Status.ACTIVE, Status.REINTEGRATING, Status.CLOSED]
    )
    assert Flag.objects.filter(kind=FlagKind.REVIEW_OVERDUE, resolved_at__isnull=True).count() == 1
    assert Case.objects.get(status=Status.CLOSED).provisions.count() == 3
