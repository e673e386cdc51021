"""The demo school that `manage.py load_demo` builds: Larkspur Valley School.

Everything here is invented: the school, its local authority, the staff, the pupils and their
families. Phone numbers are in Ofcom's ranges kept for drama (01632 960xxx, 07700 900xxx),
email addresses end in .example, and postcodes use an area (MD) that does not exist.

Pupils and carers come from fixed name lists and a random generator with a fixed seed, so
every load describes the same people. Rows are found by their natural keys (URN, site name,
class name, UPN, email …): a second load changes nothing.
"""

import datetime
import random
import string
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import models, transaction

from accounts.demo import ADMIN_ACCOUNT, DEMO_ACCOUNTS, DEMO_EMAIL_DOMAIN, demo_accounts_ensure
from core.actor import Actor
from schools.models import (
    Carer,
    CarerLink,
    CarerRelationship,
    ClosureDay,
    ClosureKind,
    ContactChannel,
    Membership,
    Pathway,
    Phase,
    Pupil,
    PupilUserObjectPermission,
    Role,
    School,
    SchoolClass,
    Site,
    Term,
)
from schools.permissions import SHARE_PERMISSION
from schools.services import pupil_share_grant, school_days_refresh

SEED = 2026
# Pupils' ages fit their classes in this academic year (September 2026 to July 2027).
ACADEMIC_YEAR = 2026

SCHOOL = {
    "urn": "148263",
    "name": "Larkspur Valley School",
    "local_authority": "Midshire County Council",
    "safeguarding_partnership_name": "Midshire Safeguarding Children Partnership",
    "safeguarding_partnership_url": "https://safeguarding.example/midshire",
}
NORTH, SOUTH = "North site", "South site"
SITES = (NORTH, SOUTH)

SENSORY, SEMI_FORMAL, FORMAL, ADULTHOOD = (
    "Sensory",
    "Semi-formal",
    "Formal",
    "Preparation for adulthood",
)
PATHWAYS = {
    SENSORY: "Learning through the senses, routines and communication, for pupils with "
    "profound and multiple learning difficulties.",
    SEMI_FORMAL: "Learning through play, practical activity and real-life contexts, for pupils "
    "with severe learning difficulties.",
    FORMAL: "Subject-based learning adapted from the national curriculum, with "
    "accreditation where it fits.",
    ADULTHOOD: "Independent living, work experience, community participation and health, for "
    "students aged 16 to 19.",
}


@dataclass(frozen=True, slots=True)
class DemoClass:
    name: str
    site: str
    pathway: str
    phase: Phase
    year_groups: tuple[int, ...]  # 0 is Reception, 14 the last year of post-16
    size: int


CLASSES = (
    DemoClass("Acorn", NORTH, SENSORY, Phase.PRIMARY, (0, 1, 2, 3), 7),
    DemoClass("Willow", NORTH, SEMI_FORMAL, Phase.PRIMARY, (2, 3, 4), 8),
    DemoClass("Oak", NORTH, FORMAL, Phase.PRIMARY, (4, 5, 6), 8),
    DemoClass("Rowan", NORTH, SENSORY, Phase.SECONDARY, (7, 8, 9, 10, 11), 7),
    DemoClass("Birch", SOUTH, SEMI_FORMAL, Phase.SECONDARY, (7, 8, 9), 8),
    DemoClass("Hazel", SOUTH, FORMAL, Phase.SECONDARY, (9, 10, 11), 8),
    DemoClass("Cedar", SOUTH, ADULTHOOD, Phase.POST_16, (12, 13, 14), 8),
    DemoClass("Maple", SOUTH, SENSORY, Phase.POST_16, (12, 13, 14), 6),
)


@dataclass(frozen=True, slots=True)
class DemoPost:
    """What one demo login does at the school: a role, school-wide or narrowed to a site or to
    one or more classes (one membership per class)."""

    login: str  # the part of the email address before the @
    role: Role
    site: str | None = None
    classes: tuple[str, ...] = ()
    note: str = ""

    @property
    def email(self) -> str:
        return f"{self.login}@{DEMO_EMAIL_DOMAIN}"

    @property
    def label(self) -> str:
        scope = ", ".join(self.classes) or self.site
        label = f"{self.role.label} · {scope}" if scope else self.role.label
        return f"{label} ({self.note})" if self.note else label


