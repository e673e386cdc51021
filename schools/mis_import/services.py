"""Importing a school's register from its MIS (SIMS, Arbor, Bromcom) CSV exports.

Two phases. ``mis_import_plan`` reads and checks every row and works out what would change,
writing nothing; it is the whole of a dry run. ``mis_import_apply`` plans again under a lock
and, only when no row has an error, writes the plan in one transaction with the audit row.
Records are keyed (classes by site and name, pupils by UPN, carers by pupil and name, staff
by email) so importing the same file twice changes nothing. Nothing absent from a file is
deleted: it is reported as "not in file" for the school to deal with by hand.

The layouts are documented in docs/mis-import.md; keep the two in step.
"""

import codecs
import csv
import datetime
import io
import logging
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from core.actor import Actor
from core.queue import enqueue_on_commit
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from schools.models import (
    Carer,
    CarerRelationship,
    ContactChannel,
    Membership,
    MisImport,
    MisImportKind,
    MisImportSource,
    MisImportStatus,
    Pathway,
    Phase,
    Pupil,
    Role,
    School,
    SchoolClass,
    Site,
)

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
# Files up to this many rows are imported while the upload page waits; larger ones go to Celery.
DEFAULT_SYNC_MAX_ROWS = 200
# A file in the wrong layout can produce an error on every cell; past this many the rest are
# counted, not listed, so the report stays readable. Changes are capped the same way.
MAX_LISTED = 1000

CREATED, UPDATED, UNCHANGED, NOT_IN_FILE = "created", "updated", "unchanged", "not_in_file"


