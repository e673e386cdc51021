"""Permission matrix rows for the school calendar.

Who may do what, and why: the headteacher and administrators keep the calendar (it decides
every school-day rule); SLT read it and get 403 on changing it; the headteacher of another
school has a calendar page of their own, but Heathergate's is hidden from them (404), as it is
from everyone else.
"""

import datetime
import itertools

from schools.models import ClosureDay, ClosureKind, Term
from tests.matrix import Rule

CONFIGURES = frozenset({"headteacher", "administrator"})
READS = frozenset({"slt_class", "slt_other_site"})
LISTS = CONFIGURES | READS | {"other_school_head"}

_weeks = itertools.count()


def fresh_term(world) -> Term:
    """A new one-week term (each request removes one), far from the other rows' dates."""
    first = datetime.date(2040, 1, 2) + datetime.timedelta(weeks=next(_weeks))
    return Term.objects.create(
        school=world.school,
        name=f"Matrix term {first:%Y-%m-%d}",
        first_day=first,
        last_day=first + datetime.timedelta(days=4),
    )


def fresh_day_off(world) -> ClosureDay:
    term = fresh_term(world)
    return ClosureDay.objects.create(
        school=world.school, date=term.first_day, kind=ClosureKind.INSET, description="INSET"
    )


def _school(world) -> list:
    return [world.school.pk]


def _act(**extra) -> Rule:
    return Rule(allowed=CONFIGURES, forbidden=READS, **extra)


def _post(args) -> Rule:
    return _act(method="post", args=args, allowed_status=302)


ROWS: dict[str, Rule] = {
    "schools:calendar_list": Rule(allowed=LISTS),
    "schools:calendar_detail": Rule(allowed=CONFIGURES | READS, args=_school),
    "schools:term_new": _act(args=_school),
    "schools:term_edit": _act(args=lambda world: [fresh_term(world).pk]),
    "schools:term_remove": _post(lambda world: [fresh_term(world).pk]),
    "schools:closure_new": _act(args=_school),
    "schools:closure_edit": _act(args=lambda world: [fresh_day_off(world).pk]),
    "schools:closure_remove": _post(lambda world: [fresh_day_off(world).pk]),
    "schools:calendar_import": _act(args=_school),
    # Without a preview to confirm, the importer is sent back to the upload page.
    "schools:calendar_import_confirm": _post(_school),
    "schools:calendar_copy_forward": _act(args=_school),
    "schools:calendar_drafts_confirm": _post(_school),
}
