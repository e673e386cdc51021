"""Subject access: the DPO finds a pupil by a posted search, previews what is held and downloads
one pupil's records as PDF and JSON; safeguarding records only with a recorded reason; every
step in the access audit; a fixed number of queries whatever the number of records."""

import datetime as dt
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Agreement,
    AgreementMethod,
    AttendanceCode,
    Basis,
    Case,
    CaseDocument,
    Closure,
    Decision,
    PaperDelivery,
    Party,
    Provision,
    Reason,
    ReintegrationPlan,
    ReintegrationPlanVersion,
    ReintegrationStep,
    Review,
    Status,
    StatusChange,
)
from contacts.models import Channel, ContactLog, ContactPlan, ContactPlanVersion, Outcome
from core.actor import Actor
from core.documents import DocumentKind, DocumentType
from dataprotection.models import AccessAction, AccessEvent
from dataprotection.services import access_record
from dpo.subject_access.collecting import (
    STANDARD_WITHHOLDING_REASON,
    pupil_for_subject_access,
    subject_access_collect,
)
from dpo.subject_access.deadline import respond_by
from dpo.subject_access.permissions import can_export_subject_access, subject_access_pupils_for
from dpo.subject_access.structure import (
    SAFEGUARDING_INCLUDED,
    SAFEGUARDING_NONE_HELD,
    SAFEGUARDING_WITHHELD,
    Options,
)
from safeguarding.models import (
    Action,
    Addendum,
    Agency,
    Concern,
    ConcernDocument,
    ConcernPupil,
    HomeVisit,
    InformedHow,
    Involvement,
    InvolvementKind,
    Referral,
    ReferralChase,
    ReferralResponse,
    SessionAttendance,
    SessionFamilyAgreement,
    SocialWorkerInformed,
    Urgency,
    VirtualSession,
)
from safeguarding.models import Decision as ConcernDecision
from safeguarding.services import concern_categories_ensure
from schools.calendar import today
from schools.models import Role
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.factories import CarerFactory, MembershipFactory, PupilFactory
from tests.pdf import pdf_text
from tests.world import PERSONAS

LONDON = ZoneInfo("Europe/London")
START = reverse("subject_access:start")
CONTACT_NOTE = "Mum said the tablet charger is broken again"
CONCERN_TEXT = "Said there was no food at home since Monday"
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"
REASON = "DSL confirmed disclosure would not put the child at risk"
ACCOUNT = "Jude pushed a younger child near the gate and took their lunch."
WHY = "Jude Penrose said Ellis saw it happen"


def read_pdf(content: bytes) -> str:
    """The PDF's text with line breaks undone: table cells wrap long notes."""
    return " ".join(pdf_text(content).split())


def preview_url(pupil) -> str:
    return reverse("subject_access:preview", args=[pupil.pk])


def pdf_url(pupil) -> str:
    return reverse("subject_access:pdf", args=[pupil.pk])


def json_url(pupil) -> str:
    return reverse("subject_access:json", args=[pupil.pk])


def choices(**overrides) -> dict:
    received = today() - dt.timedelta(days=2)
    data = {"requested_by": "Dana Marsh (mother)", "received_on": f"{received:%d/%m/%Y}"}
    data.update(overrides)
    return data


