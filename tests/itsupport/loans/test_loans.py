"""Device and connectivity loans: lending, one open loan per asset tag, returns, and the
overdue-returns list and check (policy 3.5)."""

import datetime

import time_machine
from django.urls import reverse

from dataprotection.models import AccessAction, AccessEvent
from itsupport.models import DeviceLoan, FamilyAssistance
from itsupport.selectors import overdue_loans
from itsupport.services import ALREADY_OUT, loans_note_overdue
from itsupport.tasks import check_overdue_loans
from tests.conftest import client_for
from tests.itsupport.factories import it_staff_for_site, make_loan, page_queries

NEW = reverse("itsupport:loan_new")
LIST = reverse("itsupport:loan_list")


def _form(world, **fields):
    data = {
        "pupil": world.pupil.pk,
        "kind": "laptop",
        "asset_tag": "LAP-0042",
        "lent_on": "02/11/2026",
        "expected_back": "18/12/2026",
        "notes": "",
    }
    data.update(fields)
    return data


@time_machine.travel(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC))
def test_it_records_a_loan(world):
    response = client_for(world.users["it_staff"]).post(NEW, _form(world))
    assert response.status_code == 302
    loan = DeviceLoan.objects.get()
    assert (loan.pupil, loan.asset_tag, loan.lent_by) == (
        world.pupil,
        "LAP-0042",
        world.users["it_staff"],
    )
    assert loan.lent_on == datetime.date(2026, 11, 2)
    assert loan.expected_back == datetime.date(2026, 12, 18)
    assert AccessEvent.objects.filter(action=AccessAction.CREATE, pupil_id=world.pupil.pk).exists()


@time_machine.travel(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC))
def test_expected_back_before_lent_on_is_refused_at_the_field(world):
    response = client_for(world.users["it_staff"]).post(
        NEW, _form(world, expected_back="01/11/2026")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["expected_back"] == ["The expected return date is before the loan starts."]
    assert not DeviceLoan.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC))
def test_a_second_open_loan_of_the_same_asset_is_refused_with_a_clear_message(world):
    client = client_for(world.users["it_staff"])
    client.post(NEW, _form(world))
    # Same tag, written differently, to another pupil.
    response = client.post(NEW, _form(world, pupil=world.other_pupil.pk, asset_tag=" lap-0042 "))
    assert response.status_code == 200
    assert response.context["form"].errors["asset_tag"] == [ALREADY_OUT]
    assert "already out on loan" in response.text
    assert DeviceLoan.objects.count() == 1
    # Once returned, the device can go out again.
    loan = DeviceLoan.objects.get()
    client.post(
        reverse("itsupport:loan_return", args=[loan.pk]),
        {"returned_on": "06/11/2026", "condition": "good"},
    )
    client.post(NEW, _form(world, pupil=world.other_pupil.pk, asset_tag="LAP-0042"))
    assert DeviceLoan.objects.count() == 2


def test_the_database_refuses_a_second_open_loan_of_the_same_asset(world):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    loan = make_loan(world, asset_tag="SIM-1")
    twin = DeviceLoan(
        school=loan.school,
        pupil=world.other_pupil,
        kind="dongle",
        asset_tag="SIM-1",
        lent_on=loan.lent_on,
        expected_back=loan.expected_back,
        lent_by=loan.lent_by,
    )
    try:
        twin.full_clean()
    except ValidationError as error:
        assert ALREADY_OUT in str(error)
    else:
        raise AssertionError("full_clean should refuse the second open loan")
    with transaction.atomic():
        try:
            twin.save()
        except IntegrityError:
            pass
        else:
            raise AssertionError("the database should refuse the second open loan")


def test_a_pupil_it_cannot_see_is_refused(world):
    south_it = it_staff_for_site(world, world.south)
    client = client_for(south_it)
    response = client.post(NEW, _form(world))
    assert "Choose one of your pupils from the list." in response.text
    assert not DeviceLoan.objects.exists()
    assert client.get(NEW, {"pupil": world.pupil.pk}).status_code == 404
    assert client.get(NEW, {"pupil": world.south_pupil.pk}).status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC), tick=False)
