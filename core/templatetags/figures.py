from django import template

from core.suppression import suppressed as _suppressed
from core.suppression import suppressed_share as _suppressed_share

register = template.Library()


@register.filter
def suppressed(count: int) -> str:
    """``{{ count|suppressed }}``: "fewer than 3" for small counts."""
    return _suppressed(int(count or 0))


@register.simple_tag
def suppressed_share(part: int, whole: int) -> str:
    """``{% suppressed_share part whole %}``."""
    return _suppressed_share(int(part or 0), int(whole or 0))


@register.filter(name="zip")
def zip_with(columns, values) -> list[tuple[object, object]]:
    """``{% for column, value in columns|zip:values %}``: each value beside its column, so a
    cell can carry its column's name (``data-label`` for stacked rows)."""
    return list(zip(columns or [], values or [], strict=False))
