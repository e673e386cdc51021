"""Who may email a group of families, and which groups.

Class teams write to the families of their class; SLT to the class, site or school their role
covers; the headteacher to the whole school or any part of it. Nobody else sends notices to
families, and anyone else is told the pages do not exist.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from contacts.messages.selectors import with_delivery_counts
from contacts.models import FamilyMessage, MessageScope
from core.actor import Actor
from dataprotection.refusals import refuse
from schools.models import Role, SchoolClass, Site
from schools.permissions import CLASS_ROLES, memberships_of


@dataclass(frozen=True)
class Audience:
    key: str
    label: str
    scope: str
    school_id: int
    site_id: int | None = None
    class_id: int | None = None


def _class_audience(school_class: SchoolClass, school_id: int) -> Audience:
    return Audience(
        key=f"class-{school_class.pk}",
        label=f"Families in {school_class.name}",
        scope=MessageScope.CLASS,
        school_id=school_id,
        class_id=school_class.pk,
    )


def _site_audience(site: Site) -> Audience:
    return Audience(
        key=f"site-{site.pk}",
        label=f"Families at {site.name}",
        scope=MessageScope.SITE,
        school_id=site.school_id,
        site_id=site.pk,
    )


def audiences_for(user: object) -> list[Audience]:
    """The groups of families this person may write to. Two queries at most (memberships are
    cached on the user; the headteacher's sites are listed)."""
    audiences: dict[str, Audience] = {}
    whole_schools: list[object] = []
    for membership in memberships_of(user):
        leads_a_class = membership.role in CLASS_ROLES or membership.role == Role.SLT
        if leads_a_class and membership.school_class_id is not None:
            audience = _class_audience(membership.school_class, membership.school_id)
            audiences[audience.key] = audience
            continue
        if membership.role == Role.SLT and membership.site_id is not None:
            audience = _site_audience(membership.site)
            audiences[audience.key] = audience
        elif membership.role in (Role.SLT, Role.HEADTEACHER):
            whole_schools.append(membership.school)
    for school in whole_schools:
        audience = Audience(
            key=f"school-{school.pk}",
            label=f"Every family at {school.name}",
            scope=MessageScope.SCHOOL,
            school_id=school.pk,
        )
        audiences[audience.key] = audience
    if whole_schools:
        for site in Site.objects.filter(school__in=whole_schools).order_by("name"):
            audiences.setdefault(f"site-{site.pk}", _site_audience(site))
    return sorted(audiences.values(), key=lambda a: (a.scope != "school", a.scope, a.label))


def can_message_families(user: object) -> bool:
    return bool(audiences_for(user))


def family_messages_visible_to(user: object) -> QuerySet[FamilyMessage]:
    """Messages sent to a group this person may write to, and their own."""
    audiences = audiences_for(user)
    if not audiences:
        return FamilyMessage.objects.none()
    condition = Q(sent_by_id=getattr(user, "pk", None))
    for audience in audiences:
        if audience.scope == MessageScope.SCHOOL:
            condition |= Q(school_id=audience.school_id)
        elif audience.scope == MessageScope.SITE:
            condition |= Q(site_id=audience.site_id) | Q(school_class__site_id=audience.site_id)
        else:
            condition |= Q(school_class_id=audience.class_id)
    return FamilyMessage.objects.filter(condition)


# --- The gates: the one door a view uses to reach the messages' pages or one message ---------

MESSAGE_SUBJECT = FamilyMessage._meta.label_lower


def access_family_messages(actor: Actor) -> None:
    """The messages' pages exist only for people who may write to some group of families."""
    if not can_message_families(actor.user):
        refuse(actor, detail="may not message families", subject_type=MESSAGE_SUBJECT)


def access_family_message(actor: Actor, pk: int) -> FamilyMessage:
    """One message (with its delivery counts) sent to a group this person may write to, or
    their own; otherwise a 404 that looks exactly like a message that does not exist."""
    access_family_messages(actor)
    message = with_delivery_counts(family_messages_visible_to(actor.user)).filter(pk=pk).first()
    if message is None:
        refuse(
            actor,
            detail="message not visible to this person",
            subject_type=MESSAGE_SUBJECT,
            subject_id=pk,
        )
    return message
