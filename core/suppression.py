"""Small numbers are not shown to people who must not be able to single a pupil out.

Governors see only aggregates (policy section 3.7), and a count of one or two children with a
given reason or concern can identify them in a small special school. Any count below the
threshold (settings.SMALL_NUMBER_THRESHOLD, 3 unless configured) is shown as "fewer than 3",
zero included, so that "0" and "fewer than 3" cannot be told apart by subtraction.
"""

from django.conf import settings


def threshold() -> int:
    return int(getattr(settings, "SMALL_NUMBER_THRESHOLD", 3))


def is_suppressed(count: int) -> bool:
    return count < threshold()


def suppressed(count: int) -> str:
    """The count as governors may see it."""
    if is_suppressed(count):
        return f"fewer than {threshold()}"
    return f"{count:,}"


def suppressed_share(part: int, whole: int) -> str:
    """A part of a whole as "n of m (p%)", hiding the part when it or what is left of the
    whole is small (either would single out a few people)."""
    if is_suppressed(whole):
        return f"not shown (fewer than {threshold()} in all)"
    if is_suppressed(part) or is_suppressed(whole - part):
        return f"not shown (too few to show safely) of {whole:,}"
    return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


def share_of(part: int, whole: int) -> str:
    """A part of a whole in full, for figures about staff and the school's safeguards (MFA,
    device declarations) rather than about children: governors need to see "31 of 32"."""
    if whole == 0:
        return "none to count"
    return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"
