"""Restricted categories: a category the school marks as for the DSL team only hides its
concerns, and everything recorded on them, from everyone but the DSL team of the pupil's site.
The headteacher is not on the DSL team: without a DSL role of their own they see none of it.
The member of staff who raised the concern keeps its receipt."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.documents import DocumentKind
from core.tasks import send_outbox
from dataprotection.models import AccessAction, AccessEvent
from remote_learning.celery import app as celery_app
from safeguarding.body_map.services import body_mark_add
from safeguarding.chronology.permissions import access_chronology_print
from safeguarding.dashboard.selectors import dashboard_for
from safeguarding.documents.permissions import access_concern_document
from safeguarding.documents.services import concern_document_attach
from safeguarding.models import (
    Action,
    Addendum,
    Agency,
    ChronologyPrint,
    Concern,
    ConcernCategory,
    Decision,
    Notification,
    NotificationKind,
    Referral,
    Urgency,
    VirtualSession,
)
from safeguarding.permissions import (
    access_action,
    access_body_marking,
    access_concern,
    access_concern_receipt,
    access_referral,
    can_triage_concern,
)
from safeguarding.selectors import chronology_for
from safeguarding.services import notifications_for_unacknowledged
from safeguarding.visibility import concerns_visible_to
from schools.models import Role
from tests.conftest import client_for
from tests.core.test_documents import PDF
from tests.factories import MembershipFactory
from tests.gate_checks import actor, refused
from tests.pdf import pdf_text
from tests.safeguarding.body_map.helpers import mark_data
from tests.world import PERSONAS

NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC)
SECRET = "Disclosed an allegation about a member of staff"
ORDINARY = "Said they had not eaten since yesterday"
# Who may not know a restricted concern exists, though most of them read ordinary ones.
OTHERS = ("teacher", "headteacher", "slt_class", "deputy_dsl_other_site", "dpo", "it_staff")
# The reporter of the restricted concern.
REPORTER = "class_staff"


@pytest.fixture(autouse=True)
def december():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def restricted_category(world) -> ConcernCategory:
    return ConcernCategory.objects.create(
        school=world.school,
        name="Allegation about staff",
        dsl_team_only=True,
        records_body_map=True,
    )


def _concern(world, category, text: str) -> Concern:
    return Concern.objects.create(
        pupil=world.pupil,
        category=category,
        urgency=Urgency.HIGH,
        what_happened=text,
        happened_at=timezone.now() - datetime.timedelta(hours=2),
        raised_by=world.users[REPORTER],
    )


@pytest.fixture
def file(world):
    """A restricted concern with everything that can be recorded on it, and an ordinary one."""
    dsl = world.users["dsl"]
    restricted = _concern(world, restricted_category(world), SECRET)
    ordinary = _concern(
        world, ConcernCategory.objects.create(school=world.school, name="Neglect"), ORDINARY
    )
    action = Action.objects.create(
        concern=restricted, what="Ring the LADO about the allegation", who=dsl, recorded_by=dsl
    )
    Decision.objects.create(
        concern=restricted, decision="Refer to the LADO", reason="Staff allegation", decided_by=dsl
    )
    referral = Referral.objects.create(
        concern=restricted, agency=Agency.LADO, notes="LADO referral notes", made_by=dsl
    )
    Addendum.objects.create(concern=restricted, text="Addendum about the allegation", added_by=dsl)
    document = concern_document_attach(
        actor=Actor.for_user(dsl),
        concern=restricted,
        file=SimpleUploadedFile("Allegation letter.pdf", PDF, "application/pdf"),
        kind=DocumentKind.REFERRAL_FORM,
    )
    body_mark_add(
        actor=Actor.for_user(dsl),
        concern=restricted,
        **mark_data(childs_explanation="Explained the bruise from the allegation"),
    )
    return {
        "restricted": restricted,
        "ordinary": ordinary,
        "action": action,
        "referral": referral,
        "document": document,
    }


SECRET_TEXTS = (
    SECRET,
    "Ring the LADO about the allegation",
    "Staff allegation",
    "LADO referral notes",
    "Addendum about the allegation",
    "Allegation letter.pdf",
    "Explained the bruise from the allegation",
    "Allegation about staff",
)


def _hidden_in(text: str) -> None:
    for secret in SECRET_TEXTS:
        assert secret not in text, secret


def _shown_in(text: str) -> None:
    for secret in SECRET_TEXTS:
        assert secret in text, secret


def test_the_school_marks_a_category_for_the_dsl_team_only_in_the_admin():
    category_admin = admin.site._registry[ConcernCategory]
    assert "dsl_team_only" in category_admin.list_display
    assert "dsl_team_only" in category_admin.list_filter
    field = ConcernCategory._meta.get_field("dsl_team_only")
    assert field.default is False
    assert "DSL team" in field.help_text


@pytest.mark.parametrize("persona", OTHERS)
def test_every_gate_on_a_restricted_concern_answers_404_with_one_denial(world, file, persona):
    who = actor(world, persona)
    restricted = file["restricted"]
    for gate, pk in (
        (access_concern_receipt, restricted.pk),
        (access_concern, restricted.pk),
        (access_body_marking, restricted.pk),
        (access_action, file["action"].pk),
        (access_referral, file["referral"].pk),
        (access_concern_document, file["document"].pk),
    ):
        denial = refused(404, gate, who, pk)
        assert denial.pupil_id == world.pupil.pk


def test_the_headteacher_still_reads_the_ordinary_concern(world, file):
    assert access_concern(actor(world, "headteacher"), file["ordinary"].pk) == file["ordinary"]


def _concern_urls(file) -> list[tuple[str, str]]:
    pk = file["restricted"].pk
    gets = [
        reverse("safeguarding:concern_detail", args=[pk]),
        reverse("safeguarding:concern_receipt", args=[pk]),
        reverse("safeguarding:concern_document_attach", args=[pk]),
        reverse("safeguarding:concern_document_download", args=[file["document"].pk]),
    ]
    posts = [
        reverse(f"safeguarding:{name}", args=[pk])
        for name in (
            "concern_acknowledge",
            "concern_assign",
            "action_add",
            "decision_add",
            "referral_add",
            "addendum_add",
            "concern_close",
            "body_mark_add",
            "concern_document_attach",
        )
    ] + [
        reverse("safeguarding:action_done", args=[file["action"].pk]),
        reverse("safeguarding:referral_response_add", args=[file["referral"].pk]),
        reverse("safeguarding:referral_chase_add", args=[file["referral"].pk]),
    ]
    return [("get", url) for url in gets] + [("post", url) for url in posts]


def _denials() -> int:
    return AccessEvent.objects.filter(action=AccessAction.DENIED).count()


@pytest.mark.parametrize("persona", ("teacher", "headteacher", "slt_class"))
def test_every_page_of_a_restricted_concern_answers_404_to_others(world, file, persona):
    client = client_for(world.users[persona])
    for method, url in _concern_urls(file):
        before = _denials()
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert _denials() == before + 1, (method, url)
        _hidden_in(response.content.decode())


@pytest.mark.parametrize("persona", ("dsl", "deputy_dsl"))
def test_the_dsl_team_of_the_pupils_site_reads_it_all(world, file, persona):
    if persona == "deputy_dsl":
        MembershipFactory(
            user=world.users["no_role"], school=world.school, role=Role.DEPUTY_DSL, site=world.north
        )
        persona = "no_role"
    client = client_for(world.users[persona])
    page = client.get(reverse("safeguarding:concern_detail", args=[file["restricted"].pk]))
    assert page.status_code == 200
    for secret in SECRET_TEXTS[:6]:
        assert secret in page.content.decode(), secret
    download = client.get(
        reverse("safeguarding:concern_document_download", args=[file["document"].pk])
    )
    assert download.status_code == 200
    chronology = client.get(reverse("safeguarding:pupil_chronology", args=[world.pupil.pk]))
    _shown_in(chronology.content.decode())
    assert ORDINARY in chronology.content.decode()


def test_a_headteacher_who_is_also_the_dsl_reads_it(world, file):
    MembershipFactory(user=world.users["headteacher"], school=world.school, role=Role.DSL)
    response = client_for(world.users["headteacher"]).get(
        reverse("safeguarding:concern_detail", args=[file["restricted"].pk])
    )
    assert response.status_code == 200


def test_the_reporter_keeps_the_receipt_and_nothing_more(world, file):
    client = client_for(world.users[REPORTER])
    receipt = client.get(reverse("safeguarding:concern_receipt", args=[file["restricted"].pk]))
    assert receipt.status_code == 200
    assert (
        client.get(reverse("safeguarding:concern_detail", args=[file["restricted"].pk])).status_code
        == 403
    )
    # The team's working on it stays out of the receipt.
    assert "Ring the LADO about the allegation" not in receipt.content.decode()


def test_the_chronology_page_leaves_it_out_for_the_headteacher(world, file):
    response = client_for(world.users["headteacher"]).get(
        reverse("safeguarding:pupil_chronology", args=[world.pupil.pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert ORDINARY in text
    _hidden_in(text)
    restricted_ids = {e.concern_id for e in response.context["entries"]}
    assert file["restricted"].pk not in restricted_ids


def test_chronology_for_reads_through_the_viewers_scope(world, file):
    def concern_ids(persona: str) -> set:
        entries = chronology_for(world.pupil, viewer=world.users[persona])
        return {entry.concern_id for entry in entries if entry.concern_id}

    both = {file["restricted"].pk, file["ordinary"].pk}
    assert concern_ids("dsl") == both
    assert concern_ids("headteacher") == {file["ordinary"].pk}
    assert concern_ids("teacher") == set()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_scope_and_the_predicate_agree(world, file, persona):
    user = world.users[persona]
    scoped = set(concerns_visible_to(user).values_list("pk", flat=True))
    for concern in (file["restricted"], file["ordinary"]):
        concern = Concern.objects.select_related("pupil__school_class", "category").get(
            pk=concern.pk
        )
        assert (concern.pk in scoped) == can_triage_concern(user, concern)


def _print(world, persona, django_capture_on_commit_callbacks) -> ChronologyPrint:
    client = client_for(world.users[persona])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("safeguarding:chronology_print_new", args=[world.pupil.pk]),
            {"start": "01/11/2026", "end": "04/12/2026", "version": "full"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ChronologyPrint.objects.latest("pk")


def _pdf(client, printed) -> str:
    response = client.get(reverse("safeguarding:chronology_print_download", args=[printed.pk]))
    assert response.status_code == 200
    return " ".join(pdf_text(response.content).split())


def test_the_headteachers_printed_chronology_leaves_it_out(
    world, file, eager, django_capture_on_commit_callbacks
):
    printed = _print(world, "headteacher", django_capture_on_commit_callbacks)
    text = _pdf(client_for(world.users["headteacher"]), printed)
    assert ORDINARY in text
    _hidden_in(text)
    assert not printed.includes_dsl_team_only


def test_a_print_by_the_dsl_holding_it_is_for_the_dsl_team_only(
    world, file, eager, django_capture_on_commit_callbacks
):
    printed = _print(world, "dsl", django_capture_on_commit_callbacks)
    printed.refresh_from_db()
    assert printed.includes_dsl_team_only
    assert SECRET in _pdf(client_for(world.users["dsl"]), printed)

    head = client_for(world.users["headteacher"])
    for name in ("chronology_print_detail", "chronology_print_download"):
        before = _denials()
        assert head.get(reverse(f"safeguarding:{name}", args=[printed.pk])).status_code == 404
        assert _denials() == before + 1
    refused(404, access_chronology_print, actor(world, "headteacher"), printed.pk)
    # Nor is it among the earlier prints the headteacher is shown.
    page = head.get(reverse("safeguarding:chronology_print_new", args=[world.pupil.pk]))
    assert list(page.context["earlier"]) == []


def test_the_print_form_offers_restricted_categories_to_the_dsl_team_only(world, file):
    def offered(persona: str) -> list[str]:
        page = client_for(world.users[persona]).get(
            reverse("safeguarding:chronology_print_new", args=[world.pupil.pk])
        )
        return [name for _, name in page.context["form"].fields["categories"].choices]

    assert "Allegation about staff" in offered("dsl")
    assert "Allegation about staff" not in offered("headteacher")


def test_the_dashboard_lists_and_counts_it_for_the_dsl_team_only(world, file):
    head = dashboard_for(world.users["headteacher"])
    assert [c.pk for c in head.concerns] == [file["ordinary"].pk]
    assert head.open_concerns == 1
    dsl = dashboard_for(world.users["dsl"])
    assert {c.pk for c in dsl.concerns} == {file["restricted"].pk, file["ordinary"].pk}
    assert dsl.open_concerns == 2
    page = client_for(world.users["headteacher"]).get(reverse("safeguarding:dashboard"))
    _hidden_in(page.content.decode())


def test_an_unacknowledged_restricted_concern_is_escalated_to_the_dsl_team_not_the_headteacher(
    world,
):
    concern = _concern(world, restricted_category(world), SECRET)
    Concern.objects.filter(pk=concern.pk).update(raised_at=NOW - datetime.timedelta(days=10))
    with mock.patch.object(send_outbox, "apply_async"):
        assert notifications_for_unacknowledged() == 1
    told = set(
        Notification.objects.filter(concern=concern).values_list("recipient__full_name", "kind")
    )
    assert told == {
        ("Dsl", NotificationKind.REMINDER),
        ("Dsl", NotificationKind.ESCALATION),
    }


def test_a_stopped_sessions_count_of_concerns_leaves_it_out_for_others(world):
    session = VirtualSession.objects.create(
        school=world.school,
        title="Phonics",
        starts_at=NOW - datetime.timedelta(hours=1),
        minutes=30,
        planned_by=world.users["teacher"],
        stopped_at=NOW - datetime.timedelta(minutes=40),
        stopped_by=world.users["class_staff"],
    )
    session.pupils.add(world.pupil)
    session.staff.add(world.users["teacher"], world.users["class_staff"])
    for category, text in (
        (restricted_category(world), SECRET),
        (ConcernCategory.objects.create(school=world.school, name="Neglect"), ORDINARY),
    ):
        Concern.objects.filter(pk=_concern(world, category, text).pk).update(session=session)
    url = reverse("safeguarding:session_detail", args=[session.pk])

    def count_shown(persona: str) -> int:
        return client_for(world.users[persona]).get(url).context["concerns_count"]

    assert count_shown("teacher") == 1
    assert count_shown("slt_class") == 1
    assert count_shown("headteacher") == 1
    assert count_shown("dsl") == 2
    assert count_shown(REPORTER) == 2


def test_only_the_dsl_team_can_own_it_or_be_given_its_actions(world, file):
    restricted, ordinary = file["restricted"], file["ordinary"]
    client = client_for(world.users["dsl"])
    page = client.get(reverse("safeguarding:concern_detail", args=[restricted.pk]))
    offered = set(page.context["action_form"].fields["who"].queryset)
    assert offered == {world.users["dsl"]}
    assert set(page.context["assign_form"].fields["owner"].queryset) == {world.users["dsl"]}
    response = client.post(
        reverse("safeguarding:action_add", args=[restricted.pk]),
        {"action-what": "Speak to the headteacher", "action-who": world.users["headteacher"].pk},
    )
    assert response.status_code == 200
    assert "who" in response.context["action_form"].errors
    assert not Action.objects.filter(concern=restricted, who=world.users["headteacher"]).exists()
    ordinary_page = client.get(reverse("safeguarding:concern_detail", args=[ordinary.pk]))
    assert world.users["headteacher"] in set(
        ordinary_page.context["action_form"].fields["who"].queryset
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("safeguarding:dashboard"),
        reverse("safeguarding:pupil_chronology", args=[1]),
    ],
)
@pytest.mark.parametrize("persona", ("headteacher", "dsl"))
def test_leaving_it_out_costs_the_same_queries_for_one_or_many(world, file, url, persona):
    url = url.replace("/1/", f"/{world.pupil.pk}/")
    client = client_for(world.users[persona])
    client.get(url)  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    category = ConcernCategory.objects.get(name="Allegation about staff")
    for number in range(20):
        concern = _concern(world, category, f"{SECRET} {number}")
        Action.objects.create(
            concern=concern,
            what="Ring the LADO",
            who=world.users["dsl"],
            recorded_by=concern.raised_by,
        )
    assert queries() == few
