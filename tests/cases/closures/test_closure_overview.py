"""The class overview a teacher completes after first contact in a closure (section 3.2), and
the paper copies staff deliver."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import (
    Basis,
    Case,
    ClosureCheck,
    InternetAccess,
    PaperDelivery,
    Reason,
    Status,
    Wellbeing,
)
from cases.services import case_close, closure_check_update, closure_open
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from tests.cases.closures.matrix import build_calendar, london
from tests.conftest import client_for
from tests.factories import PupilFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def closed_class(world):
    """Class A (Ellis Marsh and two more) closed from Tuesday 1 December 2026; it is now
    Thursday 3 December."""
    build_calendar(world.school)
    PupilFactory(school_class=world.class_a, first_name="Avery", last_name="Brook")
    PupilFactory(school_class=world.class_a, first_name="Sam", last_name="Yew")
    with time_machine.travel(london(2026, 12, 3, 10, 0), tick=False):
        world.closure = closure_open(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            reason=Reason.NOT_SAFE_TO_OPEN,
            start_date=datetime.date(2026, 12, 1),
            end_date=datetime.date(2026, 12, 18),
            school_class=world.class_a,
        )
        world.case = Case.objects.get(closure=world.closure, pupil=world.pupil)
        yield world


def _overview_url(world, school_class=None) -> str:
    return reverse(
        "cases:closure_overview", args=[world.closure.pk, (school_class or world.class_a).pk]
    )


def _check_url(case) -> str:
    return reverse("cases:closure_check", args=[case.pk])


def _paper_url(case) -> str:
    return reverse("cases:closure_paper", args=[case.pk])


def test_the_overview_lists_every_pupil_with_counts_at_the_top(closed_class):
    world = closed_class
    closure_check_update(
        actor=Actor.for_user(world.users["teacher"]),
        case=world.case,
        wellbeing=Wellbeing.WELL,
        internet_access=InternetAccess.PAPER,
    )
    response = client_for(world.users["teacher"]).get(_overview_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Marsh, Ellis", "Brook, Avery", "Yew, Sam"):
        assert name in page
    counts = response.context["counts"]
    assert counts.pupils == 3
    assert dict((value, n) for value, _, n in counts.wellbeing) == {
        "well": 1,
        "not_well": 0,
        "not_reached": 2,
    }
    assert dict((value, n) for value, _, n in counts.internet_access)["paper"] == 1
    assert [row.case.pupil.last_name for row in response.context["paper_rows"]] == ["Marsh"]
    assert AccessEvent.objects.filter(
        action=AccessAction.LIST,
        route="cases:closure_overview",
        subject_id=str(world.closure.pk),
        user_id=world.users["teacher"].pk,
    ).exists()


def test_the_teacher_saves_a_row_without_javascript_and_comes_back_to_it(closed_class):
    world = closed_class
    client = client_for(world.users["teacher"])

    response = client.post(
        _check_url(world.case), {"wellbeing": "not_well", "internet_access": "online"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_overview_url(world)}#pupil-{world.case.pk}"
    check = ClosureCheck.objects.get(case=world.case)
    assert check.wellbeing == Wellbeing.NOT_WELL
    assert check.internet_access == InternetAccess.ONLINE
    assert check.updated_by == world.users["teacher"]
    assert AccessEvent.objects.filter(
        action=AccessAction.CHANGE, pupil_id=world.pupil.pk, detail="class overview"
    ).exists()
    assert "Saved for Ellis Marsh." in client.get(response["Location"]).content.decode()


def test_with_htmx_a_row_save_returns_the_row_and_fresh_counts(closed_class):
    world = closed_class
    response = client_for(world.users["class_staff"]).post(
        _check_url(world.case), {"wellbeing": "well", "internet_access": "both"}, **HX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert page.lstrip().startswith(f'<li class="list-group-item" id="pupil-{world.case.pk}"')
    assert 'id="overview-counts" class="row g-2 mb-3" hx-swap-oob="true"' in page
    assert "Saved." in page
    # The pupil now needs paper copies, so the paper list is refreshed too.
    assert 'id="paper-deliveries"' in page and f'id="paper-{world.case.pk}"' in page
    assert ClosureCheck.objects.get(case=world.case).internet_access == InternetAccess.BOTH


def test_with_htmx_the_paper_list_is_left_alone_when_paper_needs_do_not_change(closed_class):
    world = closed_class
    response = client_for(world.users["teacher"]).post(
        _check_url(world.case), {"wellbeing": "well", "internet_access": "unknown"}, **HX
    )
    assert 'id="paper-deliveries"' not in response.content.decode()


def test_a_tampered_choice_is_refused_in_the_row_and_nothing_changes(closed_class):
    world = closed_class
    response = client_for(world.users["teacher"]).post(
        _check_url(world.case), {"wellbeing": "fine", "internet_access": "online"}, **HX
    )
    assert response.status_code == 200
    assert "Choose how the pupil is from the list." in response.content.decode()
    check = ClosureCheck.objects.get(case=world.case)
    assert check.wellbeing == Wellbeing.NOT_REACHED and check.updated_by is None


def test_without_javascript_a_bad_row_shows_the_whole_page_with_the_message(closed_class):
    world = closed_class
    response = client_for(world.users["teacher"]).post(
        _check_url(world.case), {"wellbeing": "", "internet_access": "online"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and "This field is required." in page
    assert ClosureCheck.objects.get(case=world.case).updated_by is None


def test_a_pupil_back_in_school_shows_read_only_and_cannot_be_changed(closed_class):
    world = closed_class
    case_close(
        actor=Actor.for_user(world.users["headteacher"]),
        case=world.case,
        outcome="Back in class.",
        actual_return_date=datetime.date(2026, 12, 3),
    )
    client = client_for(world.users["teacher"])
    page = client.get(_overview_url(world)).content.decode()
    assert "Back in school 03/12/2026" in page
    assert _check_url(world.case) not in page
    response = client.post(
        _check_url(world.case), {"wellbeing": "well", "internet_access": "online"}, **HX
    )
    assert "This case is closed" in response.content.decode()
    assert ClosureCheck.objects.get(case=world.case).wellbeing == Wellbeing.NOT_REACHED


def test_staff_record_a_paper_delivery(closed_class):
    world = closed_class
    closure_check_update(
        actor=Actor.for_user(world.users["teacher"]),
        case=world.case,
        wellbeing=Wellbeing.WELL,
        internet_access=InternetAccess.PAPER,
    )
    client = client_for(world.users["class_staff"])

    response = client.post(
        _paper_url(world.case), {"delivered_on": "02/12/2026", "notes": " Week 1 pack "}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_overview_url(world)}#paper-{world.case.pk}"
    delivery = PaperDelivery.objects.get(case=world.case)
    assert delivery.delivered_on == datetime.date(2026, 12, 2)
    assert delivery.notes == "Week 1 pack"
    assert delivery.delivered_by == world.users["class_staff"]
    page = client.get(response["Location"]).content.decode()
    assert "Last delivery 02/12/2026" in page
    assert "Paper delivery recorded for Ellis Marsh." in page


def test_with_htmx_a_paper_delivery_returns_its_row(closed_class):
    world = closed_class
    response = client_for(world.users["teacher"]).post(
        _paper_url(world.case), {"delivered_on": "03/12/2026", "notes": ""}, **HX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<li class="list-group-item" id="paper-{world.case.pk}"')
    assert "Last delivery 03/12/2026" in page and "Delivery recorded." in page
    assert PaperDelivery.objects.filter(case=world.case).count() == 1


@pytest.mark.parametrize(
    ("delivered_on", "message"),
    [
        ("04/12/2026", "This date is in the future."),
        ("30/11/2026", "The closure started on 01/12/2026"),
        ("yesterday", "Enter a date as DD/MM/YYYY"),
    ],
)
def test_a_bad_delivery_date_is_refused_at_the_field(closed_class, delivered_on, message):
    world = closed_class
    response = client_for(world.users["teacher"]).post(
        _paper_url(world.case), {"delivered_on": delivered_on, "notes": ""}, **HX
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="paper-' in response.content.decode()
    assert not PaperDelivery.objects.exists()


def test_the_dsl_of_the_site_reads_the_overview_but_may_not_change_it(closed_class):
    world = closed_class
    dsl = world.users["dsl"]
    client = client_for(dsl)
    page = client.get(_overview_url(world)).content.decode()
    assert "Marsh, Ellis" in page
    assert _check_url(world.case) not in page and _paper_url(world.case) not in page
    check = client.post(_check_url(world.case), {"wellbeing": "well", "internet_access": "both"})
    paper = client.post(_paper_url(world.case), {"delivered_on": "02/12/2026"})
    assert check.status_code == paper.status_code == 403
    assert ClosureCheck.objects.get(case=world.case).updated_by is None
    assert not PaperDelivery.objects.exists()
    assert (
        AccessEvent.objects.filter(
            action=AccessAction.DENIED, user_id=dsl.pk, pupil_id=world.pupil.pk
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    "persona",
    ["other_teacher", "slt_other_site", "deputy_dsl_other_site", "it_staff", "nurse_shared"],
)
def test_everyone_else_is_told_the_overview_does_not_exist(closed_class, persona):
    world = closed_class
    user = world.users[persona]
    client = client_for(user)
    assert client.get(_overview_url(world)).status_code == 404
    post = client.post(_check_url(world.case), {"wellbeing": "well", "internet_access": "both"})
    assert post.status_code == 404
    assert AccessEvent.objects.filter(action=AccessAction.DENIED, user_id=user.pk).count() == 2
    assert ClosureCheck.objects.get(case=world.case).updated_by is None


def test_a_class_outside_the_closure_has_no_overview(closed_class):
    world = closed_class
    client = client_for(world.users["headteacher"])
    assert client.get(_overview_url(world, world.class_b)).status_code == 404
    missing = reverse("cases:closure_overview", args=[999999, world.class_a.pk])
    assert client.get(missing).status_code == 404


def test_the_list_of_closures_links_each_class_overview(closed_class):
    world = closed_class
    page = client_for(world.users["teacher"]).get(reverse("cases:closure_list")).content.decode()
    assert _overview_url(world) in page
    other = client_for(world.users["other_teacher"]).get(reverse("cases:closure_list"))
    assert _overview_url(world) not in other.content.decode()
    assert other.context["entries"] == []


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_and_the_list_cost_the_same_queries_for_5_or_40_pupils(closed_class):
    world = closed_class
    client = client_for(world.users["teacher"])
    urls = [_overview_url(world), reverse("cases:closure_list")]
    for url in urls:
        client.get(url)  # warm per-process caches
    small = [_count_queries(client, url) for url in urls]
    # 37 more pupils join the class's closure, all needing paper, ten with a delivery.
    PupilFactory.create_batch(37, school_class=world.class_a)
    added = [
        Case.objects.create(
            pupil=pupil,
            basis=Basis.CLOSURE,
            reason=Reason.NOT_SAFE_TO_OPEN,
            status=Status.ACTIVE,
            closure=world.closure,
            start_date=datetime.date(2026, 12, 1),
            end_date=datetime.date(2026, 12, 18),
            attendance_code="Y4",
            proposed_on=datetime.date(2026, 12, 1),
            created_by=world.users["headteacher"],
        )
        for pupil in world.class_a.pupils.exclude(cases__closure=world.closure)
    ]
    ClosureCheck.objects.bulk_create(
        [ClosureCheck(case=case, internet_access=InternetAccess.PAPER) for case in added]
    )
    for case in added[:10]:
        PaperDelivery.objects.create(
            case=case, delivered_on=datetime.date(2026, 12, 2), delivered_by=world.users["teacher"]
        )
    assert Case.objects.filter(closure=world.closure).count() == 40
    large = [_count_queries(client, url) for url in urls]
    assert small == large
    assert max(large) <= 14


def test_a_site_closure_has_an_overview_for_each_class_for_its_own_teachers(world):
    build_calendar(world.school)
    with time_machine.travel(london(2026, 12, 3, 10, 0), tick=False):
        closure = closure_open(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            reason=Reason.GOVERNMENT_GUIDANCE,
            start_date=datetime.date(2026, 12, 1),
            end_date=datetime.date(2026, 12, 18),
            site=world.north,
        )
        class_b = reverse("cases:closure_overview", args=[closure.pk, world.class_b.pk])
        class_a = reverse("cases:closure_overview", args=[closure.pk, world.class_a.pk])
        other_teacher = client_for(world.users["other_teacher"])
        assert "Penrose, Jude" in other_teacher.get(class_b).content.decode()
        assert other_teacher.get(class_a).status_code == 404
        south = reverse("cases:closure_overview", args=[closure.pk, world.class_south.pk])
        assert client_for(world.users["headteacher"]).get(south).status_code == 404
        listing = client_for(world.users["headteacher"]).get(reverse("cases:closure_list"))
        page = listing.content.decode()
        assert class_a in page and class_b in page
        assert "North: whole site" in page


@pytest.fixture
def joined_class(world):
    """Ellis Marsh was already on their own case when class A closed on Tuesday 1 December
    2026: the case joined the closure. It is now Thursday 3 December."""
    build_calendar(world.school)
    PupilFactory(school_class=world.class_a, first_name="Avery", last_name="Brook")
    own = Case.objects.create(
        pupil=world.pupil,
        basis=Basis.INDIVIDUAL,
        reason=Reason.INJURY,
        status=Status.ACTIVE,
        start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 12, 11),
        attendance_code="I",
        proposed_on=datetime.date(2026, 11, 20),
        created_by=world.users["headteacher"],
    )
    with time_machine.travel(london(2026, 12, 3, 10, 0), tick=False):
        world.closure = closure_open(
            actor=Actor.for_user(world.users["headteacher"]),
            school=world.school,
            reason=Reason.NOT_SAFE_TO_OPEN,
            start_date=datetime.date(2026, 12, 1),
            end_date=datetime.date(2026, 12, 18),
            school_class=world.class_a,
        )
        assert list(world.closure.joined_cases.all()) == [own]
        world.case = own
        yield world


def test_a_pupil_whose_own_case_joined_the_closure_is_in_its_overview_and_paper_list(
    joined_class,
):
    world = joined_class
    client = client_for(world.users["teacher"])

    saved = client.post(
        _check_url(world.case), {"wellbeing": "well", "internet_access": InternetAccess.PAPER}
    )

    assert saved.status_code == 302
    assert saved["Location"] == f"{_overview_url(world)}#pupil-{world.case.pk}"
    response = client.get(_overview_url(world))
    assert "Marsh, Ellis" in response.content.decode()
    assert [row.case.pupil.last_name for row in response.context["rows"]] == ["Brook", "Marsh"]
    assert response.context["counts"].pupils == 2
    assert [row.case.pk for row in response.context["paper_rows"]] == [world.case.pk]

    delivered = client.post(_paper_url(world.case), {"delivered_on": "02/12/2026", "notes": ""})
    assert delivered.status_code == 302
    assert delivered["Location"] == f"{_overview_url(world)}#paper-{world.case.pk}"
    assert PaperDelivery.objects.filter(case=world.case).count() == 1

    [entry] = client.get(reverse("cases:closure_list")).context["entries"]
    [ash] = entry.classes
    assert (ash.name, ash.pupils, ash.still_open) == ("Ash", 2, 2)
