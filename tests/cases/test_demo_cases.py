import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from cases.demo import CLOSED_CLASS, DEMO_CASES, cases_demo_load, demo_cases
from cases.models import Basis, Case, Closure, Status
from schools.demo import CLASSES, demo_load

# A Wednesday in term, so "today" is a school day.
WEDNESDAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_demo_school_gets_its_cases_and_a_class_closure_once(db):
    with time_machine.travel(WEDNESDAY, tick=False):
        school = demo_load()
        made = cases_demo_load(school)
        assert cases_demo_load(school) == 0  # a second load changes nothing

    closure = Closure.objects.get()
    assert closure.school_class.name == CLOSED_CLASS
    assert closure.cases.count() == closure.school_class.pupils.count()
    individual = Case.objects.filter(basis=Basis.INDIVIDUAL)
    assert made == Case.objects.count() == individual.count() + closure.cases.count()
    assert individual.count() == len(DEMO_CASES)
    # Every key names a case of its own pupil, and every class has pupils at home.
    assert len({case.pupil_id for case in demo_cases(school).values()}) == len(DEMO_CASES)
    running = Case.objects.filter(status__in=(Status.ACTIVE, Status.REINTEGRATING))
    assert set(running.values_list("pupil__school_class__name", flat=True)) == {
        c.name for c in CLASSES
    }
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {Status.PROPOSED, Status.ACTIVE, Status.REINTEGRATING, Status.CLOSED}
    for case in Case.objects.filter(status=Status.CLOSED):
        assert case.provisions.exists()
        assert all(p.date <= case.actual_return_date for p in case.provisions.all())
