"""The form for a mark: usable without a mouse (a view and a region from a list); clicking the
outline fills in the point. It checks shape only; the service decides."""

from collections.abc import Iterable

from django import forms

from safeguarding.body_map.outline import REGION_CHOICES
from safeguarding.forms import DATETIME_FORMATS, _text
from safeguarding.models import BodyMark, BodyMarkKind, BodyMarkView


class BodyMarkForm(forms.Form):
    view = forms.ChoiceField(
        label="Front or back",
        choices=BodyMarkView.choices,
        initial=BodyMarkView.FRONT,
        widget=forms.RadioSelect,
    )
    region = forms.ChoiceField(
        label="Where on the body",
        choices=[("", "Choose where"), *REGION_CHOICES],
        required=False,
        help_text="The child's left and right. Choose from the list, or click the outline: "
        "a click fills in the point below.",
    )
    x = forms.FloatField(
        label="Across",
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100"}),
        help_text="0 to 100 across the view, filled in when you click the outline.",
    )
    y = forms.FloatField(
        label="Down",
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100"}),
        help_text="0 to 100 down the view, filled in when you click the outline.",
    )
    kind = forms.ChoiceField(
        label="Kind of mark", choices=[("", "Choose the kind"), *BodyMarkKind.choices]
    )
    size = forms.CharField(
        label="Size", max_length=100, help_text="For example: about 2 cm, or 5 mm across."
    )
    colour = forms.CharField(label="Colour", max_length=100, required=False)
    childs_explanation = _text(
        "The child's explanation",
        required=False,
        rows=3,
        help_text="Their own words, exactly as they said them, if they said anything.",
    )
    seen_by = forms.CharField(
        label="Who saw it",
        max_length=300,
        help_text="For example: the class teacher, on the video call.",
    )
    seen_at = forms.DateTimeField(
        label="When it was seen",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    supersedes = forms.TypedChoiceField(
        label="Corrects mark",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Only for a correction: the mark this one replaces, which is kept as it was.",
    )
    correction_reason = _text("Why it is corrected", required=False, rows=2)

    def __init__(self, *args, marks: Iterable[BodyMark] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supersedes"].choices = [
            ("", "Not a correction"),
            *((mark.pk, f"Mark {mark.number}: {mark.region_name}") for mark in marks),
        ]
