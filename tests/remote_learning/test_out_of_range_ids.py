"""An id no database column can hold, in any field that chooses records, gets a field error and
never a server error, on every page of the permission matrix.

For each URL in the matrix, someone allowed to use it makes the request the matrix makes; every
form the view builds is noted (whatever its class, wherever it comes from). Then, for each field
of those forms that chooses records by id, the same request is made again with a 25-digit id, a
negative 25-digit id and -1 in that field: sent as the form would send it (the query string for a
filter, the body otherwise). The view must answer without raising, and the form that received
the id must show an error at that field.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import parse_qsl

from django import forms
from django.db import transaction
from django.forms.forms import BaseForm
from django.urls import reverse

from tests.conftest import client_for
from tests.matrix import Rule
from tests.remote_learning.test_permission_matrix import MATRIX
from tests.world import CARER_PERSONAS, PERSONAS, World

TOO_BIG = "9" * 25
BAD_IDS = (TOO_BIG, f"-{TOO_BIG}", "-1")


@contextmanager
def forms_built() -> Iterator[list[BaseForm]]:
    """Every form (and formset form) constructed while the block runs."""
    built: list[BaseForm] = []
    original = BaseForm.__init__

    def noting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self)

    with mock.patch.object(BaseForm, "__init__", noting):
        yield built


def record_fields(form: BaseForm) -> list[tuple[str, bool]]:
    """(name, many) for each field that chooses records."""
    return [
        (name, isinstance(field, forms.ModelMultipleChoiceField))
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]


def first_allowed(rule: Rule) -> str | None:
    return next((p for p in PERSONAS + CARER_PERSONAS if p in rule.allowed), None)


def request(
    persona: str, name: str, rule: Rule, world: World, method: str, extra: dict
) -> tuple[object, list[BaseForm]]:
    """The matrix's request for this row, with ``extra`` added to what it sends. Whatever it
    writes is rolled back, so each request starts from the same world."""
    remembered = dict(vars(world))  # rows may cache records they make on the world
    with transaction.atomic(), forms_built() as built:
        try:
            client = client_for(world.users[persona])
            url = reverse(name, args=rule.args(world))
            if method == "post":
                base = rule.data(world) if rule.method == "post" else {}
                response = client.post(url, {**base, **extra})
            else:
                query = dict(parse_qsl(rule.query.lstrip("?")))
                response = client.get(url, {**query, **extra} if extra or query else None)
        finally:
            transaction.set_rollback(True)
            vars(world).clear()
            vars(world).update(remembered)
    return response, built


def received(built: list[BaseForm], field: str, key: str, value: str) -> list[BaseForm]:
    """The bound forms with this field that were given ``value`` for it and validated."""
    found = []
    for form in built:
        if field not in form.fields or form.add_prefix(field) != key:
            continue
        if not form.is_bound or key not in form.data or form._errors is None:
            continue
        given = form.data.getlist(key) if hasattr(form.data, "getlist") else [form.data[key]]
        if value in given:
            found.append(form)
    return found


def test_out_of_range_ids_get_a_field_error_and_never_a_server_error(world_with_carers):
    world = world_with_carers
    problems: list[str] = []
    checked: set[tuple[str, str]] = set()
    for name, rule in sorted(MATRIX.items()):
        persona = first_allowed(rule)
        if persona is None:
            continue
        try:
            _, built = request(persona, name, rule, world, rule.method, {})
        except Exception as error:  # the row itself must work before its fields can be tried
            problems.append(f"{name}: the matrix request raised {error!r}")
            continue
        fields = {
            (form.add_prefix(field), field, many)
            for form in built
            for field, many in record_fields(form)
        }
        methods = ["post"] if rule.method == "post" else ["get", "post"]
        for key, field, many in sorted(fields):
            for bad in BAD_IDS:
                value = [bad] if many else bad
                for method in methods:
                    try:
                        response, again = request(persona, name, rule, world, method, {key: value})
                    except Exception as error:
                        problems.append(f"{name} {method.upper()} {key}={bad}: raised {error!r}")
                        continue
                    if response.status_code >= 500:
                        problems.append(f"{name} {method.upper()} {key}={bad}: {response}")
                    for form in received(again, field, key, bad):
                        checked.add((name, key))
                        if field not in form._errors:
                            problems.append(
                                f"{name} {method.upper()} {key}={bad}: no error at the field "
                                f"({form.errors.as_data()})"
                            )
    assert not problems, "\n".join(problems)
    # The walk reached the forms that choose records (a guard against checking nothing).
    assert len(checked) >= 15, sorted(checked)


def test_every_form_of_the_project_chooses_records_with_the_fields_that_check_the_range():
    """Forms the walk above cannot reach (a field added only in some states) are held to it
    too: every declared field choosing records is core.forms' kind."""
    import importlib
    import pkgutil

    from django.apps import apps

    from core import forms as core_forms

    project = [
        config
        for config in apps.get_app_configs()
        if not config.name.startswith(("django", "allauth", "guardian", "django_"))
    ]
    for config in project:
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if module.name.rsplit(".", 1)[-1] == "forms":
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    wrong = sorted(
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in subclasses(BaseForm)
        if form.__module__.split(".")[0] in {config.name.split(".")[0] for config in project}
        # Django admin's own forms, for administrators only, as in the permission matrix.
        and not form.__module__.endswith(".admin")
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, core_forms.ModelChoiceField | core_forms.ModelMultipleChoiceField)
    )
    assert not wrong, f"Use core.forms.ModelChoiceField / ModelMultipleChoiceField: {wrong}"
