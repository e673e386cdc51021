"""Permission matrix rows for the carers' portal: its pages answer carers only, each for their
own children; staff get 404 (and carers get 404 on every staff page: tests/matrix.py)."""

from tests.matrix import CARERS, Rule

ROWS: dict[str, Rule] = {
    # Every carer's account has a home; it lists only the children they may see.
    "families:home": Rule(allowed=CARERS),
}