def max_bytes() -> int:
    return getattr(settings, "MIS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "MIS_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def too_large_reason(size: int) -> str:
    return (
        f"file too large: {size / 1024 / 1024:.1f} MB; the limit is "
        f"{max_bytes() / 1024 / 1024:.1f} MB. Split it into smaller files."
    )


# --- Layouts ---------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Headers and choice values compare case-, space- and punctuation-insensitively."""
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True  # must be in the header
    blank: bool = False  # a row may leave it empty
    help: str = ""


LAYOUTS: dict[str, tuple[Column, ...]] = {
    MisImportKind.CLASSES: (
        Column("Site", ("Site name", "Campus")),
        Column("Class", ("Class name", "Registration group", "Reg group", "Form")),
        Column("Pathway", ("Pathway name", "Curriculum pathway"), required=False, blank=True),
        Column("Phase", ("Phase of education",), help="Primary, Secondary or Post-16"),
    ),
    MisImportKind.STAFF: (
        Column("Email", ("Email address", "Work email", "School email")),
        Column("Full name", ("Name", "Staff name", "Display name")),
        Column("Role", ("Staff role", "Job role"), help="see docs/mis-import.md"),
        Column("Site", ("Site name", "Campus"), required=False, blank=True),
        Column("Class", ("Class name", "Registration group", "Reg group"), False, True),
    ),
    MisImportKind.PUPILS: (
        Column("UPN", ("Unique pupil number",)),
        Column("Legal first name", ("Legal forename", "Forename", "First name")),
        Column("Legal last name", ("Legal surname", "Surname", "Last name")),
        Column("Preferred name", ("Preferred forename", "Known as"), False, True),
        Column("Date of birth", ("DOB", "Birth date"), help="DD/MM/YYYY or YYYY-MM-DD"),
        Column("Class", ("Class name", "Registration group", "Reg group", "Form")),
        Column("Site", ("Site name", "Campus")),
        Column("EHC plan", ("EHCP", "EHC plan Y/N", "Has EHC plan"), blank=True, help="Y or N"),
        Column("Social worker name", ("Social worker",), required=False, blank=True),
        Column("Social worker authority", ("Social worker local authority",), False, True),
        Column("Social worker phone", ("Social worker telephone",), False, True),
        Column("Social worker email", (), required=False, blank=True),
    ),
    MisImportKind.CARERS: (
        Column("Pupil UPN", ("UPN",)),
        Column("Carer name", ("Carer full name", "Contact name", "Full name")),
        Column("Relationship", ("Relationship to pupil",)),
        Column("Parental responsibility", ("Parental responsibility Y/N", "PR"), False, True),
        Column("Phone", ("Telephone", "Phone number", "Mobile"), required=False, blank=True),
        Column("Email", ("Email address",), required=False, blank=True),
        Column("Address", ("Home address",), required=False, blank=True),
        Column("Preferred channel", ("Contact method", "Preferred contact method"), False, True),
        Column("Priority", ("Contact priority", "Priority order"), required=False, blank=True),
    ),
}


def _choices(choices: type[models.TextChoices], **aliases: str) -> dict[str, str]:
    """Lookup from a normalised value or label (or a common MIS alias) to the stored value."""
    table = {_normalise(value): value for value in choices.values}
    table |= {_normalise(label): value for value, label in choices.choices}
    table |= {_normalise(alias.replace("_", " ")): value for alias, value in aliases.items()}
    return table


PHASES = _choices(Phase, post_16=Phase.POST_16, sixth_form=Phase.POST_16)
ROLES = _choices(
    Role,
    class_teacher=Role.TEACHER,
    teaching_assistant=Role.CLASS_STAFF,
    ta=Role.CLASS_STAFF,
    lsa=Role.CLASS_STAFF,
    learning_support_assistant=Role.CLASS_STAFF,
    senior_leader=Role.SLT,
    middle_leader=Role.SLT,
    head=Role.HEADTEACHER,
    head_teacher=Role.HEADTEACHER,
    ddsl=Role.DEPUTY_DSL,
    it=Role.IT_STAFF,
    it_technician=Role.IT_STAFF,
    nurse=Role.SCHOOL_NURSE,
    chair_of_governors=Role.CHAIR_OF_GOVERNORS,
)
RELATIONSHIPS = _choices(
    CarerRelationship,
    mum=CarerRelationship.MOTHER,
    dad=CarerRelationship.FATHER,
    stepmother=CarerRelationship.STEP_PARENT,
    stepfather=CarerRelationship.STEP_PARENT,
    step_mother=CarerRelationship.STEP_PARENT,
    step_father=CarerRelationship.STEP_PARENT,
    grandmother=CarerRelationship.GRANDPARENT,
    grandfather=CarerRelationship.GRANDPARENT,
    foster_parent=CarerRelationship.FOSTER_CARER,
    aunt=CarerRelationship.OTHER_RELATIVE,
    uncle=CarerRelationship.OTHER_RELATIVE,
    sibling=CarerRelationship.OTHER_RELATIVE,
)
CHANNELS = _choices(
    ContactChannel,
    teams=ContactChannel.TEAMS,
    phone=ContactChannel.TELEPHONE,
    platform=ContactChannel.HOME_LEARNING_PLATFORM,
)
YES = {"y", "yes", "true", "1"}
NO = {"", "n", "no", "false", "0"}  # MIS exports often leave a flag empty when it is off


# --- The plan --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    line: int | None  # line 1 is the header; None for the file as a whole
    column: str
    reason: str


@dataclass(slots=True)
class Change:
    kind: str  # what is written: "class", "pupil", "staff account", "membership"…
    action: str
    line: int
    label: str
    obj: models.Model
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


@dataclass(slots=True)
class Plan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    not_in_file: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, line: int, label: str, obj: models.Model, fields=None) -> None:
        action = CREATED if obj.pk is None else UPDATED if fields else UNCHANGED
        self.changes.append(Change(kind, action, line, label, obj, fields or []))

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        actions = (CREATED, UPDATED, UNCHANGED, NOT_IN_FILE)
        for kind, action in [(c.kind, c.action) for c in self.changes] + [
            (kind, NOT_IN_FILE) for kind, _label in self.not_in_file
        ]:
            counts.setdefault(kind, dict.fromkeys(actions, 0))[action] += 1
        return counts

    def summary(self) -> str:
        """Counts only, never names: this is what goes into the audit and the logs."""
        parts = []
        for kind, numbers in self.counts().items():
            done = ", ".join(
                f"{n} {action.replace('_', ' ')}" for action, n in numbers.items() if n
            )
            parts.append(f"{kind}: {done}")
        return "; ".join(parts) or "nothing to import"

    def report(self) -> dict[str, object]:
        """The JSON kept on the MisImport run and shown on its page."""
        changed = [c for c in self.changes if c.action != UNCHANGED]
        return {
            "rows": self.rows,
            "errors": [
                {"line": e.line, "column": e.column, "reason": e.reason}
                for e in self.errors[:MAX_LISTED]
            ],
            "errors_not_listed": max(0, len(self.errors) - MAX_LISTED),
            "counts": self.counts(),
            "changes": [
                {
                    "line": c.line,
                    "kind": c.kind,
                    "action": c.action,
                    "label": c.label,
                    "fields": [list(f) for f in c.fields],
                }
                for c in changed[:MAX_LISTED]
            ],
            "changes_not_listed": max(0, len(changed) - MAX_LISTED),
            "not_in_file": [{"kind": k, "label": label} for k, label in self.not_in_file],
        }