def test_a_return_records_who_and_when_and_condition(world):
    loan = make_loan(world)
    url = reverse("itsupport:loan_return", args=[loan.pk])
    client = client_for(world.users["it_staff"])
    bad = client.post(url, {"returned_on": "01/01/2026", "condition": "good"})
    assert bad.context["form"].errors["returned_on"] == [
        "The return date is before the loan started."
    ]
    future = client.post(url, {"returned_on": "01/12/2026", "condition": "good"})
    assert future.context["form"].errors["returned_on"] == ["This date is in the future."]
    loan.refresh_from_db()
    assert loan.is_out
    response = client.post(url, {"returned_on": "09/11/2026", "condition": "damaged"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_on == datetime.date(2026, 11, 9)
    assert loan.return_condition == "damaged"
    assert loan.returned_to == world.users["it_staff"]
    assert loan.return_recorded_at == datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC)
    again = client.post(url, {"returned_on": "09/11/2026", "condition": "good"})
    assert "Returned on 09/11/2026 (Damaged)." in again.text
    loan.refresh_from_db()
    assert loan.return_condition == "damaged"


def test_overdue_returns_are_listed_and_noted_once(world):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)):
        due_friday = make_loan(
            world,
            lent_on=datetime.date(2026, 10, 1),
            expected_back=datetime.date(2026, 11, 6),
        )
        due_later = make_loan(
            world,
            pupil=world.other_pupil,
            lent_on=datetime.date(2026, 10, 1),
            expected_back=datetime.date(2026, 12, 1),
        )
    # On its due day a loan is not yet overdue (Europe/London: 23:30 UTC on 6 November is
    # still the 6th in London in GMT).
    with time_machine.travel(datetime.datetime(2026, 11, 6, 23, 30, tzinfo=datetime.UTC)):
        client = client_for(world.users["it_staff"])
        assert check_overdue_loans() == 0
        assert list(client.get(LIST, {"show": "overdue"}).context["loans"]) == []
    with time_machine.travel(datetime.datetime(2026, 11, 7, 7, tzinfo=datetime.UTC)):
        client = client_for(world.users["it_staff"])
        assert check_overdue_loans() == 1
        assert check_overdue_loans() == 0  # idempotent
        page = client.get(LIST, {"show": "overdue"})
        assert list(page.context["loans"]) == [due_friday]
        assert "Overdue" in page.text
        out = client.get(LIST)
        assert set(out.context["loans"]) == {due_friday, due_later}
    due_friday.refresh_from_db()
    assert due_friday.overdue_noted_on == datetime.date(2026, 11, 7)
    # A returned loan is no longer overdue.
    with time_machine.travel(datetime.datetime(2026, 11, 9, 9, tzinfo=datetime.UTC)):
        client = client_for(world.users["it_staff"])
        client.post(
            reverse("itsupport:loan_return", args=[due_friday.pk]),
            {"returned_on": "09/11/2026", "condition": "good"},
        )
        assert list(overdue_loans(DeviceLoan.objects.all(), today=datetime.date(2026, 11, 9))) == []
        assert loans_note_overdue(datetime.date(2026, 12, 5)) == 1  # the later loan, now


def test_overdue_at_the_british_summer_time_edge(world):
    # Due back Saturday 28 March 2026; BST starts at 01:00 UTC on Sunday 29 March.
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)):
        loan = make_loan(
            world, lent_on=datetime.date(2026, 3, 1), expected_back=datetime.date(2026, 3, 28)
        )
    # 23:30 UTC on the 28th is 23:30 in London (GMT): still the due day.
    with time_machine.travel(datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC)):
        assert check_overdue_loans() == 0
    # 23:30 UTC on the 29th is 00:30 on the 30th in London (BST): overdue since the 29th.
    with time_machine.travel(datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC)):
        assert check_overdue_loans() == 1
    loan.refresh_from_db()
    assert loan.overdue_noted_on == datetime.date(2026, 3, 30)


def test_the_loan_list_costs_the_same_queries_for_few_or_many_loans(world):
    client = client_for(world.users["it_staff"])
    make_loan(world)
    few = page_queries(client, LIST)
    for pupil in (world.pupil, world.other_pupil, world.south_pupil) * 4:
        make_loan(world, pupil=pupil)
    assert page_queries(client, LIST) == few
    assert len(client.get(LIST).context["loans"]) == 13


def test_slt_read_loans_in_their_scope_but_cannot_lend(world):
    make_loan(world)
    make_loan(world, pupil=world.south_pupil)
    page = client_for(world.users["slt_other_site"]).get(LIST)
    assert [loan.pupil for loan in page.context["loans"]] == [world.south_pupil]
    assert "Record a loan" not in page.text
    assert client_for(world.users["slt_other_site"]).post(NEW, _form(world)).status_code == 403


def test_loan_notes_are_escaped(world):
    make_loan(world, notes="<img src=x onerror=alert(1)>")
    page = client_for(world.users["it_staff"]).get(LIST)
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


@time_machine.travel(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC))
def test_it_records_help_given_to_a_family(world):
    client = client_for(world.users["it_staff"])
    response = client.post(
        reverse("itsupport:assistance_new"),
        {
            "pupil": world.pupil.pk,
            "kind": "internet",
            "given_on": "09/11/2026",
            "notes": "<b>Router</b> set up with the parent.",
        },
    )
    assert response.status_code == 302
    record = FamilyAssistance.objects.get()
    assert (record.pupil, record.given_by) == (world.pupil, world.users["it_staff"])
    listing = client.get(reverse("itsupport:assistance_list"))
    assert "&lt;b&gt;Router&lt;/b&gt; set up" in listing.text
    future = client.post(
        reverse("itsupport:assistance_new"),
        {"pupil": world.pupil.pk, "kind": "data", "given_on": "10/11/2026", "notes": "SIM"},
    )
    assert future.context["form"].errors["given_on"] == ["This date is in the future."]
    assert FamilyAssistance.objects.count() == 1


def test_the_loan_predicate_and_scope_agree_for_everyone(world):
    from itsupport.permissions import can_view_loan, loans_visible_to

    loans = [make_loan(world, pupil=p) for p in (world.pupil, world.other_pupil, world.south_pupil)]
    for persona, user in world.users.items():
        scope = set(loans_visible_to(user))
        for loan in loans:
            assert (loan in scope) == can_view_loan(user, loan), persona
