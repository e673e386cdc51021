"""Forms for subject access: finding the pupil (posted, so a name never reaches an address or a
log line) and the choices for one export."""

import datetime

from django import forms
from django.db.models import Q, QuerySet

from core.dates import UK_DATE_INPUT_FORMATS
from dpo.subject_access.structure import Options
from schools.calendar import today
from schools.models import Pupil

SEARCH_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500
EARLIEST_RECEIVED = datetime.date(2000, 1, 1)


class PupilSearchForm(forms.Form):
    query = forms.CharField(
        label="Pupil's name or UPN",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Part of a first, last or preferred name, or the whole UPN. Pupils who have "
        "left are included.",
        error_messages={"required": "Type part of the pupil's name, or their UPN."},
    )

    def clean_query(self) -> str:
        return " ".join(self.cleaned_data["query"].split())

    def matches(self, pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
        """Pupils in ``pupils`` whose every typed word is part of a name, or whose UPN it is."""
        query = self.cleaned_data["query"]
        by_name = Q()
        for word in query.split():
            by_name &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return pupils.filter(by_name | Q(upn__iexact=query))


class SubjectAccessForm(forms.Form):
    requested_by = forms.CharField(
        label="Requested by",
        max_length=150,
        help_text="Who made the request, for example the parent or carer's name, or the pupil.",
        error_messages={"required": "Say who made the request."},
    )
    received_on = forms.DateField(
        label="Date received",
        input_formats=UK_DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
        help_text="DD/MM/YYYY. The response is due one calendar month from this date.",
        error_messages={
            "required": "Enter the date the request was received.",
            "invalid": "Enter a date as DD/MM/YYYY, for example 28/11/2026.",
        },
    )
    include_safeguarding = forms.BooleanField(
        label="Include safeguarding records",
        required=False,
        help_text="Concerns with their addenda, actions, decisions and referrals, home visits, "
        "social-worker notices and involvements. Withheld unless you tick this.",
    )
    safeguarding_reason = forms.CharField(
        label="Reason for the safeguarding decision",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to include safeguarding records, for example 'DSL confirmed "
        "disclosure would not put the child at risk'. When withholding, you may give the "
        "reason; otherwise the standard reason (risk of serious harm) is printed.",
    )

    def clean_received_on(self) -> datetime.date:
        received = self.cleaned_data["received_on"]
        if received > today():
            raise forms.ValidationError("The date received cannot be in the future.")
        if received < EARLIEST_RECEIVED:
            raise forms.ValidationError(f"Enter a date on or after {EARLIEST_RECEIVED:%d/%m/%Y}.")
        return received

    def __init__(self, *args, for_logging: bool = False, **kwargs) -> None:
        # Logging a request in the register reads only who asked and when: the safeguarding
        # choices belong to an export and are not checked then.
        super().__init__(*args, **kwargs)
        self.for_logging = for_logging

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.for_logging:
            return cleaned
        if cleaned.get("include_safeguarding") and not cleaned.get("safeguarding_reason"):
            self.add_error(
                "safeguarding_reason",
                "Record why including safeguarding records is lawful and safe, for example "
                "that the DSL confirmed disclosure would not put the child at risk.",
            )
        return cleaned

    def options(self) -> Options:
        data = self.cleaned_data
        return Options(
            include_safeguarding=data["include_safeguarding"],
            safeguarding_reason=data["safeguarding_reason"],
            requested_by=data["requested_by"],
            received_on=data["received_on"],
        )
