"""Forms for carers' portal accounts: accepting an invitation, ending an account, and
restricting or lifting a carer's contact."""

from django import forms

HOW_TO_SIGN_IN = [
    ("code", "Sign in with a code sent to my email each time"),
    ("password", "Set a password"),
]


class InvitationAcceptForm(forms.Form):
    how = forms.ChoiceField(
        label="How would you like to sign in?",
        choices=HOW_TO_SIGN_IN,
        widget=forms.RadioSelect,
        initial="code",
    )
    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Only if you chose a password: at least 12 characters, with capital and small "
        "letters, a number and a symbol.",
    )
    password2 = forms.CharField(
        label="Password again",
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("how") == "password":
            if not data.get("password1"):
                self.add_error("password1", "Choose a password, or sign in with a code instead.")
            elif data.get("password1") != data.get("password2"):
                self.add_error("password2", "The two passwords are not the same.")
        return data

    @property
    def password(self) -> str | None:
        return (
            self.cleaned_data["password1"] if self.cleaned_data.get("how") == "password" else None
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the decision, for the record.",
    )
