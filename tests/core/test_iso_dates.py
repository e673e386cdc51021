from core.templatetags.iso_dates import iso_uk


def test_a_utc_moment_in_summer_is_shown_in_london_time():
    assert iso_uk("2026-07-01T08:30:00+00:00") == "01/07/2026 09:30"


def test_a_utc_moment_in_winter_is_the_same_hour():
    assert iso_uk("2026-12-01T08:30:00+00:00") == "01/12/2026 08:30"


def test_a_date_is_a_uk_date():
    assert iso_uk("2016-02-29") == "29/02/2016"


def test_anything_else_is_shown_as_it_came():
    assert iso_uk("not a date") == "not a date"
    assert iso_uk("") == ""
    assert iso_uk(None) is None