def fill_records(world, count: int, *, concerns: bool = True) -> None:
    """``count`` of every kind of record the export holds, for the world's pupil."""
    teacher, dsl = world.users["teacher"], world.users["dsl"]
    case = open_case_for(world)
    case.summary = "Recovering from a broken leg"
    case.save(update_fields=["summary"])
    start = case.start_date
    existing = case.contacts.count()
    base = timezone.now() - dt.timedelta(days=3)
    for party in list(Party.values)[:count]:
        Agreement.objects.get_or_create(
            case=case,
            party=party,
            defaults={
                "agreed_by": "Dr Hale, GP",
                "agreed_on": start,
                "method": AgreementMethod.MEETING,
                "recorded_by": teacher,
            },
        )
    for n in range(count):
        at = base + dt.timedelta(minutes=existing + n)
        ContactLog.objects.create(
            case=case,
            contacted_at=at,
            contact_date=timezone.localdate(at),
            staff=teacher,
            channel=Channel.TELEPHONE,
            outcome=Outcome.SPOKE_WITH_CARER,
            pupil_well=True,
            wellbeing_notes=f"{CONTACT_NOTE} ({existing + n})",
        )
        Review.objects.create(
            case=case,
            held_on=start,
            attendees="Teacher, carer",
            progress="Working well",
            decision=Decision.CONTINUE,
            recorded_by=teacher,
        )
        StatusChange.objects.create(
            case=case, from_status=Status.PROPOSED, to_status=Status.ACTIVE, changed_by=teacher
        )
        PaperDelivery.objects.create(
            case=case, delivered_on=start, delivered_by=teacher, notes="Left with carer"
        )
        CaseDocument.objects.create(
            case=case,
            kind=DocumentKind.CONSENT_LETTER,
            original_name="Consent letter.pdf",
            content_type=DocumentType.PDF,
            size=1024,
            storage_name=uuid.uuid4().hex,
            attached_by=teacher,
        )
    used = set(case.provisions.values_list("date", flat=True))
    days = [start + dt.timedelta(days=d) for d in range(200)]
    for day in [d for d in days if d not in used][:count]:
        Provision.objects.create(
            case=case, date=day, sent_by_email=True, feedback="Enjoyed it", recorded_by=teacher
        )
    plan, _ = ReintegrationPlan.objects.get_or_create(
        case=case, defaults={"support": "Part-time timetable", "updated_by": teacher}
    )
    for n in range(count):
        ReintegrationStep.objects.create(
            plan=plan, description=f"Mornings in week {n + 1}", target_date=start
        )
    contact_plan, _ = ContactPlan.objects.get_or_create(case=case)
    for n in range(count):
        ContactPlanVersion.objects.create(
            plan=contact_plan, extra_calls_per_day=1, reason=f"Decision {n}", decided_by=dsl
        )
        ReintegrationPlanVersion.objects.create(
            plan=plan,
            number=plan.versions.count() + 1,
            support="Part-time timetable",
            steps=[
                {"description": "Mornings", "target_date": f"{start:%Y-%m-%d}", "done_on": None}
            ],
            why=f"Change {n}",
            changed_by=teacher,
        )
    for n in range(count):
        session = VirtualSession.objects.create(
            school=world.school,
            title=f"Story time {n}",
            starts_at=base + dt.timedelta(hours=n),
            minutes=30,
            planned_by=teacher,
        )
        session.pupils.set([world.pupil])
        session.staff.set([teacher])
        SessionAttendance.objects.create(session=session, pupil=world.pupil, attended=True)
        SessionFamilyAgreement.objects.create(
            pupil=world.pupil, agreed_with="Dana Marsh", agreed_on=start, recorded_by=teacher
        )
        access_record(
            action=AccessAction.VIEW,
            actor=Actor.for_user(teacher),
            subject=world.pupil,
            pupil_id=world.pupil.pk,
            route="schools:pupil_detail",
        )
    if not concerns:
        return
    category = concern_categories_ensure(school=world.school)[0]
    for n in range(count):
        concern = Concern.objects.create(
            pupil=world.pupil,
            category=category,
            urgency=Urgency.HIGH,
            what_happened=f"{CONCERN_TEXT} ({n})",
            happened_at=base,
            raised_by=teacher,
        )
        Addendum.objects.create(concern=concern, text="Addendum: also hungry", added_by=teacher)
        Action.objects.create(concern=concern, what="Call the family", who=dsl, recorded_by=dsl)
        ConcernDecision.objects.create(
            concern=concern, decision="Refer", reason="Pattern of need", decided_by=dsl
        )
        referral = Referral.objects.create(
            concern=concern, agency=Agency.EARLY_HELP, notes="Early help form sent", made_by=dsl
        )
        ReferralResponse.objects.create(
            referral=referral,
            responded_on=start,
            responded_by="Early help hub",
            what_they_said="Allocated",
            outcome="Family support",
            recorded_by=dsl,
        )
        ReferralChase.objects.create(
            referral=referral,
            chased_on=start,
            how=InformedHow.EMAIL,
            spoke_to="Early help hub",
            what_was_said="Asked for an update",
            next_due_on=start,
            chased_by=dsl,
        )
        ConcernDocument.objects.create(
            concern=concern,
            referral=referral,
            kind=DocumentKind.REFERRAL_FORM,
            original_name="Early help form.pdf",
            content_type=DocumentType.PDF,
            size=1024,
            storage_name=uuid.uuid4().hex,
            attached_by=dsl,
        )
        visit = HomeVisit.objects.create(
            case=case, reason="No answer for two days", requested_by=dsl
        )
        visit.staff.set([teacher, dsl])
        SocialWorkerInformed.objects.create(
            case=case,
            informed_on=start,
            how=InformedHow.PHONE,
            notes="Duty team told",
            recorded_by=dsl,
        )
        Involvement.objects.create(
            case=case,
            kind=InvolvementKind.HEALTH,
            notes="School nurse involved",
            started_on=start,
            recorded_by=dsl,
        )