POSTS = (
    DemoPost("head", Role.HEADTEACHER),
    DemoPost("slt.north", Role.SLT, site=NORTH, note="assistant head"),
    DemoPost("lead.primary", Role.SLT, classes=("Acorn", "Willow", "Oak")),
    DemoPost("lead.secondary", Role.SLT, classes=("Rowan", "Birch", "Hazel")),
    DemoPost("lead.post16", Role.SLT, classes=("Cedar", "Maple")),
    DemoPost("teacher.acorn", Role.TEACHER, classes=("Acorn",)),
    DemoPost("teacher.willow", Role.TEACHER, classes=("Willow",)),
    DemoPost("teacher.oak", Role.TEACHER, classes=("Oak",)),
    DemoPost("teacher.rowan", Role.TEACHER, classes=("Rowan",)),
    DemoPost("teacher.birch", Role.TEACHER, classes=("Birch",)),
    DemoPost("teacher.hazel", Role.TEACHER, classes=("Hazel",)),
    DemoPost("teacher.post16", Role.TEACHER, classes=("Cedar", "Maple")),
    DemoPost("ta.acorn", Role.CLASS_STAFF, classes=("Acorn",)),
    DemoPost("ta.primary", Role.CLASS_STAFF, classes=("Willow", "Oak")),
    DemoPost("ta.rowan", Role.CLASS_STAFF, classes=("Rowan",)),
    DemoPost("ta.birch", Role.CLASS_STAFF, classes=("Birch",)),
    DemoPost("ta.hazel", Role.CLASS_STAFF, classes=("Hazel",)),
    DemoPost("ta.cedar", Role.CLASS_STAFF, classes=("Cedar",)),
    DemoPost("ta.maple", Role.CLASS_STAFF, classes=("Maple",)),
    DemoPost("dsl.north", Role.DSL, site=NORTH),
    DemoPost("dsl.south", Role.DSL, site=SOUTH),
    DemoPost("deputy.dsl.north", Role.DEPUTY_DSL, site=NORTH),
    DemoPost("deputy.dsl.south", Role.DEPUTY_DSL, site=SOUTH),
    DemoPost("it", Role.IT_STAFF),
    DemoPost("dpo", Role.DPO),
    DemoPost("family.north", Role.FAMILY_SUPPORT, site=NORTH),
    DemoPost("family.south", Role.FAMILY_SUPPORT, site=SOUTH),
    DemoPost("nurse.north", Role.SCHOOL_NURSE, site=NORTH),
    DemoPost("nurse.south", Role.SCHOOL_NURSE, site=SOUTH),
    DemoPost("governor", Role.GOVERNOR, note="parent governor"),
    DemoPost("governor.safeguarding", Role.GOVERNOR, note="safeguarding link governor"),
    DemoPost("chair", Role.CHAIR_OF_GOVERNORS),
)

# (role label, email) of every demo login, in the order `load_demo` prints them.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("Administrator (all admin pages)", ADMIN_ACCOUNT.email),
    *((post.label, post.email) for post in POSTS),
)

# How many pupils each site's DSL shares with the site's family support worker and school nurse.
SHARED_WITH_FAMILY_SUPPORT = 3
SHARED_WITH_NURSE = 2


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def _weekdays(first: str, last: str) -> list[datetime.date]:
    day, end = _day(first), _day(last)
    days = []
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# English terms; the half-term weeks are holidays within the term.
TERMS = (
    ("Autumn 2025", "2025-09-02", "2025-12-19"),
    ("Spring 2026", "2026-01-05", "2026-03-27"),
    ("Summer 2026", "2026-04-13", "2026-07-21"),
    ("Autumn 2026", "2026-09-01", "2026-12-18"),
    ("Spring 2027", "2027-01-04", "2027-03-26"),
    ("Summer 2027", "2027-04-12", "2027-07-21"),
)
HALF_TERMS = (
    ("Autumn half term", "2025-10-27", "2025-10-31"),
    ("Spring half term", "2026-02-16", "2026-02-20"),
    ("Summer half term", "2026-05-25", "2026-05-29"),
    ("Autumn half term", "2026-10-26", "2026-10-30"),
    ("Spring half term", "2027-02-15", "2027-02-19"),
    ("Summer half term", "2027-05-31", "2027-06-04"),
)
# Five a year, as in most English schools: 195 days of term, 190 of them with pupils.
INSET_DAYS = (
    "2025-09-02",
    "2025-09-03",
    "2025-10-24",
    "2026-01-05",
    "2026-06-01",
    "2026-09-01",
    "2026-09-02",
    "2026-10-23",
    "2027-01-04",
    "2027-06-07",
)


