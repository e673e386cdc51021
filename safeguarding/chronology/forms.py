"""Forms of the printable chronology: what to print, words to add, the release."""

import datetime

from django import forms

from core.dates import UkDateField, period_errors
from safeguarding.chronology.services import KIND_LABELS, words_from

VERSIONS = [
    ("full", "Full: for the DSL team and the school's own meetings"),
    ("sharing", "For sharing: other children and third parties replaced by their roles"),
]
WORDS_HELP = (
    "One a line: nicknames, places or anything else that could identify someone. Replaced "
    "by “[redacted]”, whole words, whatever the case."
)


class ChronologyPrintForm(forms.Form):
    start = UkDateField(label="First day", help_text="DD/MM/YYYY; today or earlier")
    end = UkDateField(label="Last day", help_text="DD/MM/YYYY, included")
    categories = forms.TypedMultipleChoiceField(
        label="Concern categories",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every category. Ticking some leaves out what is not on a "
        "concern of those categories (contacts, visits, case events).",
        error_messages={"invalid_choice": "Choose categories from the list."},
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds of entry",
        required=False,
        choices=list(KIND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every kind.",
        error_messages={"invalid_choice": "Choose kinds of entry from the list."},
    )
    version = forms.ChoiceField(
        label="Version", choices=VERSIONS, initial="full", widget=forms.RadioSelect
    )
    extra_words = forms.CharField(
        label="Other words to replace (for sharing only)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=WORDS_HELP,
    )

    def __init__(
        self,
        *args: object,
        categories: list[tuple[int, str]],
        today: datetime.date,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["categories"].choices = categories

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if "start" not in self.errors and "end" not in self.errors:
            for name, message in period_errors(
                cleaned.get("start"), cleaned.get("end"), self.today
            ).items():
                self.add_error(name, message)
        cleaned["extra_words"] = words_from(cleaned.get("extra_words") or "")
        return cleaned


class RedactionWordsForm(forms.Form):
    extra_words = forms.CharField(
        label="Other words to replace",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=WORDS_HELP + " The PDF is made again with them.",
        error_messages={"required": "Enter at least one word to replace."},
    )

    def clean_extra_words(self) -> list[str]:
        return words_from(self.cleaned_data["extra_words"])


class ReleaseForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
