"""The school calendar and clock the case journey tests use, shared with these."""

from tests.cases.test_case_journey import calendar, clock  # noqa: F401
