"""The settings pages: what each person sees, changing a setting through the form, bad
input at the field, the history, and a fixed number of queries."""

import datetime as dt
import re

import time_machine
from django.urls import reverse

from cases.selectors import case_settings_of
from core.actor import Actor
from setup.models import SettingChange
from setup.settings_area.registry import REGISTRY
from setup.settings_area.services import REASON_REQUIRED, school_setting_change
from tests.conftest import client_for

KEY = "review_interval_school_days"


def _page(world, persona: str, name: str = "setup:settings", *args):
    url = reverse(name, args=[world.school.pk, *args])
    return client_for(world.users[persona]).get(url)


def _change(world, persona: str, key: str, data: dict):
    url = reverse("setup:setting_change", args=[world.school.pk, key])
    return client_for(world.users[persona]).post(url, data)


def _changes(world, count: int, key: str = KEY) -> None:
    head = Actor.for_user(world.users["headteacher"])
    for n in range(count):
        school_setting_change(
            actor=head, school=world.school, key=key, value=11 + n, reason=f"Change {n}."
        )


def test_the_page_lists_every_setting_with_its_policy_default_and_range(world):
    response = _page(world, "headteacher")
    assert response.status_code == 200
    html = response.content.decode()
    for setting in REGISTRY:
        assert setting.label in html
        assert f'id="setting-{setting.key}"' in html
    for heading in ("Cases", "Contact with families", "Safeguarding", "Attendance codes"):
        assert f">{heading}</h2>" in html
    for policy in ("§2 time limit", "§3.1 availability", "§3.2 home visits", "§5 data protection"):
        assert policy in html
    assert "1 to 190 school days" in html
    assert "08:45" in html and "07:00 to 18:00" in html
    assert "One of the 2024 attendance codes listed" in html
    assert html.count(">default</span>") == len(REGISTRY)  # nothing chosen yet
    assert f'href="{reverse("setup:setting_change", args=[world.school.pk, KEY])}"' in html


def test_slt_read_the_settings_without_a_way_to_change_them(world):
    html = _page(world, "slt_other_site").content.decode()
    assert "Longest time limit" in html
    assert "Only the headteacher or an administrator can change them." in html
    assert f'href="{reverse("setup:setting_change", args=[world.school.pk, KEY])}"' not in html
    assert _page(world, "slt_class", "setup:setting_change", KEY).status_code == 403


def test_the_menu_entry_opens_the_schools_settings_or_a_choice_of_schools(world):
    url = reverse("setup:settings_home")
    head = client_for(world.users["headteacher"]).get(url)
    assert head.status_code == 200
    assert "School settings: Heathergate School" in head.content.decode()
    admin = client_for(world.users["administrator"]).get(url).content.decode()
    assert "Choose the school" in admin
    assert "Heathergate School" in admin and "Elsewhere" in admin


def test_the_menu_offers_school_settings_to_those_who_read_them(world):
    for persona, shown in [
        ("headteacher", True),
        ("slt_class", True),
        ("administrator", True),
        ("teacher", False),
        ("dsl", False),
        ("governor", False),
    ]:
        html = client_for(world.users[persona]).get(reverse("home")).content.decode()
        assert (reverse("setup:settings_home") in html) is shown, persona


def test_a_change_through_the_form_is_saved_and_shown(world):
    client = client_for(world.users["headteacher"])
    url = reverse("setup:setting_change", args=[world.school.pk, KEY])
    form = client.get(url).content.decode()
    assert 'name="reason"' in form and 'value="10"' in form
    response = client.post(url, {"value": "15", "reason": "Three weeks."})
    assert response.status_code == 302
    assert response.url == reverse("setup:settings", args=[world.school.pk])
    assert case_settings_of(world.school).review_interval_school_days == 15
    page = client.get(response.url).content.decode()
    assert "Review interval: now 15 school days (was 10 school days)." in page


def _field_error(html: str) -> str:
    found = re.search(r'id="id_(\w+)_error">([^<]*)<', html)
    return f"{found.group(1)}: {found.group(2)}" if found else ""


def test_bad_input_is_shown_at_the_field_and_nothing_is_written(world):
    cases = [
        ({"value": "365", "reason": "A year."}, "value: Choose a number from 1 to 190 school"),
        ({"value": "ten", "reason": "Ten."}, "value: Enter a whole number."),
        ({"value": "15", "reason": ""}, f"reason: {REASON_REQUIRED}"),
        ({"value": "10", "reason": "Same."}, "value: That is already the setting."),
    ]
    for data, error in cases:
        key = "max_time_limit_school_days" if data["value"] == "365" else KEY
        response = _change(world, "headteacher", key, data)
        assert response.status_code == 400
        assert _field_error(response.content.decode()).startswith(error)
    assert not SettingChange.objects.exists()


