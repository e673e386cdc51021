"""Filters for the DPO's access log. The query string carries ids and dates, never names."""

from django import forms
from django.db.models import QuerySet

from accounts.models import User
from core.dates import UkDateField
from core.forms import ModelChoiceField
from schools.models import Pupil


class PupilChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Pupil) -> str:
        return obj.display_name


class StaffChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class AccessLogFilterForm(forms.Form):
    pupil = PupilChoiceField(
        queryset=Pupil.objects.none(),
        required=False,
        empty_label="All pupils",
        error_messages={"invalid_choice": "Choose a pupil from the list."},
    )
    user = StaffChoiceField(
        label="Staff member",
        queryset=User.objects.none(),
        required=False,
        empty_label="Everyone",
        error_messages={"invalid_choice": "Choose a member of staff from the list."},
    )
    date_from = UkDateField(label="From", required=False, help_text="DD/MM/YYYY")
    date_to = UkDateField(label="To", required=False, help_text="DD/MM/YYYY, included")

    is_filter = True  # every field is optional; the template need not say so

    def __init__(
        self, *args: object, pupils: QuerySet[Pupil], staff: QuerySet[User], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils.only(
            "id", "first_name", "preferred_name", "last_name"
        )
        self.fields["user"].queryset = staff.only("id", "full_name", "email")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def filters(self) -> dict[str, object]:
        """Keyword arguments for dataprotection.selectors.access_events_for."""
        data = self.cleaned_data if self.is_bound else {}
        pupil, user = data.get("pupil"), data.get("user")
        return {
            "pupil_id": pupil.pk if pupil else None,
            "user_id": user.pk if user else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
