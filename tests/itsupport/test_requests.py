"""Support requests: raising, the IT queue, notes, assigning and resolving (policy 3.5)."""

from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from itsupport.models import RequestKind, SupportNote, SupportRequest
from itsupport.permissions import can_view_request, requests_visible_to
from tests.conftest import client_for
from tests.itsupport.factories import it_staff_for_site, make_request, page_queries

NEW = reverse("itsupport:request_new")
LIST = reverse("itsupport:request_list")


def _form(world, **fields):
    data = {
        "school": world.school.pk,
        "kind": RequestKind.ISSUE,
        "system": "teams",
        "urgency": "high",
        "description": "The class call link asks for a password.",
        "pupil": "",
        "help_given": "",
    }
    data.update(fields)
    return data


def test_a_teacher_raises_a_request_about_their_pupil(world):
    response = client_for(world.users["teacher"]).post(NEW, _form(world, pupil=world.pupil.pk))
    made = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("itsupport:request_detail", args=[made.pk])
    assert made.raised_by == world.users["teacher"]
    assert made.pupil == world.pupil
    assert made.site == world.north  # the pupil's site: North's IT and SLT see it
    assert made.is_open
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, pupil_id=world.pupil.pk, subject_id=str(made.pk)
    ).exists()


def test_a_pupil_the_person_cannot_see_is_refused_at_the_field(world):
    response = client_for(world.users["teacher"]).post(
        NEW, _form(world, pupil=world.other_pupil.pk)
    )
    assert response.status_code == 200
    assert "Choose one of your pupils from the list." in response.text
    assert not SupportRequest.objects.exists()


def test_a_request_without_a_description_or_system_says_so(world):
    response = client_for(world.users["teacher"]).post(
        NEW, _form(world, description="  ", system="")
    )
    assert "Describe the issue or the help needed." in response.text
    assert "Choose the system the issue is with." in response.text
    assert not SupportRequest.objects.exists()


def test_help_already_given_to_a_family_is_recorded_as_resolved(world):
    client = client_for(world.users["class_staff"])
    client.post(
        NEW,
        _form(
            world,
            kind=RequestKind.FAMILY_HELP,
            system="weduc",
            pupil=world.pupil.pk,
            help_given="Showed the parent where messages appear.",
        ),
    )
    made = SupportRequest.objects.get()
    assert made.resolved_by == world.users["class_staff"]
    assert made.resolution == "Showed the parent where messages appear."
    assert not made.is_open


def test_help_given_is_only_for_help_to_a_family(world):
    response = client_for(world.users["teacher"]).post(NEW, _form(world, help_given="Fixed it."))
    assert "Only help for a parent or carer is recorded as already given." in response.text
    assert not SupportRequest.objects.exists()


def test_governors_and_people_without_a_role_cannot_raise_requests(world):
    for persona in ("governor", "chair", "no_role"):
        assert client_for(world.users[persona]).post(NEW, _form(world)).status_code == 404
    assert not SupportRequest.objects.exists()


def test_the_queue_of_it_staff_narrowed_to_a_site(world):
    south_it = it_staff_for_site(world, world.south)
    north = make_request(world)  # the class A teacher: North
    south = make_request(world, pupil=world.south_pupil, by="headteacher")
    whole_school = make_request(world, by="dpo")  # school-wide member: no site
    assert whole_school.site is None
    visible = set(requests_visible_to(south_it))
    assert visible == {south, whole_school}
    assert not can_view_request(south_it, north)
    assert can_view_request(south_it, south)
    # The predicate and the scope agree for everyone.
    for user in world.users.values():
        scope = set(requests_visible_to(user))
        for each in (north, south, whole_school):
            assert (each in scope) == can_view_request(user, each)


def test_notes_are_appended_with_who_and_when(world):
    made = make_request(world)
    url = reverse("itsupport:request_note", args=[made.pk])
    client_for(world.users["teacher"]).post(url, {"text": "Also on the laptop in class."})
    client_for(world.users["it_staff"]).post(url, {"text": "Looking now."})
    notes = list(SupportNote.objects.filter(request=made))
    assert [(n.written_by, n.text) for n in notes] == [
        (world.users["teacher"], "Also on the laptop in class."),
        (world.users["it_staff"], "Looking now."),
    ]
    page = client_for(world.users["headteacher"]).get(
        reverse("itsupport:request_detail", args=[made.pk])
    )
    assert "Also on the laptop in class." in page.text
    assert "Add the note" not in page.text  # SLT read, not act


def test_an_empty_note_is_refused_at_the_field(world):
    made = make_request(world)
    response = client_for(world.users["it_staff"]).post(
        reverse("itsupport:request_note", args=[made.pk]), {"text": ""}
    )
    assert response.status_code == 400
    assert "Write the note before adding it." in response.text
    assert not SupportNote.objects.exists()


