"""Small helpers for the scheduled rules' hand-written SQL (cases.flags.engine and its rules).

The rules are INSERT ... SELECT statements that run as they are on SQLite and PostgreSQL;
these helpers run them and turn Python values into what each database expects.
"""

import datetime

from django.db import connection
from django.utils import timezone


def execute(sql: str, params: list) -> int:
    """Run one statement; the number of rows it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def now_param() -> object:
    return connection.ops.adapt_datetimefield_value(timezone.now())


def date_param(value: datetime.date) -> object:
    return connection.ops.adapt_datefield_value(value)
