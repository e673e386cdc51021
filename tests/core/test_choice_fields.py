"""Radio buttons and checkbox lists render as a group: a fieldset with a legend, each option a
Bootstrap check beside its label (a label "for" a group names nothing)."""

from django import forms


class Choice(forms.Form):
    how = forms.ChoiceField(
        label="How?", choices=[("a", "By code"), ("b", "By password")], widget=forms.RadioSelect
    )
    extra = forms.MultipleChoiceField(
        label="Also", choices=[("x", "X")], widget=forms.CheckboxSelectMultiple, required=False
    )


def test_radio_buttons_are_a_fieldset_with_a_legend_and_checks():
    html = Choice()["how"].as_field_group()

    assert html.startswith("\n<fieldset") or "<fieldset" in html
    assert "<legend" in html and "How?" in html
    assert html.count('class="form-check-input"') == 2
    assert 'for="id_how_0"' in html and "By code" in html


def test_an_optional_list_says_so_once_and_errors_mark_each_option():
    form = Choice(data={"how": "z"})
    form.is_valid()

    assert Choice()["extra"].as_field_group().count("(optional)") == 1
    assert form["how"].as_field_group().count("form-check-input is-invalid") == 2
