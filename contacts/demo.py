"""The demo school's who-to-contact directory (policy section 4).

Invented people and numbers only: phone numbers in Ofcom's drama ranges (01632 960xxx,
07700 900xxx), email addresses at demo-school.example or support.example. The DSL teams,
nurses, family support workers, IT and the DPO are the demo school's own logins, read from
their memberships, so the directory names the people who sign in with those roles.

Safe to run again: rows are found by school, concern, site and name, so a second load
changes nothing.
"""

from django.db import transaction

from contacts.models import Concern, ContactSettings, DirectoryEntry
from schools.models import Membership, Role, School

SCHOOL_EMAIL_DOMAIN = "demo-school.example"

# Roles read from memberships: (concern, role, the entry's role text, phone prefix).
FROM_MEMBERSHIPS = (
    (Concern.SAFEGUARDING, Role.DSL, "Designated Safeguarding Lead"),
    (Concern.SAFEGUARDING, Role.DEPUTY_DSL, "Deputy Designated Safeguarding Lead"),
    (Concern.PUPIL_HEALTH, Role.SCHOOL_NURSE, "School nurse"),
    (Concern.FAMILY_WELFARE, Role.FAMILY_SUPPORT, "Family support worker"),
    (Concern.IT, Role.IT_STAFF, "IT technician"),
    (Concern.DATA_PROTECTION, Role.DPO, "Data Protection Officer"),
    (Concern.WORKLOAD, Role.HEADTEACHER, "Headteacher"),
)

# Fixed invented numbers, one per (role, site name or "school").
PHONES = {
    (Role.DSL, "North site"): "01632 960201",
    (Role.DSL, "South site"): "01632 960202",
    (Role.DEPUTY_DSL, "North site"): "01632 960203",
    (Role.DEPUTY_DSL, "South site"): "01632 960204",
    (Role.SCHOOL_NURSE, "North site"): "07700 900311",
    (Role.SCHOOL_NURSE, "South site"): "07700 900312",
    (Role.FAMILY_SUPPORT, "North site"): "07700 900321",
    (Role.FAMILY_SUPPORT, "South site"): "07700 900322",
    (Role.IT_STAFF, "school"): "01632 960230",
    (Role.DPO, "school"): "01632 960240",
    (Role.HEADTEACHER, "school"): "01632 960200",
}

# Entries that are not one of the demo logins.
OTHER_ENTRIES = (
    {
        "concern": Concern.SETTING_WORK,
        "name": "Curriculum and pathways team",
        "role": "Pathway leads",
        "phone": "01632 960210",
        "email": f"curriculum@{SCHOOL_EMAIL_DOMAIN}",
        "notes": "Differentiating work, work packs and signposted resources.",
        "position": 0,
    },
    {
        "concern": Concern.IT,
        "name": "IT helpdesk",
        "role": "Logins, devices and Microsoft Teams",
        "phone": "01632 960231",
        "email": f"ithelp@{SCHOOL_EMAIL_DOMAIN}",
        "notes": "Staffed 8.30am to 4pm on school days.",
        "position": 1,
    },
    {
        "concern": Concern.WORKLOAD,
        "name": "Staff Support Line",
        "role": "Free, confidential support for school staff, day and night",
        "phone": "01632 960999",
        "email": "listen@support.example",
        "notes": "Independent of the school: nobody here is told you called.",
        "external": True,
        "position": 1,
    },
    {
        "concern": Concern.SAFEGUARDING,
        "name": "Safeguarding team inbox",
        "role": "Both sites",
        "phone": "",
        "email": f"safeguarding@{SCHOOL_EMAIL_DOMAIN}",
        "notes": "Record the concern in the app as well; telephone the DSL if a child is at risk.",
        "position": 9,
    },
)


def _login(email: str) -> str:
    return email.partition("@")[0]


@transaction.atomic
def directory_demo_load(school: School) -> list[DirectoryEntry]:
    """Fill in the demo school's directory (and its availability hours). Idempotent."""
    ContactSettings.objects.get_or_create(school=school)
    entries = []

    def upsert(*, concern: str, site: object, name: str, **values: object) -> None:
        entry, _ = DirectoryEntry.objects.update_or_create(
            school=school, concern=concern, site=site, name=name, defaults=values
        )
        entries.append(entry)

    memberships = (
        Membership.objects.filter(school=school, role__in=[role for _, role, _ in FROM_MEMBERSHIPS])
        .select_related("user", "site")
        .order_by("role", "site__name", "user__full_name", "id")
    )
    for concern, role, role_text in FROM_MEMBERSHIPS:
        for membership in (m for m in memberships if m.role == role):
            user, site = membership.user, membership.site
            phone = PHONES.get((role, site.name if site else "school"), "")
            upsert(
                concern=concern,
                site=site,
                name=user.full_name or _login(user.email),
                role=role_text,
                phone=phone,
                email=user.email,
                notes="",
                external=False,
                position=1 if role == Role.DEPUTY_DSL else 0,
            )
    for values in OTHER_ENTRIES:
        values = dict(values)
        upsert(
            concern=values.pop("concern"),
            site=None,
            name=values.pop("name"),
            external=values.pop("external", False),
            **values,
        )
    return entries