def named_in_concerns_about_jude(world, count: int = 1) -> list[Concern]:
    """Concerns about Jude Penrose, each naming Ellis Marsh (the subject) after it was raised."""
    category = concern_categories_ensure(school=world.school)[0]
    concerns = []
    for n in range(count):
        concern = Concern.objects.create(
            pupil=world.other_pupil,
            category=category,
            urgency=Urgency.HIGH,
            what_happened=f"{ACCOUNT} ({n})",
            happened_at=timezone.now() - dt.timedelta(hours=3),
            raised_by=world.users["teacher"],
        )
        ConcernPupil.objects.create(
            concern=concern, pupil=world.pupil, added_by=world.users["dsl"], reason=WHY
        )
        concerns.append(concern)
    return concerns


@pytest.fixture
def dpo(world):
    return client_for(world.users["dpo"])


def exports(pupil) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(pupil_id=pupil.pk, action=AccessAction.EXPORT))


# --- Downloads -------------------------------------------------------------------------------


def test_the_pdf_holds_contacts_and_the_case_but_withholds_concerns(world, dpo):
    fill_records(world, 2)
    response = dpo.post(pdf_url(world.pupil), choices())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-pupil-{world.pupil.pk}-'
        f'{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    text = read_pdf(response.content)
    assert CONTACT_NOTE in text
    assert "Recovering from injury" in text  # the case's reason
    assert "Recovering from a broken leg" in text
    assert "Dana Marsh" in text and "07700 900123" in text  # the carer and her own details
    assert "Ellis" in text and "Marsh" in text and "14/03/2015" in text
    assert "Heathergate School" in text
    assert CONCERN_TEXT not in text
    assert "No answer for two days" not in text  # home visits are safeguarding records
    assert "Safeguarding records: withheld" in text
    assert STANDARD_WITHHOLDING_REASON.split(" ")[0] in text

    [event] = exports(world.pupil)
    assert event.user_id == world.users["dpo"].pk
    assert event.subject_type == "schools.pupil"
    assert event.subject_id == str(world.pupil.pk)
    assert event.route == "subject_access:pdf"
    assert event.detail.startswith("subject access pdf: pupil, carers, cases, contacts")
    assert "safeguarding withheld" in event.detail
    assert "Dana" not in event.detail and "Marsh" not in event.detail


def test_the_pdf_includes_concerns_with_a_recorded_reason(world, dpo):
    fill_records(world, 1)
    response = dpo.post(
        pdf_url(world.pupil), choices(include_safeguarding="on", safeguarding_reason=REASON)
    )

    text = read_pdf(response.content)
    assert CONCERN_TEXT in text
    for part in (
        "Addendum: also hungry",
        "Call the family",
        "Pattern of need",
        "Early help form sent",
        "No answer for two days",
        "Duty team told",
        "School nurse involved",
        REASON,
    ):
        assert part in text, part
    [event] = exports(world.pupil)
    assert "safeguarding included" in event.detail
    assert REASON not in event.detail


def test_a_given_withholding_reason_is_printed_instead_of_the_standard_one(world, dpo):
    fill_records(world, 1)
    reason = "The DSL advises disclosure now could put the child at risk"
    text = read_pdf(dpo.post(pdf_url(world.pupil), choices(safeguarding_reason=reason)).content)
    assert f"Safeguarding records: withheld ({reason})" in text
    assert CONCERN_TEXT not in text


def test_none_held_is_said_when_there_are_no_safeguarding_records(world, dpo):
    fill_records(world, 1, concerns=False)
    response = dpo.post(
        pdf_url(world.pupil), choices(include_safeguarding="on", safeguarding_reason=REASON)
    )
    assert "Safeguarding records: none held." in read_pdf(response.content)
    assert "safeguarding none held" in exports(world.pupil)[0].detail


