"""What a school still lacks before the service works for it, and what stops working meanwhile.

Each check is one query (or none, for the server's own settings), so the checklist costs the
same six queries however many staff, classes and pupils the school has. A check that passes
is listed as done; one that fails says what is missing, what stops working until it is fixed,
and how to fix it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Window
from django.urls import reverse

from accounts.middleware import second_factors
from core.checks import check_site_url
from schools.calendar import today
from schools.models import Membership, Pupil, Role, School, SchoolClass, SchoolDay, Site
from schools.permissions import can_import_mis, memberships_of
from schools.term_dates.permissions import can_see_calendars

# How many sites or classes an item names before it says "and N more".
NAMES_SHOWN = 10

# Backends that only print or keep email in memory: fine on a laptop, silent in production.
DEVELOPMENT_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


def _anyone(user: object) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Fix:
    """How a missing thing is put right: ``how`` is always shown; the link (``url_name``) only
    to people ``allowed`` to use that page, so nobody is sent to a 404."""

    how: str
    label: str = ""
    url_name: str = ""
    allowed: Callable[[object], bool] = _anyone
    per_school: bool = False

    def url_for(self, user: object, school: School) -> str:
        if not self.url_name or not self.allowed(user):
            return ""
        url = reverse(self.url_name)
        return f"{url}?school={school.pk}" if self.per_school else url


# The pages that fix each item. Roles and class teachers come from the MIS staff import (there
# is no page for memberships), so those items send administrators there.
FIX_CALENDAR = Fix(
    how="Add the school's terms, INSET days and closures to the calendar, or import the "
    "local authority's term dates.",
    label="Open the school calendar",
    url_name="schools:calendar_list",
    allowed=can_see_calendars,
)
FIX_ROLES = Fix(
    how="Give the role to a member of staff: an administrator imports the MIS staff file with "
    "the role in its Role column.",
    label="Import staff and their roles",
    url_name="schools:import_upload",
    allowed=can_import_mis,
)
FIX_CLASS_TEACHERS = Fix(
    how="Name each class's teacher: an administrator imports the MIS staff file with the "
    "class in its Class column.",
    label="Import staff and their classes",
    url_name="schools:import_upload",
    allowed=can_import_mis,
)
FIX_PUPILS = Fix(
    how="Record each pupil's EHC plan or social worker: an administrator imports the MIS "
    "pupils file again with those columns filled in.",
    label="Import pupils",
    url_name="schools:import_upload",
    allowed=can_import_mis,
)
FIX_MFA = Fix(
    how="Each person is asked to set it up at their first sign-in: remind them to sign in.",
    label="See who has not set it up",
    url_name="setup:staff_without_mfa",
    per_school=True,
)
FIX_EMAIL = Fix(
    how="Whoever runs the server sets EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) "
    "to the school's mail server and restarts the service (README, Configuration).",
)
FIX_SITE_URL = Fix(
    how="Whoever runs the server sets SITE_URL to the service's https address, for example "
    "https://remote-learning.school.example, and restarts it (README, Configuration).",
)


@dataclass(frozen=True, slots=True)
class Item:
    """One check: ``title`` names what is in place once it passes; ``problem`` and ``stops``
    are shown while it fails."""

    key: str
    title: str
    ok: bool
    problem: str = ""
    stops: str = ""
    fix: Fix | None = None
    names: tuple[str, ...] = ()
    more: int = 0


@dataclass(frozen=True, slots=True)
class Checklist:
    school: School
    items: tuple[Item, ...]

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.ok]

    @property
    def done(self) -> list[Item]:
        return [item for item in self.items if item.ok]

    @property
    def is_clean(self) -> bool:
        return not self.missing


def _active_memberships(school: School) -> QuerySet[Membership]:
    # A role held by someone whose account is switched off covers nothing.
    return Membership.objects.filter(school=school, user__is_active=True)


def _names_and_more(rows: list[tuple[str, int]]) -> tuple[tuple[str, ...], int]:
    """The names on the first rows and how many more there are (each row carries the total)."""
    if not rows:
        return (), 0
    return tuple(name for name, _ in rows), rows[0][1] - len(rows)


def _calendar(school: School, on: datetime.date) -> Item:
    last = SchoolDay.objects.filter(school=school).aggregate(last=Max("date"))["last"]
    ok = last is not None and last > on
    if last is None:
        problem = "The calendar has no school days: no terms have been added."
    else:
        problem = f"The calendar's last school day is {last:%d/%m/%Y}: no terms ahead."
    return Item(
        key="calendar",
        title="Terms ahead in the calendar",
        ok=ok,
        problem=problem,
        stops="No flag for a missed daily contact, an overdue wellbeing check, an overdue "
        "review or a long absence is raised, and provision cannot be recorded, because no "
        "day counts as a school day.",
        fix=FIX_CALENDAR,
    )


def _sites_without_dsl(school: School) -> Item:
    dsls = _active_memberships(school).filter(role=Role.DSL)
    school_wide = dsls.filter(site__isnull=True, school_class__isnull=True)
    rows = list(
        # An archived site has no pupils to keep safe.
        Site.objects.filter(school=school, archived_at__isnull=True)
        .filter(~Exists(dsls.filter(site=OuterRef("pk"))), ~Exists(school_wide))
        .annotate(total=Window(Count("pk")))
        .order_by("name")
        .values_list("name", "total")[:NAMES_SHOWN]
    )
    names, more = _names_and_more(rows)
    return Item(
        key="site_dsl",
        title="A DSL for every site",
        ok=not names,
        problem="No Designated Safeguarding Lead covers these sites.",
        stops="Concerns raised about pupils at these sites reach no DSL: nobody triages them "
        "on the safeguarding dashboard (policy section 3.4).",
        fix=FIX_ROLES,
        names=names,
        more=more,
    )


def _roles(school: School) -> list[Item]:
    held = set(
        _active_memberships(school)
        .filter(role__in=[Role.DEPUTY_DSL, Role.DPO, Role.CHAIR_OF_GOVERNORS])
        .order_by()
        .values_list("role", flat=True)
        .distinct()
    )
    return [
        Item(
            key="deputy_dsl",
            title="A deputy DSL",
            ok=Role.DEPUTY_DSL in held,
            problem="Nobody is a deputy Designated Safeguarding Lead.",
            stops="When the DSL is away, nobody else triages safeguarding concerns "
            "(policy section 3.4).",
            fix=FIX_ROLES,
        ),
        Item(
            key="dpo",
            title="A Data Protection Officer",
            ok=Role.DPO in held,
            problem="Nobody is the school's Data Protection Officer.",
            stops="Data breaches flagged by IT staff and subject access requests reach nobody "
            "who can handle them (policy section 5).",
            fix=FIX_ROLES,
        ),
        Item(
            key="chair",
            title="A chair of governors",
            ok=Role.CHAIR_OF_GOVERNORS in held,
            problem="Nobody is the chair of the local governing board.",
            stops="A reviewed policy cannot be approved: the chair approves every review "
            "(policy section 6).",
            fix=FIX_ROLES,
        ),
    ]


def _email() -> Item:
    mailer = (getattr(settings, "MAILERS", None) or {}).get("default", {})
    backend = mailer.get("BACKEND") or getattr(settings, "EMAIL_BACKEND", "")
    return Item(
        key="email",
        title="An email server",
        ok=settings.DEBUG or backend not in DEVELOPMENT_EMAIL_BACKENDS,
        problem="No email server is configured: email is only printed on the server.",
        stops="No email reaches anyone: password resets, notifications to staff and messages "
        "to families wait in the outbox.",
        fix=FIX_EMAIL,
    )


def _site_url() -> Item:
    # In development a plain http address on a laptop is fine; in production it is the same
    # rule as the deployment check.
    ok = bool(settings.SITE_URL) if settings.DEBUG else not check_site_url()
    return Item(
        key="site_url",
        title="The service's address for links",
        ok=ok,
        problem="The service's address (SITE_URL) is not set, or is not an https address.",
        stops="Links in emails cannot be opened, so nobody can follow a notification to the "
        "page it is about.",
        fix=FIX_SITE_URL,
    )


def people_without_mfa(school: School) -> QuerySet:
    """Active people holding a role at ``school`` who have no second factor yet."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Exists(Membership.objects.filter(user=OuterRef("pk"), school=school)))
        .filter(~Exists(second_factors().filter(user=OuterRef("pk"))))
    )


