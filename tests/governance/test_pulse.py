"""The staff wellbeing pulse (policy section 3.7): anonymous, once a week, and governors see
only counts of three or more."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.actor import Actor
from core.suppression import HIDDEN
from governance import services
from governance.models import Coping, PulseReceipt, PulseResponse, Workload
from governance.selectors import wellbeing_pulse_counts
from schools.models import Role, Term
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
PULSE = reverse("governance:pulse")
SUMMARY = reverse("governance:pulse_summary")
WEDNESDAY = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)
MONDAY = datetime.date(2026, 11, 23)


def _answer(world, persona, coping=Coping.WELL, workload=""):
    services.pulse_answer(
        actor=Actor.for_user(world.users[persona]),
        school=world.school,
        coping=coping,
        workload=workload,
    )


def test_staff_answer_once_a_week_and_are_thanked(world):
    client = client_for(world.users["teacher"])
    with time_machine.travel(WEDNESDAY, tick=False):
        form = client.get(PULSE).context["form"]
        assert form is not None
        response = client.post(
            PULSE, {"school": world.school.pk, "coping": Coping.HARD, "workload": "heavy"}
        )
        assert response.status_code == 302
        page = client.get(PULSE)
        assert "Thank you, you've told us this week" in page.content.decode()
        assert page.context["form"] is None
        client.post(PULSE, {"school": world.school.pk, "coping": Coping.WELL})
    assert PulseResponse.objects.count() == 1
    saved = PulseResponse.objects.get()
    assert (saved.week_start, saved.coping, saved.workload) == (MONDAY, Coping.HARD, "heavy")
    receipt = PulseReceipt.objects.get()
    assert (receipt.user, receipt.week_start) == (world.users["teacher"], MONDAY)
    with pytest.raises(ValidationError, match="already told us"), time_machine.travel(WEDNESDAY):
        _answer(world, "teacher")
    with time_machine.travel(WEDNESDAY + datetime.timedelta(days=5), tick=False):
        assert not services.has_answered_pulse(
            user=world.users["teacher"], school_id=world.school.pk
        )
        _answer(world, "teacher")
    assert PulseResponse.objects.count() == 2


def test_the_week_follows_london_time_across_the_clock_change():
    # 23:30 UTC on Sunday 29 March 2026 is 00:30 BST on Monday 30 March: a new week.
    with time_machine.travel(datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC)):
        from governance.models import week_start_of
        from schools.calendar import today

        assert week_start_of(today()) == datetime.date(2026, 3, 30)


def test_an_answer_row_holds_no_person_no_time_and_a_random_key():
    fields = {f.name: f for f in PulseResponse._meta.get_fields()}
    assert set(fields) == {"id", "school", "week_start", "coping", "workload"}
    assert isinstance(fields["id"], models.UUIDField)
    assert not any(isinstance(f, models.DateTimeField) for f in fields.values())
    relations = {f.related_model._meta.label for f in fields.values() if f.is_relation}
    assert relations == {"schools.School"}
    receipt_fields = {f.name for f in PulseReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "user", "school", "week_start"}


def test_governors_do_not_answer_and_cannot_post(world):
    for persona in ("governor", "chair", "no_role"):
        assert client_for(world.users[persona]).post(PULSE, {"coping": 1}).status_code == 404
    with pytest.raises(ValidationError):
        _answer(world, "governor")
    assert not PulseResponse.objects.exists()


def test_a_bad_answer_is_a_field_error(world):
    response = client_for(world.users["teacher"]).post(
        PULSE, {"school": world.school.pk, "coping": "9"}
    )
    assert "coping" in response.context["form"].errors
    assert not PulseReceipt.objects.exists()


def test_counts_have_every_label_in_scale_order(world):
    with time_machine.travel(WEDNESDAY, tick=False):
        _answer(world, "teacher", Coping.STRUGGLING)
        _answer(world, "class_staff", Coping.WELL)
        _answer(world, "dsl", Coping.WELL)
    counts = wellbeing_pulse_counts(
        school_id=world.school.pk,
        start=datetime.date(2026, 11, 25),
        end=datetime.date(2026, 11, 30),
    )
    assert list(counts.items()) == [
        ("Coping well", 2),
        ("Mostly coping", 0),
        ("Getting by", 0),
        ("Finding it hard", 0),
        ("Struggling", 1),
    ]
    assert (
        sum(
            wellbeing_pulse_counts(
                school_id=world.school.pk,
                start=datetime.date(2026, 12, 1),
                end=datetime.date(2026, 12, 31),
            ).values()
        )
        == 0
    )


def test_the_summary_hides_small_weeks_and_suppresses_small_counts(world):
    with time_machine.travel(WEDNESDAY - datetime.timedelta(days=7), tick=False):
        _answer(world, "teacher", Coping.STRUGGLING)
        _answer(world, "class_staff", Coping.STRUGGLING)
    with time_machine.travel(WEDNESDAY, tick=False):
        for persona in ("teacher", "class_staff", "dsl", "it_staff"):
            _answer(world, persona, Coping.WELL, Workload.HEAVY)
        _answer(world, "dpo", Coping.STRUGGLING)
        response = client_for(world.users["governor"]).get(SUMMARY)
    body = response.content.decode()
    weeks = response.context["sections"][0]["weeks"]
    assert [(w["week_start"], w["shown"]) for w in weeks] == [
        (MONDAY, True),
        (MONDAY - datetime.timedelta(days=7), False),
    ]
    assert weeks[0]["total"] == "5"
    assert dict(weeks[0]["coping"]) == {
        "Coping well": "4",
        "Mostly coping": HIDDEN,
        "Getting by": HIDDEN,
        "Finding it hard": HIDDEN,
        "Struggling": HIDDEN,
    }
    assert weeks[1]["coping"] == []
    assert "Not shown: fewer than 3 answers this week." in body
    assert "Struggling: 1" not in body and "Struggling: 2" not in body


def test_only_governors_the_chair_and_the_head_read_the_summary(world):
    assert client_for(world.users["chair"]).get(SUMMARY).status_code == 200
    assert client_for(world.users["headteacher"]).get(SUMMARY).status_code == 200
    assert client_for(world.users["slt_class"]).get(SUMMARY).status_code == 404
    assert client_for(world.users["teacher"]).get(SUMMARY).status_code == 404


def _staff(world, count: int) -> list:
    people = []
    for n in range(count):
        person = UserFactory(full_name=f"Pulse Staff {n}")
        MembershipFactory(user=person, school=world.school, role=Role.CLASS_STAFF)
        people.append(person)
    return people


def _answers(world, people, when, copings, workloads=()) -> None:
    with time_machine.travel(when, tick=False):
        for n, (person, coping) in enumerate(zip(people, copings, strict=False)):
            services.pulse_answer(
                actor=Actor.for_user(person),
                school=world.school,
                coping=coping,
                workload=workloads[n] if n < len(workloads) else "",
            )


def _hidden(cells: list[tuple[str, str]]) -> list[bool]:
    return [text == HIDDEN for _, text in cells]


def test_no_hidden_count_of_the_summary_can_be_worked_out_from_the_figures_shown(world):
    """As in the governors' summary: a row of counts adds up to its answers and a term adds
    up its weeks, so one hidden count beside shown ones would give itself away."""
    Term.objects.create(
        school=world.school,
        name="Autumn 2",
        first_day=MONDAY - datetime.timedelta(days=7),
        last_day=MONDAY + datetime.timedelta(days=4),
    )
    people = _staff(world, 13)
    # Last week: 3, 3, 3 and 3 on four answers and 1 on the fifth; workload 4, 4 and 1.
    copings = [Coping.WELL] * 3 + [Coping.MOSTLY] * 3 + [Coping.GETTING_BY] * 3
    copings += [Coping.HARD] * 3 + [Coping.STRUGGLING]
    workloads = [Workload.MANAGEABLE] * 4 + [Workload.HEAVY] * 4 + [Workload.UNMANAGEABLE]
    workloads += [Workload.MANAGEABLE] * 4
    _answers(world, people, WEDNESDAY - datetime.timedelta(days=7), copings, workloads)
    # This week two answers only: the week is not shown, the term adds them in.
    _answers(world, people[:2], WEDNESDAY, [Coping.WELL, Coping.STRUGGLING])

    with time_machine.travel(WEDNESDAY, tick=False):
        response = client_for(world.users["governor"]).get(SUMMARY)

    [section] = response.context["sections"]
    this_week, last_week = section["weeks"]
    [term] = section["terms"]
    assert this_week["shown"] is False and term["shown"] is True
    # Within a row: never exactly one hidden count beside a shown total.
    for row in (last_week, term):
        for cells in (row["coping"], row["workload"]):
            if row["total"] != HIDDEN:
                assert sum(_hidden(cells)) != 1, cells
    assert sum(_hidden(last_week["coping"])) >= 2
    # Down a term: this week is hidden, so last week cannot be shown beside the term's figure.
    assert last_week["total"] == HIDDEN or term["total"] == HIDDEN
    for n, (label, text) in enumerate(term["coping"]):
        if text != HIDDEN:
            assert last_week["coping"][n][1] == HIDDEN, label
    body = response.content.decode()
    assert "Struggling: 1" not in body


def test_a_term_with_no_answers_on_the_page_shows_nothing_and_the_page_still_answers(world):
    Term.objects.create(
        school=world.school,
        name="Autumn 2",
        first_day=MONDAY - datetime.timedelta(days=7),
        last_day=MONDAY + datetime.timedelta(days=4),
    )
    with time_machine.travel(WEDNESDAY, tick=False):
        response = client_for(world.users["chair"]).get(SUMMARY)
    [term] = response.context["sections"][0]["terms"]
    assert response.status_code == 200 and term["shown"] is False