def test_the_json_file_parses_with_the_expected_keys_and_counts(world, dpo):
    fill_records(world, 3)
    response = dpo.post(json_url(world.pupil), choices())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="subject-access-pupil-{world.pupil.pk}-'
    )
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content.decode("utf-8"))
    assert list(data) == [
        "format",
        "produced_at",
        "produced_by",
        "request",
        "pupil",
        "carers",
        "cases",
        "virtual_sessions",
        "session_agreements",
        "safeguarding",
        "access_events",
        "family_words",
    ]
    assert data["format"] == "subject-access/1"
    assert data["produced_by"] == "Dpo"
    assert data["request"]["requested_by"] == "Dana Marsh (mother)"
    assert data["request"]["received_on"] == f"{today() - dt.timedelta(days=2):%Y-%m-%d}"
    assert data["pupil"]["date_of_birth"] == "2015-03-14"
    assert data["pupil"]["first_name"] == "Ellis"
    assert data["pupil"]["site"] == "North" and data["pupil"]["school_class"] == "Ash"
    assert data["pupil"]["has_ehc_plan"] is True
    assert [c["full_name"] for c in data["carers"]] == ["Dana Marsh"]
    assert data["carers"][0]["phone"] == "07700 900123"
    [case] = data["cases"]
    assert case["reason"] == "Recovering from injury, where attendance may inhibit recovery"
    assert len(case["contacts"]) == 3
    assert case["contacts"][0]["channel"] == "Telephone"
    assert case["contacts"][0]["staff"] == "Teacher"
    assert dt.datetime.fromisoformat(case["contacts"][0]["contacted_at"]).tzinfo is not None
    assert len(case["provision"]) == 3
    assert len(case["reviews"]) == 3
    assert len(case["agreements"]) == 3
    assert len(case["reintegration"]["steps"]) == 3
    assert len(case["paper_deliveries"]) == 3
    assert len(case["status_changes"]) == 3
    assert case["contact_plan"]["wellbeing_check_by"] == "The class teacher"
    assert len(data["virtual_sessions"]) == 3
    assert data["virtual_sessions"][0]["attended"] is True
    assert len(data["session_agreements"]) == 3
    assert data["safeguarding"] == {
        "status": SAFEGUARDING_WITHHELD,
        "reason": STANDARD_WITHHOLDING_REASON,
        "records_held": 12,  # 3 concerns, 3 home visits, 3 notices, 3 involvements
        "concerns": [],
        "home_visits": [],
        "social_worker_notices": [],
        "involvements": [],
        "leavings": [],
        "transferred_files": [],
        "named_in_concerns": [],
    }
    assert CONCERN_TEXT not in response.content.decode("utf-8")
    views = [e for e in data["access_events"] if e["route"] == "schools:pupil_detail"]
    assert len(views) == 3
    assert views[0]["user_display"].startswith("Teacher <")
    assert views[0]["action"] == "Viewed"
    [event] = exports(world.pupil)
    assert event.detail.startswith("subject access json:")


def test_the_json_file_holds_concerns_when_included(world, dpo):
    fill_records(world, 2)
    response = dpo.post(
        json_url(world.pupil), choices(include_safeguarding="on", safeguarding_reason=REASON)
    )
    safeguarding = json.loads(response.content)["safeguarding"]
    assert safeguarding["status"] == SAFEGUARDING_INCLUDED
    assert safeguarding["reason"] == REASON
    assert safeguarding["records_held"] == 8
    assert len(safeguarding["concerns"]) == 2
    concern = safeguarding["concerns"][0]
    assert concern["what_happened"] == f"{CONCERN_TEXT} (0)"
    assert [len(concern[k]) for k in ("addenda", "actions", "decisions", "referrals")] == [1] * 4
    assert concern["actions"][0]["who"] == "Dsl"
    assert safeguarding["home_visits"][0]["staff"] == ["Dsl", "Teacher"]
    assert len(safeguarding["social_worker_notices"]) == 2
    assert len(safeguarding["involvements"]) == 2


def test_each_download_is_audited_once(world, dpo):
    fill_records(world, 1)
    dpo.post(pdf_url(world.pupil), choices())
    dpo.post(json_url(world.pupil), choices())
    dpo.post(json_url(world.pupil), choices())
    routes = sorted(e.route for e in exports(world.pupil))
    assert routes == ["subject_access:json", "subject_access:json", "subject_access:pdf"]


def test_an_earlier_export_appears_in_the_next_exports_access_log(world, dpo):
    dpo.post(json_url(world.pupil), choices())
    data = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    exported = [e for e in data["access_events"] if e["action"] == "Exported"]
    assert len(exported) == 1
    assert exported[0]["user_display"].startswith("Dpo <")


# --- Escaping --------------------------------------------------------------------------------


def test_html_in_free_text_is_text_in_the_pdf_and_a_plain_string_in_json(world, dpo):
    case = open_case_for(world)
    ContactLog.objects.create(
        case=case,
        contacted_at=timezone.now(),
        contact_date=timezone.localdate(),
        staff=world.users["teacher"],
        channel=Channel.EMAIL,
        outcome=Outcome.SPOKE_WITH_PUPIL,
        wellbeing_notes=HOSTILE,
    )
    data = choices(requested_by=f"Dana {HOSTILE}")

    text = read_pdf(dpo.post(pdf_url(world.pupil), data).content)
    assert "<script>alert('x')</script>" in text
    assert "<b>bold</b>" in text
    assert f"Dana {HOSTILE}" in text

    body = dpo.post(json_url(world.pupil), data).content.decode("utf-8")
    parsed = json.loads(body)
    assert parsed["cases"][0]["contacts"][0]["wellbeing_notes"] == HOSTILE
    assert parsed["request"]["requested_by"] == f"Dana {HOSTILE}"
    assert "&lt;" not in body


def test_text_outside_ascii_is_utf8_in_json(world, dpo):
    body = dpo.post(json_url(world.pupil), choices(requested_by="Zoë Ní Bhriain")).content
    assert "Zoë Ní Bhriain".encode() in body


