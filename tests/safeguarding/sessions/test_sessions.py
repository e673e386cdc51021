"""Virtual sessions (Appendix 1), end to end: the family's agreement, planning with two staff
and school-email invitations, the checklist on the day, stopping for an immediate concern, and
the pre-recorded lesson offered when fewer than two staff are available."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Provision
from core.actor import Actor
from safeguarding.models import (
    ChecklistItem,
    Concern,
    ConcernSource,
    Notification,
    NotificationKind,
    SafeguardingSettings,
    SessionAttendance,
    SessionChecklistEntry,
    SessionFamilyAgreement,
    SessionKind,
    Urgency,
    VirtualSession,
)
from safeguarding.services import concern_categories_ensure
from safeguarding.sessions.services import session_agreement_record, session_plan
from safeguarding.tasks import record_prerecorded_provision
from schools.calendar import today
from schools.models import Phase, Pupil, Role
from tests.cases.closures.matrix import build_calendar
from tests.conftest import client_for
from tests.contacts.test_today import SCHOOL_DAY, make_case
from tests.factories import MembershipFactory, PupilFactory, UserFactory

PLAN_URL = reverse("safeguarding:session_plan")
GAPS_URL = reverse("safeguarding:session_gaps")
LIST_URL = reverse("safeguarding:session_list")


def agreement_url(pupil) -> str:
    return reverse("safeguarding:session_agreement", args=[pupil.pk])


@pytest.fixture
def at_school(world):
    build_calendar(world.school)
    with time_machine.travel(SCHOOL_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def second_pupil(world):
    return PupilFactory(
        school_class=world.class_a,
        first_name="Noor",
        last_name="Bright",
        school_email="noor.bright@pupils.heathergate.example",
    )


@pytest.fixture
def with_email(world):
    Pupil.objects.filter(pk=world.pupil.pk).update(
        school_email="ellis.marsh@pupils.heathergate.example"
    )
    world.pupil.refresh_from_db()
    return world.pupil


@pytest.fixture
def teacher(world):
    return client_for(world.users["teacher"])


def agree(world, pupil) -> SessionFamilyAgreement:
    return session_agreement_record(
        actor=Actor.for_user(world.users["teacher"]),
        pupil=pupil,
        agreed_with="A carer",
        agreed_on=today(),
        no_recordings=True,
        confidentiality=True,
        parent_present=True,
        independent_access_agreed=False,
        dress_and_language=True,
        expectations_known=True,
        household_not_seen_or_heard=True,
    )


def agreement_data(**overrides) -> dict:
    data = {
        "agreed_with": "Dana Marsh",
        "agreed_on": "2026-12-02",
        "no_recordings": "on",
        "confidentiality": "on",
        "parent_present": "on",
        "dress_and_language": "on",
        "expectations_known": "on",
        "household_not_seen_or_heard": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def plan_data(world, pupils, staff=("teacher", "class_staff"), **overrides) -> dict:
    data = {
        "title": "Phonics and story time",
        "date": "2026-12-03",
        "start_time": "14:00",
        "end_time": "14:45",
        "pupils": [pupil.pk for pupil in pupils],
        "staff": [world.users[key].pk for key in staff],
        "meeting_link": "https://teams.example/meet/abc",
    }
    data.update(overrides)
    return data


def planned(world, pupils) -> VirtualSession:
    response = client_for(world.users["teacher"]).post(PLAN_URL, plan_data(world, pupils))
    assert response.status_code == 302, response.context["form"].errors
    return VirtualSession.objects.get()


# --- The family's agreement ------------------------------------------------------------------


def test_a_primary_familys_agreement_is_recorded_with_a_parent_present(
    world, at_school, teacher, with_email
):
    assert world.pupil.school_class.phase == Phase.PRIMARY
    response = teacher.post(agreement_url(world.pupil), agreement_data())
    assert response.status_code == 302
    agreement = SessionFamilyAgreement.objects.get(pupil=world.pupil)
    assert agreement.parent_present and agreement.no_recordings
    assert agreement.agreed_with == "Dana Marsh"
    assert agreement.recorded_by == world.users["teacher"]


def test_a_primary_pupil_needs_a_parent_present_or_agreed_independent_access(
    world, at_school, teacher
):
    response = teacher.post(agreement_url(world.pupil), agreement_data(parent_present=None))
    assert "parent_present" in response.context["form"].errors
    response = teacher.post(
        agreement_url(world.pupil),
        agreement_data(parent_present=None, independent_access_agreed="on"),
    )
    assert "independent_access_agreed_by" in response.context["form"].errors
    assert not SessionFamilyAgreement.objects.exists()
    response = teacher.post(
        agreement_url(world.pupil),
        agreement_data(
            parent_present=None,
            independent_access_agreed="on",
            independent_access_agreed_by="Mrs Hale (deputy head) with Dana Marsh",
        ),
    )
    assert response.status_code == 302
    agreement = SessionFamilyAgreement.objects.get()
    assert agreement.independent_access_agreed_by.startswith("Mrs Hale")


def test_every_term_of_the_agreement_is_needed(world, at_school, teacher):
    response = teacher.post(agreement_url(world.pupil), agreement_data(no_recordings=None))
    assert response.context["form"].errors["no_recordings"] == [
        "The family must agree not to make any recordings."
    ]
    assert not SessionFamilyAgreement.objects.exists()


def test_the_family_agrees_that_other_household_members_will_not_be_seen_or_heard(
    world, at_school, teacher, with_email
):
    response = teacher.post(
        agreement_url(world.pupil), agreement_data(household_not_seen_or_heard=None)
    )
    assert response.context["form"].errors["household_not_seen_or_heard"] == [
        "The family must agree that other members of the household will not be seen or heard."
    ]
    assert not SessionFamilyAgreement.objects.exists()
    assert teacher.post(agreement_url(world.pupil), agreement_data()).status_code == 302
    assert SessionFamilyAgreement.objects.get().household_not_seen_or_heard
    session = planned(world, [world.pupil])
    page = teacher.get(session.get_absolute_url()).content.decode()
    assert "agreed 02/12/2026 with Dana Marsh" in page
    assert "other members of the household will not be seen or heard" in page


def test_an_agreement_recorded_without_the_household_term_does_not_yet_allow_an_invitation(
    world, at_school, teacher, with_email
):
    SessionFamilyAgreement.objects.create(
        pupil=world.pupil,
        agreed_with="A carer",
        agreed_on=today(),
        no_recordings=True,
        confidentiality=True,
        parent_present=True,
        dress_and_language=True,
        expectations_known=True,
        recorded_by=world.users["teacher"],
    )
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil]))
    assert response.status_code == 200
    error = response.context["form"].errors["pupils"][0]
    assert "does not record that other members of the household will not be seen or heard" in error
    assert "Ellis Marsh" in error
    assert not VirtualSession.objects.exists()


# --- Planning --------------------------------------------------------------------------------


def test_the_teacher_plans_a_session_for_two_pupils_with_two_staff(
    world, at_school, with_email, second_pupil
):
    agree(world, world.pupil)
    agree(world, second_pupil)
    session = planned(world, [world.pupil, second_pupil])
    assert session.kind == SessionKind.LIVE
    assert session.minutes == 45
    assert set(session.pupils.all()) == {world.pupil, second_pupil}
    assert set(session.staff.all()) == {world.users["teacher"], world.users["class_staff"]}
    invited = dict(SessionAttendance.objects.values_list("pupil_id", "invited_at_email"))
    assert invited == {
        world.pupil.pk: "ellis.marsh@pupils.heathergate.example",
        second_pupil.pk: "noor.bright@pupils.heathergate.example",
    }
    page = client_for(world.users["teacher"]).get(LIST_URL)
    assert "Phonics and story time" in page.content.decode()


def test_the_meeting_link_is_shown_only_to_the_staff_present(
    world, at_school, with_email, second_pupil
):
    agree(world, world.pupil)
    session = planned(world, [world.pupil])
    url = session.get_absolute_url()
    assert "teams.example/meet/abc" in client_for(world.users["teacher"]).get(url).content.decode()
    for reader in ("slt_class", "dsl", "headteacher"):
        page = client_for(world.users[reader]).get(url)
        assert page.status_code == 200
        assert "teams.example" not in page.content.decode()


def test_a_pupil_without_the_familys_agreement_cannot_be_invited(
    world, at_school, teacher, with_email, second_pupil
):
    agree(world, world.pupil)
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil, second_pupil]))
    assert response.status_code == 200
    errors = response.context["form"].errors["pupils"]
    assert "No family agreement recorded yet" in errors[0]
    assert "Noor Bright" in errors[0]
    assert not VirtualSession.objects.exists()


def test_a_pupil_without_a_school_email_cannot_be_invited(world, at_school, teacher):
    agree(world, world.pupil)
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil]))
    assert "No school email address" in response.context["form"].errors["pupils"][0]
    assert not VirtualSession.objects.exists()


def test_the_length_is_limited_and_the_end_comes_after_the_start(
    world, at_school, teacher, with_email
):
    agree(world, world.pupil)
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil], end_time="15:01"))
    assert response.context["form"].errors["end_time"] == [
        "A session may last at most 60 minutes; this is 61."
    ]
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil], end_time="13:30"))
    assert response.context["form"].errors["end_time"] == ["The session must end after it starts."]
    SafeguardingSettings.objects.create(school=world.school, max_session_minutes=30)
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil]))
    assert "at most 30 minutes" in response.context["form"].errors["end_time"][0]
    assert not VirtualSession.objects.exists()


def test_a_teacher_cannot_invite_a_pupil_of_another_class(world, at_school, teacher):
    response = teacher.post(PLAN_URL, plan_data(world, [world.other_pupil]))
    assert "pupils" in response.context["form"].errors
    assert not VirtualSession.objects.exists()


def test_only_staff_at_the_pupils_school_or_site_are_offered_as_staff_present(
    world, at_school, teacher
):
    offered = set(teacher.get(PLAN_URL).context["form"].fields["staff"].queryset)
    assert offered == {
        world.users[key]
        for key in (
            "teacher",
            "class_staff",
            "other_teacher",
            "slt_class",
            "headteacher",
            "dsl",
            "it_staff",
            "family_support_shared",
            "family_support_unshared",
            "nurse_shared",
        )
    }
    # Not governors, not the DPO, not staff of the other site or another school.


@pytest.mark.parametrize("persona", ["governor", "chair", "dpo", "slt_other_site"])
def test_governors_the_dpo_and_other_sites_staff_do_not_count_towards_two_staff(
    world, at_school, with_email, persona
):
    agree(world, world.pupil)
    with pytest.raises(ValidationError) as refused:
        session_plan(
            actor=Actor.for_user(world.users["teacher"]),
            school=world.school,
            title="Phonics",
            date=SCHOOL_DAY.date(),
            start_time=datetime.time(14),
            end_time=datetime.time(14, 30),
            pupils=[world.pupil],
            staff=[world.users["teacher"], world.users[persona]],
        )
    message = refused.value.message_dict["staff"][0]
    assert message.startswith("Only staff working at the pupils' school or site count")
    assert world.users[persona].full_name in message
    assert not VirtualSession.objects.exists()


def test_someone_who_is_also_a_teacher_counts_though_they_are_the_dpo(world, at_school, with_email):
    dpo = world.users["dpo"]
    MembershipFactory(user=dpo, school=world.school, role=Role.TEACHER, school_class=world.class_b)
    agree(world, world.pupil)
    response = client_for(world.users["teacher"]).post(
        PLAN_URL, plan_data(world, [world.pupil], staff=("teacher", "dpo"))
    )
    assert response.status_code == 302
    assert set(VirtualSession.objects.get().staff.all()) == {world.users["teacher"], dpo}


# --- Fewer than two staff --------------------------------------------------------------------


def test_with_one_member_of_staff_it_cannot_be_live_and_a_recording_is_offered(
    world, at_school, teacher, with_email, second_pupil
):
    agree(world, world.pupil)
    response = teacher.post(PLAN_URL, plan_data(world, [world.pupil], staff=("teacher",)))
    assert response.status_code == 200
    assert "At least two members of staff" in response.context["form"].errors["staff"][0]
    assert response.context["offer_recording"]
    assert "pre-recorded lesson instead" in response.content.decode()
    assert not VirtualSession.objects.exists()


def test_the_pre_recorded_lesson_is_recorded_as_provision_on_active_cases(
    world, at_school, teacher, second_pupil
):
    case = make_case(world, world.pupil)
    response = teacher.post(
        PLAN_URL,
        plan_data(world, [world.pupil, second_pupil], staff=("teacher",), pre_recorded="on"),
    )
    assert response.status_code == 302
    session = VirtualSession.objects.get()
    assert session.kind == SessionKind.PRE_RECORDED
    assert session.meeting_link == ""
    provision = Provision.objects.get()
    assert provision.case == case
    assert provision.date == SCHOOL_DAY.date()
    assert provision.sent_to_platform
    assert "Pre-recorded lesson" in provision.feedback
    # The second pupil has no case: only the session records them.
    assert set(session.pupils.all()) == {world.pupil, second_pupil}


def test_a_pre_recorded_lesson_entered_late_is_provision_for_the_lessons_date(
    world, at_school, teacher
):
    case = make_case(world, world.pupil)
    response = teacher.post(
        PLAN_URL,
        plan_data(world, [world.pupil], staff=("teacher",), pre_recorded="on", date="2026-12-01"),
    )
    assert response.status_code == 302
    provision = Provision.objects.get()
    assert provision.case == case
    assert provision.date == datetime.date(2026, 12, 1)


def test_a_pre_recorded_lesson_for_a_later_day_is_provision_on_that_day_once(
    world, at_school, teacher
):
    make_case(world, world.pupil)
    response = teacher.post(
        PLAN_URL,
        plan_data(world, [world.pupil], staff=("teacher",), pre_recorded="on", date="2026-12-04"),
    )
    assert response.status_code == 302
    assert not Provision.objects.exists()
    at_school.move_to(SCHOOL_DAY + datetime.timedelta(days=1, hours=-3))
    assert record_prerecorded_provision() == 1
    assert record_prerecorded_provision() == 0
    provision = Provision.objects.get()
    assert provision.date == datetime.date(2026, 12, 4)
    assert provision.recorded_by == world.users["teacher"]
    assert provision.sent_to_platform
    assert "Pre-recorded lesson" in provision.feedback


def test_the_days_provision_already_recorded_is_kept(world, at_school, teacher):
    case = make_case(world, world.pupil)
    Provision.objects.create(
        case=case,
        date=datetime.date(2026, 12, 1),
        feedback="Work pack",
        recorded_by=world.users["teacher"],
    )
    response = teacher.post(
        PLAN_URL,
        plan_data(world, [world.pupil], staff=("teacher",), pre_recorded="on", date="2026-12-01"),
    )
    assert response.status_code == 302
    assert Provision.objects.get().feedback == "Work pack"


def test_without_a_case_or_on_a_day_off_only_the_session_is_recorded(world):
    build_calendar(world.school)
    make_case(world, world.pupil)
    saturday = SCHOOL_DAY.replace(day=5)
    with time_machine.travel(saturday, tick=False):
        response = client_for(world.users["teacher"]).post(
            PLAN_URL,
            plan_data(
                world, [world.pupil], staff=("teacher",), pre_recorded="on", date="2026-12-07"
            ),
        )
    assert response.status_code == 302
    assert response["Location"] == VirtualSession.objects.get().get_absolute_url()
    assert VirtualSession.objects.get().kind == SessionKind.PRE_RECORDED
    assert not Provision.objects.exists()


# --- On the day ------------------------------------------------------------------------------


def checklist_data(world, **overrides) -> dict:
    data = {f"checklist-{item}": "yes" for item in ChecklistItem.values}
    data["checklist-attended"] = [world.pupil.pk]
    data.update(overrides)
    return data


def test_the_checklist_is_completed_with_a_reason_for_what_was_not_done(
    world, at_school, teacher, with_email, second_pupil
):
    agree(world, world.pupil)
    agree(world, second_pupil)
    session = planned(world, [world.pupil, second_pupil])
    url = reverse("safeguarding:session_checklist", args=[session.pk])
    response = teacher.post(url, checklist_data(world, **{"checklist-locked": "no"}))
    assert response.status_code == 200
    assert response.context["checklist_form"].errors["locked_reason"] == [
        "Give the reason it was not done."
    ]
    assert not SessionChecklistEntry.objects.exists()
    response = teacher.post(
        url,
        checklist_data(
            world,
            **{
                "checklist-locked": "no",
                "checklist-locked_reason": "One family joined 10 minutes late.",
            },
        ),
    )
    assert response.status_code == 302
    entries = {e.item: e for e in SessionChecklistEntry.objects.filter(session=session)}
    assert len(entries) == len(ChecklistItem.values)
    assert not entries["locked"].done
    assert entries["locked"].reason == "One family joined 10 minutes late."
    assert entries["waiting_room"].done
    attended = dict(SessionAttendance.objects.values_list("pupil_id", "attended"))
    assert attended == {world.pupil.pk: True, second_pupil.pk: False}
    # SLT and the DSL see the gap; SLT may not record anything.
    for reader in ("slt_class", "dsl"):
        page = client_for(world.users[reader]).get(GAPS_URL)
        assert "One family joined 10 minutes late." in page.content.decode()
    assert client_for(world.users["slt_other_site"]).get(GAPS_URL).context["sessions"].count() == 0
    assert client_for(world.users["slt_class"]).post(url, checklist_data(world)).status_code == 403


def test_each_item_must_be_answered(world, at_school, teacher, with_email):
    agree(world, world.pupil)
    session = planned(world, [world.pupil])
    url = reverse("safeguarding:session_checklist", args=[session.pk])
    response = teacher.post(url, checklist_data(world, **{"checklist-waiting_room": ""}))
    assert response.context["checklist_form"].errors["waiting_room"] == [
        "Say whether this was done."
    ]
    assert not SessionChecklistEntry.objects.exists()


# --- Stopping for an immediate concern -------------------------------------------------------


def test_stopping_a_session_takes_the_teacher_to_an_immediate_concern_for_the_dsl(
    world, at_school, teacher, with_email, second_pupil
):
    deputy = UserFactory(full_name="North Deputy")
    MembershipFactory(user=deputy, school=world.school, role=Role.DEPUTY_DSL, site=world.north)
    agree(world, world.pupil)
    agree(world, second_pupil)
    planned(world, [second_pupil])
    first = VirtualSession.objects.get()
    session = planned_again(world, [world.pupil, second_pupil], exclude=first)
    response = teacher.post(
        reverse("safeguarding:session_stop", args=[session.pk]), {"stop-pupil": world.pupil.pk}
    )
    assert response.status_code == 302
    new_url = reverse("safeguarding:concern_new") + f"?pupil={world.pupil.pk}&session={session.pk}"
    assert response["Location"] == new_url
    session.refresh_from_db()
    assert session.stopped_at is not None
    assert session.stopped_by == world.users["teacher"]
    first.refresh_from_db()
    assert first.stopped_at is None

    form_page = teacher.get(new_url)
    assert form_page.status_code == 200
    assert form_page.context["form"]["urgency"].value() == Urgency.IMMEDIATE
    category = concern_categories_ensure(school=world.school)[0]
    response = teacher.post(
        new_url,
        {
            "pupil": world.pupil.pk,
            "category": category.pk,
            "urgency": Urgency.IMMEDIATE,
            "what_happened": "An adult shouted at the pupil off camera.",
            "happened_at": "2026-12-03T10:45",
        },
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.urgency == Urgency.IMMEDIATE
    assert concern.source == ConcernSource.VIRTUAL_SESSION
    assert concern.session == session
    recipients = set(
        Notification.objects.filter(
            concern=concern, kind=NotificationKind.IMMEDIATE_CONCERN
        ).values_list("recipient", flat=True)
    )
    assert recipients == {world.users["dsl"].pk, deputy.pk}
    page = client_for(world.users["dsl"]).get(session.get_absolute_url())
    assert "Stopped" in page.content.decode()


def planned_again(world, pupils, *, exclude) -> VirtualSession:
    data = plan_data(world, pupils, title="Second session", start_time="15:00", end_time="15:30")
    response = client_for(world.users["teacher"]).post(PLAN_URL, data)
    assert response.status_code == 302
    return VirtualSession.objects.exclude(pk=exclude.pk).get()


def test_a_session_someone_does_not_run_is_not_attached_to_their_concern(
    world, at_school, with_email
):
    agree(world, world.pupil)
    session = planned(world, [world.pupil])
    dsl = client_for(world.users["dsl"])
    page = dsl.get(
        reverse("safeguarding:concern_new") + f"?pupil={world.pupil.pk}&session={session.pk}"
    )
    assert page.context["session"] is None


def test_the_session_page_costs_the_same_queries_for_two_or_eight_pupils(
    world, at_school, teacher, with_email
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def pupils(count: int) -> list:
        made = [
            PupilFactory(
                school_class=world.class_a, school_email=f"p{n}.{count}@pupils.heathergate.example"
            )
            for n in range(count)
        ]
        for pupil in made:
            agree(world, pupil)
        return made

    def queries_for(session) -> int:
        url = reverse("safeguarding:session_detail", args=[session.pk])
        teacher.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert teacher.get(url).status_code == 200
        return len(captured)

    small = planned(world, pupils(2))
    VirtualSession.objects.filter(pk=small.pk).update(title="first")
    small_count = queries_for(small)
    response = teacher.post(PLAN_URL, plan_data(world, pupils(8)))
    assert response.status_code == 302
    large = VirtualSession.objects.exclude(pk=small.pk).get()
    assert queries_for(large) == small_count


def test_the_daily_provision_for_pre_recorded_lessons_costs_the_same_for_one_or_six_cases(
    world, at_school, teacher
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def plan(pupils: list, date: str) -> None:
        for pupil in pupils:
            make_case(world, pupil)
        response = teacher.post(
            PLAN_URL,
            plan_data(world, pupils, staff=("teacher",), pre_recorded="on", date=date),
        )
        assert response.status_code == 302

    def queries_on(day: datetime.datetime, expected: int) -> int:
        at_school.move_to(day)
        with CaptureQueriesContext(connection) as captured:
            assert record_prerecorded_provision() == expected
        return len(captured)

    plan([world.pupil], "2026-12-04")
    plan([PupilFactory(school_class=world.class_a) for _ in range(6)], "2026-12-07")
    friday = queries_on(SCHOOL_DAY + datetime.timedelta(days=1), 1)
    monday = queries_on(SCHOOL_DAY + datetime.timedelta(days=4), 6)
    assert friday == monday