def demo_closure_days() -> list[tuple[datetime.date, ClosureKind, str]]:
    closures = [
        (day, ClosureKind.HOLIDAY, name)
        for name, first, last in HALF_TERMS
        for day in _weekdays(first, last)
    ]
    closures += [(_day(iso), ClosureKind.INSET, "INSET day: staff training") for iso in INSET_DAYS]
    return sorted(closures)


# --- Pupils and families ---------------------------------------------------------------------

PUPIL_FIRST_NAMES = (
    "Aaliyah", "Alfie", "Amara", "Archie", "Ayaan", "Bella", "Caleb", "Chloe", "Darcy",
    "Eliza", "Ellis", "Evie", "Ezra", "Faith", "Finley", "Freya", "Gracie", "Harvey", "Hamza",
    "Isla", "Jayden", "Kacper", "Layla", "Leo", "Lola", "Maisie", "Mason", "Mia", "Musa",
    "Nevaeh", "Oscar", "Ottilie", "Phoebe", "Reggie", "Rosie", "Rueben", "Safiya", "Seren",
    "Stanley", "Teddy", "Tobias", "Wiktoria", "Yusra", "Zachary", "Zofia",
)  # fmt: skip
PREFERRED_NAMES = {
    "Alfie": "Alf",
    "Archie": "Arch",
    "Eliza": "Lizzie",
    "Harvey": "Harv",
    "Ottilie": "Tilly",
    "Tobias": "Toby",
    "Zachary": "Zac",
}
LAST_NAMES = (
    "Ahmed", "Appleyard", "Ashworth", "Bancroft", "Begum", "Birtwistle", "Boateng",
    "Calloway", "Chowdhury", "Crossley", "Dempsey", "Driscoll", "Eastham", "Entwistle",
    "Fairclough", "Farrant", "Gillespie", "Grimshaw", "Hadley", "Hollis", "Horsfall", "Iqbal",
    "Jankowski", "Kaur", "Kettleborough", "Lindqvist", "Lomas", "Lowther", "Mahmood",
    "Mensah", "Moorcroft", "Mullarkey", "Nowak", "Nuttall", "Okafor", "Ormerod", "Pemberton",
    "Popescu", "Quinlan", "Rahman", "Ramsbottom", "Rowbotham", "Sandford", "Sharples",
    "Siddiqui", "Stott", "Sutcliffe", "Tattersall", "Threlfall", "Tiernan", "Ullah",
    "Varley", "Wardle", "Whiteley", "Wojcik", "Yeomans", "Yildiz", "Holroyd", "Kershaw",
    "Gorton", "Brierley", "Dobson", "Mottram", "Pilling",
)  # fmt: skip
MOTHER_NAMES = (
    "Amy", "Charlotte", "Claire", "Danielle", "Emma", "Farah", "Gemma", "Hayley", "Jade",
    "Joanna", "Katarzyna", "Laura", "Lucy", "Nasreen", "Natalie", "Rachel", "Samira", "Stacey",
    "Tasha", "Vicky", "Yetunde", "Zoe",
)  # fmt: skip
FATHER_NAMES = (
    "Adam", "Andrew", "Ben", "Carl", "Craig", "Dean", "Gary", "Imran", "Jamie", "Kieran",
    "Lee", "Marek", "Mark", "Nathan", "Olu", "Rafiq", "Ryan", "Scott", "Shaun", "Wayne",
)  # fmt: skip
# Family names for step-parents, so that none is shared with an unrelated pupil.
STEP_PARENT_LAST_NAMES = ("Bellamy", "Corrigan", "Fenwick", "Hargreaves", "Lister", "Rennie")
GRANDMOTHER_NAMES = ("Brenda", "Maureen", "Pauline", "Shirley", "Sylvia", "Valerie")
FOSTER_CARERS = (
    ("Lorraine", "Keith", "Haworth"),
    ("Denise", "Phil", "Prendergast"),
    ("Angela", "Trevor", "Ollerenshaw"),
    ("Bernadette", "Graham", "Ackroyd"),
    ("Sunita", "Deepak", "Bhatti"),
)
STREETS = (
    "Bramble Close", "Canal Street", "Chapel Row", "Fern Avenue", "Foundry Lane",
    "Heather Drive", "Kestrel Way", "Larch Grove", "Mill Lane", "Orchard Rise", "Quarry Road",
    "Station Road", "Tanner's Walk", "Thornfield Crescent", "Weavers Court",
)  # fmt: skip
TOWNS = (("Larkspur", 1), ("Larkspur", 2), ("Thistleford", 4), ("Marlowby", 6), ("Fennimere", 7))
SOCIAL_WORKERS = (
    ("Joanne Metcalfe", "01632 960412"),
    ("Kwabena Asante", "01632 960437"),
    ("Rachel Honeywell", "01632 960451"),
    ("Stuart Ferris", "01632 960468"),
)
SOCIAL_WORKER_AUTHORITY = SCHOOL["local_authority"]
# The first letter of a UPN checks the other twelve characters (DfE's algorithm).
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LA_CODE = "981"  # not a real local authority number
UPN_ESTABLISHMENTS = ("2014", "2187", "2230", "3406", "7042")  # where the UPN was issued


