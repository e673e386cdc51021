"""Every write to the school calendar: terms, INSET and closure days, imports from a CSV or
iCalendar file, copying a year forward as drafts, and the daily check that the calendar does
not run out.

Each change refreshes the SchoolDay table in the same transaction, so the scheduled rules,
the time-limit check and provision never see a calendar half-changed.
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.calendar import CALENDAR_ENDING_SCHOOL_DAYS
from schools.models import (
    CalendarNotice,
    CalendarNoticeKind,
    ClosureDay,
    ClosureKind,
    School,
    Term,
)
from schools.services import school_days_refresh
from schools.term_dates.reading import CalendarFile

YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def school_year_of(day: datetime.date) -> int:
    """The school year a date belongs to, named by the year it starts (September)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def school_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _dates(first: datetime.date, last: datetime.date) -> str:
    return f"{first:%d/%m/%Y} to {last:%d/%m/%Y}"


def _lock(school: School) -> None:
    """One calendar change per school at a time: the checks below read what the others write."""
    School.objects.select_for_update().filter(pk=school.pk).first()


def _terms_covering(school: School, exclude_pk: int | None = None) -> QuerySet[Term]:
    return Term.objects.filter(
        school=school, first_day__lte=OuterRef("date"), last_day__gte=OuterRef("date")
    ).exclude(pk=exclude_pk)


def _stranded(
    school: School,
    term_pk: int,
    first_day: datetime.date | None = None,
    last_day: datetime.date | None = None,
) -> list[ClosureDay]:
    """Days off that no term would hold if this term were moved to these dates (or removed)."""
    days = ClosureDay.objects.filter(school=school).exclude(
        Exists(_terms_covering(school, exclude_pk=term_pk))
    )
    if first_day is not None:
        days = days.exclude(date__range=(first_day, last_day))
    return list(days.order_by("date")[:5])


def _stranded_message(days: list[ClosureDay]) -> str:
    listed = ", ".join(f"{day.date:%d/%m/%Y}" for day in days)
    return (
        f"INSET or closure days would be left outside every term ({listed}). Move or remove "
        "them first."
    )


