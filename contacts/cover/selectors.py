"""Reads for the absence, cover and directory pages: a fixed number of queries each,
whatever the number of absences, cases or entries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from cases.models import Case
from cases.permissions import CASE_WORK_ROLES
from contacts.cover.permissions import COVER_ROLES, STAFF_ROLES, leadership_schools
from contacts.models import (
    Concern,
    ContactSettings,
    CoverAssignment,
    DirectoryEntry,
    StaffAbsence,
)
from contacts.services import CONTACTABLE_STATUSES
from schools.models import Membership, School, Site
from schools.permissions import CLASS_ROLES, pupils_visible_to

ABSENCE_LIST_LIMIT = 200


def settings_for(schools: list[School]) -> dict[int, ContactSettings]:
    """Each school's contact settings, or the defaults (unsaved) where none are kept yet."""
    found = {s.school_id: s for s in ContactSettings.objects.filter(school__in=schools)}
    return {school.pk: found.get(school.pk) or ContactSettings(school=school) for school in schools}


def staff_choices(
    schools: list[School], roles: frozenset[str] = STAFF_ROLES
) -> dict[int, list[tuple[int, str]]]:
    """For each school, its staff holding one of ``roles`` as (user id, name), by name."""
    rows = (
        Membership.objects.filter(school__in=schools, role__in=roles, user__is_active=True)
        .values_list("school_id", "user_id", "user__full_name", "user__email")
        .distinct()
    )
    choices: dict[int, dict[int, str]] = defaultdict(dict)
    for school_id, user_id, full_name, email in rows:
        choices[school_id][user_id] = full_name or email
    return {
        school.pk: sorted(choices[school.pk].items(), key=lambda item: item[1].lower())
        for school in schools
    }


def own_absences(user: object, limit: int = 20) -> list[StaffAbsence]:
    return list(StaffAbsence.objects.filter(staff=user).select_related("school")[:limit])


def absences_for_list(user: object) -> list[StaffAbsence]:
    return list(
        StaffAbsence.objects.filter(school__in=leadership_schools(user))
        .select_related("staff", "school", "reported_by")
        .annotate(cover_count=Count("cover"))
        .order_by("-first_day", "-id")[:ABSENCE_LIST_LIMIT]
    )


# --- The cover list --------------------------------------------------------------------------


@dataclass
class CoverRow:
    case: Case
    cover: CoverAssignment | None = None
    form: object = None


@dataclass
class AbsenceCover:
    absence: StaffAbsence
    rows: list[CoverRow] = field(default_factory=list)
    choices: list[tuple[int, str]] = field(default_factory=list)
    all_form: object = None

    @property
    def uncovered(self) -> int:
        return sum(1 for row in self.rows if row.cover is None)


def cases_to_cover(user: object) -> "QuerySet[Case]":  # noqa: F821
    """The active cases this person may work on (and so may hand to someone else)."""
    return Case.objects.filter(
        status__in=CONTACTABLE_STATUSES,
        pupil__in=pupils_visible_to(user, roles=CASE_WORK_ROLES),
    )


def cover_list(user: object, day: datetime.date) -> list[AbsenceCover]:
    """Current and coming absences at the schools this person leads, each with the absent
    person's cases that this person may work on, and who covers each."""
    schools = leadership_schools(user)
    if not schools:
        return []
    absences = list(
        StaffAbsence.objects.filter(school__in=schools, last_day__gte=day)
        .select_related("staff", "school")
        .order_by("first_day", "id")
    )
    if not absences:
        return []
    classes_of: dict[tuple[int, int], set[int]] = defaultdict(set)
    for user_id, school_id, class_id in Membership.objects.filter(
        user_id__in={a.staff_id for a in absences},
        school__in=schools,
        role__in=CLASS_ROLES,
        school_class__isnull=False,
    ).values_list("user_id", "school_id", "school_class_id"):
        classes_of[(user_id, school_id)].add(class_id)
    all_classes = set().union(*classes_of.values()) if classes_of else set()
    cases = list(
        cases_to_cover(user)
        .filter(pupil__school_class_id__in=all_classes)
        .select_related("pupil__school_class")
        .order_by("pupil__school_class__name", "pupil__last_name", "pupil__first_name", "id")
    )
    covers = {
        (cover.absence_id, cover.case_id): cover
        for cover in CoverAssignment.objects.filter(absence__in=absences).select_related(
            "covered_by"
        )
    }
    choices = staff_choices(schools, COVER_ROLES)
    result = []
    for absence in absences:
        classes = classes_of.get((absence.staff_id, absence.school_id), set())
        entry = AbsenceCover(
            absence=absence,
            choices=[c for c in choices.get(absence.school_id, []) if c[0] != absence.staff_id],
        )
        for case in cases:
            if (
                case.pupil.school_class_id in classes
                and case.pupil.school_id == absence.school_id
                and case.start_date <= absence.last_day
            ):
                entry.rows.append(CoverRow(case=case, cover=covers.get((absence.pk, case.pk))))
        result.append(entry)
    return result


# --- The directory ---------------------------------------------------------------------------


@dataclass
class SiteEntries:
    site: Site
    entries: list[DirectoryEntry] = field(default_factory=list)


@dataclass
class ConcernGroup:
    concern: str
    label: str
    school_wide: list[DirectoryEntry] = field(default_factory=list)
    sites: list[SiteEntries] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.school_wide and not self.sites


@dataclass
class SchoolDirectory:
    school: School
    settings: ContactSettings
    groups: list[ConcernGroup]
    entries: list[DirectoryEntry]


def directory_for(schools: list[School]) -> list[SchoolDirectory]:
    """Each school's directory grouped by concern (in the policy's order), whole-school entries
    first, then each site's under the site's name."""
    if not schools:
        return []
    settings = settings_for(schools)
    by_school: dict[int, list[DirectoryEntry]] = defaultdict(list)
    for entry in (
        DirectoryEntry.objects.filter(school__in=schools)
        .select_related("site")
        .order_by("school_id", "site__name", "position", "name", "id")
    ):
        by_school[entry.school_id].append(entry)
    result = []
    for school in schools:
        entries = by_school.get(school.pk, [])
        groups = []
        for concern in Concern:
            group = ConcernGroup(concern=concern.value, label=concern.label)
            sites: dict[int, SiteEntries] = {}
            for entry in entries:
                if entry.concern != concern:
                    continue
                if entry.site_id is None:
                    group.school_wide.append(entry)
                else:
                    sites.setdefault(entry.site_id, SiteEntries(site=entry.site)).entries.append(
                        entry
                    )
            group.sites = list(sites.values())
            groups.append(group)
        result.append(
            SchoolDirectory(
                school=school, settings=settings[school.pk], groups=groups, entries=entries
            )
        )
    return result


def sites_of(schools: list[School]) -> list[Site]:
    return list(Site.objects.filter(school__in=schools).select_related("school"))
