"""Pupils who need a device, internet access or paper copies, and the IT section their record
and case load (policy 3.2 plan, 3.5)."""

import datetime

import time_machine
from django.urls import reverse

from cases.models import PaperDelivery
from dataprotection.models import AccessAction, AccessEvent
from itsupport.models import DeviceNeed, NeedKind
from schools.calendar import today
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.itsupport.factories import make_loan, make_need, page_queries

NEW = reverse("itsupport:need_new")
LIST = reverse("itsupport:need_list")


def _panel(world, pupil=None) -> str:
    return reverse("itsupport:pupil_it_panel", args=[(pupil or world.pupil).pk])


def test_the_case_page_loads_the_pupils_it_section(world):
    case = open_case_for(world)
    page = client_for(world.users["teacher"]).get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert f'hx-get="{_panel(world)}"' in page.text
    assert 'hx-trigger="load"' in page.text


def test_the_pupil_record_loads_the_pupils_it_section(world):
    page = client_for(world.users["it_staff"]).get(world.pupil.get_absolute_url())
    assert page.status_code == 200
    assert f'hx-get="{_panel(world)}"' in page.text


def test_the_section_shows_the_open_need_and_the_loan(world):
    make_need(world, need=NeedKind.DEVICE, notes="Shares one phone with <b>three</b> siblings")
    make_loan(world, asset_tag="LAP-77")
    response = client_for(world.users["teacher"]).get(_panel(world), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Needs a device" in response.text
    assert "Shares one phone with &lt;b&gt;three&lt;/b&gt; siblings" in response.text
    assert "LAP-77" in response.text
    assert "<html" not in response.text  # a fragment, not a page
    assert AccessEvent.objects.filter(
        action=AccessAction.VIEW, pupil_id=world.pupil.pk, user_id=world.users["teacher"].pk
    ).exists()


def test_a_paper_copies_need_shows_the_latest_paper_delivery_from_the_case(world):
    case = open_case_for(world)
    make_need(world, need=NeedKind.PAPER)
    client = client_for(world.users["class_staff"])
    assert "No paper copies have been delivered yet." in client.get(_panel(world)).text
    for day in (3, 1):
        PaperDelivery.objects.create(
            case=case,
            delivered_on=today() - datetime.timedelta(days=day),
            delivered_by=world.users["teacher"],
            notes=f"Week pack {day}",
        )
    text = client.get(_panel(world)).text
    latest = (today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"Paper copies last delivered {latest}" in text
    assert "Week pack 1" in text
    assert "Week pack 3" not in text


def test_the_section_is_a_404_for_those_who_may_not_see_the_pupil(world):
    make_need(world)
    for persona in ("other_teacher", "slt_other_site", "dpo", "family_support_unshared"):
        response = client_for(world.users[persona]).get(_panel(world))
        assert response.status_code == 404, persona
        assert AccessEvent.objects.filter(
            action=AccessAction.DENIED, user_id=world.users[persona].pk, pupil_id=world.pupil.pk
        ).exists()
    assert (
        client_for(world.users["teacher"])
        .get(reverse("itsupport:pupil_it_panel", args=[999999]))
        .status_code
        == 404
    )


def test_staff_who_see_the_pupil_record_a_need(world):
    client = client_for(world.users["family_support_shared"])
    response = client.post(NEW, {"pupil": world.pupil.pk, "need": "internet", "notes": "No wifi"})
    assert response.status_code == 302
    need = DeviceNeed.objects.get()
    assert (need.pupil, need.need, need.raised_by) == (
        world.pupil,
        NeedKind.INTERNET,
        world.users["family_support_shared"],
    )
    again = client.post(NEW, {"pupil": world.pupil.pk, "need": "internet"})
    assert "This need is already recorded for the pupil and not yet met." in again.text
    assert DeviceNeed.objects.count() == 1


def test_a_pupil_the_person_cannot_see_is_refused(world):
    client = client_for(world.users["other_teacher"])
    response = client.post(NEW, {"pupil": world.pupil.pk, "need": "device"})
    assert "Choose one of your pupils from the list." in response.text
    assert not DeviceNeed.objects.exists()
    assert client.get(NEW, {"pupil": world.pupil.pk}).status_code == 404
    assert client.get(NEW, {"pupil": world.other_pupil.pk}).status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC))
