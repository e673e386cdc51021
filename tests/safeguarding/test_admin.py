from django.urls import reverse

from tests.conftest import client_for


def test_administrators_can_set_a_schools_safeguarding_time_limits(world):
    admin = client_for(world.users["administrator"])
    assert (
        admin.get(reverse("admin:safeguarding_safeguardingsettings_changelist")).status_code == 200
    )
    assert admin.get(reverse("admin:safeguarding_concerncategory_changelist")).status_code == 200


def test_concerns_are_not_in_the_admin(world):
    from django.urls import NoReverseMatch

    try:
        reverse("admin:safeguarding_concern_changelist")
    except NoReverseMatch:
        return
    raise AssertionError("Concerns must only be handled through the DSL team's pages")