def test_it_assigns_and_resolves_and_the_requester_sees_what_was_done(world):
    made = make_request(world)
    it = client_for(world.users["it_staff"])
    it.post(reverse("itsupport:request_assign", args=[made.pk]))
    made.refresh_from_db()
    assert made.assigned_to == world.users["it_staff"]
    response = it.post(reverse("itsupport:request_resolve", args=[made.pk]), {"resolution": ""})
    assert response.status_code == 400
    assert "Say what was done." in response.text
    made.refresh_from_db()
    assert made.is_open
    it.post(reverse("itsupport:request_resolve", args=[made.pk]), {"resolution": "Reset it."})
    made.refresh_from_db()
    assert made.resolved_by == world.users["it_staff"]
    assert made.resolved_at is not None
    page = client_for(world.users["teacher"]).get(
        reverse("itsupport:request_detail", args=[made.pk])
    )
    assert "Reset it." in page.text
    # Resolving again changes nothing.
    again = it.post(
        reverse("itsupport:request_resolve", args=[made.pk]), {"resolution": "X"}, follow=True
    )
    assert "This request is already resolved; nothing changed." in again.text
    made.refresh_from_db()
    assert made.resolution == "Reset it."


def test_slt_acting_on_a_request_is_refused_and_audited(world):
    made = make_request(world)
    response = client_for(world.users["slt_class"]).post(
        reverse("itsupport:request_resolve", args=[made.pk]), {"resolution": "Done"}
    )
    assert response.status_code == 403
    made.refresh_from_db()
    assert made.is_open
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, subject_id=str(made.pk), user_id=world.users["slt_class"].pk
    ).exists()


def test_the_pupil_is_named_only_to_those_who_may_see_them(world):
    # The class B pupil's request is at North: SLT of class A reads it but not the pupil's name.
    made = make_request(world, by="other_teacher", pupil=world.other_pupil)
    url = reverse("itsupport:request_detail", args=[made.pk])
    slt_page = client_for(world.users["slt_class"]).get(url)
    assert slt_page.status_code == 200
    assert "Penrose" not in slt_page.text
    assert "a pupil you do not teach" in slt_page.text
    slt_list = client_for(world.users["slt_class"]).get(LIST)
    assert "Penrose" not in slt_list.text
    it_page = client_for(world.users["it_staff"]).get(url)
    assert "Jude Penrose" in it_page.text  # IT see names (not details)
    assert AccessEvent.objects.filter(
        action=AccessAction.VIEW, pupil_id=world.other_pupil.pk, user_id=world.users["it_staff"].pk
    ).exists()
    assert not AccessEvent.objects.filter(
        pupil_id=world.other_pupil.pk, user_id=world.users["slt_class"].pk
    ).exists()


def test_free_text_is_escaped(world):
    made = make_request(world, description="<script>alert(1)</script>")
    client_for(world.users["teacher"]).post(
        reverse("itsupport:request_note", args=[made.pk]), {"text": "<b>bold</b>"}
    )
    page = client_for(world.users["it_staff"]).get(
        reverse("itsupport:request_detail", args=[made.pk])
    )
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page.text
    listing = client_for(world.users["it_staff"]).get(LIST)
    assert "<script>alert(1)" not in listing.text


def test_the_list_filters_mine_open_and_resolved(world):
    mine = make_request(world, by="it_staff", description="Printer at North")
    theirs = make_request(world, description="Teams audio")
    client_for(world.users["it_staff"]).post(
        reverse("itsupport:request_resolve", args=[theirs.pk]), {"resolution": "Fixed"}
    )
    client = client_for(world.users["it_staff"])

    def shown(show: str) -> set[int]:
        response = client.get(LIST, {"show": show})
        return {row.pk for row, _ in response.context["rows"]}

    assert shown("open") == {mine.pk}
    assert shown("resolved") == {theirs.pk}
    assert shown("mine") == {mine.pk}
    assert shown("all") == {mine.pk, theirs.pk}
    # The teacher sees only their own.
    teacher = client_for(world.users["teacher"]).get(LIST, {"show": "all"})
    assert {row.pk for row, _ in teacher.context["rows"]} == {theirs.pk}


def test_the_list_costs_the_same_queries_for_few_or_many_requests(world):
    client = client_for(world.users["it_staff"])
    url = LIST + "?show=all"
    make_request(world, pupil=world.pupil)
    make_request(world, by="other_teacher", pupil=world.other_pupil)
    few = page_queries(client, url)
    for _ in range(8):
        made = make_request(world, pupil=world.pupil)
        SupportNote.objects.create(request=made, text="n", written_by=world.users["it_staff"])
        make_request(world, by="headteacher", pupil=world.south_pupil)
    many = page_queries(client, url)
    assert few == many
    response = client.get(url)
    assert len(response.context["rows"]) == 18


def test_the_list_is_paginated(world):
    for _ in range(27):
        make_request(world)
    client = client_for(world.users["teacher"])
    first = client.get(LIST)
    assert len(first.context["rows"]) == 25
    assert "Page 1 of 2" in first.text
    second = client.get(LIST, {"page": 2})
    assert len(second.context["rows"]) == 2


def test_it_and_slt_see_the_demand_by_system(world):
    make_request(world, system="teams")
    make_request(world, system="teams")
    make_request(
        world,
        system="weduc",
        kind=RequestKind.FAMILY_HELP,
        pupil=world.pupil,
        help_given="Reset the app.",
    )
    demand = client_for(world.users["headteacher"]).get(LIST).context["demand"]
    assert demand == [
        {"system": "Microsoft Teams", "issues": 2, "help": 0},
        {"system": "WEDUC", "issues": 0, "help": 1},
    ]
    assert client_for(world.users["teacher"]).get(LIST).context["demand"] is None
    slt_other = client_for(world.users["slt_other_site"]).get(LIST).context["demand"]
    assert slt_other == []  # all three are North's
