from django import forms
from django.db import models

HELP_TEXT_LIMIT = 1000


class HelpWith(models.TextChoices):
    WORK = "work", "The work: my child or I need help with it"
    DEVICE = "device", "A laptop, tablet or other device"
    INTERNET = "internet", "Getting online: internet or data"


class HelpForm(forms.Form):
    about = forms.ChoiceField(
        label="What do you need help with?",
        choices=HelpWith.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you need help with."},
    )
    text = forms.CharField(
        label="Tell us what is happening",
        max_length=HELP_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Tell us what you need help with.",
            "max_length": f"Keep it to {HELP_TEXT_LIMIT} characters or fewer.",
        },
    )