def test_a_need_is_met_by_a_loan_and_leaves_the_open_list(world):
    need = make_need(world, need=NeedKind.DEVICE)
    loan = make_loan(world, asset_tag="TAB-9")
    other_loan = make_loan(world, pupil=world.other_pupil, asset_tag="TAB-10")
    client = client_for(world.users["it_staff"])
    assert [n.pk for n in client.get(LIST).context["needs"]] == [need.pk]
    url = reverse("itsupport:need_meet", args=[need.pk])
    wrong = client.post(url, {"met_on": "09/11/2026", "loan": other_loan.pk})
    assert "loan" in wrong.context["form"].errors  # another pupil's loan is not offered
    empty = client.post(url, {"met_on": "09/11/2026"})
    assert "Choose the loan that met the need, or say how it was met." in empty.text
    need.refresh_from_db()
    assert need.is_open
    response = client.post(url, {"met_on": "09/11/2026", "loan": loan.pk})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.met_on, need.met_by, need.met_loan) == (
        datetime.date(2026, 11, 9),
        world.users["it_staff"],
        loan,
    )
    assert client.get(LIST).context["needs"] == []
    assert [n.pk for n in client.get(LIST, {"show": "met"}).context["needs"]] == [need.pk]
    panel = client.get(_panel(world)).text
    assert "No open need" in panel
    assert "TAB-9" in panel


def test_the_dsl_sees_the_need_but_may_not_mark_it_met(world):
    need = make_need(world)
    dsl = client_for(world.users["dsl"])
    assert "Needs internet access" in dsl.get(_panel(world)).text
    response = dsl.post(
        reverse("itsupport:need_meet", args=[need.pk]), {"met_on": "01/11/2026", "how": "x"}
    )
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.is_open


def test_the_needs_list_costs_the_same_queries_for_few_or_many_needs(world):
    client = client_for(world.users["it_staff"])
    make_need(world)
    few = page_queries(client, LIST)
    for pupil in (world.other_pupil, world.south_pupil):
        for kind in NeedKind.values:
            make_need(world, pupil=pupil, need=kind)
    make_need(world, need=NeedKind.PAPER)
    assert page_queries(client, LIST) == few
    assert len(client.get(LIST).context["needs"]) == 8


def test_class_staff_see_only_their_classes_needs(world):
    make_need(world)
    make_need(world, pupil=world.other_pupil)
    needs = client_for(world.users["class_staff"]).get(LIST).context["needs"]
    assert [n.pupil for n in needs] == [world.pupil]


def test_the_need_list_scope_and_the_marking_predicate_agree_for_everyone(world):
    from itsupport.permissions import can_meet_need, needs_visible_to

    needs = [make_need(world, pupil=p) for p in (world.pupil, world.other_pupil, world.south_pupil)]
    for persona, user in world.users.items():
        scope = set(needs_visible_to(user))
        for need in needs:
            assert (need in scope) == can_meet_need(user, need), persona


def test_marking_paper_copies_met_offers_the_cases_latest_delivery(world):
    case = open_case_for(world)
    need = make_need(world, need=NeedKind.PAPER)
    delivered = today() - datetime.timedelta(days=2)
    PaperDelivery.objects.create(
        case=case, delivered_on=delivered, delivered_by=world.users["class_staff"]
    )
    page = client_for(world.users["teacher"]).get(reverse("itsupport:need_meet", args=[need.pk]))
    assert f"paper copies delivered on {delivered:%d/%m/%Y} by Class Staff" in page.text
    assert page.context["form"].initial["how"] == f"Paper copies delivered {delivered:%d/%m/%Y}"
    assert 'name="loan"' not in page.text  # paper copies are not met by a loan
