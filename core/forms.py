from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connections
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


# --- Choosing records by id ---------------------------------------------------------------------


def _id_range(field: forms.ModelChoiceField) -> tuple[int, int] | None:
    """The range of the column the field's ids are looked up in, or None when it is not an
    integer column (the database then copes with any text, and Django refuses it)."""
    meta = field.queryset.model._meta
    model_field = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    while model_field.is_relation:
        model_field = model_field.target_field
    connection = connections[field.queryset.db]
    try:
        return connection.ops.integer_field_range(model_field.get_internal_type())
    except KeyError:
        return None


def _refuse_out_of_range(field: forms.ModelChoiceField, values: Iterable[Any], code: str) -> None:
    """Refuse, as Django refuses an unknown id, an id the column cannot hold: SQLite cannot
    even be asked about one (OverflowError), and no record can have it anyway."""
    limits = _id_range(field)
    if limits is None:
        return
    low, high = limits
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            continue  # not a whole number: Django's own check refuses it
        if not low <= number <= high:
            params = {"pk": value, "value": value}
            raise ValidationError(field.error_messages[code], code=code, params=params)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing at the field an id outside the database's range before any query.
    Every form that chooses a record uses this (a test walks every form to make sure)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _refuse_out_of_range(self, [value], "invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing at the field any id outside the database's range before any query."""

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            _refuse_out_of_range(self, value, "invalid_pk_value")
        return super()._check_values(value)