def _show(obj: models.Model, name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _assign(obj: models.Model, values: dict[str, object]) -> list[tuple[str, str, str]]:
    """Set ``values`` on ``obj`` (in memory) and return what changed, for the report."""
    changed = []
    for name, value in values.items():
        try:
            old = getattr(obj, name)
        except ObjectDoesNotExist:  # a new record's foreign key that is not set yet
            old = None
        if old != value:
            if obj.pk is not None:
                label = str(obj._meta.get_field(name).verbose_name)
                changed.append((label, _show(obj, name, old), _show(obj, name, value)))
            setattr(obj, name, value)
    return changed


# --- Reading the file ------------------------------------------------------------------------


class _Row:
    """One data row: typed accessors that record every problem instead of stopping at one."""

    def __init__(self, line: int, values: dict[str, str | None], errors: list[RowError]):
        self.line = line
        self.values = values
        self.errors = errors
        self.ok = True

    def fail(self, column: str, reason: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.line, column, reason))

    def text(self, column: str) -> str | None:
        """The value, or None when the file has no such (optional) column."""
        return self.values.get(column)

    def required(self, column: str) -> str:
        value = self.values.get(column) or ""
        if not value:
            self.fail(column, f'column "{column}" is empty')
        return value

    def date(self, column: str) -> datetime.date | None:
        value = self.required(column)
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007
            except ValueError:
                continue
        if value:
            self.fail(column, f'bad date "{value}" in column "{column}": use DD/MM/YYYY')
        return None

    def yes_no(self, column: str) -> bool | None:
        value = self.values.get(column)
        if value is None:
            return None
        if value.casefold() in YES:
            return True
        if value.casefold() in NO:
            return False
        self.fail(column, f'"{value}" in column "{column}" is not Y or N')
        return None

    def choice(self, column: str, table: dict[str, str], default: str | None = None) -> str | None:
        value = self.values.get(column)
        if value is None:
            return None
        if not value and default is not None:
            return default
        found = table.get(_normalise(value))
        if found is None:
            what = column.casefold()
            if value:
                self.fail(column, f'unknown {what} "{value}"')
            else:
                self.fail(column, f'column "{column}" is empty')
        return found

    def number(self, column: str, default: int) -> int | None:
        value = self.values.get(column)
        if value is None:
            return None
        if not value:
            return default
        if not value.isdigit() or not 1 <= int(value) <= 99:
            self.fail(column, f'"{value}" in column "{column}" is not a number from 1 to 99')
            return None
        return int(value)

    def email(self, column: str, *, required: bool) -> str | None:
        value = self.required(column) if required else self.values.get(column)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.fail(column, f'invalid email "{value}" in column "{column}"')
        return value.lower() if required and value else value

    def validate(self, obj: models.Model, columns: dict[str, str], exclude: Iterable[str]) -> None:
        """The model's own field rules and clean(), without the per-row queries (foreign keys
        and uniqueness are checked against the prefetched data instead, and again by
        full_clean() when saving)."""
        for check in (lambda: obj.clean_fields(exclude=list(exclude)), obj.clean):
            try:
                check()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
                    self.fail(column, " ".join(messages))