def people_without_mfa_page(school: School) -> QuerySet:
    """The list behind the count, each person with their roles at this school."""
    return (
        people_without_mfa(school)
        .order_by("full_name", "email", "pk")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(school=school).select_related(
                    "school", "site", "school_class"
                ),
                to_attr="roles_here",
            )
        )
    )


def _mfa(school: School) -> Item:
    count = people_without_mfa(school).count()
    return Item(
        key="mfa",
        title="Two-step verification for everyone",
        ok=not count,
        problem=f"{count} {'person has' if count == 1 else 'people have'} a role here but no "
        "two-step verification yet.",
        stops="They cannot open any page until they set it up, so their classes, cases and "
        "duties wait for them.",
        fix=FIX_MFA,
    )


def _classes_without_teacher(school: School) -> Item:
    teachers = _active_memberships(school).filter(role=Role.TEACHER, school_class=OuterRef("pk"))
    rows = list(
        SchoolClass.objects.filter(site__school=school, archived_at__isnull=True)
        .filter(~Exists(teachers))
        .annotate(total=Window(Count("pk")))
        .order_by("site__name", "name")
        .values_list("name", "total")[:NAMES_SHOWN]
    )
    names, more = _names_and_more(rows)
    return Item(
        key="class_teacher",
        title="A teacher for every class",
        ok=not names,
        problem="These classes have no teacher.",
        stops="Their pupils are on nobody's Today list, so a remote pupil's daily contact "
        "and weekly wellbeing check are nobody's job (policy section 3.2).",
        fix=FIX_CLASS_TEACHERS,
        names=names,
        more=more,
    )


