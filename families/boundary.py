"""Which pages are the carers' portal: a portal view is marked once, where it is defined.

The boundary middleware (families.middleware) reads the mark: a carer's account reaches marked
pages (and signing in and out) only; a staff account never reaches a marked page.
"""

from collections.abc import Callable

PORTAL_MARK = "families_portal_page"


def portal_page[V: Callable[..., object]](view: V) -> V:
    """Mark ``view`` as a page of the carers' portal. Apply it outermost (last), so the mark is
    on the function the URL resolves to."""
    setattr(view, PORTAL_MARK, True)
    return view


def is_portal_page(view: Callable[..., object]) -> bool:
    return bool(getattr(view, PORTAL_MARK, False))
