"""Dates typed the UK way (DD/MM/YYYY) in forms; ISO dates (from a date picker) are accepted."""

import datetime

from django import forms

UK_DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


class UkDateField(forms.DateField):
    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "DD/MM/YYYY"}
    )
    input_formats = UK_DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": "Enter a date as DD/MM/YYYY, for example 28/11/2026.",
        "required": "Enter a date as DD/MM/YYYY.",
    }

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                f"Enter a date between {EARLIEST_DATE:%d/%m/%Y} and {LATEST_DATE:%d/%m/%Y}.",
                code="out_of_range",
            )


def period_errors(
    start: datetime.date | None, end: datetime.date | None, today: datetime.date
) -> dict[str, str]:
    """What is wrong with a period of past days (a report's, a printed chronology's), by field:
    each form and its service both ask."""
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = "Enter the first day of the period."
    if end is None:
        errors["end"] = "Enter the last day of the period."
    if errors:
        return errors
    if start > today:
        errors["start"] = (
            f"The period cannot start in the future: choose {today:%d/%m/%Y} or earlier."
        )
    if end < start:
        errors["end"] = "The last day must be on or after the first day."
    return errors
