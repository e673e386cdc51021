"""Permission matrix rows for the household view: whoever reads the pupil's chronology (the
DSL of the pupil's site and the headteacher); everyone else, the other site's deputy DSL
included, 404."""

from tests.matrix import Rule
from tests.safeguarding.matrix_concerns import TRIAGES

ROWS = {
    "safeguarding:pupil_household": Rule(allowed=TRIAGES, args=lambda w: [w.pupil.pk]),
}
