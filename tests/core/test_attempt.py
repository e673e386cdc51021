"""attempt(): a view runs a service through it and gets back what the service wrote, or None
with the service's refusal shown on the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.forms import SAVED_TWICE, attempt


class NoteForm(forms.Form):
    text = forms.CharField()


def _bound() -> NoteForm:
    form = NoteForm({"text": "Spoke with carer"})
    assert form.is_valid()
    return form


def test_it_returns_what_the_service_wrote():
    written = object()

    assert attempt(_bound(), lambda: written) is written


def test_a_refusal_is_shown_at_the_field_it_names_and_nothing_is_returned():
    form = _bound()

    def refuse():
        raise ValidationError({"text": "Say what was discussed."})

    assert attempt(form, refuse) is None
    assert form.errors["text"] == ["Say what was discussed."]


def test_a_refusal_naming_no_field_goes_above_the_form():
    form = _bound()

    def refuse():
        raise ValidationError("This case is closed.")

    assert attempt(form, refuse) is None
    assert form.non_field_errors() == ["This case is closed."]


def test_a_second_click_that_lost_the_race_is_told_so():
    form = _bound()

    def collide():
        raise IntegrityError("duplicate key")

    assert attempt(form, collide) is None
    assert form.non_field_errors() == [SAVED_TWICE]
