"""Reads for the pages where a family tells the school something."""

from cases.models import Case, Status
from schools.models import Membership, Pupil, Role


def class_team_name(pupil: Pupil) -> str:
    """How the confirmation names who was told: "Mrs Hale's class team", or the class's name
    when it has no teacher recorded. One query."""
    teacher = (
        Membership.objects.filter(role=Role.TEACHER, school_class_id=pupil.school_class_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if teacher is not None and teacher.user.full_name:
        return f"{teacher.user.full_name}’s class team"  # noqa: RUF001
    return f"the {pupil.school_class.name} class team"


def running_case(pupil: Pupil) -> Case | None:
    """The child's remote education running now, which feedback on the work belongs to."""
    return (
        Case.objects.filter(pupil=pupil, status__in=(Status.ACTIVE, Status.REINTEGRATING))
        .order_by("-start_date", "-pk")
        .first()
    )
