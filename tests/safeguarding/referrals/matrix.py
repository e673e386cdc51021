"""Permission matrix rows for a referral's responses and chases: like the concern's other
actions, for the DSL of the pupil's site and the headteacher; the reporter (the teacher) gets
403; everyone else, the other site's deputy DSL included, 404."""

from safeguarding.models import Agency, Referral
from schools.calendar import today
from tests.matrix import Rule
from tests.safeguarding.matrix_concerns import REPORTER, TRIAGES, concern_for
from tests.world import World


def referral_for(world: World) -> Referral:
    return Referral.objects.create(
        concern=concern_for(world),
        agency=Agency.SOCIAL_CARE,
        referred_on=today(),
        made_by=world.users["dsl"],
    )


def _referral(world: World) -> list:
    return [referral_for(world).pk]


def _prefixed(prefix: str, dated: str, **data: str):
    def build(world: World) -> dict:
        # The matrix makes the referral for args first; its pk is the latest.
        pk = Referral.objects.latest("pk").pk
        fields = {dated: today().isoformat(), **data}
        return {f"{prefix}{pk}-{key}": value for key, value in fields.items()}

    return build


ROWS = {
    "safeguarding:referral_response_add": Rule(
        allowed=TRIAGES,
        forbidden=REPORTER,
        method="post",
        args=_referral,
        data=_prefixed(
            "response",
            "responded_on",
            responded_by="Duty social worker",
            what_they_said="Received; assessment to follow.",
            outcome="Child and family assessment",
        ),
        allowed_status=302,
    ),
    "safeguarding:referral_chase_add": Rule(
        allowed=TRIAGES,
        forbidden=REPORTER,
        method="post",
        args=_referral,
        data=_prefixed(
            "chase",
            "chased_on",
            how="phone",
            spoke_to="MASH duty desk",
            what_was_said="With the team manager.",
        ),
        allowed_status=302,
    ),
}
