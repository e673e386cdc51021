"""Planning each layout: matching the rows to the school's records, writing nothing."""

from collections.abc import Callable, Iterable

from django.db.models.functions import Lower

from accounts.models import User
from schools.mis_import.layouts import CHANNELS, LAYOUTS, PHASES, RELATIONSHIPS, ROLES
from schools.mis_import.plan import UPDATED, Change, Plan, assign
from schools.mis_import.reading import Row, read_file
from schools.models import (
    Carer,
    CarerLink,
    ContactChannel,
    Membership,
    MisImportKind,
    Pathway,
    Pupil,
    Role,
    School,
    SchoolClass,
    Site,
)

Progress = Callable[[int, int], None]


def _each(rows: list[Row], progress: Progress | None) -> Iterable[Row]:
    step = max(1, len(rows) // 20)
    for number, row in enumerate(rows, 1):
        yield row
        if progress is not None and (number % step == 0 or number == len(rows)):
            progress(number, len(rows))


def _classes_by_key(school: School) -> dict[tuple[str, str], SchoolClass]:
    classes = SchoolClass.objects.filter(site__school=school).select_related("site", "pathway")
    return {(c.site.name.casefold(), c.name.casefold()): c for c in classes}


ARCHIVED = "is archived in School setup: restore it there, or leave it out of the file"


def _refuse_archived(row: Row, column: str, record: object, label: str) -> None:
    """An archived site or class takes no new work, from the MIS or anyone else."""
    if record is not None and record.is_archived:
        row.fail(column, f"{label} {ARCHIVED}")


def _plan_classes(school: School, rows: list[Row], plan: Plan, progress) -> None:
    sites = {s.name.casefold(): s for s in school.sites.all()}
    pathways = {p.name.casefold(): p for p in school.pathways.all()}
    classes = _classes_by_key(school)
    seen: dict[tuple[str, str], int] = {}
    for row in _each(rows, progress):
        site_name, class_name = row.required("Site"), row.required("Class")
        pathway_name = row.text("Pathway")
        phase = row.choice("Phase", PHASES)
        key = (site_name.casefold(), class_name.casefold())
        if row.ok and key in seen:
            reason = f'duplicate class "{class_name}" at site "{site_name}"'
            row.fail("Class", f"{reason}, also on line {seen[key]}")
        if not row.ok:
            continue
        site = sites.get(key[0])
        _refuse_archived(row, "Site", site, f'site "{site_name}"')
        _refuse_archived(row, "Class", classes.get(key), f'class "{class_name}"')
        if not row.ok:
            continue
        seen[key] = row.line
        if site is None:
            site = sites[key[0]] = Site(school=school, name=site_name)
            row.validate(site, {"name": "Site"}, exclude=["school"])
            plan.add("site", row.line, site_name, site)
        values: dict[str, object] = {"phase": phase}
        if pathway_name is not None:  # no Pathway column: leave pathways as they are
            pathway = pathways.get(pathway_name.casefold()) if pathway_name else None
            if pathway_name and pathway is None:
                pathway = pathways[pathway_name.casefold()] = Pathway(
                    school=school, name=pathway_name
                )
                row.validate(pathway, {"name": "Pathway"}, exclude=["school"])
                plan.add("pathway", row.line, pathway_name, pathway)
            values["pathway"] = pathway
        school_class = classes.get(key) or SchoolClass(site=site, name=class_name)
        fields = assign(school_class, values)
        row.validate(school_class, {"name": "Class", "phase": "Phase"}, ["site", "pathway"])
        plan.add("class", row.line, f"{class_name} ({site_name})", school_class, fields)
    plan.not_in_file += [
        ("class", f"{c.name} ({c.site.name})")
        for key, c in classes.items()
        if key not in seen and not c.is_archived
    ]


PUPIL_COLUMNS = {
    "upn": "UPN",
    "first_name": "Legal first name",
    "last_name": "Legal last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "school_class": "Class",
    "has_ehc_plan": "EHC plan",
    "social_worker_name": "Social worker name",
    "social_worker_authority": "Social worker authority",
    "social_worker_phone": "Social worker phone",
    "social_worker_email": "Social worker email",
}
OPTIONAL_PUPIL_FIELDS = ("preferred_name", "social_worker_name", "social_worker_authority")
OPTIONAL_PUPIL_FIELDS += ("social_worker_phone",)


def _upn(row: Row, column: str) -> str:
    return row.required(column).upper().replace(" ", "")


def _plan_pupils(school: School, rows: list[Row], plan: Plan, progress) -> None:
    classes = _classes_by_key(school)
    pupils = {p.upn: p for p in school.pupils.select_related("school_class__site")}
    seen: dict[str, int] = {}
    for row in _each(rows, progress):
        upn = _upn(row, "UPN")
        values: dict[str, object] = {
            "first_name": row.required("Legal first name"),
            "last_name": row.required("Legal last name"),
            "date_of_birth": row.date("Date of birth"),
            "has_ehc_plan": row.yes_no("EHC plan"),
            "on_roll": True,  # on the MIS register, so back on roll if they had left
        }
        # An optional column the file does not have leaves that field as it is.
        for name in OPTIONAL_PUPIL_FIELDS:
            if (value := row.text(PUPIL_COLUMNS[name])) is not None:
                values[name] = value
        if (email := row.email("Social worker email", required=False)) is not None:
            values["social_worker_email"] = email
        site_name, class_name = row.required("Site"), row.required("Class")
        if site_name and class_name:
            values["school_class"] = classes.get((site_name.casefold(), class_name.casefold()))
            if values["school_class"] is None:
                row.fail("Class", f'unknown class "{class_name}" at site "{site_name}"')
            _refuse_archived(row, "Class", values["school_class"], f'class "{class_name}"')
        if upn and upn in seen:
            row.fail("UPN", f"duplicate UPN, also on line {seen[upn]}")
        existing = pupils.get(upn)
        # Policy section 2 (and a database constraint): an EHC plan or a social worker. A file
        # without the social worker columns keeps the social worker already recorded.
        kept = getattr(existing, "social_worker_name", "")
        social_worker = values.get("social_worker_name", kept)
        if values["has_ehc_plan"] is False and not social_worker:
            row.fail(
                "EHC plan",
                'a pupil needs an EHC plan or a social worker: put Y in "EHC plan" '
                'or fill in "Social worker name"',
            )
        if not row.ok:
            continue
        seen[upn] = row.line
        pupil = existing or Pupil(school=school, upn=upn)
        fields = assign(pupil, values)
        # Emails were checked above with a clearer message than the model's.
        exclude = ["school", "school_class", "social_worker_email"]
        row.validate(pupil, PUPIL_COLUMNS, exclude=exclude)
        plan.add("pupil", row.line, pupil.display_name, pupil, fields)
    plan.not_in_file += [
        ("pupil", p.display_name) for upn, p in pupils.items() if upn not in seen and p.on_roll
    ]


CARER_COLUMNS = {
    "full_name": "Carer name",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "preferred_channel": "Preferred channel",
}
LINK_COLUMNS = {
    "relationship": "Relationship",
    "has_parental_responsibility": "Parental responsibility",
    "priority": "Priority",
}


def _same_person_keys(name: str, email: str | None, phone: str | None) -> list[tuple[str, ...]]:
    """What makes two rows (or a row and a record) one carer: the same name and the same
    email, or the same name and the same phone number."""
    keys = []
    if email:
        keys.append(("email", name.casefold(), email.lower()))
    if phone and (digits := "".join(ch for ch in phone if ch.isdigit())):
        keys.append(("phone", name.casefold(), digits))
    return keys


def _folded(field: str, value: object) -> object:
    """A value as two rows for one carer are compared: emails ignoring case, phone numbers
    by their digits."""
    if field == "email":
        return value.lower()
    if field == "phone":
        return "".join(ch for ch in value if ch.isdigit())
    return value


def _plan_carers(school: School, rows: list[Row], plan: Plan, progress) -> None:
    """A carer row is keyed by pupil and carer name. A carer is one person however many of
    the school's children they care for: a row whose name and email, or name and phone,
    match a carer of another pupil at this school (recorded already, or earlier in the file)
    links the pupil to that person instead of recording them twice."""
    pupils = {p.upn: p for p in school.pupils.all()}
    # One instance per person, however many children's links reach them.
    by_pk = {carer.pk: carer for carer in Carer.objects.filter(school=school).order_by("pk")}
    links = {}
    for link in CarerLink.objects.filter(pupil__school=school).select_related("pupil"):
        link.carer = by_pk[link.carer_id]
        links[(link.pupil_id, link.carer.full_name.casefold())] = link
    people: dict[tuple[str, ...], Carer] = {}
    for carer in by_pk.values():
        for key in _same_person_keys(carer.full_name, carer.email, carer.phone):
            people.setdefault(key, carer)
    planned: dict[int, tuple[int, Change]] = {}  # id() of a carer -> its first line, change
    seen: dict[tuple[int, str], int] = {}
    for row in _each(rows, progress):
        upn, name = _upn(row, "Pupil UPN"), row.required("Carer name")
        person_values: dict[str, object | None] = {
            "full_name": name,
            "phone": row.text("Phone"),
            "email": row.email("Email", required=False),
            "address": row.text("Address"),
            "preferred_channel": row.choice(
                "Preferred channel", CHANNELS, default=ContactChannel.TELEPHONE
            ),
        }
        link_values: dict[str, object | None] = {
            "relationship": row.choice("Relationship", RELATIONSHIPS),
            "has_parental_responsibility": row.yes_no("Parental responsibility"),
            "priority": row.number("Priority", default=1),
        }
        pupil = pupils.get(upn)
        if upn and pupil is None:
            row.fail("Pupil UPN", "no pupil with this UPN at the school: import pupils first")
        if not row.ok:
            continue
        key = (pupil.pk, name.casefold())
        if key in seen:
            row.fail("Carer name", f"the same carer of the same pupil is on line {seen[key]}")
            continue
        seen[key] = row.line
        link = links.get(key)
        person_keys = _same_person_keys(name, person_values["email"], person_values["phone"])
        carer = (
            link.carer
            if link is not None
            else next((people[k] for k in person_keys if k in people), None)
        ) or Carer(school=school)
        person_values = {k: v for k, v in person_values.items() if v is not None}
        if id(carer) in planned:
            # The same person on an earlier line (a sibling's row): what both rows give must
            # agree; what only one gives is kept.
            line, change = planned[id(carer)]
            differing = [
                column
                for field, column in CARER_COLUMNS.items()
                if person_values.get(field)
                and getattr(carer, field)
                and _folded(field, getattr(carer, field)) != _folded(field, person_values[field])
            ]
            for column in differing:
                row.fail(
                    column,
                    f"differs from line {line} for the same carer: "
                    "give one carer the same details on every row",
                )
            if differing:
                continue
            filled = assign(
                carer, {k: v for k, v in person_values.items() if v and not getattr(carer, k)}
            )
            if filled and carer.pk is not None:
                change.fields += filled
                change.action = UPDATED
        else:
            fields = assign(carer, person_values)
            row.validate(carer, CARER_COLUMNS, exclude=["school", "email"])
            plan.add("carer", row.line, name, carer, fields)
            planned[id(carer)] = (row.line, plan.changes[-1])
        for k in _same_person_keys(carer.full_name, carer.email, carer.phone):
            people.setdefault(k, carer)
        link = link or CarerLink(pupil=pupil, carer=carer)
        fields = assign(link, {k: v for k, v in link_values.items() if v is not None})
        row.validate(link, LINK_COLUMNS, exclude=["pupil", "carer"])
        plan.add("carer link", row.line, f"{name} (carer of {pupil.display_name})", link, fields)
    plan.not_in_file += [
        ("carer link", f"{link.carer.full_name} (carer of {link.pupil.display_name})")
        for key, link in links.items()
        if key not in seen
    ]


def _scope_label(role: str, site: Site | None, school_class: SchoolClass | None) -> str:
    scope = f"{school_class} ({school_class.site})" if school_class else site or "whole school"
    return f"{Role(role).label} · {scope}"


def _plan_staff(school: School, rows: list[Row], plan: Plan, progress) -> None:
    sites = {s.name.casefold(): s for s in school.sites.all()}
    classes = _classes_by_key(school)
    emails = {(row.text("Email") or "").lower() for row in rows}
    users = {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    memberships = {
        (m.user_id, m.role, m.site_id, m.school_class_id): m
        for m in Membership.objects.filter(school=school).select_related(
            "user", "site", "school_class__site"
        )
    }
    names_seen: dict[str, tuple[str, int]] = {}  # email -> (full name, line)
    seen: dict[tuple, int] = {}
    for row in _each(rows, progress):
        email = row.email("Email", required=True) or ""
        full_name = row.required("Full name")
        role = row.choice("Role", ROLES)
        site_name, class_name = row.text("Site") or "", row.text("Class") or ""
        site, school_class = None, None
        if class_name and not site_name:
            row.fail("Site", f'give the site of class "{class_name}"')
        elif class_name:
            school_class = classes.get((site_name.casefold(), class_name.casefold()))
            if school_class is None:
                row.fail("Class", f'unknown class "{class_name}" at site "{site_name}"')
            _refuse_archived(row, "Class", school_class, f'class "{class_name}"')
        elif site_name:
            site = sites.get(site_name.casefold())
            if site is None:
                row.fail("Site", f'unknown site "{site_name}"')
            _refuse_archived(row, "Site", site, f'site "{site_name}"')
        if email in names_seen and names_seen[email][0] != full_name:
            other_line = names_seen[email][1]
            row.fail("Full name", f"a different name for this email is on line {other_line}")
        key = (email, role, getattr(site, "pk", None), getattr(school_class, "pk", None))
        if row.ok and key in seen:
            row.fail("Role", f"the same role is on line {seen[key]}")
        if not row.ok:
            continue
        seen[key] = row.line
        user = users.get(email)
        if email not in names_seen:
            names_seen[email] = (full_name, row.line)
            if user is None:
                # No password: the person sets one with "Forgot password" and then MFA.
                user = users[email] = User(email=email, full_name=full_name)
                user.set_unusable_password()
            fields = assign(user, {"full_name": full_name})
            row.validate(user, {"full_name": "Full name"}, exclude=["password", "email"])
            plan.add("staff account", row.line, full_name, user, fields)
        existing = memberships.pop((user.pk, *key[1:]), None) if user.pk else None
        membership = existing or Membership(
            user=user, school=school, role=role, site=site, school_class=school_class
        )
        label = f"{full_name}: {_scope_label(role, site, school_class)}"
        plan.add("membership", row.line, label, membership)
    plan.not_in_file += [
        ("membership", f"{m.user.full_name}: {_scope_label(m.role, m.site, m.school_class)}")
        for m in memberships.values()
    ]


PLANNERS = {
    MisImportKind.CLASSES: _plan_classes,
    MisImportKind.STAFF: _plan_staff,
    MisImportKind.PUPILS: _plan_pupils,
    MisImportKind.CARERS: _plan_carers,
}


def mis_import_plan(
    *, school: School, kind: str, data: bytes, progress: Progress | None = None
) -> Plan:
    """Phase one: read and check every row and work out what would change. Writes nothing."""
    plan = Plan()
    rows = read_file(data, LAYOUTS[kind], plan)
    if not plan.errors:
        PLANNERS[kind](school, rows, plan, progress)
    plan.errors.sort(key=lambda e: e.line or 0)
    return plan
