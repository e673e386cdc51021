from django import forms

from safeguarding.models import ConcernCategory
from setup.categories.services import REASON_REQUIRED

BODY_MAP_HELP = (
    "Staff can record marks on a body outline for concerns in this category (physical abuse, "
    "injuries)."
)


def dsl_team_only_sentence(name: str, *, on: bool) -> str:
    """What keeping a category for the DSL team only does, said before it changes."""
    what = f"concerns in “{name}”" if name else "concerns in this category"
    if on:
        return (
            f"Kept for the DSL team only, {what} are read only by the DSL and deputy DSLs of "
            "the pupil's site. They are hidden from the headteacher and SLT (unless they also "
            "hold a DSL role), and from every list, count and report those people see. The "
            "member of staff who raised one still sees that it was received."
        )
    return (
        f"No longer kept for the DSL team only, {what} are read by the headteacher as well "
        "as the DSL team of the pupil's site, including those already raised."
    )


class _CategoryForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100)
    records_body_map = forms.BooleanField(
        label="Records a body map", required=False, help_text=BODY_MAP_HELP
    )
    dsl_team_only = forms.BooleanField(label="For the DSL team only", required=False)
    reason = forms.CharField(
        label="Why?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the change in the categories' history.",
        error_messages={"required": REASON_REQUIRED},
    )


class CategoryAddForm(_CategoryForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dsl_team_only"].help_text = dsl_team_only_sentence("", on=True)


class CategoryChangeForm(_CategoryForm):
    active = forms.BooleanField(
        label="Offered for new concerns",
        required=False,
        help_text="Untick to retire it: concerns already raised in it keep it.",
    )
    dsl_team_only_confirmed = forms.BooleanField(
        label="I have read what changing “For the DSL team only” does",
        required=False,
    )
    field_order = [
        "name",
        "active",
        "records_body_map",
        "dsl_team_only",
        "dsl_team_only_confirmed",
        "reason",
    ]

    def __init__(self, *args: object, category: ConcernCategory, **kwargs: object) -> None:
        initial = {
            "name": category.name,
            "active": category.active,
            "records_body_map": category.records_body_map,
            "dsl_team_only": category.dsl_team_only,
        }
        super().__init__(*args, initial=initial, **kwargs)
        # What ticking the box would do: the opposite of what the category is now.
        self.fields["dsl_team_only_confirmed"].help_text = dsl_team_only_sentence(
            category.name, on=not category.dsl_team_only
        )