def test_an_attendance_code_is_chosen_from_the_2024_codes_with_the_default_marked(world):
    key = "attendance_code_infectious"
    form = _page(world, "administrator", "setup:setting_change", key).content.decode()
    assert "I: Illness (not medical or dental appointment) (default)" in form
    assert "Y7: Unable to attend: any other unavoidable cause<" in form
    response = _change(world, "administrator", key, {"value": "Y7", "reason": "LA guidance."})
    assert response.status_code == 302
    history = _page(world, "headteacher", "setup:setting_history", key).content.decode()
    assert "LA guidance." in history


def test_an_unknown_setting_is_not_found(world):
    assert _page(world, "headteacher", "setup:setting_change", "no_such_thing").status_code == 404
    assert _page(world, "headteacher", "setup:setting_history", "no_such_thing").status_code == 404


def test_the_history_shows_each_change_newest_first_with_old_and_new_values(world):
    head = Actor.for_user(world.users["headteacher"])
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 15, tzinfo=dt.UTC), tick=False):
        school_setting_change(
            actor=head, school=world.school, key=KEY, value=5, reason="Weekly reviews."
        )
    with time_machine.travel(dt.datetime(2026, 11, 9, 14, 0, tzinfo=dt.UTC), tick=False):
        school_setting_change(
            actor=head, school=world.school, key="max_session_minutes", value=45, reason="Shorter."
        )
    html = _page(world, "slt_class", "setup:settings_history").content.decode()
    assert html.index("09/11/2026 14:00") < html.index("02/11/2026 09:15")
    assert "60 minutes" in html and "45 minutes" in html
    assert "10 school days" in html and "5 school days" in html
    assert "Weekly reviews." in html and "Headteacher" in html
    one = _page(world, "slt_class", "setup:setting_history", KEY).content.decode()
    assert "Weekly reviews." in one and "Shorter." not in one


def test_the_history_is_paged(world):
    _changes(world, 30)
    client = client_for(world.users["headteacher"])
    url = reverse("setup:settings_history", args=[world.school.pk])
    first = client.get(url).content.decode()
    assert "30 changes." in first and "Page 1 of 2" in first
    assert "Change 29." in first and "Change 4." not in first
    assert "Change 4." in client.get(url, {"page": 2}).content.decode()


def test_an_empty_history_says_so(world):
    html = _page(world, "headteacher", "setup:settings_history").content.decode()
    assert "No changes recorded yet." in html


# The session, the user, MFA, memberships and the menu's count of the viewer's own tasks; then
# the page's own queries: the school and one per settings model (settings page), or the count
# and one page of changes (history).
PAGES = [
    ("setup:settings", [], 12),
    ("setup:settings_history", [], 9),
    ("setup:setting_history", [KEY], 9),
]


def test_the_pages_cost_the_same_queries_however_many_changes(world, django_assert_max_num_queries):
    client = client_for(world.users["headteacher"])
    client.get(reverse("home"))  # the session's first page, done once
    for changes in (0, 40):
        _changes(world, changes)
        for name, args, most in PAGES:
            with django_assert_max_num_queries(most):
                assert client.get(reverse(name, args=[world.school.pk, *args])).status_code == 200


def test_the_page_offers_no_code_for_a_closure_for_safety_and_says_why(world):
    """A closure because opening is not safe is coded Y3 for a class and Y4 for a site by the
    2024 regulations: a choice there would do nothing, so none is offered."""
    html = _page(world, "headteacher").content.decode()
    assert 'id="setting-attendance_code_unsafe"' not in html
    assert "Opening is not possible to do safely" in html  # named in the explanation
    assert "Y3 for a class and Y4 for a whole site" in html
    assert (
        _page(world, "headteacher", "setup:setting_change", "attendance_code_unsafe").status_code
        == 404
    )


def test_a_yes_or_no_setting_is_chosen_on_the_form(world):
    from contacts.models import ContactSettings

    client = client_for(world.users["headteacher"])
    url = reverse("setup:setting_change", args=[world.school.pk, "family_report_counts_as_contact"])
    assert 'type="radio"' in client.get(url).content.decode()
    response = client.post(url, {"value": "True", "reason": "Agreed with the class teams."})
    assert response.status_code == 302
    assert ContactSettings.objects.get(school=world.school).family_report_counts_as_contact
    page = client.get(response.url).content.decode()
    assert "now Yes (was No)" in page
