"""The one-month deadline for answering a subject access request."""

import calendar
import datetime

from schools.calendar import bank_holidays


def respond_by(received_on: datetime.date) -> datetime.date:
    """The last day to respond: one calendar month from receipt (the same date next month, or
    that month's last day when it has no such date), moved to the next working day when it
    falls on a weekend or a bank holiday of England and Wales (ICO guidance)."""
    # Months counted from zero: this month is year * 12 + month - 1, so the next is one more.
    year, month_index = divmod(received_on.year * 12 + received_on.month, 12)
    month = month_index + 1
    last = calendar.monthrange(year, month)[1]
    due = datetime.date(year, month, min(received_on.day, last))
    holidays = bank_holidays([due.year, due.year + 1])
    while due.weekday() >= 5 or due in holidays:
        due += datetime.timedelta(days=1)
    return due
