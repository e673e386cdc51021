"""Every write to a school's structure: the school, its sites, pathways and classes.

Nothing is deleted: a site, pathway or class that is no longer used is archived, which hides
it from the pickers of new work and keeps its history readable.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.models import Membership, Pathway, Phase, Role, School, SchoolClass, Site
from schools.signals import school_created

NEW_URN = re.compile(r"^\d{6}$")
# One-time passwords leave out characters that are easily misread (0 and O, 1 and l).
UNAMBIGUOUS_CHARACTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _name(value: str, what: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationError({"name": f"Give the {what} a name."})
    return name


def _refuse_duplicate(others: models.QuerySet, name: str, message: str) -> None:
    """Names are matched as the MIS import matches them: ignoring case."""
    match = others.filter(name__iexact=name).first()
    if match is not None:
        archived = " (archived)" if match.is_archived else ""
        raise ValidationError({"name": f"{message}{archived}. Choose another name."})


def _audit(actor: Actor, action: AccessAction, record: models.Model, detail: str) -> None:
    access_record(action=action, actor=actor, subject=record, detail=detail)


# --- The school and its first headteacher or administrator ----------------------------------


@dataclass(frozen=True, slots=True)
class NewSchool:
    school: School
    user: object
    password: str | None  # the one-time password, or None when the account already existed


@transaction.atomic
def school_create(
    *,
    actor: Actor,
    urn: str,
    name: str,
    local_authority: str,
    email: str,
    full_name: str,
    as_administrator: bool = False,
) -> NewSchool:
    """A new school and its first headteacher (or administrator), who signs in with a
    one-time password and must then set up two-step verification (RequireMfaMiddleware)."""
    urn = urn.strip()
    errors: dict[str, str] = {}
    if not NEW_URN.match(urn):
        errors["urn"] = "A URN is six digits, for example 123456."
    elif School.objects.filter(urn=urn).exists():
        errors["urn"] = f"A school with URN {urn} already exists: nothing was changed."
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an email address such as head@school.example."
    full_name = " ".join(full_name.split())
    if not full_name:
        errors["full_name"] = "Give the person's name as colleagues know them."
    local_authority = " ".join(local_authority.split())
    if not local_authority:
        errors["local_authority"] = "Give the local authority, for example Leeds."
    if not " ".join(name.split()):
        errors["name"] = "Give the school's name."
    if errors:
        raise ValidationError(errors)
    school = School(
        urn=urn,
        name=" ".join(name.split()),
        local_authority=local_authority,
        safeguarding_partnership_name=f"{local_authority} Safeguarding Children Partnership",
    )
    school.full_clean()
    school.save()
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    password = None
    if user is None:
        password = get_random_string(20, UNAMBIGUOUS_CHARACTERS)
        user = user_model(email=email, full_name=full_name)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    if as_administrator:
        if not user.is_staff or not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        first = "administrator"
    else:
        Membership.objects.create(user=user, school=school, role=Role.HEADTEACHER)
        first = "headteacher"
    _audit(actor, AccessAction.CREATE, school, f"school created; first {first} is user {user.pk}")
    school_created.send(sender=School, school=school, actor=actor)
    return NewSchool(school=school, user=user, password=password)


@transaction.atomic
def school_update(
    *,
    actor: Actor,
    school: School,
    name: str,
    local_authority: str,
    safeguarding_partnership_name: str,
    safeguarding_partnership_url: str,
) -> School:
    school.name = _name(name, "school")
    school.local_authority = " ".join(local_authority.split())
    school.safeguarding_partnership_name = " ".join(safeguarding_partnership_name.split())
    school.safeguarding_partnership_url = safeguarding_partnership_url.strip()
    school.full_clean()
    school.save()
    _audit(actor, AccessAction.CHANGE, school, "school details changed")
    return school


# --- Sites ----------------------------------------------------------------------------------


@transaction.atomic
def site_create(*, actor: Actor, school: School, name: str) -> Site:
    name = _name(name, "site")
    _refuse_duplicate(school.sites.all(), name, f'There is already a site called "{name}"')
    site = Site(school=school, name=name)
    site.full_clean()
    site.save()
    _audit(actor, AccessAction.CREATE, site, "site added")
    return site


@transaction.atomic
def site_rename(*, actor: Actor, site: Site, name: str) -> Site:
    name = _name(name, "site")
    others = site.school.sites.exclude(pk=site.pk)
    _refuse_duplicate(others, name, f'There is already a site called "{name}"')
    site.name = name
    site.full_clean()
    site.save(update_fields=["name"])
    _audit(actor, AccessAction.CHANGE, site, "site renamed")
    return site


def _archive(actor: Actor, record: Site | Pathway | SchoolClass, what: str) -> None:
    record.archived_at = timezone.now()
    record.archived_by = actor.user if getattr(actor.user, "pk", None) else None
    record.save(update_fields=["archived_at", "archived_by"])
    _audit(actor, AccessAction.CHANGE, record, f"{what} archived")


def _restore(actor: Actor, record: Site | Pathway | SchoolClass, what: str) -> None:
    if record.is_archived:
        record.archived_at = record.archived_by = None
        record.save(update_fields=["archived_at", "archived_by"])
        _audit(actor, AccessAction.CHANGE, record, f"{what} restored")


@transaction.atomic
def site_restore(*, actor: Actor, site: Site) -> Site:
    _restore(actor, site, "site")
    return site


@transaction.atomic
def site_archive(*, actor: Actor, site: Site) -> Site:
    """Archive a site once none of its classes is in use (so no open case is left there)."""
    if site.is_archived:
        return site
    current = site.classes.current().count()
    if current:
        raise ValidationError(
            {
                "archive": f"{site.name} still has {current} class(es) in use: archive them "
                "first (a class with open cases cannot be archived)."
            }
        )
    _archive(actor, site, "site")
    return site


# --- Pathways -------------------------------------------------------------------------------


@transaction.atomic
def pathway_create(*, actor: Actor, school: School, name: str, description: str = "") -> Pathway:
    name = _name(name, "pathway")
    _refuse_duplicate(school.pathways.all(), name, f'There is already a pathway called "{name}"')
    pathway = Pathway(school=school, name=name, description=description.strip())
    pathway.full_clean()
    pathway.save()
    _audit(actor, AccessAction.CREATE, pathway, "pathway added")
    return pathway


@transaction.atomic
def pathway_update(*, actor: Actor, pathway: Pathway, name: str, description: str) -> Pathway:
    name = _name(name, "pathway")
    others = pathway.school.pathways.exclude(pk=pathway.pk)
    _refuse_duplicate(others, name, f'There is already a pathway called "{name}"')
    pathway.name, pathway.description = name, description.strip()
    pathway.full_clean()
    pathway.save(update_fields=["name", "description"])
    _audit(actor, AccessAction.CHANGE, pathway, "pathway changed")
    return pathway


@transaction.atomic
def pathway_archive(*, actor: Actor, pathway: Pathway) -> Pathway:
    """Archive a pathway: new classes can no longer be put on it; its classes keep it."""
    if not pathway.is_archived:
        _archive(actor, pathway, "pathway")
    return pathway


@transaction.atomic
def pathway_restore(*, actor: Actor, pathway: Pathway) -> Pathway:
    _restore(actor, pathway, "pathway")
    return pathway


# --- Classes --------------------------------------------------------------------------------

# Checks that apps above this one register (in their AppConfig.ready) to stop a class being
# archived: each returns why not, or None. The cases app refuses while a case is open.
ClassArchiveCheck = Callable[[SchoolClass], str | None]
CLASS_ARCHIVE_CHECKS: list[ClassArchiveCheck] = []


def refuse_class_archive_when(check: ClassArchiveCheck) -> None:
    if check not in CLASS_ARCHIVE_CHECKS:
        CLASS_ARCHIVE_CHECKS.append(check)


def _class_fields(site: Site, name: str, phase: str, pathway: Pathway | None) -> str:
    name = _name(name, "class")
    if phase not in Phase.values:
        raise ValidationError({"phase": "Choose the class's phase."})
    if pathway is not None and pathway.school_id != site.school_id:
        raise ValidationError({"pathway": "This pathway belongs to another school."})
    return name


@transaction.atomic
def class_create(
    *, actor: Actor, site: Site, name: str, phase: str, pathway: Pathway | None = None
) -> SchoolClass:
    if site.is_archived:
        raise ValidationError({"site": f"{site.name} is archived: choose a site in use."})
    if pathway is not None and pathway.is_archived:
        raise ValidationError({"pathway": f"{pathway.name} is archived: choose another."})
    name = _class_fields(site, name, phase, pathway)
    message = f'There is already a class called "{name}" at {site.name}'
    _refuse_duplicate(site.classes.all(), name, message)
    school_class = SchoolClass(site=site, name=name, phase=phase, pathway=pathway)
    school_class.full_clean()
    school_class.save()
    _audit(actor, AccessAction.CREATE, school_class, "class added")
    return school_class


@transaction.atomic
def class_update(
    *, actor: Actor, school_class: SchoolClass, name: str, phase: str, pathway: Pathway | None
) -> SchoolClass:
    site = school_class.site
    name = _class_fields(site, name, phase, pathway)
    message = f'There is already a class called "{name}" at {site.name}'
    _refuse_duplicate(site.classes.exclude(pk=school_class.pk), name, message)
    if pathway is not None and pathway.is_archived and pathway.pk != school_class.pathway_id:
        raise ValidationError({"pathway": f"{pathway.name} is archived: choose another."})
    school_class.name, school_class.phase, school_class.pathway = name, phase, pathway
    school_class.full_clean()
    school_class.save(update_fields=["name", "phase", "pathway"])
    _audit(actor, AccessAction.CHANGE, school_class, "class changed")
    return school_class


@transaction.atomic
def class_archive(*, actor: Actor, school_class: SchoolClass) -> SchoolClass:
    """Archive a class: refused while any registered check says no (open cases)."""
    if school_class.is_archived:
        return school_class
    for check in CLASS_ARCHIVE_CHECKS:
        if (reason := check(school_class)) is not None:
            raise ValidationError({"archive": reason})
    _archive(actor, school_class, "class")
    return school_class


@transaction.atomic
def class_restore(*, actor: Actor, school_class: SchoolClass) -> SchoolClass:
    """Put a class back in use; its site must be in use too."""
    if school_class.site.is_archived:
        raise ValidationError(
            {"restore": f"{school_class.site} is archived: restore the site first."}
        )
    _restore(actor, school_class, "class")
    return school_class
