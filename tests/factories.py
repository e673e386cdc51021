import datetime

import factory

from accounts.models import User
from schools.models import (
    Carer,
    CarerLink,
    CarerRelationship,
    Membership,
    Pathway,
    Phase,
    Pupil,
    Role,
    School,
    SchoolClass,
    Site,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@school.example")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-Battery-9!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Brookfield Special School {n}")
    urn = factory.Sequence(lambda n: f"{140000 + n}")
    local_authority = "Midshire"
    safeguarding_partnership_name = "Midshire Safeguarding Children Partnership"
    safeguarding_partnership_url = "https://safeguarding.example/midshire"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Pathway {n}")


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    site = factory.SubFactory(SiteFactory)
    pathway = factory.SubFactory(PathwayFactory, school=factory.SelfAttribute("..site.school"))
    name = factory.Sequence(lambda n: f"Class {n}")
    phase = Phase.PRIMARY


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.site.school")
    upn = factory.Sequence(lambda n: f"A{n:011d}B")
    first_name = factory.Sequence(lambda n: f"Pupil{n}")
    last_name = "Testcase"
    date_of_birth = datetime.date(2015, 3, 14)
    has_ehc_plan = True


class CarerFactory(factory.django.DjangoModelFactory):
    """A carer, the person. Given ``pupil=`` (and optionally ``relationship``, ``priority``,
    ``has_parental_responsibility``) it is also linked to that pupil, at the pupil's school;
    link a sibling to the same person with ``CarerLinkFactory(pupil=..., carer=...)``."""

    class Meta:
        model = Carer

    # What the link to ``pupil`` says; taken off before the carer is saved.
    pupil = None
    relationship = CarerRelationship.PARENT
    priority = 1
    has_parental_responsibility = True

    school = factory.Maybe(
        "pupil",
        yes_declaration=factory.SelfAttribute("pupil.school"),
        no_declaration=factory.SubFactory(SchoolFactory),
    )
    full_name = factory.Sequence(lambda n: f"Carer {n}")
    phone = "01632 960000"
    email = factory.Sequence(lambda n: f"carer{n}@family.example")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        link = {
            name: kwargs.pop(name)
            for name in ("pupil", "relationship", "priority", "has_parental_responsibility")
        }
        carer = super()._create(model_class, *args, **kwargs)
        if link["pupil"] is not None:
            CarerLink.objects.create(carer=carer, **link)
        return carer


class CarerLinkFactory(factory.django.DjangoModelFactory):
    """One carer's link to one pupil (a new carer at the pupil's school unless given)."""

    class Meta:
        model = CarerLink

    pupil = factory.SubFactory(PupilFactory)
    carer = factory.SubFactory(CarerFactory, school=factory.SelfAttribute("..pupil.school"))
    relationship = CarerRelationship.PARENT
    priority = 1


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER
