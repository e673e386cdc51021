"""Forms of the file transfer: the leaving, and the receiving DSL's code and receipt."""

from django import forms

from core.dates import UkDateField
from safeguarding.models import PupilLeaving


class PupilLeavingForm(forms.ModelForm):
    left_on = UkDateField(label="Last day at this school", help_text="DD/MM/YYYY")

    class Meta:
        model = PupilLeaving
        fields = ["left_on", "new_school_name", "new_school_urn", "new_dsl_name", "new_dsl_email"]
        help_texts = {
            "new_school_name": "As the school is known, for example Larchfield Academy.",
            "new_dsl_name": "Their designated safeguarding lead, who receives the file.",
        }
        widgets = {"new_school_urn": forms.TextInput(attrs={"inputmode": "numeric"})}


class TransferCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The code the sending school's DSL gave you by phone. After 5 wrong codes "
        "the link is locked.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "Enter the code the sending DSL gave you."},
    )


class ReceiptForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=150,
        error_messages={"required": "Enter your name."},
    )
    role = forms.CharField(
        label="Your role",
        max_length=150,
        help_text="For example: designated safeguarding lead.",
        error_messages={"required": "Enter your role."},
    )


class TransferImportForm(forms.Form):
    bundle = forms.FileField(
        label="The file received",
        help_text="The zip downloaded from the sending school's link (child-protection-file.zip).",
        error_messages={"required": "Choose the file you received."},
    )
    digest = forms.CharField(
        label="Its SHA-256",
        max_length=64,
        min_length=64,
        help_text="The 64 characters shown on the page you downloaded it from: the file is "
        "refused if it does not match.",
        error_messages={"required": "Enter the SHA-256 shown where you downloaded the file."},
    )
