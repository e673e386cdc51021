from django.urls import reverse

from tests.conftest import client_for


def test_administrators_can_read_a_schools_safeguarding_time_limits(world):
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


def test_settings_are_changed_only_on_the_versioned_settings_page_not_in_the_admin(world, rf):
    from django.contrib import admin

    from contacts.models import ContactSettings
    from dpo.models import RetentionRule
    from safeguarding.models import SafeguardingSettings

    request = rf.get("/")
    request.user = world.users["administrator"]
    for model in (SafeguardingSettings, ContactSettings, RetentionRule):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_delete_permission(request)