def _read(data: bytes, columns: tuple[Column, ...], plan: Plan) -> list[_Row]:
    """Decode and split the file, matching its header to the layout. Problems with the file
    as a whole (size, encoding, header) stop here: no row can be trusted after them."""
    if len(data) > max_bytes():
        plan.errors.append(RowError(None, "", too_large_reason(len(data))))
        return []
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        plan.errors.append(
            RowError(
                line,
                "",
                f"wrong encoding: line {line} is not UTF-8. In Excel use "
                '"Save as… CSV UTF-8"; from the MIS choose UTF-8 when exporting.',
            )
        )
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            plan.errors.append(RowError(1, "", "the file is empty"))
            return []
        index = _match_header(header, columns, plan)
        if plan.errors:
            return []
        rows: list[_Row] = []
        line = reader.line_num + 1
        for values in reader:
            # A quoted value may span lines (addresses do): report where the record starts.
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue  # spreadsheets add empty rows at the end
            if len(values) != len(header) and any(v.strip() for v in values[len(header) :]):
                reason = (
                    f"this row has {len(values)} values but the header has {len(header)} "
                    "columns (a value with a comma in it needs quotes)"
                )
                plan.errors.append(RowError(start, "", reason))
            cells = {col.name: (values[i].strip() if i < len(values) else "") for col, i in index}
            rows.append(_Row(start, cells, plan.errors))
    except csv.Error as exc:
        plan.errors.append(RowError(reader.line_num, "", f"not a readable CSV file: {exc}"))
        return []
    if len(rows) > max_rows():
        plan.errors.append(
            RowError(None, "", f"too many rows: {len(rows)}; the limit is {max_rows()}")
        )
        return []
    plan.rows = len(rows)
    return rows


def _match_header(
    header: list[str], columns: tuple[Column, ...], plan: Plan
) -> list[tuple[Column, int]]:
    by_name = {}
    for column in columns:
        for name in (column.name, *column.aliases):
            by_name[_normalise(name)] = column
    index: dict[Column, int] = {}
    for position, raw in enumerate(header):
        column = by_name.get(_normalise(raw.removeprefix("\ufeff")))
        if column is None:
            continue  # MIS exports carry extra columns we do not need
        if column in index:
            plan.errors.append(RowError(1, column.name, f'column "{column.name}" appears twice'))
        index[column] = position
    for column in columns:
        if column.required and column not in index:
            plan.errors.append(RowError(1, column.name, f'missing column "{column.name}"'))
    return list(index.items())


# --- Planning each layout --------------------------------------------------------------------

Progress = Callable[[int, int], None]


