"""A small school with one person for every role and relationship the permission rules know.

Used by the permission matrix and by each app's access tests, so that "who may see what" is
always checked against the same cast.
"""

from dataclasses import dataclass, field

from allauth.mfa.totp.internal.auth import TOTP
from guardian.shortcuts import assign_perm

from schools.models import CarerLink, Role
from tests.conftest import TEST_TOTP_SECRET
from tests.factories import (
    CarerFactory,
    CarerLinkFactory,
    MembershipFactory,
    PathwayFactory,
    PupilFactory,
    SchoolClassFactory,
    SchoolFactory,
    SiteFactory,
    UserFactory,
)

PERSONAS = (
    "teacher",  # teaches class A, where the pupil is
    "class_staff",  # works in class A
    "other_teacher",  # teaches class B at the same site
    "slt_class",  # SLT overseeing class A
    "slt_other_site",  # SLT for the other site
    "headteacher",
    "dsl",  # DSL at the pupil's site
    "deputy_dsl_other_site",
    "it_staff",
    "dpo",
    "family_support_shared",  # the pupil is shared with them
    "family_support_unshared",
    "nurse_shared",
    "governor",
    "chair",
    "other_school_head",  # headteacher of a different school
    "no_role",  # signed in, no membership
    "administrator",  # is_staff, no membership
)

# Carers' portal accounts, added by add_carer_personas (the permission matrix's world).
CARER_PERSONAS = (
    "carer",  # Dana Marsh: the pupil's parent, with parental responsibility
    "carer_classmate",  # parent of another child in class A
    "carer_restricted",  # the pupil's parent, with parental responsibility, contact restricted
    "carer_leaver",  # parent of a child of class A who has left
    "carer_siblings",  # parent of the pupil and of a sibling in class B
)


@dataclass
class World:
    school: object
    north: object
    south: object
    class_a: object
    class_b: object
    class_south: object
    pupil: object
    other_pupil: object
    south_pupil: object
    carer: object
    users: dict[str, object] = field(default_factory=dict)
    # Set by add_carer_personas.
    classmate: object = None
    leaver: object = None
    sibling: object = None


def build_world() -> World:
    school = SchoolFactory(name="Heathergate School")
    north = SiteFactory(school=school, name="North")
    south = SiteFactory(school=school, name="South")
    pathway = PathwayFactory(school=school, name="Semi-formal")
    class_a = SchoolClassFactory(site=north, pathway=pathway, name="Ash")
    class_b = SchoolClassFactory(site=north, pathway=pathway, name="Birch")
    class_south = SchoolClassFactory(site=south, pathway=pathway, name="Cedar")
    pupil = PupilFactory(school_class=class_a, first_name="Ellis", last_name="Marsh")
    other_pupil = PupilFactory(school_class=class_b, first_name="Jude", last_name="Penrose")
    south_pupil = PupilFactory(school_class=class_south, first_name="Rowan", last_name="Tate")
    carer = CarerFactory(pupil=pupil, full_name="Dana Marsh", phone="07700 900123")
    world = World(
        school, north, south, class_a, class_b, class_south, pupil, other_pupil, south_pupil, carer
    )

    def person(key: str, **extra: object) -> object:
        user = UserFactory(full_name=key.replace("_", " ").title(), **extra)
        TOTP.activate(user, TEST_TOTP_SECRET)
        world.users[key] = user
        return user

    def member(key: str, role: str, **scope: object) -> None:
        MembershipFactory(user=person(key), school=scope.pop("school", school), role=role, **scope)

    member("teacher", Role.TEACHER, school_class=class_a)
    member("class_staff", Role.CLASS_STAFF, school_class=class_a)
    member("other_teacher", Role.TEACHER, school_class=class_b)
    member("slt_class", Role.SLT, school_class=class_a)
    member("slt_other_site", Role.SLT, site=south)
    member("headteacher", Role.HEADTEACHER)
    member("dsl", Role.DSL, site=north)
    member("deputy_dsl_other_site", Role.DEPUTY_DSL, site=south)
    member("it_staff", Role.IT_STAFF)
    member("dpo", Role.DPO)
    member("family_support_shared", Role.FAMILY_SUPPORT)
    member("family_support_unshared", Role.FAMILY_SUPPORT)
    member("nurse_shared", Role.SCHOOL_NURSE, site=north)
    member("governor", Role.GOVERNOR)
    member("chair", Role.CHAIR_OF_GOVERNORS)
    member("other_school_head", Role.HEADTEACHER, school=SchoolFactory(name="Elsewhere"))
    person("no_role")
    person("administrator", is_staff=True, is_superuser=True)
    assign_perm("schools.view_pupil", world.users["family_support_shared"], pupil)
    assign_perm("schools.view_pupil", world.users["nurse_shared"], pupil)
    return world


def add_carer_personas(world: World) -> World:
    """Give the world's families portal accounts: one carer for each of CARER_PERSONAS, with
    the children they stand for (a classmate of the pupil, a leaver, a sibling)."""
    from accounts.models import UserKind

    world.classmate = PupilFactory(school_class=world.class_a, first_name="Kit", last_name="Hale")
    world.leaver = PupilFactory(
        school_class=world.class_a, first_name="Noor", last_name="Fenn", on_roll=False
    )
    world.sibling = PupilFactory(school_class=world.class_b, first_name="Robin", last_name="Marsh")

    def account(key: str, carer: object) -> None:
        user = UserFactory(email=carer.email, full_name=carer.full_name, kind=UserKind.CARER)
        carer.user = user
        carer.save(update_fields=["user"])
        world.users[key] = user

    account("carer", world.carer)
    account("carer_classmate", CarerFactory(pupil=world.classmate, full_name="Sky Hale"))
    restricted = CarerFactory(pupil=world.pupil, full_name="Lee Marsh", priority=2)
    CarerLink.objects.filter(carer=restricted).update(
        contact_restricted=True, restriction_reason="Court order: no contact."
    )
    account("carer_restricted", restricted)
    account("carer_leaver", CarerFactory(pupil=world.leaver, full_name="Ash Fenn"))
    parent = CarerFactory(pupil=world.pupil, full_name="Jo Marsh", priority=3)
    CarerLinkFactory(pupil=world.sibling, carer=parent)
    account("carer_siblings", parent)
    return world