# --- The cover page and the clock ------------------------------------------------------------


def test_the_cover_page_says_who_produced_it_and_when_in_uk_summer_time(world, dpo):
    # 08:30 UTC on a June morning is 09:30 in London.
    with time_machine.travel(dt.datetime(2026, 6, 15, 8, 30, tzinfo=dt.UTC), tick=False):
        response = dpo.post(pdf_url(world.pupil), choices(received_on="29/05/2026"))
        text = read_pdf(response.content)
        data = json.loads(
            dpo.post(json_url(world.pupil), choices(received_on="29/05/2026")).content
        )

    assert "Produced by Dpo" in text
    assert "Produced at 15/06/2026 09:30 (UK time)" in text
    assert "Request received 29/05/2026" in text
    assert "Response due by 29/06/2026" in text
    assert "Requested by Dana Marsh (mother)" in text
    assert data["produced_at"] == "2026-06-15T09:30:00+01:00"
    assert data["request"]["respond_by"] == "2026-06-29"
    assert 'filename="subject-access-pupil-' in response["Content-Disposition"]


def test_the_file_is_dated_by_the_uk_day_not_the_utc_day(world, dpo):
    # 23:30 UTC on 30 June is already 1 July in London.
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), tick=False):
        response = dpo.post(json_url(world.pupil), choices(received_on="30/06/2026"))
    assert response["Content-Disposition"].endswith('-2026-07-01.json"')


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 9, 3), dt.date(2026, 10, 5)),  # 3 October 2026 is a Saturday
        (dt.date(2026, 10, 14), dt.date(2026, 11, 16)),  # Saturday 14 Nov → Monday
        (dt.date(2026, 6, 10), dt.date(2026, 7, 10)),
        (dt.date(2027, 1, 31), dt.date(2027, 3, 1)),  # no 31 Feb; 28 Feb 2027 is a Sunday
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 4, 4), dt.date(2026, 5, 5)),  # 4 May 2026 is a bank holiday
        (dt.date(2026, 11, 25), dt.date(2026, 12, 29)),  # Christmas, weekend, Boxing Day
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
    ],
)
def test_the_response_is_due_one_calendar_month_later_on_a_working_day(received, due):
    assert respond_by(received) == due


# --- Bad input -------------------------------------------------------------------------------


def test_including_safeguarding_needs_a_reason_and_nothing_is_downloaded(world, dpo):
    fill_records(world, 1)
    response = dpo.post(pdf_url(world.pupil), choices(include_safeguarding="on"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Record why including safeguarding records is lawful" in (response.content.decode())
    assert response.context["form"].errors["safeguarding_reason"]
    assert exports(world.pupil) == []
    assert CONCERN_TEXT not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"requested_by": ""}, "requested_by", "Say who made the request."),
        ({"received_on": ""}, "received_on", "Enter the date the request was received."),
        ({"received_on": "31/02/2026"}, "received_on", "Enter a date as DD/MM/YYYY"),
        ({"received_on": "01/01/2099"}, "received_on", "cannot be in the future"),
        ({"received_on": "01/01/1999"}, "received_on", "on or after 01/01/2000"),
        ({"requested_by": "x" * 151}, "requested_by", "at most 150 characters"),
        (
            {"include_safeguarding": "on", "safeguarding_reason": "x" * 501},
            "safeguarding_reason",
            "at most 500 characters",
        ),
    ],
)
def test_bad_choices_are_shown_at_their_field_and_nothing_is_exported(
    world, dpo, data, field, message
):
    response = dpo.post(json_url(world.pupil), choices(**data))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert exports(world.pupil) == []


def test_a_pupil_at_another_school_is_not_found_and_the_refusal_audited(world, dpo):
    stranger = PupilFactory(first_name="Quinn")
    for url, method in (
        (preview_url(stranger), "get"),
        (pdf_url(stranger), "post"),
        (json_url(stranger), "post"),
    ):
        response = dpo.get(url) if method == "get" else dpo.post(url, choices())
        assert response.status_code == 404
    denied = AccessEvent.objects.filter(pupil_id=stranger.pk, action=AccessAction.DENIED)
    assert denied.count() == 3
    assert {e.subject_id for e in denied} == {str(stranger.pk)}
    assert all(e.user_id == world.users["dpo"].pk for e in denied)
    assert exports(stranger) == []


def test_a_pupil_that_does_not_exist_is_not_found_and_audited(world, dpo):
    response = dpo.get(reverse("subject_access:preview", args=[999999]))
    assert response.status_code == 404
    event = AccessEvent.objects.get(action=AccessAction.DENIED, subject_id="999999")
    assert event.pupil_id is None


