"""A school configures its concern categories without a shell or the admin: the headteacher,
the DSL and administrators add, rename, retire (never delete) and change a category's flags,
each change kept with who, when, the old value, the new and why; SLT read them (403 on
changing); everyone else gets an audited 404. A retired category is not offered for new
concerns, and the concerns raised in it keep it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dataprotection.models import AccessAction, AccessEvent
from safeguarding.models import Concern, ConcernCategory, Urgency
from safeguarding.services import concern_categories_ensure
from setup.categories.permissions import (
    access_category,
    access_school_categories,
    can_change_categories_of,
    can_read_categories_of,
    schools_with_readable_categories,
)
from setup.categories.services import LAST_ONE, ONLY_THE_DSL_OPENS
from setup.models import CategoryChangeKind, ConcernCategoryChange
from tests.conftest import client_for
from tests.factories import SchoolFactory
from tests.gate_checks import actor, refused
from tests.world import PERSONAS

# Session and user, the school, the audit row, the categories and the recent changes.
LIST_QUERIES = 9
READS = {"headteacher", "dsl", "administrator", "slt_class", "slt_other_site"}
CHANGES = {"headteacher", "dsl", "administrator"}


def list_url(world) -> str:
    return reverse("setup:category_list", args=[world.school.pk])


def add_url(world) -> str:
    return reverse("setup:category_add", args=[world.school.pk])


def change_url(world, category) -> str:
    return reverse("setup:category_change", args=[world.school.pk, category.pk])


def category(world, name: str = "Neglect") -> ConcernCategory:
    concern_categories_ensure(school=world.school)
    return ConcernCategory.objects.get(school=world.school, name=name)


def as_posted(category: ConcernCategory, **changes) -> dict:
    data = {
        "name": category.name,
        "active": category.active,
        "records_body_map": category.records_body_map,
        "dsl_team_only": category.dsl_team_only,
        "reason": "Agreed at the safeguarding meeting.",
    }
    data.update(changes)
    return {key: ("on" if value is True else value) for key, value in data.items() if value}


# --- Who may --------------------------------------------------------------------------------


def test_who_reads_and_who_changes_the_categories(world):
    for persona in PERSONAS:
        user = world.users[persona]
        assert can_read_categories_of(user, world.school) is (persona in READS), persona
        assert can_change_categories_of(user, world.school) is (persona in CHANGES), persona
        readable = set(schools_with_readable_categories(user))
        assert (world.school in readable) is can_read_categories_of(user, world.school), persona


def test_the_gates_return_the_school_and_refuse_the_rest_with_one_denial(world):
    pk = world.school.pk
    assert access_school_categories(actor(world, "slt_class"), pk) == world.school
    assert access_school_categories(actor(world, "dsl"), pk, to="act") == world.school
    refused(404, access_school_categories, actor(world, "other_school_head"), pk)
    refused(404, access_school_categories, actor(world, "deputy_dsl_other_site"), pk)
    denial = refused(403, access_school_categories, actor(world, "slt_class"), pk, to="act")
    assert denial.detail == "concern categories: may not change them"
    elsewhere = ConcernCategory.objects.create(school=SchoolFactory(), name="Theirs")
    refused(404, access_category, actor(world, "headteacher"), pk, elsewhere.pk)


def test_the_pages_answer_200_403_and_404(world):
    neglect = category(world)
    for persona, status in (("dsl", 200), ("slt_class", 200), ("teacher", 404)):
        assert client_for(world.users[persona]).get(list_url(world)).status_code == status
    for persona, status in (("headteacher", 200), ("slt_other_site", 403), ("governor", 404)):
        client = client_for(world.users[persona])
        assert client.get(change_url(world, neglect)).status_code == status, persona
        assert client.get(add_url(world)).status_code == status, persona


def test_slt_see_the_categories_but_are_offered_no_change(world):
    neglect = category(world)
    page = client_for(world.users["slt_class"]).get(list_url(world)).content.decode()
    assert "Neglect" in page and change_url(world, neglect) not in page
    assert add_url(world) not in page


def test_the_settings_page_links_to_the_categories(world):
    page = client_for(world.users["headteacher"]).get(
        reverse("setup:settings", args=[world.school.pk])
    )
    assert list_url(world) in page.content.decode()


# --- Adding, renaming, retiring and flags, each kept in the history --------------------------


def test_the_dsl_adds_a_category_and_the_history_keeps_who_when_and_why(world):
    client = client_for(world.users["dsl"])
    response = client.post(
        add_url(world),
        {"name": "Self-harm", "records_body_map": "on", "reason": "Seen more often this year."},
    )
    assert response.status_code == 302
    added = ConcernCategory.objects.get(school=world.school, name="Self-harm")
    assert added.active and added.records_body_map and not added.dsl_team_only
    [change] = ConcernCategoryChange.objects.filter(category=added)
    assert change.kind == CategoryChangeKind.ADDED
    assert change.new_value == "Self-harm (records a body map)"
    assert change.changed_by == world.users["dsl"] and change.reason.startswith("Seen more")
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_type="setup.concerncategorychange"
    ).exists()
    history = client.get(reverse("setup:category_history", args=[world.school.pk]))
    assert "Seen more often this year." in history.content.decode()


@pytest.mark.parametrize("name", ["Neglect", "neglect", "  NEGLECT "])
def test_a_duplicate_name_is_refused_at_the_field_and_nothing_is_written(world, name):
    category(world)
    before = ConcernCategory.objects.count()
    response = client_for(world.users["headteacher"]).post(
        add_url(world), {"name": name, "reason": "Again."}
    )
    assert response.status_code == 400
    assert "already has a category called “Neglect”" in str(response.context["form"]["name"].errors)
    assert ConcernCategory.objects.count() == before
    assert not ConcernCategoryChange.objects.exists()


def test_renaming_to_another_categorys_name_is_refused_at_the_field(world):
    neglect = category(world)
    response = client_for(world.users["headteacher"]).post(
        change_url(world, neglect), as_posted(neglect, name="Online safety")
    )
    assert response.status_code == 400 and response.context["form"]["name"].errors
    neglect.refresh_from_db()
    assert neglect.name == "Neglect"


def test_a_rename_keeps_the_old_name_and_the_concerns_keep_their_category(world):
    neglect = category(world)
    raised = Concern.objects.create(
        pupil=world.pupil,
        category=neglect,
        urgency=Urgency.ROUTINE,
        what_happened="No coat in the snow.",
        happened_at=timezone.now() - datetime.timedelta(hours=1),
        raised_by=world.users["teacher"],
    )
    client_for(world.users["headteacher"]).post(
        change_url(world, neglect), as_posted(neglect, name="Neglect and basic care")
    )
    [change] = ConcernCategoryChange.objects.filter(category=neglect)
    assert (change.kind, change.old_value, change.new_value) == (
        CategoryChangeKind.RENAMED,
        "Neglect",
        "Neglect and basic care",
    )
    raised.refresh_from_db()
    assert raised.category.name == "Neglect and basic care"


def test_a_retired_category_is_kept_and_no_longer_offered_for_new_concerns(world):
    neglect = category(world)
    response = client_for(world.users["headteacher"]).post(
        change_url(world, neglect), as_posted(neglect, active=False)
    )
    assert response.status_code == 302
    neglect.refresh_from_db()
    assert not neglect.active
    [change] = ConcernCategoryChange.objects.filter(category=neglect)
    assert (change.kind, change.old_value, change.new_value) == ("retired", "yes", "no")

    form = client_for(world.users["teacher"]).get(
        reverse("safeguarding:concern_new"), {"pupil": world.pupil.pk}
    )
    offered = {c.pk for c in form.context["form"].fields["category"].queryset}
    assert neglect.pk not in offered and offered
    listed = client_for(world.users["headteacher"]).get(list_url(world)).content.decode()
    assert "No: retired" in listed


def test_the_last_category_offered_cannot_be_retired(world):
    neglect = category(world)
    ConcernCategory.objects.filter(school=world.school).exclude(pk=neglect.pk).update(active=False)
    response = client_for(world.users["headteacher"]).post(
        change_url(world, neglect), as_posted(neglect, active=False)
    )
    assert response.status_code == 400
    assert LAST_ONE in str(response.context["form"]["active"].errors)
    neglect.refresh_from_db()
    assert neglect.active


def test_the_body_map_flag_changes_with_its_history(world):
    neglect = category(world)
    client_for(world.users["dsl"]).post(
        change_url(world, neglect), as_posted(neglect, records_body_map=True)
    )
    neglect.refresh_from_db()
    assert neglect.records_body_map
    [change] = ConcernCategoryChange.objects.filter(category=neglect)
    assert (change.kind, change.old_value, change.new_value) == ("body_map", "no", "yes")


def test_the_dsl_team_only_flag_needs_its_sentence_confirmed(world):
    neglect = category(world)
    client = client_for(world.users["headteacher"])
    page = client.get(change_url(world, neglect)).content.decode()
    assert "hidden from the headteacher and SLT" in page

    refused_change = client.post(change_url(world, neglect), as_posted(neglect, dsl_team_only=True))
    assert refused_change.status_code == 400
    assert refused_change.context["form"]["dsl_team_only"].errors
    neglect.refresh_from_db()
    assert not neglect.dsl_team_only

    client.post(
        change_url(world, neglect),
        as_posted(neglect, dsl_team_only=True, dsl_team_only_confirmed=True),
    )
    neglect.refresh_from_db()
    assert neglect.dsl_team_only
    [change] = ConcernCategoryChange.objects.filter(category=neglect)
    assert (change.kind, change.old_value, change.new_value) == ("dsl_team_only", "no", "yes")


def test_only_the_dsl_stops_keeping_a_category_for_the_dsl_team_only(world):
    neglect = category(world)
    neglect.dsl_team_only = True
    neglect.save()
    opened = as_posted(neglect, dsl_team_only=False, dsl_team_only_confirmed=True)

    response = client_for(world.users["headteacher"]).post(change_url(world, neglect), opened)
    assert response.status_code == 400
    assert ONLY_THE_DSL_OPENS in str(response.context["form"]["dsl_team_only"].errors)
    neglect.refresh_from_db()
    assert neglect.dsl_team_only

    client_for(world.users["dsl"]).post(change_url(world, neglect), opened)
    neglect.refresh_from_db()
    assert not neglect.dsl_team_only


def test_a_change_needs_a_reason_and_something_changed(world):
    neglect = category(world)
    client = client_for(world.users["headteacher"])
    no_reason = client.post(change_url(world, neglect), as_posted(neglect, reason=""))
    assert no_reason.status_code == 400 and no_reason.context["form"]["reason"].errors
    unchanged = client.post(change_url(world, neglect), as_posted(neglect))
    assert unchanged.status_code == 400 and unchanged.context["form"].non_field_errors()
    assert not ConcernCategoryChange.objects.exists()


# --- Fixed cost -----------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_whatever_the_number_of_categories(
    world, django_assert_num_queries
):
    concern_categories_ensure(school=world.school)
    client = client_for(world.users["headteacher"])
    client.get(list_url(world))  # warm per-process caches
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(list_url(world)).status_code == 200
    for n in range(10):
        client.post(add_url(world), {"name": f"Local heading {n}", "reason": "Ours."})
    with django_assert_num_queries(LIST_QUERIES):
        page = client.get(list_url(world))
    assert "Local heading 9" in page.content.decode()


def test_the_menu_entry_opens_the_one_school_list_and_hides_from_teachers(client, world):
    client.force_login(world.users["dsl"])
    response = client.get(reverse("setup:categories_home"))
    assert response.status_code == 200
    assert reverse("setup:category_list", args=[world.school.pk]) in response.content.decode()
    assert reverse("setup:categories_home") in response.content.decode()  # in the menu
    client.force_login(world.users["teacher"])
    assert client.get(reverse("setup:categories_home")).status_code == 404