def upn_check_letter(rest: str) -> str:
    """The check letter for the twelve characters that follow it."""
    total = sum(
        weight * (int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char))
        for weight, char in enumerate(rest, start=2)
    )
    return UPN_CHECK_LETTERS[total % 23]


@dataclass(frozen=True, slots=True)
class DemoCarer:
    full_name: str
    relationship: CarerRelationship
    has_parental_responsibility: bool
    phone: str
    email: str
    address: str
    preferred_channel: ContactChannel
    priority: int


@dataclass(frozen=True, slots=True)
class DemoPupil:
    school_class: str
    upn: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: datetime.date
    social_worker: tuple[str, str, str, str] | None  # name, authority, phone, email
    carers: tuple[DemoCarer, ...]


class _FamilyMaker:
    """Draws invented families from the name lists with one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones = [f"07700 900{n:03d}" for n in rng.sample(range(1000), 1000)]
        self.emails: set[str] = set()
        self.foster_families: dict[int, tuple[DemoCarer, ...]] = {}

    def address(self) -> str:
        rng = self.rng
        town, district = rng.choice(TOWNS)
        inward = f"{rng.randint(1, 9)}{''.join(rng.choices('ABDEFGHJLNPQRSTUWXYZ', k=2))}"
        return (
            f"{rng.randint(1, 140)} {rng.choice(STREETS)}\n{town}\nMidshire\nMD{district} {inward}"
        )

    def email(self, full_name: str) -> str:
        local = ".".join(
            "".join(c for c in part.lower() if c in string.ascii_lowercase)
            for part in full_name.split()
        )
        candidate, n = local, 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}"
        self.emails.add(candidate)
        return f"{candidate}@family.example"

    def carer(
        self,
        full_name: str,
        relationship: CarerRelationship,
        address: str,
        priority: int,
        *,
        parental_responsibility: bool = True,
    ) -> DemoCarer:
        rng = self.rng
        has_email = rng.random() < 0.85
        channels = [ContactChannel.WEDUC, ContactChannel.TELEPHONE, ContactChannel.TEAMS]
        weights = [5, 4, 1]
        if has_email:
            channels += [ContactChannel.EMAIL, ContactChannel.HOME_LEARNING_PLATFORM]
            weights += [2, 1]
        return DemoCarer(
            full_name=full_name,
            relationship=relationship,
            has_parental_responsibility=parental_responsibility,
            phone=self.phones.pop(),
            email=self.email(full_name) if has_email else "",
            address=address,
            preferred_channel=rng.choices(channels, weights)[0],
            priority=priority,
        )

    def family(self, last_name: str, looked_after: bool) -> tuple[DemoCarer, ...]:
        rng = self.rng
        home = self.address()
        if looked_after:
            # A few foster families look after several pupils: the same people each time.
            index = rng.randrange(len(FOSTER_CARERS))
            if index not in self.foster_families:
                first, second, surname = FOSTER_CARERS[index]
                self.foster_families[index] = (
                    self.carer(f"{first} {surname}", CarerRelationship.FOSTER_CARER, home, 1,
                               parental_responsibility=False),
                    self.carer(f"{second} {surname}", CarerRelationship.FOSTER_CARER, home, 2,
                               parental_responsibility=False),
                )  # fmt: skip
            return self.foster_families[index]
        mother = f"{rng.choice(MOTHER_NAMES)} {last_name}"
        father = f"{rng.choice(FATHER_NAMES)} {last_name}"
        kind = rng.choices(
            ["two parents", "mother", "father", "separated", "step-parent", "grandparent"],
            [10, 6, 2, 3, 2, 1],
        )[0]
        if kind == "two parents":
            return (
                self.carer(mother, CarerRelationship.MOTHER, home, 1),
                self.carer(father, CarerRelationship.FATHER, home, 2),
            )
        if kind == "mother":
            return (self.carer(mother, CarerRelationship.MOTHER, home, 1),)
        if kind == "father":
            return (self.carer(father, CarerRelationship.FATHER, home, 1),)
        if kind == "separated":
            return (
                self.carer(mother, CarerRelationship.MOTHER, home, 1),
                self.carer(father, CarerRelationship.FATHER, self.address(), 2),
            )
        if kind == "step-parent":
            step = f"{rng.choice(FATHER_NAMES)} {rng.choice(STEP_PARENT_LAST_NAMES)}"
            return (
                self.carer(mother, CarerRelationship.MOTHER, home, 1),
                self.carer(step, CarerRelationship.STEP_PARENT, home, 2,
                           parental_responsibility=False),
            )  # fmt: skip
        grandmother = f"{rng.choice(GRANDMOTHER_NAMES)} {last_name}"
        # Kinship care under a special guardianship order, which gives parental responsibility.
        return (self.carer(grandmother, CarerRelationship.GRANDPARENT, home, 1),)


def _date_of_birth(rng: random.Random, year_group: int) -> datetime.date:
    """A birthday that puts the pupil in this year group in ACADEMIC_YEAR (Reception is 0)."""
    first = datetime.date(ACADEMIC_YEAR - 5 - year_group, 9, 1)
    last = datetime.date(ACADEMIC_YEAR - 4 - year_group, 8, 31)
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _school_start(born: datetime.date) -> int:
    """The year a child born on this day starts in Reception (when a UPN is issued)."""
    return born.year + (5 if born.month >= 9 else 4)


def pupil_school_email(first_name: str, last_name: str) -> str:
    """The pupil's school address, where virtual session invitations go (no two demo pupils
    share a family name, so no two share an address)."""
    local = ".".join(
        "".join(ch for ch in part.lower() if ch.isalnum()) for part in (first_name, last_name)
    )
    return f"{local}@pupils.demo-school.example"


def demo_pupils() -> list[DemoPupil]:
    """The demo pupils with their families: the same every time."""
    rng = random.Random(SEED)  # noqa: S311 (invented people, not secrets)
    families = _FamilyMaker(rng)
    # Dealt like cards, so that few pupils share a first name and none a family name.
    first_names: list[str] = []
    last_names = rng.sample(LAST_NAMES, len(LAST_NAMES))
    upns: set[str] = set()
    pupils = []
    for demo_class in CLASSES:
        for _ in range(demo_class.size):
            if not first_names:
                first_names = rng.sample(PUPIL_FIRST_NAMES, len(PUPIL_FIRST_NAMES))
            first, last = first_names.pop(), last_names.pop()
            preferred = PREFERRED_NAMES.get(first, "") if rng.random() < 0.5 else ""
            born = _date_of_birth(rng, rng.choice(demo_class.year_groups))
            upn = ""
            while not upn or upn in upns:
                rest = (
                    f"{UPN_LA_CODE}{rng.choice(UPN_ESTABLISHMENTS)}"
                    f"{_school_start(born) % 100:02d}{rng.randint(1, 999):03d}"
                )
                upn = upn_check_letter(rest) + rest
            upns.add(upn)
            social_worker = None
            looked_after = False
            if rng.random() < 0.25:
                name, phone = rng.choice(SOCIAL_WORKERS)
                email = f"{name.lower().replace(' ', '.')}@midshire-council.example"
                social_worker = (name, SOCIAL_WORKER_AUTHORITY, phone, email)
                looked_after = rng.random() < 0.3
            pupils.append(
                DemoPupil(
                    school_class=demo_class.name,
                    upn=upn,
                    first_name=first,
                    last_name=last,
                    preferred_name=preferred,
                    date_of_birth=born,
                    social_worker=social_worker,
                    carers=families.family(last, looked_after),
                )
            )
    return _half_siblings(pupils)


def _half_siblings(pupils: list[DemoPupil]) -> list[DemoPupil]:
    """Two sibling groups who share their mother's record (half-siblings, so their family
    names differ): one child on each site, and two children in different North classes. The
    first child's mother takes the place of the others' own. Foster families who look after
    several pupils share their records too."""
    site_of = {c.name: c.site for c in CLASSES}

    def mothers_children(site: str) -> list[int]:
        return [
            i
            for i, p in enumerate(pupils)
            if site_of[p.school_class] == site
            and p.carers[0].relationship == CarerRelationship.MOTHER
        ]

    north, south = mothers_children(NORTH), mothers_children(SOUTH)
    second = next(i for i in north[2:] if pupils[i].school_class != pupils[north[1]].school_class)
    for first, *others in ((north[0], south[0]), (north[1], second)):
        mother = pupils[first].carers[0]
        for i in others:
            pupils[i] = replace(pupils[i], carers=(mother, *pupils[i].carers[1:]))
    return pupils


def demo_shares(pupils: Iterable[DemoPupil]) -> list[tuple[str, str, str]]:
    """(UPN, shared with, shared by) for the explicit shares, by login. On each site the
    family support worker is involved with families who have a social worker first, and the
    school nurse with pupils on the sensory pathway; the site's DSL makes the share."""
    site_of = {c.name: c.site for c in CLASSES}
    pathway_of = {c.name: c.pathway for c in CLASSES}
    shares = []
    for site, suffix in ((NORTH, "north"), (SOUTH, "south")):
        here = [p for p in pupils if site_of[p.school_class] == site]
        supported = sorted(here, key=lambda p: p.social_worker is None)
        supported = supported[:SHARED_WITH_FAMILY_SUPPORT]
        nursed = sorted(here, key=lambda p: pathway_of[p.school_class] != SENSORY)
        nursed = nursed[:SHARED_WITH_NURSE]
        shares += [(p.upn, f"family.{suffix}", f"dsl.{suffix}") for p in supported]
        shares += [(p.upn, f"nurse.{suffix}", f"dsl.{suffix}") for p in nursed]
    return shares