def _check_term(
    school: School,
    *,
    name: str,
    first_day: datetime.date,
    last_day: datetime.date,
    term_pk: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the term a name, for example Autumn 2026."
    elif Term.objects.filter(school=school, name__iexact=name.strip()).exclude(pk=term_pk).exists():
        errors["name"] = "Another term already has this name."
    if last_day < first_day:
        errors["last_day"] = "A term cannot end before it starts."
    else:
        other = (
            Term.objects.filter(school=school, first_day__lte=last_day, last_day__gte=first_day)
            .exclude(pk=term_pk)
            .first()
        )
        if other is not None:
            errors["first_day"] = (
                f"These dates overlap {other.name} ({_dates(other.first_day, other.last_day)}). "
                "Terms cannot overlap."
            )
        elif term_pk is not None and (stranded := _stranded(school, term_pk, first_day, last_day)):
            errors["first_day"] = _stranded_message(stranded)
    if errors:
        raise ValidationError(errors)


# --- Terms ------------------------------------------------------------------------------------


@transaction.atomic
def term_add(
    *,
    actor: Actor,
    school: School,
    name: str,
    first_day: datetime.date,
    last_day: datetime.date,
) -> Term:
    _lock(school)
    _check_term(school, name=name, first_day=first_day, last_day=last_day)
    term = Term(school=school, name=name.strip(), first_day=first_day, last_day=last_day)
    term.full_clean()
    term.save()
    school_days_refresh(school=school)
    access_record(actor=actor, action=AccessAction.CREATE, subject=term, detail="term added")
    return term


@transaction.atomic
def term_change(
    *,
    actor: Actor,
    term: Term,
    name: str,
    first_day: datetime.date,
    last_day: datetime.date,
) -> Term:
    _lock(term.school)
    _check_term(term.school, name=name, first_day=first_day, last_day=last_day, term_pk=term.pk)
    term.name, term.first_day, term.last_day = name.strip(), first_day, last_day
    term.full_clean()
    term.save(update_fields=["name", "first_day", "last_day"])
    school_days_refresh(school=term.school)
    access_record(actor=actor, action=AccessAction.CHANGE, subject=term, detail="term changed")
    return term


@transaction.atomic
def term_remove(*, actor: Actor, term: Term) -> Term:
    """Remove a term that holds no INSET or closure day of its own (they would be lost)."""
    _lock(term.school)
    if stranded := _stranded(term.school, term.pk):
        raise ValidationError(_stranded_message(stranded))
    access_record(actor=actor, action=AccessAction.CHANGE, subject=term, detail="term removed")
    term.delete()
    school_days_refresh(school=term.school)
    return term


# --- Days off ---------------------------------------------------------------------------------


def _check_day(school: School, date: datetime.date, closure_pk: int | None = None) -> Term:
    """The term that holds this day off; refused at the field when none does, or when the
    day already has one."""
    term = Term.objects.filter(school=school, first_day__lte=date, last_day__gte=date).first()
    if term is None:
        raise ValidationError(
            {
                "date": f"{date:%d/%m/%Y} is outside every term. INSET and closure days are "
                "days within a term; add the term first or check the date."
            }
        )
    other = ClosureDay.objects.filter(school=school, date=date).exclude(pk=closure_pk).first()
    if other is not None:
        raise ValidationError(
            {"date": f"{date:%d/%m/%Y} is already marked: {other.get_kind_display()}."}
        )
    return term


@transaction.atomic
def closure_add(
    *,
    actor: Actor,
    school: School,
    date: datetime.date,
    last_date: datetime.date | None,
    kind: str,
    description: str,
) -> list[ClosureDay]:
    """One day off, or one for each weekday from ``date`` to ``last_date``."""
    _lock(school)
    if last_date is not None and last_date < date:
        raise ValidationError({"last_date": "The last day cannot be before the first."})
    span = [date + datetime.timedelta(days=n) for n in range(((last_date or date) - date).days + 1)]
    if len(span) > 1:
        span = [day for day in span if day.weekday() < 5]
    days = []
    for day in span:
        term = _check_day(school, day)
        closure = ClosureDay(
            school=school, date=day, kind=kind, description=description.strip(), draft=term.draft
        )
        closure.full_clean()
        days.append(closure)
    ClosureDay.objects.bulk_create(days)
    school_days_refresh(school=school)
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject_type=ClosureDay._meta.label_lower,
        subject_id=days[0].pk if len(days) == 1 and days[0].pk else "",
        detail=f"{len(days)} days off added",
    )
    return days


@transaction.atomic
def closure_change(
    *, actor: Actor, closure: ClosureDay, date: datetime.date, kind: str, description: str
) -> ClosureDay:
    _lock(closure.school)
    term = _check_day(closure.school, date, closure_pk=closure.pk)
    closure.date, closure.kind, closure.description = date, kind, description.strip()
    closure.draft = term.draft
    closure.full_clean()
    closure.save(update_fields=["date", "kind", "description", "draft"])
    school_days_refresh(school=closure.school)
    access_record(
        actor=actor, action=AccessAction.CHANGE, subject=closure, detail="day off changed"
    )
    return closure


@transaction.atomic
def closure_remove(*, actor: Actor, closure: ClosureDay) -> ClosureDay:
    _lock(closure.school)
    access_record(
        actor=actor, action=AccessAction.CHANGE, subject=closure, detail="day off removed"
    )
    closure.delete()
    school_days_refresh(school=closure.school)
    return closure


# --- Import from a file -----------------------------------------------------------------------


@dataclass
class CalendarImportPlan:
    """What importing a file would do: shown as the preview, then carried out as it says."""

    terms_added: list[Term] = field(default_factory=list)
    terms_changed: list[tuple[Term, Term]] = field(default_factory=list)  # (as now, as after)
    terms_unchanged: int = 0
    days_added: list[ClosureDay] = field(default_factory=list)
    days_changed: list[tuple[ClosureDay, ClosureDay]] = field(default_factory=list)
    days_unchanged: int = 0
    ignored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            len(self.terms_added)
            + len(self.terms_changed)
            + len(self.days_added)
            + len(self.days_changed)
        )


