"""Families for the carers' portal's tests: carers with accounts, linked to children."""

from accounts.models import User, UserKind
from schools.models import Carer, CarerLink, Pupil
from tests.conftest import TEST_PASSWORD
from tests.factories import CarerFactory, UserFactory


def carer_account(carer: Carer, **extra: object) -> User:
    """Give ``carer`` a carer's account (the email on record is the login)."""
    user = UserFactory(
        email=carer.email,
        full_name=carer.full_name,
        kind=UserKind.CARER,
        password=TEST_PASSWORD,
        **extra,
    )
    carer.user = user
    carer.save(update_fields=["user"])
    return user


def family(*pupils: Pupil, name: str = "Sam Carer", **link: object) -> tuple[Carer, User]:
    """A carer of the school of ``pupils[0]``, linked to each of ``pupils``, with an account."""
    carer = CarerFactory(school=pupils[0].school, full_name=name)
    for pupil in pupils:
        CarerLink.objects.create(
            pupil=pupil,
            carer=carer,
            relationship=link.get("relationship", "parent"),
            has_parental_responsibility=link.get("has_parental_responsibility", True),
            contact_restricted=link.get("contact_restricted", False),
            restriction_reason=link.get("restriction_reason", ""),
        )
    return carer, carer_account(carer)