# --- Loading ---------------------------------------------------------------------------------


def _sync[M: models.Model](
    queryset: models.QuerySet[M], key: tuple[str, ...], rows: Iterable[dict]
) -> dict[tuple, M]:
    """Bring the rows named by ``key`` to these values: create the missing ones, update the
    ones that differ and leave every other row alone. Returns the rows by key.

    Values of foreign keys are model instances; they are compared by primary key.
    """
    model = queryset.model
    attnames = {f.name: f.attname for f in model._meta.concrete_fields}
    # The database checks foreign keys and constraints; full_clean() would ask row by row.
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]

    def plain(value: object) -> object:
        return value.pk if isinstance(value, models.Model) else value

    def key_of(values: dict) -> tuple:
        return tuple(plain(values[name]) for name in key)

    existing = {tuple(getattr(obj, attnames[name]) for name in key): obj for obj in queryset}
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        obj = existing.get(key_of(row))
        if obj is None:
            obj = model(**row)
            to_create.append(obj)
        else:
            changed = [
                name for name, value in row.items()
                if getattr(obj, attnames[name]) != plain(value)
            ]  # fmt: skip
            if not changed:
                continue
            for name in changed:
                setattr(obj, name, row[name])
            to_update.append(obj)
            changed_fields.update(changed)
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
    if to_create:
        model.objects.bulk_create(to_create)
        existing = {
            tuple(getattr(obj, attnames[name]) for name in key): obj for obj in queryset.all()
        }
    return existing