def calendar_import_plan(*, school: School, parsed: CalendarFile) -> CalendarImportPlan:
    """Compare the file with the school's calendar as it is. Writes nothing (the dry run)."""
    plan = CalendarImportPlan(ignored=list(parsed.ignored))
    existing = {term.name.lower(): term for term in Term.objects.filter(school=school)}
    final = {key: (term.name, term.first_day, term.last_day, "") for key, term in existing.items()}
    seen: set[str] = set()
    for entry in parsed.terms:
        key = entry.name.lower()
        if key in seen:
            plan.problems.append(f"{entry.where}: {entry.name} appears twice in the file.")
            continue
        seen.add(key)
        if entry.last_day < entry.first_day:
            plan.problems.append(f"{entry.where}: {entry.name} ends before it starts.")
            continue
        final[key] = (entry.name, entry.first_day, entry.last_day, entry.where)
        after = Term(
            school=school, name=entry.name, first_day=entry.first_day, last_day=entry.last_day
        )
        current = existing.get(key)
        if current is None:
            plan.terms_added.append(after)
        elif (current.first_day, current.last_day) != (entry.first_day, entry.last_day):
            plan.terms_changed.append((current, after))
        else:
            plan.terms_unchanged += 1
    spans = sorted(final.values(), key=lambda span: span[1])
    for (name, _first, last, where), (other, first, _last, other_where) in itertools.pairwise(
        spans
    ):
        if first <= last:
            plan.problems.append(
                f"{other_where or where or 'The calendar'}: {other} overlaps {name}. Terms "
                "cannot overlap."
            )

    def in_term(day: datetime.date) -> bool:
        return any(first <= day <= last for _name, first, last, _where in spans)

    days = {day.date: day for day in ClosureDay.objects.filter(school=school)}
    seen_days: set[datetime.date] = set()
    for entry in parsed.days:
        if entry.date in seen_days:
            continue  # named by two events (a half term and an INSET day): the first holds
        seen_days.add(entry.date)
        if not in_term(entry.date):
            if entry.kind == ClosureKind.HOLIDAY:
                continue  # holidays between terms are not school days anyway
            plan.problems.append(
                f"{entry.where}: {entry.date:%d/%m/%Y} is outside every term. INSET and "
                "closure days are days within a term."
            )
            continue
        after = ClosureDay(
            school=school, date=entry.date, kind=entry.kind, description=entry.description
        )
        current = days.get(entry.date)
        if current is None:
            plan.days_added.append(after)
        elif (current.kind, current.description) != (entry.kind, entry.description):
            plan.days_changed.append((current, after))
        else:
            plan.days_unchanged += 1
    for day in days.values():
        if not in_term(day.date):
            plan.problems.append(
                f"{day.date:%d/%m/%Y} ({day.get_kind_display()}) is already in the calendar and "
                "would be left outside every term."
            )
    return plan


@transaction.atomic
def calendar_import(
    *, actor: Actor, school: School, parsed: CalendarFile, source: str
) -> CalendarImportPlan:
    """Carry out the preview in one transaction: all of it, or (with any problem) nothing."""
    _lock(school)
    plan = calendar_import_plan(school=school, parsed=parsed)
    if plan.problems:
        raise ValidationError({"file": plan.problems})
    for current, after in plan.terms_changed:
        current.first_day, current.last_day, current.draft = after.first_day, after.last_day, False
        current.full_clean()
        current.save(update_fields=["first_day", "last_day", "draft"])
    for term in plan.terms_added:
        term.full_clean()
    Term.objects.bulk_create(plan.terms_added)
    for current, after in plan.days_changed:
        current.kind, current.description, current.draft = after.kind, after.description, False
        current.save(update_fields=["kind", "description", "draft"])
    for day in plan.days_added:
        day.full_clean(validate_unique=False)
    ClosureDay.objects.bulk_create(plan.days_added)
    school_days_refresh(school=school)
    access_record(
        actor=actor,
        action=AccessAction.IMPORT,
        subject=school,
        detail=(
            f"calendar from {source}: {len(plan.terms_added)} terms added, "
            f"{len(plan.terms_changed)} changed, {len(plan.days_added)} days off added, "
            f"{len(plan.days_changed)} changed"
        ),
    )
    return plan


# --- Copy a year forward ----------------------------------------------------------------------


def _next_year_name(name: str, first_day: datetime.date) -> str:
    renamed = YEAR.sub(lambda match: str(int(match.group(1)) + 1), name)
    return renamed if renamed != name else f"{name} {first_day.year}"


@dataclass
class CopiedYear:
    year: int
    terms: list[Term]
    days: list[ClosureDay]


