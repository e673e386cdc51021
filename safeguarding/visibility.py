"""Which concerns a person may read: the one rule every page, list, count and PDF reads through.

A concern is read by the DSL team of the pupil's site (DSL and deputy DSLs, or a school-wide
DSL) and the headteacher, except a concern of a category the school keeps for the DSL team
only (``ConcernCategory.dsl_team_only``): that one is read by the DSL team alone. The
headteacher is not on the DSL team unless they also hold a DSL role. What is recorded on a
concern (actions, decisions, referrals, addenda, documents, body marks, notifications) follows
its concern.

Anything new that lists or counts concerns, or what is recorded on them, for a person (a
list of someone's own tasks, a household view) reads through ``concerns_visible_to`` (or
``concerns_known_to`` for a bare count) rather than filtering by role itself.

As elsewhere, the rule exists twice: a queryset scope for lists and a predicate for one
concern, and the tests check they agree.
"""

from django.db.models import Q, QuerySet

from safeguarding.models import Concern, ConcernCategory
from schools.permissions import DSL_ROLES, SAFEGUARDING_ROLES, pupils_visible_to


def concern_reader_roles(category: ConcernCategory) -> frozenset[str]:
    """The roles over the pupil that read a concern of this category."""
    return DSL_ROLES if category.dsl_team_only else SAFEGUARDING_ROLES


def may_read_concern(roles_over_pupil: frozenset[str], category: ConcernCategory) -> bool:
    """The predicate matching ``concerns_visible_to``, given the person's roles over the pupil."""
    return bool(roles_over_pupil & concern_reader_roles(category))


def concerns_visible_to(user: object) -> QuerySet[Concern]:
    """Concerns whose content this person may read: one SQL statement."""
    return Concern.objects.filter(
        Q(
            pupil__in=pupils_visible_to(user, roles=SAFEGUARDING_ROLES),
            category__dsl_team_only=False,
        )
        | Q(pupil__in=pupils_visible_to(user, roles=DSL_ROLES))
    )


def concerns_known_to(user: object) -> Q:
    """A filter on Concern for counts shown to people who do not read concerns (how many were
    raised from a session): a concern of a category kept for the DSL team only is counted
    only for those who may read it and for the member of staff who raised it."""
    return (
        Q(category__dsl_team_only=False)
        | Q(raised_by_id=getattr(user, "pk", None))
        | Q(pk__in=concerns_visible_to(user).values("pk"))
    )
