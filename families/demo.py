"""The demo's carers' portal login: the invented mother of two half-siblings at the demo
school (schools/demo.py gives two sibling groups one mother's record), with the demo password
and no second step. Only ever loaded by `manage.py load_demo`."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q

from accounts.demo import DEMO_PASSWORD
from accounts.models import User, UserKind
from schools.models import Carer, School

DEMO_CARER_LABEL = "Parent of two (family pages)"


@transaction.atomic
def families_demo_load(school: School) -> User | None:
    """Give the first carer at ``school`` with parental responsibility for two or more
    children on roll (and an email) a portal account; leave one that exists as it is."""
    existing = Carer.objects.filter(school=school, user__isnull=False).select_related("user")
    if (carer := existing.first()) is not None:
        return carer.user
    carer = (
        Carer.objects.filter(school=school)
        .exclude(email="")
        .annotate(
            children=Count(
                "links",
                filter=Q(
                    links__has_parental_responsibility=True,
                    links__contact_restricted=False,
                    links__pupil__on_roll=True,
                ),
            )
        )
        .filter(children__gte=2)
        .order_by("id")
        .first()
    )
    if carer is None:
        return None
    user = User(
        email=carer.email.lower(),
        full_name=carer.full_name,
        kind=UserKind.CARER,
        password=make_password(DEMO_PASSWORD),
    )
    user.full_clean()
    user.save()
    carer.user = user
    carer.save(update_fields=["user"])
    return user
