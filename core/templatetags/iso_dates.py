"""Dates that arrive as ISO 8601 text (a transferred file's records), shown as UK dates."""

import datetime
from zoneinfo import ZoneInfo

from django import template

register = template.Library()
LONDON = ZoneInfo("Europe/London")


@register.filter
def iso_uk(value: object) -> object:
    """'2026-11-02T09:15:00+00:00' → '02/11/2026 09:15' (London time); '2026-11-02' →
    '02/11/2026'. Anything else is shown as it came, so a malformed record is still readable."""
    if not isinstance(value, str) or not value:
        return value
    try:
        if "T" not in value:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return moment.strftime("%d/%m/%Y %H:%M")
