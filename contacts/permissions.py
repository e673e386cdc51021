"""Who may log contact with families, see the contact history and decide the contact plan
(policy section 3.2).

- Logging: the teachers and class staff of the pupil's class, SLT over it and the headteacher
  (everyone who works on the case), and whoever was given cover for the case while its usual
  teacher is absent (only on the days the absence covers).
- Today page: everyone who works on cases, and anyone covering a case today.
- Contact history: everyone who reads the case (the site's DSL team too), and the cover.
- The member of staff the contact plan names for the weekly wellbeing check (section 3.2,
  "teacher or other designated member of staff"): sees the pupil on Today, logs contacts and
  reads the contact history, while the plan names them and they hold a role that contacts
  families at the pupil's school (who may be named: staff_for_wellbeing_check).
- The contact plan (more frequent calls): the DSL team of the pupil's site and the
  headteacher decide it.
- Carers' phone numbers and emails: only roles that contact families (CARER_CONTACT_ROLES).

Each rule is a predicate and, where a page lists things, the matching queryset scope.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Case, Status
from cases.permissions import CASE_SUBJECT, can_view_case, can_work_on_case
from contacts.models import ContactPlan, CoverAssignment
from core.actor import Actor
from dataprotection.refusals import Access, refuse, refuse_unless
from schools.calendar import today
from schools.permissions import (
    CARER_CONTACT_ROLES,
    CASE_WORK_ROLES,
    CONTACT_PLAN_ROLES,
    LEADERSHIP_ROLES,
    memberships_of,
    pupil_access,
    pupils_visible_to,
    school_ids_with_roles,
)

CONTACTABLE_STATUSES = (Status.ACTIVE, Status.REINTEGRATING)


def cover_today(user: object, day: datetime.date) -> QuerySet[CoverAssignment]:
    """The cover this person was given for ``day`` (their colleague's absence includes it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CoverAssignment.objects.none()
    return CoverAssignment.objects.filter(
        covered_by=user, absence__first_day__lte=day, absence__last_day__gte=day
    )


def is_covering(user: object, case: Case, day: datetime.date) -> bool:
    return cover_today(user, day).filter(case=case).exists()


def staff_for_wellbeing_check(school_id: int) -> QuerySet:
    """Who a contact plan may name for the weekly wellbeing check: active staff of the
    pupil's school in a role that contacts families (they must be able to reach the carers)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__school_id=school_id,
            memberships__role__in=CARER_CONTACT_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _named_in_plan(user: object, case: Case) -> bool:
    try:
        return case.contact_plan.wellbeing_check_by_id == user.pk
    except ContactPlan.DoesNotExist:
        return False


def is_designated_for_check(user: object, case: Case) -> bool:
    """Whether the case's plan names this person for the weekly wellbeing check, and they
    still hold a role that contacts families at the pupil's school. No query when the plan
    was loaded with the case and the memberships are cached."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    school_ids = school_ids_with_roles(user, CARER_CONTACT_ROLES)
    return case.pupil.school_id in school_ids and _named_in_plan(user, case)


def cases_designated_to(user: object) -> QuerySet[Case]:
    """The scope of is_designated_for_check: one SQL statement."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    school_ids = school_ids_with_roles(user, CARER_CONTACT_ROLES)
    if not school_ids:
        return Case.objects.none()
    return Case.objects.filter(
        contact_plan__wellbeing_check_by=user, pupil__school_id__in=school_ids
    )


def works_on_cases(user: object) -> bool:
    """Whether this person works on cases anywhere (no query: memberships are cached)."""
    return any(m.role in CASE_WORK_ROLES for m in memberships_of(user))


def leads_classes(user: object) -> bool:
    """SLT or headteacher somewhere: they see who is behind, per class and per teacher."""
    return any(m.role in LEADERSHIP_ROLES for m in memberships_of(user))


def can_view_today(user: object, day: datetime.date) -> bool:
    return (
        works_on_cases(user)
        or cover_today(user, day).exists()
        or cases_designated_to(user).filter(status__in=CONTACTABLE_STATUSES).exists()
    )


def cases_for_today(user: object, day: datetime.date) -> QuerySet[Case]:
    """Started active or reintegrating cases this person makes contact for on ``day``: their
    classes' (or the classes they lead), the cases they cover and those whose plan names them
    for the weekly wellbeing check. One SQL statement, annotated with ``via_class`` (False
    when the person reaches the case only through cover or the plan)."""
    in_my_classes = pupils_visible_to(user, roles=CASE_WORK_ROLES)
    covered = cover_today(user, day).values("case_id")
    designated = cases_designated_to(user).values("pk")
    return Case.objects.filter(
        Q(pupil__in=in_my_classes) | Q(pk__in=covered) | Q(pk__in=designated),
        status__in=CONTACTABLE_STATUSES,
        start_date__lte=day,
    ).annotate(via_class=Exists(in_my_classes.filter(pk=OuterRef("pupil_id"))))


def can_view_contacts(user: object, case: Case, day: datetime.date) -> bool:
    return (
        can_view_case(user, case)
        or is_designated_for_check(user, case)
        or is_covering(user, case, day)
    )


def can_log_contact(user: object, case: Case, day: datetime.date) -> bool:
    return (
        can_work_on_case(user, case)
        or is_designated_for_check(user, case)
        or is_covering(user, case, day)
    )


def can_decide_plan(user: object, case: Case) -> bool:
    return bool(pupil_access(user, case.pupil).roles & CONTACT_PLAN_ROLES)


def carer_contacts_shown(user: object, case: Case, *, via_class: bool) -> bool:
    """Carers' phone numbers and emails: for roles that contact families. A person covering
    the case sees them when they hold such a role at the pupil's school. No query."""
    school_id = case.pupil.school_id
    roles = {m.role for m in memberships_of(user) if m.school_id == school_id}
    if via_class:
        # The case reached them through a class role (all of which contact families).
        return bool(roles & CARER_CONTACT_ROLES & CASE_WORK_ROLES)
    return bool(roles & CARER_CONTACT_ROLES)


# --- The gates: the one door a view uses to reach Today or a case's contacts ------------------


def access_today(actor: Actor, day: datetime.date) -> None:
    refuse_unless(
        can_view_today(actor.user, day), actor, detail="today: no role that contacts families"
    )


def _case_for_contacts(actor: Actor, pk: int, what: str) -> Case:
    """The case for someone who may see its contacts (today's cover included); otherwise a
    404 that looks exactly like a case that does not exist."""
    # Imported here: the selectors read through the scopes defined in this module.
    from contacts.selectors import case_for_contacts

    case = case_for_contacts(pk)
    if case is None or not can_view_contacts(actor.user, case, today()):
        refuse(
            actor,
            detail=f"{what}: case not visible to this person",
            subject_type=CASE_SUBJECT,
            subject_id=pk,
            pupil_id=case.pupil_id if case is not None else None,
        )
    return case


def access_case_contacts(actor: Actor, pk: int, *, to: Access = "read") -> Case:
    """A case's contact history (read), or logging a contact on it (act: 403 for those who
    may read the history but not log, such as the DSL team)."""
    if to == "read":
        return _case_for_contacts(actor, pk, "contact history")
    case = _case_for_contacts(actor, pk, "log contact")
    if not can_log_contact(actor.user, case, today()):
        refuse(
            actor,
            detail="log contact: may read but not log",
            status=403,
            subject=case,
            pupil_id=case.pupil_id,
        )
    return case


def access_contact_plan(actor: Actor, pk: int) -> Case:
    """Deciding a case's contact plan: the DSL team and the headteacher; 403 for others who
    see the case."""
    case = _case_for_contacts(actor, pk, "contact plan")
    if not can_decide_plan(actor.user, case):
        refuse(
            actor,
            detail="contact plan: not the DSL team or headteacher",
            status=403,
            subject=case,
            pupil_id=case.pupil_id,
        )
    return case
