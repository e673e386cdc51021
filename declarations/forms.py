"""The device security declaration form: one yes / cannot-confirm answer per item of policy
sections 5.1 and 5.3, each with a reason when it cannot be confirmed."""

from django import forms

from declarations.models import DeclarationItem, DeviceDeclaration
from declarations.services import ANSWER_REQUIRED, Answer, reason_field

YES = "yes"
CANNOT = "cannot"
ANSWER_CHOICES = [(YES, "Yes"), (CANNOT, "I cannot confirm this")]


class DeclarationForm(forms.Form):
    device_description = forms.CharField(
        label="Your device",
        max_length=DeviceDeclaration._meta.get_field("device_description").max_length,
        help_text='The device you use for school work, for example "school laptop" or '
        '"own phone". If you use more than one, name them all.',
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for item in DeclarationItem:
            self.fields[item.value] = forms.ChoiceField(
                label=item.label,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED},
            )
            self.fields[reason_field(item.value)] = forms.CharField(
                label="If you cannot confirm this, why?",
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Required when you cannot confirm it. IT staff will follow it up.",
            )

    def items(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each item's answer and reason fields, for the page to show together."""
        return [(self[item], self[reason_field(item)]) for item in DeclarationItem.values]

    def answers(self) -> dict[str, Answer]:
        return {
            item: Answer(
                confirmed=self.cleaned_data[item] == YES,
                reason=self.cleaned_data.get(reason_field(item), ""),
            )
            for item in DeclarationItem.values
        }
