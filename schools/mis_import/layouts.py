"""The CSV layouts of each kind of MIS export, and the values their columns may hold.

The layouts are documented in docs/mis-import.md; keep the two in step.
"""

import re
from dataclasses import dataclass

from django.db import models

from schools.models import CarerRelationship, ContactChannel, MisImportKind, Phase, Role


def normalise(text: str) -> str:
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
    table = {normalise(value): value for value in choices.values}
    table |= {normalise(label): value for value, label in choices.choices}
    table |= {normalise(alias.replace("_", " ")): value for alias, value in aliases.items()}
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
