"""Who may ask for, and read, oversight reports and the governors' summary.

SLT oversight reports (policy section 3.3) carry pupil-level figures, so they follow the same
scopes as pupils do (``schools.permissions``): the headteacher covers the whole school; an SLT
membership covers what it names (the school, one site or one class). A person may ask for a
report on any scope their memberships cover, and read any report whose scope one of their
memberships covers, whoever asked for it. Anyone else is told the report does not exist
(404). A person who no longer holds the role loses access to the reports they asked for.

The governors' summary (section 3.7) holds aggregates only; governors, the chair and the
headteacher read it for their school.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.actor import Actor
from dataprotection.refusals import Access, refuse
from oversight.models import OversightReport
from schools.models import Membership, School, SchoolClass, Site
from schools.permissions import (
    GOVERNOR_READER_ROLES,
    LEADERSHIP_ROLES,
    memberships_of,
    school_ids_with_roles,
    scoped_record_covered,
    scoped_record_grant,
)

REPORT_ROLES = LEADERSHIP_ROLES
GOVERNOR_SUMMARY_ROLES = GOVERNOR_READER_ROLES


def _report_memberships(user: object) -> list[Membership]:
    return [m for m in memberships_of(user) if m.role in REPORT_ROLES]


def can_request_reports(user: object) -> bool:
    return bool(_report_memberships(user))


def reports_visible_to(user: object) -> QuerySet[OversightReport]:
    """Every report whose scope this person's SLT or headteacher memberships cover."""
    memberships = _report_memberships(user)
    if not memberships:
        return OversightReport.objects.none()
    combined = scoped_record_grant(memberships[0])
    for membership in memberships[1:]:
        combined |= scoped_record_grant(membership)
    return OversightReport.objects.filter(combined)


def can_view_report(user: object, report: OversightReport) -> bool:
    """The predicate matching ``reports_visible_to``."""
    return any(scoped_record_covered(m, report) for m in _report_memberships(user))


@dataclass(frozen=True, slots=True)
class ReportScope:
    """A scope offered on the form: its value in the form, its label, and its ids."""

    value: str
    label: str
    school_id: int
    site_id: int | None = None
    class_id: int | None = None


def report_scopes_for(user: object) -> list[ReportScope]:
    """Every scope this person may ask a report for: what their memberships name, and the
    sites and classes inside it. Two queries at most, whatever their memberships."""
    memberships = _report_memberships(user)
    whole_schools = {
        m.school_id: m.school
        for m in memberships
        if m.site_id is None and m.school_class_id is None
    }
    site_ids = {m.site_id for m in memberships if m.site_id is not None}
    class_ids = {m.school_class_id for m in memberships if m.school_class_id is not None}
    scopes: dict[str, ReportScope] = {}
    for school in sorted(whole_schools.values(), key=lambda s: (s.name, s.pk)):
        value = f"school-{school.pk}"
        scopes[value] = ReportScope(value, f"Whole school: {school.name}", school.pk)
    if not memberships:
        return []
    sites = Site.objects.filter(Q(school_id__in=whole_schools) | Q(pk__in=site_ids)).select_related(
        "school"
    )
    for site in sites.order_by("school__name", "name"):
        value = f"site-{site.pk}"
        scopes[value] = ReportScope(value, f"Site: {site.name}", site.school_id, site_id=site.pk)
    classes = SchoolClass.objects.filter(
        Q(site__school_id__in=whole_schools) | Q(site_id__in=site_ids) | Q(pk__in=class_ids)
    ).select_related("site")
    for school_class in classes.order_by("site__school__name", "site__name", "name"):
        value = f"class-{school_class.pk}"
        scopes[value] = ReportScope(
            value,
            f"Class: {school_class.name} ({school_class.site.name})",
            school_class.site.school_id,
            site_id=school_class.site_id,
            class_id=school_class.pk,
        )
    return list(scopes.values())


REPORT_SUBJECT = OversightReport._meta.label_lower


def access_reports(actor: Actor) -> None:
    """The list and the form: SLT and the headteacher; an audited 404 for everyone else."""
    if not can_request_reports(actor.user):
        refuse(actor, detail="oversight reports", subject_type=REPORT_SUBJECT)


def access_report(actor: Actor, pk: int, *, to: Access = "read") -> OversightReport:
    """The report without its PDF bytes, if this person's scope covers it; anyone it covers
    may also act on it (try it again), so ``to`` changes nothing. Otherwise the same audited
    404 as for a report that does not exist."""
    access_reports(actor)
    report = (
        reports_visible_to(actor.user)
        .select_related("school", "site", "school_class__site", "requested_by")
        .defer("content")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        refuse(actor, detail="report not visible", subject_type=REPORT_SUBJECT, subject_id=pk)
    return report


# --- The governors' summary -------------------------------------------------------------------


def governor_school_ids(user: object) -> list[int]:
    """The schools whose governors' summary this person reads, in a stable order."""
    return sorted(school_ids_with_roles(user, GOVERNOR_SUMMARY_ROLES))


def can_view_governors_summary(user: object) -> bool:
    return bool(governor_school_ids(user))


SUMMARY_SUBJECT = "oversight.governorssummary"


def access_governors_summary(actor: Actor, wanted: str | None) -> School:
    """The school whose summary is asked for (``wanted``: its id from ``?school=``, default
    the first one the person governs), if they read that school's summary; else an audited
    404."""
    school_ids = governor_school_ids(actor.user)
    if wanted is None and school_ids:
        wanted = str(school_ids[0])
    if not school_ids or not (wanted or "").isdigit() or int(wanted) not in school_ids:
        refuse(actor, detail="governors' summary", subject_type=SUMMARY_SUBJECT)
    return School.objects.get(pk=int(wanted))
