"""Forms for reporting an absence, arranging cover and keeping the directory."""

from django import forms
from django.core.validators import RegexValidator

from cases.closures.forms import one_year_after
from contacts.models import AbsenceReason, Concern, DirectoryEntry
from core.dates import UkDateField
from schools.models import School, Site

STAFF_INVALID = "Choose a member of staff at this school from the list."


class AbsenceForm(forms.Form):
    staff = forms.TypedChoiceField(
        label="Who is absent",
        coerce=int,
        error_messages={"required": "Choose who is absent.", "invalid_choice": STAFF_INVALID},
    )
    first_day = UkDateField(label="First day absent")
    last_day = UkDateField(label="Last day absent", help_text="The same as the first for one day.")
    reason = forms.ChoiceField(
        choices=AbsenceReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why."},
    )

    def __init__(self, *args: object, staff_choices: list[tuple[int, str]] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff_choices is None:
            # Reporting one's own absence: nobody to choose.
            del self.fields["staff"]
        else:
            self.fields["staff"].choices = [("", "Choose…"), *staff_choices]

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", "The last day cannot be before the first.")
            elif last >= one_year_after(first):
                self.add_error(
                    "last_day",
                    f"Choose less than a year: the last day must be before "
                    f"{one_year_after(first):%d/%m/%Y}.",
                )
        return cleaned


class CoverForm(forms.Form):
    covered_by = forms.TypedChoiceField(
        label="Covered by",
        coerce=int,
        error_messages={
            "required": "Choose who will make these contacts.",
            "invalid_choice": STAFF_INVALID,
        },
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_by"].choices = [("", "Choose…"), *choices]


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{5,28}$",
    "Enter a phone number of digits and spaces, for example 01632 960123.",
)

SCHOOL_PREFIX = "school-"
SITE_PREFIX = "site-"


class DirectoryEntryForm(forms.Form):
    where = forms.ChoiceField(
        label="For",
        help_text="The whole school, or one site.",
        error_messages={
            "required": "Choose the school or site.",
            "invalid_choice": "Choose the school or a site from the list.",
        },
    )
    concern = forms.ChoiceField(
        choices=[("", "Choose…"), *Concern.choices],
        error_messages={"required": "Choose the concern this contact is for."},
    )
    name = forms.CharField(max_length=150, help_text="A person, team or service.")
    role = forms.CharField(max_length=150, required=False)
    phone = forms.CharField(max_length=30, required=False, validators=[phone_validator])
    email = forms.EmailField(required=False)
    notes = forms.CharField(max_length=300, required=False)
    external = forms.BooleanField(
        required=False, label="An outside service, such as a confidential support line"
    )
    position = forms.IntegerField(
        min_value=0, max_value=999, initial=0, help_text="Lower numbers are listed first."
    )

    def __init__(
        self, *args: object, schools: list[School], sites: list[Site], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self._schools = {school.pk: school for school in schools}
        self._sites = {site.pk: site for site in sites if site.school_id in self._schools}
        choices: list[tuple[str, str]] = []
        for school in schools:
            choices.append((f"{SCHOOL_PREFIX}{school.pk}", f"{school.name}: whole school"))
            choices += [
                (f"{SITE_PREFIX}{site.pk}", f"{school.name}: {site.name}")
                for site in self._sites.values()
                if site.school_id == school.pk
            ]
        if len(choices) > 1:
            choices.insert(0, ("", "Choose…"))
        self.fields["where"].choices = choices
        self.school: School | None = None
        self.site: Site | None = None

    @staticmethod
    def where_of(entry: DirectoryEntry) -> str:
        if entry.site_id is not None:
            return f"{SITE_PREFIX}{entry.site_id}"
        return f"{SCHOOL_PREFIX}{entry.school_id}"

    @classmethod
    def initial_for(cls, entry: DirectoryEntry) -> dict:
        return {
            "where": cls.where_of(entry),
            **{
                name: getattr(entry, name)
                for name in ("concern", "name", "role", "phone", "email", "notes", "external")
            },
            "position": entry.position,
        }

    def clean_where(self) -> str:
        value = self.cleaned_data["where"]
        kind, _, pk = value.partition("-")
        if kind == "school":
            self.school = self._schools[int(pk)]
        else:
            self.site = self._sites[int(pk)]
            self.school = self._schools[self.site.school_id]
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        phone_or_email = cleaned.get("phone") or cleaned.get("email")
        if not phone_or_email and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", "Give a phone number or an email address (or both).")
        return cleaned

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("concern", "name", "role", "phone", "email", "notes", "external")
        } | {"position": self.cleaned_data["position"] or 0}