def test_the_headteacher_is_refused_like_everyone_else_and_audited(world):
    head = client_for(world.users["headteacher"])
    assert head.get(START).status_code == 404
    assert head.post(pdf_url(world.pupil), choices()).status_code == 404
    assert exports(world.pupil) == []
    refused = AccessEvent.objects.filter(
        user_id=world.users["headteacher"].pk, action=AccessAction.DENIED
    )
    assert refused.count() == 2
    assert {e.detail for e in refused} == {"subject access: not the DPO"}
    assert {e.pupil_id for e in refused} == {None, world.pupil.pk}


def test_downloads_are_posted_not_fetched(world, dpo):
    assert dpo.get(pdf_url(world.pupil)).status_code == 405
    assert dpo.get(json_url(world.pupil)).status_code == 405
    assert exports(world.pupil) == []


# --- Finding the pupil -----------------------------------------------------------------------


def test_the_search_is_posted_and_finds_pupils_on_and_off_roll_at_the_dpos_school(world, dpo):
    left = PupilFactory(
        school_class=world.class_south, first_name="Ellis", last_name="Fairweather", on_roll=False
    )
    PupilFactory(first_name="Ellis", last_name="Elsewhere")  # another school

    response = dpo.post(START, {"query": " ellis "})

    assert response.status_code == 200
    assert [p.pk for p in response.context["results"]] == [left.pk, world.pupil.pk]
    page = response.content.decode()
    assert "No (left)" in page
    assert preview_url(world.pupil) in page and preview_url(left) in page
    assert "Elsewhere" not in page
    event = AccessEvent.objects.get(action=AccessAction.SEARCH, user_id=world.users["dpo"].pk)
    assert event.detail == "subject access: 2 pupils found"
    assert "ellis" not in event.detail.lower()


def test_the_search_finds_a_pupil_by_upn_and_by_two_words(world, dpo):
    by_upn = dpo.post(START, {"query": world.pupil.upn.lower()})
    assert [p.pk for p in by_upn.context["results"]] == [world.pupil.pk]
    by_words = dpo.post(START, {"query": "Marsh Ellis"})
    assert [p.pk for p in by_words.context["results"]] == [world.pupil.pk]


def test_a_name_in_the_address_is_ignored(world, dpo):
    response = dpo.get(START + "?query=Ellis")
    assert response.status_code == 200
    assert response.context["results"] is None
    assert not AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()


def test_an_empty_search_is_an_error_at_the_field(world, dpo):
    response = dpo.post(START, {"query": "   "})
    assert response.context["form"].errors["query"] == [
        "Type part of the pupil's name, or their UPN."
    ]
    assert response.context["results"] is None


def test_a_search_with_no_match_says_so(world, dpo):
    response = dpo.post(START, {"query": "Nobody"})
    assert response.context["results"] == []
    assert "No pupil at your school matches" in response.content.decode()


# --- The preview -----------------------------------------------------------------------------


def test_the_preview_says_what_the_export_will_hold_and_is_audited(world, dpo):
    fill_records(world, 2)
    response = dpo.get(preview_url(world.pupil))

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 parent or carer" in page
    assert "1 remote-education case," in page
    assert "2 contacts with the family" in page
    assert "8 held; withheld unless you include them below" in page
    assert CONCERN_TEXT not in page and CONTACT_NOTE not in page
    assert "Ellis" not in response.context["request"].get_full_path()
    event = AccessEvent.objects.get(
        action=AccessAction.VIEW, user_id=world.users["dpo"].pk, pupil_id=world.pupil.pk
    )
    assert event.detail == "subject access preview"
    assert event.route == "subject_access:preview"


def test_the_preview_says_none_held_when_there_are_none(world, dpo):
    page = dpo.get(preview_url(world.pupil)).content.decode()
    assert "none held." in page


# --- Who may ---------------------------------------------------------------------------------


def test_the_scope_and_the_predicate_agree_for_every_persona(world):
    off_roll = PupilFactory(school_class=world.class_b, on_roll=False)
    elsewhere = PupilFactory()
    pupils = [world.pupil, world.other_pupil, world.south_pupil, off_roll, elsewhere]
    for persona in PERSONAS:
        user = world.users[persona]
        scope = set(subject_access_pupils_for(user).values_list("pk", flat=True))
        allowed = {p.pk for p in pupils if can_export_subject_access(user, p)}
        assert scope & {p.pk for p in pupils} == allowed, persona
        expected = {p.pk for p in pupils[:4]} if persona == "dpo" else set()
        assert allowed == expected, persona


def test_a_dpo_for_two_schools_may_export_pupils_of_both(world, dpo):
    elsewhere = PupilFactory(first_name="Ellis", last_name="Brook")
    MembershipFactory(user=world.users["dpo"], school=elsewhere.school, role=Role.DPO)

    found = dpo.post(START, {"query": "Ellis"}).context["results"]
    assert [p.pk for p in found] == [elsewhere.pk, world.pupil.pk]
    response = dpo.post(json_url(elsewhere), choices())
    assert json.loads(response.content)["pupil"]["school"] == elsewhere.school.name
    assert len(exports(elsewhere)) == 1


