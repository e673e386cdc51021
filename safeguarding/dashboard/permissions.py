"""The doors of the DSL dashboard, a case's safeguarding page and home visits (policy sections
3.2 and 3.4).

A case's safeguarding page is for the DSL team of the pupil's site and the headteacher; home
visits are arranged, agreed and recorded by them and SLT. Those who read the case but may not
act here get an audited 403; everyone else the same audited 404 as for a record that does not
exist.
"""

from dataclasses import dataclass

from cases.models import Case
from cases.permissions import can_view_case
from core.actor import Actor
from dataprotection.refusals import refuse
from safeguarding.dashboard.selectors import (
    case_for_safeguarding,
    involvement_for_page,
    visit_for_page,
)
from safeguarding.models import Concern, HomeVisit, Involvement
from safeguarding.permissions import can_use_dashboard
from safeguarding.visits.services import Agreement
from schools.permissions import (
    DSL_ROLES,
    LEADERSHIP_ROLES,
    SAFEGUARDING_ROLES,
    pupil_access,
)

CASE_SUBJECT = Case._meta.label_lower
# Who arranges, agrees and records home visits: the DSL team, SLT and the headteacher.
VISIT_ROLES = DSL_ROLES | LEADERSHIP_ROLES
# Whose agreement each of a visit's two agreements is.
AGREEMENT_ROLES = {Agreement.SLT: LEADERSHIP_ROLES, Agreement.DSL: DSL_ROLES}


def access_dashboard(actor: Actor) -> None:
    """The dashboard: anyone holding a DSL, deputy DSL or headteacher role."""
    if not can_use_dashboard(actor.user):
        refuse(
            actor,
            subject_type=Concern._meta.label_lower,
            detail="safeguarding dashboard refused",
        )


def _case_roles(actor: Actor, case: Case | None, pk: int) -> frozenset[str]:
    """The person's roles over the case's pupil; 404 if they may not see the case."""
    if case is None or not can_view_case(actor.user, case):
        refuse(
            actor,
            subject_type=CASE_SUBJECT,
            subject_id=pk,
            pupil_id=case.pupil_id if case is not None else None,
            detail="case not visible to this person",
        )
    return pupil_access(actor.user, case.pupil).roles


def _require(actor: Actor, case: Case, roles: frozenset[str], needed: frozenset[str]) -> None:
    if not roles & needed:
        refuse(
            actor,
            status=403,
            subject_type=CASE_SUBJECT,
            subject_id=case.pk,
            pupil_id=case.pupil_id,
            detail="may see this case but not act on its safeguarding",
        )


def access_safeguarding_case(actor: Actor, pk: int) -> Case:
    """The case's safeguarding page and its actions: the DSL team and the headteacher."""
    case = case_for_safeguarding(pk)
    _require(actor, case, _case_roles(actor, case, pk), SAFEGUARDING_ROLES)
    return case


def access_visit_case(actor: Actor, pk: int) -> Case:
    """The case a home visit is asked for: the DSL team, SLT and the headteacher."""
    case = case_for_safeguarding(pk)
    _require(actor, case, _case_roles(actor, case, pk), VISIT_ROLES)
    return case


def access_involvement(actor: Actor, pk: int) -> tuple[Involvement, Case]:
    """An involvement to end, with its case, for those who act on the case's safeguarding."""
    involvement = involvement_for_page(pk)
    if involvement is None:
        refuse(
            actor,
            subject_type=Involvement._meta.label_lower,
            subject_id=pk,
            detail="no such involvement",
        )
    return involvement, access_safeguarding_case(actor, involvement.case_id)


@dataclass(frozen=True, slots=True)
class VisitAccess:
    """A home visit and what the person may do with it."""

    visit: HomeVisit
    roles: frozenset[str]

    def may_agree(self, which: str) -> bool:
        return bool(self.roles & AGREEMENT_ROLES.get(which, frozenset()))

    @property
    def may_see_case_page(self) -> bool:
        return bool(self.roles & SAFEGUARDING_ROLES)


def access_visit(actor: Actor, pk: int) -> VisitAccess:
    """The visit for the DSL team, SLT and the headteacher of its pupil."""
    visit = visit_for_page(pk)
    if visit is None:
        refuse(
            actor,
            subject_type=HomeVisit._meta.label_lower,
            subject_id=pk,
            detail="no such visit",
        )
    roles = _case_roles(actor, visit.case, visit.case_id)
    _require(actor, visit.case, roles, VISIT_ROLES)
    return VisitAccess(visit, roles)


def access_visit_agreement(actor: Actor, access: VisitAccess, which: str) -> None:
    """SLT's agreement is SLT's or the headteacher's to give, the DSL's the DSL team's: 403."""
    if not access.may_agree(which):
        refuse(
            actor,
            status=403,
            subject_type=HomeVisit._meta.label_lower,
            subject_id=access.visit.pk,
            pupil_id=access.visit.case.pupil_id,
            detail=f"may not give the {which} agreement",
        )
