from django import forms

from contacts.messages.permissions import Audience


class FamilyMessageForm(forms.Form):
    audience = forms.ChoiceField(label="Send to")
    subject = forms.CharField(
        max_length=120,
        help_text="Shown in every family's inbox. Do not name a child, not even by first name.",
    )
    body = forms.CharField(
        label="Message",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "The same text goes to every family, each in a separate email. It must not name a "
            'child or say anything about one family. "Dear parent or carer" and the school\'s '
            "name are added for you."
        ),
    )
    checked = forms.BooleanField(
        label="I have checked that this message contains no child's or family's personal "
        "information.",
        error_messages={"required": "Confirm that you have checked the message."},
    )

    def __init__(self, *args: object, audiences: list[Audience], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", "Choose a group")] + [
            (a.key, a.label) for a in audiences
        ]
