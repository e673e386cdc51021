from django import forms

from cases.models import WORK_FEEDBACK_NOTE_LIMIT, FeedbackPeriod, FeedbackRating
from contacts.models import FAMILY_REPORT_NOTE_LIMIT, FamilyReportKind
from core.dates import UkDateField

# What a family reports from this page; asking for help has its own page.
REPORT_KINDS = [
    (FamilyReportKind.UNWELL, "My child is unwell"),
    (FamilyReportKind.CANNOT_WORK, "My child cannot do today's work"),
]


class FamilyReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would you like to tell the school?",
        choices=REPORT_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are telling the school."},
    )
    day = UkDateField(label="Which day?", help_text="A school day: today or a day ahead.")
    note = forms.CharField(
        label="Anything the class team should know",
        required=False,
        max_length=FAMILY_REPORT_NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Keep the note to {FAMILY_REPORT_NOTE_LIMIT} characters or fewer."
        },
    )


class WorkFeedbackForm(forms.Form):
    period = forms.ChoiceField(
        label="Is this about one day or the whole week?",
        choices=FeedbackPeriod.choices,
        widget=forms.RadioSelect,
        initial=FeedbackPeriod.DAY,
    )
    starts_on = UkDateField(label="Which day (or a day in the week)?")
    rating = forms.ChoiceField(
        label="How did the work go?",
        choices=FeedbackRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the work went."},
    )
    note = forms.CharField(
        label="Tell the class team more",
        required=False,
        max_length=WORK_FEEDBACK_NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Keep the note to {WORK_FEEDBACK_NOTE_LIMIT} characters or fewer."
        },
    )
