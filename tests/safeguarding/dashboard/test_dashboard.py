"""The DSL dashboard: scoped to the person's sites, counts, ordering, filters, the htmx refresh,
and a fixed number of queries whatever the number of concerns, flags and pupils."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AttendanceCode, Basis, Case, Flag, FlagKind, Reason, Status
from safeguarding.models import Concern, ConcernCategory, ConcernStatus, HomeVisit, Urgency
from schools.models import Pupil
from tests.cases.matrix import open_case_for
from tests.conftest import client_for

URL = reverse("safeguarding:dashboard")


def category(school):
    return ConcernCategory.objects.get_or_create(school=school, name="Neglect")[0]


def concern(world, pupil, *, urgency=Urgency.ROUTINE, status=ConcernStatus.RAISED, hours=1):
    made = Concern.objects.create(
        pupil=pupil,
        category=category(world.school),
        urgency=urgency,
        what_happened="Something <b>worrying</b>",
        happened_at=timezone.now() - dt.timedelta(hours=hours),
        raised_by=world.users["teacher"],
        status=status,
        outcome="Done" if status == ConcernStatus.CLOSED else "",
        close_reason="Resolved" if status == ConcernStatus.CLOSED else "",
    )
    Concern.objects.filter(pk=made.pk).update(raised_at=timezone.now() - dt.timedelta(hours=hours))
    return made


def test_the_north_dsl_sees_north_concerns_only(world):
    concern(world, world.pupil, urgency=Urgency.HIGH)
    concern(world, world.south_pupil, urgency=Urgency.IMMEDIATE)
    response = client_for(world.users["dsl"]).get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert [c.pupil_id for c in board.concerns] == [world.pupil.pk]
    assert board.concern_counts == {"immediate": 0, "high": 1, "routine": 0}
    assert "Tate" not in response.content.decode()

    south = client_for(world.users["deputy_dsl_other_site"]).get(URL).context["board"]
    assert [c.pupil_id for c in south.concerns] == [world.south_pupil.pk]

    head = client_for(world.users["headteacher"]).get(URL).context["board"]
    assert head.open_concerns == 2


def test_it_counts_and_orders_unacknowledged_first_then_urgency_then_age(world):
    older = concern(world, world.pupil, urgency=Urgency.ROUTINE, hours=5)
    newer = concern(world, world.pupil, urgency=Urgency.ROUTINE, hours=1)
    immediate = concern(world, world.pupil, urgency=Urgency.IMMEDIATE, hours=2)
    acknowledged = concern(
        world, world.pupil, urgency=Urgency.IMMEDIATE, status=ConcernStatus.ACKNOWLEDGED
    )
    concern(world, world.pupil, status=ConcernStatus.CLOSED)
    case = open_case_for(world)
    Flag.objects.create(case=case, kind=FlagKind.FAMILY_NOT_RESPONDING, period=case.start_date)
    Flag.objects.create(case=case, kind=FlagKind.REVIEW_OVERDUE, period=case.start_date)
    HomeVisit.objects.create(case=case, reason="No answer", requested_by=world.users["dsl"])

    response = client_for(world.users["dsl"]).get(URL)
    board = response.context["board"]
    assert [c.pk for c in board.concerns] == [immediate.pk, older.pk, newer.pk, acknowledged.pk]
    assert board.unacknowledged == 3
    assert board.open_concerns == 4
    assert board.concern_counts == {"immediate": 2, "high": 0, "routine": 2}
    assert board.flag_count == 1  # the review flag is not the DSL's to act on
    assert board.visit_count == 1
    body = response.content.decode()
    assert f'href="/safeguarding/concerns/{immediate.pk}/"' in body
    assert "<b>worrying" not in body
    assert f'href="{case.get_absolute_url()}"' in body


def test_the_filter_narrows_and_the_partial_keeps_it(world):
    concern(world, world.pupil, urgency=Urgency.HIGH)
    concern(world, world.pupil, urgency=Urgency.ROUTINE)
    client = client_for(world.users["headteacher"])
    response = client.get(URL, {"urgency": "high", "site": world.north.pk})
    assert response.context["board"].open_concerns == 1
    assert (
        f'hx-get="{reverse("safeguarding:dashboard_partial")}?site={world.north.pk}&amp;urgency=high"'
        in response.content.decode()
    )
    partial = client.get(
        reverse("safeguarding:dashboard_partial"),
        {"urgency": "high", "site": world.north.pk},
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 60s"' in body
    assert partial.context["board"].open_concerns == 1


def test_a_site_outside_the_persons_scope_is_not_a_filter(world):
    concern(world, world.pupil)
    response = client_for(world.users["dsl"]).get(URL, {"site": world.south.pk})
    assert response.context["form"].errors
    assert response.context["board"].open_concerns == 1  # falls back to the DSL's own site


def test_people_without_a_safeguarding_role_get_404(world):
    for persona in ("teacher", "slt_class", "it_staff", "dpo", "governor"):
        assert client_for(world.users[persona]).get(URL).status_code == 404


def _add_rows(world, count: int, first: int) -> None:
    """``count`` pupils, each with an open case, a concern, a flag and a visit to arrange."""
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=world.school,
            school_class=world.class_a,
            upn=f"S{n:011d}D",
            first_name=f"Pupil{n}",
            last_name="Scale",
            date_of_birth=dt.date(2015, 1, 1),
            has_ehc_plan=True,
        )
        for n in range(first, first + count)
    )
    start = dt.date(2026, 1, 5)
    cases = Case.objects.bulk_create(
        Case(
            pupil=pupil,
            basis=Basis.INDIVIDUAL,
            reason=Reason.INJURY,
            status=Status.ACTIVE,
            start_date=start,
            end_date=start + dt.timedelta(days=30),
            attendance_code=AttendanceCode.I,
            proposed_on=start,
            created_by=world.users["headteacher"],
        )
        for pupil in pupils
    )
    cat = category(world.school)
    happened = timezone.now() - dt.timedelta(hours=1)
    Concern.objects.bulk_create(
        Concern(
            pupil=pupil,
            category=cat,
            urgency=[Urgency.IMMEDIATE, Urgency.HIGH, Urgency.ROUTINE][n % 3],
            what_happened="x",
            happened_at=happened,
            raised_by=world.users["teacher"],
        )
        for n, pupil in enumerate(pupils)
    )
    Flag.objects.bulk_create(
        Flag(case=case, kind=FlagKind.FAMILY_NOT_RESPONDING, period=start) for case in cases
    )
    HomeVisit.objects.bulk_create(
        HomeVisit(case=case, reason="No answer", requested_by=world.users["dsl"]) for case in cases
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [URL, reverse("safeguarding:dashboard_partial") + "?urgency=high"])
def test_the_dashboard_costs_the_same_queries_for_10_and_2000_concerns(world, url):
    client = client_for(world.users["dsl"])
    _add_rows(world, 10, 0)
    client.get(url)  # warm the session
    few = _queries(client, url)
    _add_rows(world, 1990, 10)
    many = _queries(client, url)
    assert few == many
    board = client.get(url).context["board"]
    assert board.flag_count == 2000
    assert len(board.concerns) == 100


def test_the_dashboard_says_how_it_orders_and_which_concerns_were_chased(world):
    """Every urgency is chased, so the board puts every unacknowledged concern first, says so
    whatever the number, and shows who has already been reminded or escalated to."""
    reminded = concern(world, world.pupil, urgency=Urgency.ROUTINE, hours=30)
    escalated = concern(world, world.pupil, urgency=Urgency.HIGH, hours=6)
    fresh = concern(world, world.pupil, urgency=Urgency.IMMEDIATE, hours=0)
    now = timezone.now()
    Concern.objects.filter(pk=reminded.pk).update(reminded_at=now - dt.timedelta(hours=2))
    Concern.objects.filter(pk=escalated.pk).update(
        reminded_at=now - dt.timedelta(hours=4), escalated_at=now - dt.timedelta(hours=1)
    )

    response = client_for(world.users["dsl"]).get(URL)

    body = response.content.decode()
    assert "immediate concerns first" not in body.lower()
    assert "Unacknowledged concerns of every urgency come first" in body
    rows = {c.pk: c for c in response.context["board"].concerns}
    assert set(rows) == {reminded.pk, escalated.pk, fresh.pk}
    table = body[body.index('id="concerns-heading"') :]

    def row_of(made):
        start = table.index(f"/safeguarding/concerns/{made.pk}/")
        return table[start : table.index("</tr>", start)]

    assert "DSL team reminded" in row_of(reminded) and "headteacher" not in row_of(reminded)
    assert "Escalated to the headteacher" in row_of(escalated)
    assert "reminded" not in row_of(fresh).lower() and "Escalated" not in row_of(fresh)