def _pupils_without_la_party(school: School) -> Item:
    count = Pupil.objects.filter(
        school=school, on_roll=True, has_ehc_plan=False, social_worker_name=""
    ).count()
    return Item(
        key="pupil_la",
        title="An EHC plan or a social worker for every pupil",
        ok=not count,
        problem=f"{count} {'pupil has' if count == 1 else 'pupils have'} neither an EHC plan "
        "nor a social worker recorded.",
        stops="Every pupil here has one or the other, so the local authority is party to "
        "every remote-education decision (policy section 2); for these pupils nobody knows "
        "whom to involve.",
        fix=FIX_PUPILS,
    )


def checklist_for(school: School, *, on: datetime.date | None = None) -> Checklist:
    """Every check for ``school`` on ``on`` (default today): six queries."""
    on = on or today()
    return Checklist(
        school=school,
        items=(
            _calendar(school, on),
            _sites_without_dsl(school),
            *_roles(school),
            _email(),
            _site_url(),
            _mfa(school),
            _classes_without_teacher(school),
            _pupils_without_la_party(school),
        ),
    )


def setup_to_do_for_home(user: object) -> list[tuple[School, int]]:
    """For the headteacher's home page: each school they lead with things still to do, and
    how many. Six queries a school they lead; none for anyone else."""
    schools = [m.school for m in memberships_of(user) if m.role == Role.HEADTEACHER]
    return [
        (school, len(checklist.missing))
        for school in schools
        if not (checklist := checklist_for(school)).is_clean
    ]
