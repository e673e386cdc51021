"""Reads for the categories pages: a school's categories and their history of changes."""

from django.db.models import QuerySet

from safeguarding.models import ConcernCategory
from schools.models import School
from setup.models import ConcernCategoryChange

RECENT_CHANGES = 10


def categories_of(school: School) -> QuerySet[ConcernCategory]:
    """Every category of the school, offered ones first, by name: one query."""
    return ConcernCategory.objects.filter(school=school).order_by("-active", "name", "pk")


def category_changes_of(school: School) -> QuerySet[ConcernCategoryChange]:
    """The school's changes to its categories, newest first, with who made them."""
    return (
        ConcernCategoryChange.objects.filter(school=school)
        .select_related("changed_by", "category")
        .order_by("-changed_at", "-id")
    )
