"""The household of a pupil: the pupils who share at least one carer record with them, with
what the viewer may see of each. Five queries, whatever the number of pupils, carers,
concerns, cases and visits."""

from dataclasses import dataclass, field

from cases.models import OPEN_STATUSES, Case
from safeguarding.households.permissions import can_see_household_member
from safeguarding.models import Concern, ConcernStatus, HomeVisit
from safeguarding.visibility import concerns_visible_to
from schools.models import Carer, CarerLink, Pupil


@dataclass
class Member:
    pupil: Pupil
    visible: bool
    is_subject: bool = False
    concerns: list[Concern] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    visits: list[HomeVisit] = field(default_factory=list)


@dataclass
class SharedCarer:
    carer: Carer
    links: list[tuple[CarerLink, Member]]


@dataclass
class Household:
    pupil: Pupil
    members: list[Member]  # the pupil first, then the linked pupils by name
    shared_carers: list[SharedCarer]

    @property
    def linked(self) -> list[Member]:
        return [m for m in self.members if not m.is_subject]

    @property
    def shown_pupil_ids(self) -> list[int]:
        return [m.pupil.pk for m in self.members if m.visible]


def household_for(viewer: object, pupil: Pupil) -> Household:
    links = list(
        CarerLink.objects.filter(carer__links__pupil=pupil)
        .select_related("carer", "pupil__school_class__site")
        .order_by("carer__full_name", "carer_id", "priority", "id")
        .distinct()
    )
    members: dict[int, Member] = {pupil.pk: Member(pupil=pupil, visible=True, is_subject=True)}
    for link in links:
        if link.pupil_id not in members:
            members[link.pupil_id] = Member(
                pupil=link.pupil, visible=can_see_household_member(viewer, link.pupil)
            )
    shown = [pk for pk, m in members.items() if m.visible]
    for concern in (
        concerns_visible_to(viewer)
        .filter(pupil_id__in=shown)
        .exclude(status=ConcernStatus.CLOSED)
        .select_related("category")
        .order_by("-raised_at", "-id")
    ):
        members[concern.pupil_id].concerns.append(concern)
    for case in Case.objects.filter(pupil_id__in=shown, status__in=OPEN_STATUSES).order_by(
        "end_date", "id"
    ):
        members[case.pupil_id].cases.append(case)
    for visit in (
        HomeVisit.objects.filter(case__pupil_id__in=shown, visited_on__isnull=True)
        .select_related("case")
        .order_by("planned_for", "requested_at", "id")
    ):
        members[visit.case.pupil_id].visits.append(visit)

    by_carer: dict[int, SharedCarer] = {}
    for link in links:
        entry = by_carer.setdefault(link.carer_id, SharedCarer(carer=link.carer, links=[]))
        entry.links.append((link, members[link.pupil_id]))
    subject, *others = members.values()
    others.sort(key=lambda m: (m.pupil.last_name, m.pupil.first_name, m.pupil.pk))
    return Household(
        pupil=pupil,
        members=[subject, *others],
        shared_carers=[c for c in by_carer.values() if len(c.links) > 1],
    )