def _each(rows: list[_Row], progress: Progress | None) -> Iterable[_Row]:
    step = max(1, len(rows) // 20)
    for number, row in enumerate(rows, 1):
        yield row
        if progress is not None and (number % step == 0 or number == len(rows)):
            progress(number, len(rows))


def _classes_by_key(school: School) -> dict[tuple[str, str], SchoolClass]:
    classes = SchoolClass.objects.filter(site__school=school).select_related("site", "pathway")
    return {(c.site.name.casefold(), c.name.casefold()): c for c in classes}


def _plan_classes(school: School, rows: list[_Row], plan: Plan, progress) -> None:
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
        seen[key] = row.line
        site = sites.get(key[0])
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
        fields = _assign(school_class, values)
        row.validate(school_class, {"name": "Class", "phase": "Phase"}, ["site", "pathway"])
        plan.add("class", row.line, f"{class_name} ({site_name})", school_class, fields)
    plan.not_in_file += [
        ("class", f"{c.name} ({c.site.name})") for key, c in classes.items() if key not in seen
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


def _upn(row: _Row, column: str) -> str:
    return row.required(column).upper().replace(" ", "")


def _plan_pupils(school: School, rows: list[_Row], plan: Plan, progress) -> None:
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
        fields = _assign(pupil, values)
        # Emails were checked above with a clearer message than the model's.
        exclude = ["school", "school_class", "social_worker_email"]
        row.validate(pupil, PUPIL_COLUMNS, exclude=exclude)
        plan.add("pupil", row.line, pupil.display_name, pupil, fields)
    plan.not_in_file += [
        ("pupil", p.display_name) for upn, p in pupils.items() if upn not in seen and p.on_roll
    ]


CARER_COLUMNS = {
    "full_name": "Carer name",
    "relationship": "Relationship",
    "has_parental_responsibility": "Parental responsibility",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "preferred_channel": "Preferred channel",
    "priority": "Priority",
}


def _plan_carers(school: School, rows: list[_Row], plan: Plan, progress) -> None:
    pupils = {p.upn: p for p in school.pupils.all()}
    carers = {
        (c.pupil_id, c.full_name.casefold()): c
        for c in Carer.objects.filter(pupil__school=school).select_related("pupil")
    }
    seen: dict[tuple[int, str], int] = {}
    for row in _each(rows, progress):
        upn, name = _upn(row, "Pupil UPN"), row.required("Carer name")
        values: dict[str, object | None] = {
            "full_name": name,
            "relationship": row.choice("Relationship", RELATIONSHIPS),
            "has_parental_responsibility": row.yes_no("Parental responsibility"),
            "phone": row.text("Phone"),
            "email": row.email("Email", required=False),
            "address": row.text("Address"),
            "preferred_channel": row.choice(
                "Preferred channel", CHANNELS, default=ContactChannel.TELEPHONE
            ),
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
        carer = carers.get(key) or Carer(pupil=pupil)
        fields = _assign(carer, {k: v for k, v in values.items() if v is not None})
        row.validate(carer, CARER_COLUMNS, exclude=["pupil", "email"])
        plan.add("carer", row.line, f"{name} (carer of {pupil.display_name})", carer, fields)
    plan.not_in_file += [
        ("carer", f"{c.full_name} (carer of {c.pupil.display_name})")
        for key, c in carers.items()
        if key not in seen
    ]


def _scope_label(role: str, site: Site | None, school_class: SchoolClass | None) -> str:
    scope = f"{school_class} ({school_class.site})" if school_class else site or "whole school"
    return f"{Role(role).label} · {scope}"


def _plan_staff(school: School, rows: list[_Row], plan: Plan, progress) -> None:
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
        elif site_name:
            site = sites.get(site_name.casefold())
            if site is None:
                row.fail("Site", f'unknown site "{site_name}"')
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
            fields = _assign(user, {"full_name": full_name})
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
    rows = _read(data, LAYOUTS[kind], plan)
    if not plan.errors:
        PLANNERS[kind](school, rows, plan, progress)
    plan.errors.sort(key=lambda e: e.line or 0)
    return plan


# --- Applying --------------------------------------------------------------------------------


class _ApplyFailed(Exception):
    def __init__(self, error: RowError):
        self.error = error


def _point_foreign_keys_at_saved(obj: models.Model) -> None:
    # A parent created earlier in this import (a new site, a new staff account) was assigned
    # before it had a primary key; copy the key across now that it has one.
    for model_field in obj._meta.concrete_fields:
        if model_field.is_relation and model_field.is_cached(obj):
            related = model_field.get_cached_value(obj)
            if related is not None:
                setattr(obj, model_field.attname, related.pk)


def _progress_key(run_id: int) -> str:
    return f"schools:mis-import:{run_id}:saved"


def mis_import_apply(*, run: MisImport) -> Plan:
    """Phase two: plan again under a lock on the school and, only if every row is good, write
    everything and the audit row in one transaction. Returns the plan (with any errors)."""
    try:
        with transaction.atomic():
            # Two imports into one school at once would plan against each other's stale data.
            School.objects.select_for_update().filter(pk=run.school_id).first()
            plan = mis_import_plan(school=run.school, kind=run.kind, data=bytes(run.content))
            if plan.errors:
                return plan
            to_save = [c for c in plan.changes if c.action != UNCHANGED]
            for number, change in enumerate(to_save, 1):
                _point_foreign_keys_at_saved(change.obj)
                # Users are saved with an unusable password, which full_clean() would refuse.
                exclude = ["password"] if isinstance(change.obj, User) else None
                try:
                    change.obj.full_clean(exclude=exclude)
                    change.obj.save()
                except ValidationError as exc:
                    raise _ApplyFailed(RowError(change.line, "", " ".join(exc.messages))) from None
                except IntegrityError:
                    # Only a concurrent change outside imports can get here.
                    reason = "the data changed while importing; run the import again"
                    raise _ApplyFailed(RowError(change.line, "", reason)) from None
                if number % 50 == 0:
                    # Inside the transaction the row is invisible to the status page: the
                    # cache (Redis in production) is not.
                    cache.set(_progress_key(run.pk), (number, len(to_save)), 3600)
            access_record(
                action=AccessAction.IMPORT,
                actor=Actor.for_user(run.uploaded_by),
                subject=run,
                detail=f"{run.kind}: {plan.summary()}",
                route="schools:import_upload"
                if run.source == MisImportSource.WEB
                else "manage.py import_mis",
            )
    except _ApplyFailed as failed:
        plan.errors.append(failed.error)
    return plan


def saving_progress(run: MisImport) -> tuple[int, int] | None:
    return cache.get(_progress_key(run.pk))


# --- Runs: the upload page, the command and the Celery task all go through these ------------


def sync_max_rows() -> int:
    return getattr(settings, "MIS_IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def mis_import_start(
    *,
    school: School,
    kind: str,
    data: bytes,
    file_name: str = "",
    dry_run: bool = True,
    user: object | None = None,
    source: str = MisImportSource.WEB,
    background: bool | None = None,
) -> MisImport:
    """Record the run, then process it now (small files, the command) or in Celery."""
    from schools.tasks import mis_import_process_task  # tasks import this module

    estimated_rows = max(0, data.count(b"\n") - 1)
    if background is None:
        background = estimated_rows > sync_max_rows()
    with transaction.atomic():
        run = MisImport(
            school=school,
            kind=kind,
            dry_run=dry_run,
            source=source,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            file_name=file_name[:255],
            content=data,
            rows_total=estimated_rows,
        )
        run.full_clean()
        run.save()
        if background:
            enqueue_on_commit(mis_import_process_task, run.pk)
    if not background:
        mis_import_process(run_id=run.pk)
        run.refresh_from_db()
    return run


def mis_import_can_apply(run: MisImport) -> bool:
    """A clean dry run whose file is still kept can be imported for real."""
    has_file = getattr(run, "has_file", None)
    if has_file is None:
        has_file = run.content is not None
    return run.dry_run and run.status == MisImportStatus.CHECKED and has_file


def mis_import_apply_checked(*, run: MisImport, user: object) -> MisImport:
    """Import for real the file of a clean dry run, as a new run (the dry run's report stays).
    The file is checked again: the school's data may have changed since."""
    source = MisImport.objects.select_related("school").get(pk=run.pk)
    if not mis_import_can_apply(source):
        raise ValueError("Only a clean dry run whose file is kept can be imported.")
    data = bytes(source.content)
    # The new run holds its own copy; one copy of personal data is enough.
    MisImport.objects.filter(pk=source.pk).update(content=None)
    return mis_import_start(
        school=source.school,
        kind=source.kind,
        data=data,
        file_name=source.file_name,
        dry_run=False,
        user=user,
    )


def _set_progress(run_id: int, done: int, total: int) -> None:
    MisImport.objects.filter(pk=run_id).update(rows_done=done, rows_total=total)


def mis_import_process(*, run_id: int) -> MisImport | None:
    """Check, and unless a dry run import, one queued run. Idempotent: a run that is already
    taken or finished is left alone, so a redelivered task does nothing."""
    claimed = MisImport.objects.filter(pk=run_id, status=MisImportStatus.QUEUED).update(
        status=MisImportStatus.CHECKING, started_at=timezone.now(), rows_done=0
    )
    if not claimed:
        return None
    run = MisImport.objects.select_related("school", "uploaded_by").get(pk=run_id)
    try:
        plan = mis_import_plan(
            school=run.school,
            kind=run.kind,
            data=bytes(run.content),
            progress=lambda done, total: _set_progress(run_id, done, total),
        )
        if not plan.errors and not run.dry_run:
            MisImport.objects.filter(pk=run_id).update(status=MisImportStatus.WRITING)
            plan = mis_import_apply(run=run)
    except Exception as exc:
        # The exception's message may quote a row: log its type and where it happened only
        # (no personal data in logs).
        where = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("MIS import %s stopped: %s\n%s", run_id, type(exc).__name__, where)
        run.status = MisImportStatus.ERROR
        run.report = {
            "errors": [
                {
                    "line": None,
                    "column": "",
                    "reason": "The import stopped unexpectedly and nothing was saved. "
                    "Try again; if it happens again, ask IT to check the logs.",
                }
            ]
        }
    else:
        if plan.errors:
            run.status = MisImportStatus.FAILED
        elif run.dry_run:
            run.status = MisImportStatus.CHECKED
        else:
            run.status = MisImportStatus.APPLIED
        run.report = plan.report()
        run.rows_total = run.rows_done = plan.rows
        logger.info("MIS import %s %s: %s", run_id, run.status, plan.summary())
    if run.status != MisImportStatus.CHECKED:
        run.content = None  # keep personal data only while it may still be imported
    run.finished_at = timezone.now()
    run.save(
        update_fields=["status", "report", "rows_total", "rows_done", "content", "finished_at"]
    )
    cache.delete(_progress_key(run_id))
    return run


def mis_imports_sweep(
    *, queued_for: datetime.timedelta, running_for: datetime.timedelta, keep_for: datetime.timedelta
) -> None:
    """Run imports whose Celery message was lost, close ones a dead worker left running, and
    forget the files of dry runs nobody imported."""
    now = timezone.now()
    stale = MisImport.objects.filter(status=MisImportStatus.QUEUED, created_at__lt=now - queued_for)
    for run_id in stale.values_list("pk", flat=True):
        mis_import_process(run_id=run_id)
    reason = "The import was interrupted and nothing was saved. Upload the file again."
    interrupted = {"errors": [{"line": None, "column": "", "reason": reason}]}
    MisImport.objects.filter(
        status__in=[MisImportStatus.CHECKING, MisImportStatus.WRITING],
        started_at__lt=now - running_for,
    ).update(status=MisImportStatus.ERROR, report=interrupted, content=None, finished_at=now)
    MisImport.objects.filter(
        status=MisImportStatus.CHECKED, content__isnull=False, finished_at__lt=now - keep_for
    ).update(content=None)


def mis_import_runs() -> QuerySet[MisImport]:
    """Runs for the pages: without the file itself, but knowing whether it is still kept."""
    return (
        MisImport.objects.select_related("school", "uploaded_by")
        .defer("content")
        .annotate(has_file=ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField()))
    )
