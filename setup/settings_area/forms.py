from django import forms

from setup.settings_area.registry import Setting, Value
from setup.settings_area.services import REASON_REQUIRED


class SettingChangeForm(forms.Form):
    reason = forms.CharField(
        label="Why is it changing?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the change in the setting's history.",
        error_messages={"required": REASON_REQUIRED},
    )

    def __init__(self, *args: object, setting: Setting, current: Value, **kwargs: object) -> None:
        super().__init__(*args, initial={"value": current}, **kwargs)
        # The value first, then the reason.
        self.fields = {"value": setting.form_field(), **self.fields}
