"""The family's agreements: each ground rule is a box the carer ticks themselves."""

from django import forms


class ArrangementAgreeForm(forms.Form):
    """The version of the arrangement the carer read, sent back with their agreement."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=64)
    agree = forms.BooleanField(
        label="I have read the arrangement above and I agree to it",
        error_messages={"required": "Tick the box to agree, or contact the school."},
    )


class GroundRulesForm(forms.Form):
    no_recordings = forms.BooleanField(
        label="I will not make any recordings of the session.", required=False
    )
    confidentiality = forms.BooleanField(
        label="I will keep what happens in the session, the password and the invitation codes "
        "private.",
        required=False,
    )
    parent_present = forms.BooleanField(
        label="A parent or carer will be with my child during the session.", required=False
    )
    household_not_seen_or_heard = forms.BooleanField(
        label="Other people at home will not be seen or heard.", required=False
    )
    dress_and_language = forms.BooleanField(
        label="We will dress appropriately and use appropriate language.", required=False
    )
    expectations_known = forms.BooleanField(
        label="I know what is expected of my child: dressed appropriately, in front of a "
        "suitable background.",
        required=False,
    )