def test_the_menu_offers_subject_access_to_the_dpo_only(world):
    for persona in ("dpo", "headteacher", "teacher"):
        page = client_for(world.users[persona]).get(reverse("home")).content.decode()
        assert (START in page) == (persona == "dpo"), persona


# --- Fixed query counts ----------------------------------------------------------------------


@pytest.mark.parametrize("include", [False, True])
def test_collecting_costs_the_same_queries_for_few_or_many_records(
    world, django_assert_num_queries, include
):
    options = Options(include_safeguarding=include, safeguarding_reason=REASON if include else "")
    dpo_user = world.users["dpo"]
    # Naming the pupil in concerns about another pupil: one query, and one more for the
    # other pupils named in them, whose names are replaced in why the pupil was named; two
    # more for what the family told the school through the carers' portal.
    expected = 36 if include else 26

    fill_records(world, 1)
    named_in_concerns_about_jude(world, 1)
    pupil = pupil_for_subject_access(world.pupil.pk)
    with django_assert_num_queries(expected):
        few = subject_access_collect(pupil=pupil, options=options, produced_by=dpo_user)

    fill_records(world, 4)
    named_in_concerns_about_jude(world, 4)
    pupil = pupil_for_subject_access(world.pupil.pk)
    with django_assert_num_queries(expected):
        many = subject_access_collect(pupil=pupil, options=options, produced_by=dpo_user)

    assert few.contact_count == 1 and many.contact_count == 5
    assert few.case_document_count == 1 and many.case_document_count == 5
    assert len(many.virtual_sessions) == 5
    if include:
        assert len(few.safeguarding.concerns) == 1 and len(many.safeguarding.concerns) == 5
        [referral] = many.safeguarding.concerns[-1].referrals
        assert len(referral.responses) == len(referral.chases) == 1
        assert len(many.safeguarding.concerns[-1].documents) == 1
        assert many.safeguarding.status == SAFEGUARDING_INCLUDED
        assert len(many.safeguarding.named_in_concerns) == 5
    else:
        assert many.safeguarding.records_held == 25 and many.safeguarding.concerns == []


def test_the_download_costs_the_same_queries_for_few_or_many_records(world, dpo):
    data = choices(include_safeguarding="on", safeguarding_reason=REASON)
    fill_records(world, 1)
    dpo.post(json_url(world.pupil), data)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        dpo.post(json_url(world.pupil), data)
    fill_records(world, 6)
    with CaptureQueriesContext(connection) as many:
        response = dpo.post(json_url(world.pupil), data)
    assert len(json.loads(response.content)["safeguarding"]["concerns"]) == 7
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_none_held_status_is_given_when_included_but_nothing_exists(world):
    pupil = pupil_for_subject_access(world.pupil.pk)
    record = subject_access_collect(
        pupil=pupil,
        options=Options(include_safeguarding=True, safeguarding_reason=REASON),
        produced_by=world.users["dpo"],
    )
    assert record.safeguarding.status == SAFEGUARDING_NONE_HELD
    assert record.request.respond_by is None


def test_carers_of_other_pupils_are_not_included(world, dpo):
    CarerFactory(pupil=world.other_pupil, full_name="Other Family")
    data = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    assert [c["full_name"] for c in data["carers"]] == ["Dana Marsh"]


# --- What the later records add --------------------------------------------------------------

LATE_REASON = "Logged late: the phone line was down at school"
PLAN_REASON = "Two extra calls while mum is in hospital"
REINTEGRATION_WHY = "Mornings went well, so afternoons added"
WITHDRAWN_REASON = "The family found a place at the hospital school"


