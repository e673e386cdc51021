"""Changing a school's concern categories: each change a row of history (who, when, what,
the old value, the new and why) and an audit row, written with the category in one
transaction. A category is never deleted: retiring one stops it being offered for new
concerns, and the concerns raised in it keep it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.models import ConcernCategory
from schools.models import School
from setup.categories.permissions import may_open_dsl_team_only
from setup.models import CategoryChangeKind, ConcernCategoryChange

REASON_REQUIRED = "Say why this category is changing."
NAME_REQUIRED = "Give the category a name."
NAME_TAKEN = "This school already has a category called “{name}”."
NAME_TAKEN_RETIRED = (
    "This school already has a retired category called “{name}”: offer it again instead."
)
NOTHING_CHANGED = "Nothing has changed. Change something, or leave the category as it is."
LAST_ONE = "This is the last category offered for new concerns: staff could raise none."
ONLY_THE_DSL_OPENS = (
    "Only the DSL can stop keeping a category for the DSL team only: it would show its "
    "concerns to the headteacher."
)
CONFIRM_DSL_TEAM_ONLY = "Confirm that you have read what this changes."


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _check_name(school: School, name: str, *, other_than: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    same = ConcernCategory.objects.filter(school=school, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than)
    taken = same.first()
    if taken is not None:
        message = NAME_TAKEN if taken.active else NAME_TAKEN_RETIRED
        raise ValidationError({"name": message.format(name=taken.name)})
    return name


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


def _record(
    *,
    actor: Actor,
    category: ConcernCategory,
    kind: str,
    old: str,
    new: str,
    reason: str,
) -> ConcernCategoryChange:
    change = ConcernCategoryChange(
        school_id=category.school_id,
        category=category,
        kind=kind,
        old_value=old,
        new_value=new,
        reason=reason,
        changed_by=actor.user,
    )
    change.full_clean()
    change.save()
    access_record(
        action=AccessAction.CREATE if kind == CategoryChangeKind.ADDED else AccessAction.CHANGE,
        actor=actor,
        subject=change,
        detail=f"concern category {kind}",
    )
    return change


@transaction.atomic
def concern_category_add(
    *,
    actor: Actor,
    school: School,
    name: str,
    records_body_map: bool,
    dsl_team_only: bool,
    reason: str,
) -> ConcernCategory:
    """A new category, offered for new concerns at once."""
    reason = _reason(reason)
    School.objects.select_for_update().filter(pk=school.pk).first()
    category = ConcernCategory(
        school=school,
        name=_check_name(school, name),
        records_body_map=records_body_map,
        dsl_team_only=dsl_team_only,
    )
    category.full_clean()
    category.save()
    flags = [
        label
        for label, on in (
            ("records a body map", records_body_map),
            ("for the DSL team only", dsl_team_only),
        )
        if on
    ]
    shown = category.name + (f" ({', '.join(flags)})" if flags else "")
    _record(
        actor=actor,
        category=category,
        kind=CategoryChangeKind.ADDED,
        old="",
        new=shown[:100],
        reason=reason,
    )
    return category


@transaction.atomic
def concern_category_change(
    *,
    actor: Actor,
    category: ConcernCategory,
    name: str,
    active: bool,
    records_body_map: bool,
    dsl_team_only: bool,
    reason: str,
    dsl_team_only_confirmed: bool = False,
) -> list[ConcernCategoryChange]:
    """Rename, retire or offer again, or change a flag: one history row for each thing that
    changed, all with the same reason. Refuses a change that would leave the school with no
    category to raise a concern in, and turning "for the DSL team only" off by anyone but
    the school's DSL."""
    reason = _reason(reason)
    category = ConcernCategory.objects.select_for_update().get(pk=category.pk)
    school = category.school
    new_name = _check_name(school, name, other_than=category.pk)
    changes: list[tuple[str, str, str]] = []
    if new_name != category.name:
        changes.append((CategoryChangeKind.RENAMED, category.name, new_name))
    if active != category.active:
        if not active:
            offered = ConcernCategory.objects.select_for_update().filter(school=school, active=True)
            if not offered.exclude(pk=category.pk).exists():
                raise ValidationError({"active": LAST_ONE})
        kind = CategoryChangeKind.REINSTATED if active else CategoryChangeKind.RETIRED
        changes.append((kind, _yes_no(category.active), _yes_no(active)))
    if records_body_map != category.records_body_map:
        changes.append(
            (
                CategoryChangeKind.BODY_MAP,
                _yes_no(category.records_body_map),
                _yes_no(records_body_map),
            )
        )
    if dsl_team_only != category.dsl_team_only:
        if not dsl_team_only_confirmed:
            raise ValidationError({"dsl_team_only": CONFIRM_DSL_TEAM_ONLY})
        if not dsl_team_only and not may_open_dsl_team_only(actor.user, school):
            raise ValidationError({"dsl_team_only": ONLY_THE_DSL_OPENS})
        changes.append(
            (
                CategoryChangeKind.DSL_TEAM_ONLY,
                _yes_no(category.dsl_team_only),
                _yes_no(dsl_team_only),
            )
        )
    if not changes:
        raise ValidationError(NOTHING_CHANGED)
    category.name = new_name
    category.active = active
    category.records_body_map = records_body_map
    category.dsl_team_only = dsl_team_only
    category.full_clean()
    category.save()
    return [
        _record(actor=actor, category=category, kind=kind, old=old, new=new, reason=reason)
        for kind, old, new in changes
    ]
