"""Permission matrix rows for the family's agreements on the carers' portal: the child's
carers only (parental responsibility, not restricted); another family's carer, a restricted
carer and every staff account get 404."""

from tests.matrix import CARES_FOR_THE_PUPIL, Rule

ROWS: dict[str, Rule] = {
    "families:child_arrangement": Rule(
        allowed=CARES_FOR_THE_PUPIL, args=lambda world: [world.pupil.pk]
    ),
    "families:child_ground_rules": Rule(
        allowed=CARES_FOR_THE_PUPIL, args=lambda world: [world.pupil.pk]
    ),
}
