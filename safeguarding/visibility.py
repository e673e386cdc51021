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

A concern can name other pupils of the school (``Concern.other_pupils``). It is then known,
in each named pupil's chronology, to those who would read a concern of that category about
the named pupil (``concerns_naming_visible_to``, ``may_know_naming``): that the pupil was named,
the category, the date and the urgency. Knowing of it that way opens neither the concern's
account nor the name of the pupil it is about: that is still ``concerns_visible_to``, through
the pupil the concern is about.

As elsewhere, the rule exists twice: a queryset scope for lists and a predicate for one
concern, and the tests check they agree.
"""

from django.db.models import Q, QuerySet

from safeguarding.models import Concern, ConcernCategory, ConcernPupil
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


def may_know_naming(roles_over_named_pupil: frozenset[str], category: ConcernCategory) -> bool:
    """The predicate matching ``concerns_naming_visible_to``, given the person's roles over the
    pupil the concern names: the same roles as would read a concern about that pupil."""
    return may_read_concern(roles_over_named_pupil, category)


def concerns_naming_visible_to(user: object, *, pupil: object | None = None) -> QuerySet[Concern]:
    """Concerns naming a pupil through whom this person knows of them (only ``pupil``, when
    given): one SQL statement. The category rule is the one of ``concerns_visible_to``."""
    named = ConcernPupil.objects.all()
    if pupil is not None:
        named = named.filter(pupil=pupil)
    return Concern.objects.filter(
        Q(
            pk__in=named.filter(pupil__in=pupils_visible_to(user, roles=SAFEGUARDING_ROLES)).values(
                "concern_id"
            ),
            category__dsl_team_only=False,
        )
        | Q(
            pk__in=named.filter(pupil__in=pupils_visible_to(user, roles=DSL_ROLES)).values(
                "concern_id"
            )
        )
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
