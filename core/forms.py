from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.forms import Form
from django.forms.renderers import TemplatesSetting


class SchoolFormRenderer(TemplatesSetting):
    """Render every form field with Bootstrap classes, its hint and its errors beside it."""

    field_template_name = "forms/field.html"


def show_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's refusal at the fields it names, or above the form when it names none
    (or names a field the form does not have)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


SAVED_TWICE = (
    "This was not saved because the same record was saved a moment ago (perhaps by a second "
    "click). Check the page before trying again."
)


def attempt[Written](form: Form, action: Callable[[], Written]) -> Written | None:
    """Run a service and return what it wrote; on refusal show why on the form and return
    None (nothing was written). The services run this way return the record they wrote."""
    try:
        return action()
    except ValidationError as error:
        show_service_errors(form, error)
    except IntegrityError:
        # Two submissions raced past the service's checks; the database kept only one.
        form.add_error(None, SAVED_TWICE)
    return None