@transaction.atomic
def calendar_copy_forward(*, actor: Actor, school: School, year: int) -> CopiedYear:
    """Copy a school year's terms and days off to the next year as drafts, moved by whole
    weeks so each date keeps its weekday. Drafts count as school days once confirmed."""
    _lock(school)
    first, last = school_year_span(year)
    terms = list(Term.objects.filter(school=school, first_day__range=(first, last)))
    if not terms:
        raise ValidationError({"year": f"{school_year_label(year)} has no terms to copy."})
    next_first, next_last = school_year_span(year + 1)
    if Term.objects.filter(
        school=school, last_day__gte=next_first, first_day__lte=next_last
    ).exists():
        raise ValidationError(
            {
                "year": f"{school_year_label(year + 1)} already has terms. Change them on the "
                "calendar page, or remove them before copying."
            }
        )
    shift = datetime.timedelta(weeks=52)
    if terms[0].first_day + shift < next_first:
        shift = datetime.timedelta(weeks=53)
    copies = [
        Term(
            school=school,
            name=_next_year_name(term.name, term.first_day + shift)[:60],
            first_day=term.first_day + shift,
            last_day=term.last_day + shift,
            draft=True,
        )
        for term in terms
    ]
    taken = set(Term.objects.filter(school=school).values_list("name", flat=True))
    for copy in copies:
        if copy.name in taken:
            raise ValidationError(
                {"year": f"A term named {copy.name} already exists; rename it before copying."}
            )
    span = Q()
    for term in terms:
        span |= Q(date__range=(term.first_day, term.last_day))
    days = [
        ClosureDay(
            school=school,
            date=day.date + shift,
            kind=day.kind,
            description=day.description,
            draft=True,
        )
        for day in ClosureDay.objects.filter(span, school=school)
    ]
    Term.objects.bulk_create(copies)
    ClosureDay.objects.bulk_create(days)
    school_days_refresh(school=school)
    access_record(
        actor=actor,
        action=AccessAction.CREATE,
        subject=school,
        detail=f"calendar {school_year_label(year)} copied forward: {len(copies)} draft terms, "
        f"{len(days)} draft days off",
    )
    return CopiedYear(year=year + 1, terms=copies, days=days)


@transaction.atomic
def calendar_drafts_confirm(*, actor: Actor, school: School) -> int:
    """Make the draft terms and days off real: from now they count as school days."""
    _lock(school)
    confirmed = Term.objects.filter(school=school, draft=True).update(draft=False)
    days = ClosureDay.objects.filter(school=school, draft=True).update(draft=False)
    if not confirmed and not days:
        raise ValidationError("There are no draft terms or days off to confirm.")
    school_days_refresh(school=school)
    access_record(
        actor=actor,
        action=AccessAction.CHANGE,
        subject=school,
        detail=f"calendar drafts confirmed: {confirmed} terms, {days} days off",
    )
    return confirmed


# --- The daily check --------------------------------------------------------------------------


def calendar_check(*, today: datetime.date) -> int:
    """Raise a notice for each school with fewer than six school weeks of calendar ahead (or
    none), once per school, kind and week; clear the notices whose calendar was extended.

    Cost: one aggregate over SchoolDay, one INSERT and one UPDATE, whatever the number of
    schools. Running it twice raises nothing new. Returns how many notices it raised.
    """
    week = today - datetime.timedelta(days=today.weekday())
    short = School.objects.annotate(
        remaining=Count("school_days", filter=Q(school_days__date__gte=today)),
        last=Max("school_days__date"),
    ).filter(remaining__lt=CALENDAR_ENDING_SCHOOL_DAYS)
    wanted = [
        CalendarNotice(
            school_id=school.pk,
            kind=CalendarNoticeKind.MISSING if not school.remaining else CalendarNoticeKind.ENDING,
            week=week,
            last_school_day=school.last,
        )
        for school in short.only("pk")
    ]
    with transaction.atomic():
        before = CalendarNotice.objects.count()
        CalendarNotice.objects.bulk_create(wanted, ignore_conflicts=True)
        raised = CalendarNotice.objects.count() - before
        keep = Q(pk__in=[])
        for notice in wanted:
            keep |= Q(school_id=notice.school_id, kind=notice.kind, week=week)
        CalendarNotice.objects.filter(cleared_at__isnull=True).exclude(keep).update(
            cleared_at=timezone.now()
        )
    return raised