@transaction.atomic
def demo_load() -> School:
    """Every demo login and the demo school with its calendar, pupils, families and staff.

    Safe to run again: rows are matched by natural keys, so a second load changes nothing.
    """
    users = demo_accounts_ensure(DEMO_ACCOUNTS)

    (school,) = _sync(School.objects.filter(urn=SCHOOL["urn"]), ("urn",), [SCHOOL]).values()
    sites = {
        name: site
        for (name,), site in _sync(
            Site.objects.filter(school=school),
            ("name",),
            [{"school": school, "name": name} for name in SITES],
        ).items()
    }
    pathways = {
        name: pathway
        for (name,), pathway in _sync(
            Pathway.objects.filter(school=school),
            ("name",),
            [
                {"school": school, "name": name, "description": description}
                for name, description in PATHWAYS.items()
            ],
        ).items()
    }
    classes = {
        name: school_class
        for (_, name), school_class in _sync(
            SchoolClass.objects.filter(site__school=school).select_related("site"),
            ("site", "name"),
            [
                {
                    "site": sites[c.site],
                    "pathway": pathways[c.pathway],
                    "name": c.name,
                    "phase": c.phase,
                }
                for c in CLASSES
            ],
        ).items()
    }

    _sync(
        Term.objects.filter(school=school),
        ("school", "name"),
        [
            {"school": school, "name": name, "first_day": _day(first), "last_day": _day(last)}
            for name, first, last in TERMS
        ],
    )
    _sync(
        ClosureDay.objects.filter(school=school),
        ("school", "date"),
        [
            {"school": school, "date": day, "kind": kind, "description": description}
            for day, kind, description in demo_closure_days()
        ],
    )
    school_days_refresh(school=school)

    plan = demo_pupils()
    pupils = {
        upn: pupil
        for (_, upn), pupil in _sync(
            Pupil.objects.filter(school=school),
            ("school", "upn"),
            [
                {
                    "school": school,
                    "school_class": classes[p.school_class],
                    "upn": p.upn,
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "preferred_name": p.preferred_name,
                    "date_of_birth": p.date_of_birth,
                    "has_ehc_plan": True,
                    "social_worker_name": p.social_worker[0] if p.social_worker else "",
                    "social_worker_authority": p.social_worker[1] if p.social_worker else "",
                    "social_worker_phone": p.social_worker[2] if p.social_worker else "",
                    "social_worker_email": p.social_worker[3] if p.social_worker else "",
                    "school_email": pupil_school_email(p.first_name, p.last_name),
                }
                for p in plan
            ],
        ).items()
    }
    # A carer is one person however many children they care for: a demo carer's phone number
    # is theirs alone, so it names them.
    people = {c.phone: c for p in plan for c in p.carers}
    carers = {
        phone: carer
        for (_, phone), carer in _sync(
            Carer.objects.filter(school=school),
            ("school", "phone"),
            [
                {
                    "school": school,
                    "full_name": c.full_name,
                    "phone": c.phone,
                    "email": c.email,
                    "address": c.address,
                    "preferred_channel": c.preferred_channel,
                }
                for c in people.values()
            ],
        ).items()
    }
    _sync(
        CarerLink.objects.filter(pupil__school=school),
        ("pupil", "carer"),
        [
            {
                "pupil": pupils[p.upn],
                "carer": carers[c.phone],
                "relationship": c.relationship,
                "has_parental_responsibility": c.has_parental_responsibility,
                "priority": c.priority,
            }
            for p in plan
            for c in p.carers
        ],
    )

    memberships = []
    for post in POSTS:
        base = {"user": users[post.email], "school": school, "role": post.role}
        if post.classes:
            memberships += [
                {**base, "site": None, "school_class": classes[name]} for name in post.classes
            ]
        else:
            site = sites[post.site] if post.site else None
            memberships.append({**base, "site": site, "school_class": None})
    _sync(
        Membership.objects.filter(school=school),
        ("user", "role", "site", "school_class"),
        memberships,
    )

    shares = demo_shares(plan)
    already = set(
        PupilUserObjectPermission.objects.filter(
            content_object__school=school, permission__codename=SHARE_PERMISSION
        ).values_list("content_object_id", "user_id")
    )
    for upn, with_login, by_login in shares:
        pupil, with_user = pupils[upn], users[f"{with_login}@{DEMO_EMAIL_DOMAIN}"]
        if (pupil.pk, with_user.pk) not in already:
            pupil_share_grant(
                actor=Actor.for_user(users[f"{by_login}@{DEMO_EMAIL_DOMAIN}"]),
                pupil=pupil,
                with_user=with_user,
            )
    return school
