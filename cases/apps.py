from django.apps import AppConfig


def _open_cases_stop_archiving(school_class: object) -> str | None:
    from cases.models import OPEN_STATUSES, Case

    count = Case.objects.filter(pupil__school_class=school_class, status__in=OPEN_STATUSES).count()
    if not count:
        return None
    cases = "1 open case" if count == 1 else f"{count} open cases"
    return (
        f"{school_class} has {cases}: close them, or move the pupils to another class, "
        "before archiving it."
    )


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Remote-education cases"

    def ready(self) -> None:
        # A class with open cases must stay in use; the schools app asks, never imports us.
        from schools.structure.services import refuse_class_archive_when

        refuse_class_archive_when(_open_cases_stop_archiving)
