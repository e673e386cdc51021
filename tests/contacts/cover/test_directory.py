"""The who-to-contact directory (policy section 4): grouped by concern and site, shown to
staff only, kept by SLT and the headteacher with every change audited, a fixed number of
queries, and the demo school's directory loaded once however often the loader runs."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.demo import directory_demo_load
from contacts.models import Concern, ContactSettings, DirectoryEntry
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Membership, Role, School
from tests.conftest import client_for
from tests.factories import SchoolFactory

DIRECTORY = reverse("contacts:directory")
EDIT = reverse("contacts:directory_edit")


def entry(world, concern=Concern.SAFEGUARDING, site=None, **values) -> DirectoryEntry:
    values = {"name": "Someone", "phone": "01632 960100"} | values
    return DirectoryEntry.objects.create(school=world.school, concern=concern, site=site, **values)


def add_data(world, **data) -> dict:
    return {
        "where": f"school-{world.school.pk}",
        "concern": Concern.IT,
        "name": "IT helpdesk",
        "role": "Logins and devices",
        "phone": "01632 960231",
        "email": "",
        "notes": "",
        "position": "0",
    } | data


def test_the_directory_is_grouped_by_concern_with_site_entries_under_their_site(world):
    line = entry(world, Concern.WORKLOAD, name="Staff Support Line", external=True)
    north_dsl = entry(world, Concern.SAFEGUARDING, world.north, name="Dsl North")
    south_dsl = entry(world, Concern.SAFEGUARDING, world.south, name="Deputy South")
    school_wide = entry(world, Concern.SAFEGUARDING, name="Safeguarding inbox")
    ContactSettings.objects.create(
        school=world.school, available_from=dt.time(8, 30), available_until=dt.time(15, 0)
    )
    response = client_for(world.users["teacher"]).get(DIRECTORY)

    assert response.status_code == 200
    [directory] = response.context["directories"]
    groups = {group.concern: group for group in directory.groups}
    assert [group.concern for group in directory.groups] == list(Concern.values)
    assert groups[Concern.WORKLOAD].school_wide == [line]
    assert groups[Concern.SAFEGUARDING].school_wide == [school_wide]
    assert [(s.site, s.entries) for s in groups[Concern.SAFEGUARDING].sites] == [
        (world.north, [north_dsl]),
        (world.south, [south_dsl]),
    ]
    assert groups[Concern.IT].empty
    page = response.content.decode()
    assert "8.30am" in page and "3.00pm" in page
    assert "Outside service" in page
    assert "Concerns about safeguarding" in page


def test_every_member_of_staff_sees_it_and_governors_do_not(world):
    for persona in ("it_staff", "dpo", "nurse_shared", "family_support_unshared", "dsl"):
        assert client_for(world.users[persona]).get(DIRECTORY).status_code == 200, persona
    for persona in ("governor", "chair", "no_role", "administrator"):
        assert client_for(world.users[persona]).get(DIRECTORY).status_code == 404, persona


def test_another_schools_entries_are_not_shown(world):
    entry(world, name="Heathergate DSL")
    response = client_for(world.users["other_school_head"]).get(DIRECTORY)
    assert "Heathergate DSL" not in response.content.decode()


def test_slt_add_an_entry_and_it_is_audited(world):
    client = client_for(world.users["slt_class"])
    response = client.post(EDIT, add_data(world, where=f"site-{world.north.pk}"))

    assert response.status_code == 302
    added = DirectoryEntry.objects.get()
    assert (added.school, added.site, added.concern, added.name) == (
        world.school,
        world.north,
        Concern.IT,
        "IT helpdesk",
    )
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_type="contacts.directoryentry", subject_id=added.pk
    ).exists()


def test_the_headteacher_edits_and_removes_an_entry(world):
    existing = entry(world, Concern.IT, name="Old helpdesk")
    client = client_for(world.users["headteacher"])
    url = reverse("contacts:directory_entry_edit", args=[existing.pk])
    assert client.get(url).context["form"].initial["name"] == "Old helpdesk"

    response = client.post(url, add_data(world, name="New helpdesk", email="it@school.example"))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.name, existing.email) == ("New helpdesk", "it@school.example")

    response = client.post(reverse("contacts:directory_entry_remove", args=[existing.pk]))
    assert response.status_code == 302
    assert not DirectoryEntry.objects.exists()
    changes = AccessEvent.objects.filter(
        action=AccessAction.CHANGE, subject_type="contacts.directoryentry", subject_id=existing.pk
    )
    assert changes.count() == 2  # changed, then removed


def test_a_teacher_may_read_but_not_change_it(world):
    existing = entry(world, Concern.IT, name="Helpdesk")
    client = client_for(world.users["teacher"])

    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, add_data(world)).status_code == 403
    edit = reverse("contacts:directory_entry_edit", args=[existing.pk])
    assert client.post(edit, add_data(world, name="Changed")).status_code == 403
    remove = reverse("contacts:directory_entry_remove", args=[existing.pk])
    assert client.post(remove).status_code == 403
    existing.refresh_from_db()
    assert existing.name == "Helpdesk"
    assert DirectoryEntry.objects.count() == 1
    assert AccessEvent.objects.filter(action=AccessAction.DENIED).count() == 4


def test_governors_and_other_schools_cannot_learn_an_entry_exists(world):
    existing = entry(world, Concern.IT, name="Helpdesk")
    for persona in ("governor", "other_school_head"):
        client = client_for(world.users[persona])
        remove = reverse("contacts:directory_entry_remove", args=[existing.pk])
        assert client.post(remove).status_code == 404, persona
    assert client_for(world.users["governor"]).get(EDIT).status_code == 404
    assert DirectoryEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an email address"),
        ({"phone": "call me"}, "phone", "Enter a phone number of digits and spaces"),
        ({"email": "not an email"}, "email", "Enter a valid email address."),
        ({"concern": "gossip"}, "concern", "Select a valid choice."),
        ({"where": "site-999999"}, "where", "Choose the school or a site from the list."),
    ],
)
def test_bad_input_is_refused_at_the_field(world, data, field, message):
    response = client_for(world.users["headteacher"]).post(EDIT, add_data(world, **data))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not DirectoryEntry.objects.exists()


def test_a_site_of_another_school_is_not_offered(world):
    other = SchoolFactory()
    other_site = other.sites.create(name="Elsewhere")
    response = client_for(world.users["headteacher"]).post(
        EDIT, add_data(world, where=f"site-{other_site.pk}")
    )
    assert "where" in response.context["form"].errors
    assert not DirectoryEntry.objects.exists()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [DIRECTORY, EDIT])
def test_the_directory_costs_the_same_queries_for_5_or_50_entries(world, url):
    def add(count: int, start: int) -> None:
        concerns = list(Concern)
        sites = [None, world.north, world.south]
        for n in range(start, start + count):
            entry(world, concerns[n % len(concerns)], sites[n % 3], name=f"Contact {n}")

    client = client_for(world.users["headteacher"])
    add(5, 0)
    client.get(url)
    small = count_queries(client, url)
    add(45, 5)
    large = count_queries(client, url)
    assert small == large
    assert large <= 10
    [directory] = client.get(url).context["directories"]
    assert len(directory.entries) == 50


# --- The demo school -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_directory_names_the_demo_schools_dsls_and_nurses():
    call_command("load_demo", allow_production=True, stdout=StringIO())
    school = School.objects.get()
    entries = DirectoryEntry.objects.filter(school=school)

    for role, concern in (
        (Role.DSL, Concern.SAFEGUARDING),
        (Role.SCHOOL_NURSE, Concern.PUPIL_HEALTH),
    ):
        for membership in Membership.objects.filter(school=school, role=role):
            assert entries.filter(
                concern=concern, site=membership.site, name=membership.user.full_name
            ).exists(), membership
    assert entries.filter(concern=Concern.WORKLOAD, external=True).exists()
    assert set(entries.values_list("concern", flat=True)) == set(Concern.values)
    for phone, email in entries.values_list("phone", "email"):
        assert phone == "" or phone.startswith(("01632 960", "07700 900"))
        assert email.endswith(("@demo-school.example", "@support.example"))


@pytest.mark.django_db
def test_the_demo_directory_loads_once():
    call_command("load_demo", allow_production=True, stdout=StringIO())
    school = School.objects.get()
    before = list(DirectoryEntry.objects.order_by("pk").values())
    directory_demo_load(school)
    assert list(DirectoryEntry.objects.order_by("pk").values()) == before
