"""Forms for the calendar pages. Dates are typed DD/MM/YYYY."""

from django import forms

from core.dates import UkDateField
from schools.models import ClosureKind
from schools.term_dates.reading import CSV_HEADERS, MAX_BYTES


class TermForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="For example: Autumn 2026.")
    first_day = UkDateField(label="First day", help_text="DD/MM/YYYY, the first day of term.")
    last_day = UkDateField(label="Last day", help_text="DD/MM/YYYY, the last day of term.")


class ClosureForm(forms.Form):
    date = UkDateField(label="Date", help_text="DD/MM/YYYY. It must be within a term.")
    last_date = UkDateField(
        label="Last day (optional)",
        required=False,
        help_text="For several days in a row (a half term): each weekday up to this date.",
    )
    kind = forms.ChoiceField(label="What kind of day", choices=ClosureKind.choices)
    description = forms.CharField(
        max_length=200, required=False, help_text="For example: INSET day: staff training."
    )


class ClosureChangeForm(ClosureForm):
    last_date = None


class CalendarFileForm(forms.Form):
    file_format = forms.ChoiceField(
        label="Kind of file",
        choices=[("ics", "iCalendar (.ics), as the local authority publishes it"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        initial="ics",
    )
    file = forms.FileField(
        label="Term dates file",
        help_text=f"Up to {MAX_BYTES // 1024} KB. Nothing is saved until you confirm the preview.",
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.csv,text/calendar,text/csv"}),
    )

    csv_headers = ",".join(CSV_HEADERS)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024} KB.")
        return upload


class CalendarImportConfirmForm(forms.Form):
    plan = forms.CharField(widget=forms.HiddenInput)


class CopyForwardForm(forms.Form):
    year = forms.TypedChoiceField(
        label="School year to copy",
        coerce=int,
        help_text="Its terms and days off are copied to the next year as drafts, on the same "
        "weekdays. Adjust them, then confirm.",
    )

    def __init__(self, *args: object, years: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