def fill_later_records(world) -> None:
    """What a case now keeps besides the original records: a late contact's reason, every
    contact-plan and reintegration-plan decision, a withdrawn proposal, the
    health-professional answer and a closure the case joined."""
    teacher, dsl = world.users["teacher"], world.users["dsl"]
    case = open_case_for(world)
    case.reason = Reason.SEND_OR_MENTAL_HEALTH
    case.health_professional_should_agree = True
    case.save(update_fields=["reason", "health_professional_should_agree"])
    at = timezone.now() - dt.timedelta(days=4)
    ContactLog.objects.create(
        case=case,
        contacted_at=at,
        contact_date=timezone.localdate(at),
        staff=teacher,
        channel=Channel.TELEPHONE,
        outcome=Outcome.SPOKE_WITH_CARER,
        late_reason=LATE_REASON,
    )
    plan, _ = ContactPlan.objects.get_or_create(case=case)
    ContactPlanVersion.objects.create(
        plan=plan, extra_calls_per_day=2, reason=PLAN_REASON, decided_by=dsl
    )
    reintegration, _ = ReintegrationPlan.objects.get_or_create(
        case=case, defaults={"support": "Part-time timetable", "updated_by": teacher}
    )
    step = {"description": "Afternoons in week 2", "target_date": f"{today():%Y-%m-%d}"}
    ReintegrationPlanVersion.objects.create(
        plan=reintegration,
        number=reintegration.versions.count() + 1,
        support="Full days from week 3",
        steps=[{**step, "done_on": None}],
        why=REINTEGRATION_WHY,
        changed_by=teacher,
    )
    closure = Closure.objects.create(
        school=world.school,
        school_class=world.class_a,
        reason=Reason.NOT_SAFE_TO_OPEN,
        start_date=case.start_date,
        end_date=case.end_date,
        created_by=world.users["headteacher"],
    )
    closure.joined_cases.add(case)
    withdrawn = Case.objects.create(
        pupil=world.pupil,
        basis=Basis.INDIVIDUAL,
        reason=Reason.INJURY,
        status=Status.WITHDRAWN,
        start_date=case.start_date - dt.timedelta(days=60),
        end_date=case.start_date - dt.timedelta(days=30),
        attendance_code=AttendanceCode.I,
        proposed_on=case.start_date - dt.timedelta(days=60),
        created_by=teacher,
        closed_at=timezone.now() - dt.timedelta(days=50),
    )
    StatusChange.objects.create(
        case=withdrawn,
        from_status=Status.PROPOSED,
        to_status=Status.WITHDRAWN,
        changed_by=world.users["headteacher"],
        note=WITHDRAWN_REASON,
    )


def test_the_json_file_holds_what_is_now_recorded_about_the_pupil(world, dpo):
    fill_later_records(world)
    data = json.loads(dpo.post(json_url(world.pupil), choices()).content)
    withdrawn, case = data["cases"]
    assert withdrawn["status"] == "Withdrawn"
    assert withdrawn["withdrawal"]["reason"] == WITHDRAWN_REASON
    assert withdrawn["withdrawal"]["withdrawn_by"] == "Headteacher"
    assert case["withdrawal"] is None
    assert case["health_professional_should_agree"] is True
    assert [c["late_reason"] for c in case["contacts"]] == [LATE_REASON]
    [version] = case["contact_plan_versions"]
    assert version["reason"] == PLAN_REASON
    assert version["decided_by"] == "Dsl" and version["extra_calls_per_day"] == 2
    [reintegration] = case["reintegration_versions"]
    assert reintegration["why"] == REINTEGRATION_WHY
    assert reintegration["support"] == "Full days from week 3"
    assert reintegration["changed_by"] == "Teacher"
    assert reintegration["steps"][0]["description"] == "Afternoons in week 2"
    assert case["joined_closures"] == [f"Closure of Ash from {case_start(case)}"]


def case_start(case: dict) -> str:
    return f"{dt.date.fromisoformat(case['start_date']):%d/%m/%Y}"


def test_the_pdf_holds_what_is_now_recorded_about_the_pupil(world, dpo):
    fill_later_records(world)
    text = read_pdf(dpo.post(pdf_url(world.pupil), choices()).content)
    for part in (
        LATE_REASON,
        PLAN_REASON,
        REINTEGRATION_WHY,
        "Full days from week 3",
        "Afternoons in week 2",
        WITHDRAWN_REASON,
        "Health professional should agree Yes",
        "Closure noted Closure of Ash from",
        "2 extra calls a day on every school day",
    ):
        assert part in text, part


def test_what_the_family_told_the_school_through_the_portal_is_included(world):
    from cases.models import WorkFeedback
    from contacts.models import FamilyReport, FamilyReportKind
    from tests.factories import UserFactory

    fill_records(world, 1)
    carer_user = UserFactory()
    FamilyReport.objects.create(
        pupil=world.pupil,
        day=dt.date(2026, 12, 3),
        kind=FamilyReportKind.UNWELL,
        note="A cold.",
        carer=world.carer,
        reported_by=carer_user,
    )
    WorkFeedback.objects.create(
        case=world.pupil.cases.first(),
        period="week",
        starts_on=dt.date(2026, 11, 30),
        rating="went_well",
        carer=world.carer,
        given_by=carer_user,
    )
    record = subject_access_collect(
        pupil=pupil_for_subject_access(world.pupil.pk),
        options=Options(include_safeguarding=False, safeguarding_reason=""),
        produced_by=world.users["dpo"],
    )
    assert [(w.what, w.note, w.carer) for w in record.family_words] == [
        ("How the work went (the week): It went well", "", "Dana Marsh"),
        ("Unwell", "A cold.", "Dana Marsh"),
    ]
