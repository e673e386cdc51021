"""The form asking for an SLT oversight report: a scope the person may see, and a period."""

import datetime

from django import forms

from core.dates import UkDateField
from oversight.reports.permissions import ReportScope
from oversight.reports.services import period_errors


class OversightReportForm(forms.Form):
    scope = forms.ChoiceField(
        label="What the report covers",
        help_text="Only the school, sites and classes you oversee are listed.",
        error_messages={
            "required": "Choose what the report covers.",
            "invalid_choice": "Choose one of the scopes in the list.",
        },
    )
    start = UkDateField(label="First day", help_text="DD/MM/YYYY; today or earlier")
    end = UkDateField(
        label="Last day", help_text="DD/MM/YYYY, included; the period is at most a year"
    )

    def __init__(
        self, *args: object, scopes: list[ReportScope], today: datetime.date, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choices = [(scope.value, scope.label) for scope in scopes]
        if len(scopes) > 1:
            choices.insert(0, ("", "Choose…"))
        self.fields["scope"].choices = choices

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        for name, message in period_errors(
            cleaned.get("start"), cleaned.get("end"), self.today
        ).items():
            self.add_error(name, message)
        return cleaned
