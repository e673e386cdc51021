"""Retention (policy section 5): records past their period are queued for the DPO's review;
closed cases are anonymised only after the DPO approves; child-protection files are only ever
reviewed, and the job never changes a row of a safeguarding table."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Agreement, Case, ReintegrationPlan, ReintegrationPlanVersion, Review
from contacts.models import ContactLog, ContactPlan, ContactPlanVersion
from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from dpo.models import ItemStatus, RetentionKind, RetentionReviewItem, RetentionRule
from dpo.retention.services import (
    add_years,
    retention_item_anonymise,
    retention_item_approve,
    retention_item_keep,
    retention_reviews_due,
)
from dpo.tasks import check_retention
from safeguarding.models import Concern
from schools.models import Pupil
from tests.conftest import client_for
from tests.dpo.factories import closed_case, retention_item_for
from tests.factories import PupilFactory
from tests.safeguarding.matrix_concerns import concern_for

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
NASTY = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def contact_for(case: Case, world, **extra) -> ContactLog:
    fields = {
        "case": case,
        "contacted_at": case.closed_at - datetime.timedelta(days=10),
        "contact_date": (case.closed_at - datetime.timedelta(days=10)).date(),
        "staff": world.users["teacher"],
        "channel": "telephone",
        "outcome": "carer",
        "wellbeing_notes": "Mum said he cried at night.",
        "work_feedback": "Found the maths hard.",
    }
    fields.update(extra)
    return ContactLog.objects.create(**fields)


def safeguarding_snapshot() -> dict[str, list]:
    """Every row of every safeguarding table, as values."""
    return {
        model._meta.label: sorted(model.objects.values_list(), key=repr)
        for model in apps.get_app_config("safeguarding").get_models()
    }


def test_add_years_keeps_the_day_and_moves_29_february():
    assert add_years(datetime.date(2018, 7, 20), 6) == datetime.date(2024, 7, 20)
    assert add_years(datetime.date(2000, 2, 29), 25) == datetime.date(2025, 2, 28)


def test_closed_cases_are_queued_six_years_after_closing_by_default(world):
    old = closed_case(world)  # closed 20/07/2018
    recent = closed_case(
        world,
        pupil=world.other_pupil,
        closed_at=datetime.datetime(2021, 1, 5, 12, 0, tzinfo=datetime.UTC),
    )
    assert check_retention() == 1
    item = RetentionReviewItem.objects.get()
    assert (item.kind, item.record_id, item.pupil_id, item.due_on, item.status) == (
        RetentionKind.CASE,
        old.pk,
        world.pupil.pk,
        datetime.date(2024, 7, 20),
        ItemStatus.DUE,
    )
    assert item.school == world.school
    assert not RetentionReviewItem.objects.filter(record_id=recent.pk).exists()
    assert check_retention() == 0


def test_a_school_can_keep_cases_longer(world):
    closed_case(world)
    RetentionRule.objects.create(school=world.school, kind=RetentionKind.CASE, years=10)
    assert retention_reviews_due() == 0
    with time_machine.travel(datetime.datetime(2028, 7, 21, 9, 0, tzinfo=LONDON), tick=False):
        assert retention_reviews_due() == 1
    assert RetentionReviewItem.objects.get().due_on == datetime.date(2028, 7, 20)


def test_child_protection_files_are_queued_for_review_when_the_pupil_is_25(world):
    concern_for(world)
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=datetime.date(2001, 5, 3))
    # Old enough, but no child-protection file: nothing to review.
    PupilFactory(school_class=world.class_a, date_of_birth=datetime.date(1990, 1, 1))
    assert retention_reviews_due() == 1
    item = RetentionReviewItem.objects.get()
    assert (item.kind, item.record_id, item.due_on) == (
        RetentionKind.CHILD_PROTECTION,
        world.pupil.pk,
        datetime.date(2026, 5, 3),
    )


def test_a_younger_pupils_file_is_not_queued(world):
    concern_for(world)
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=datetime.date(2001, 11, 3))
    assert retention_reviews_due() == 0


def test_the_job_never_changes_a_safeguarding_row(world):
    concern = concern_for(world)
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=datetime.date(1999, 1, 1))
    case = closed_case(world)
    contact = contact_for(case, world)
    Concern.objects.filter(pk=concern.pk).update(contact=contact)
    before = safeguarding_snapshot()
    assert sum(len(rows) for rows in before.values()) > 1

    assert retention_reviews_due() == 2
    dpo = world.users["dpo"]
    file = RetentionReviewItem.objects.get(kind=RetentionKind.CHILD_PROTECTION)
    with pytest.raises(ValidationError, match="never anonymised"):
        retention_item_approve(actor=Actor.for_user(dpo), item=file)
    with pytest.raises(ValidationError, match="never anonymised"):
        retention_item_anonymise(actor=Actor.for_user(dpo), item=file)
    retention_item_keep(
        actor=Actor.for_user(dpo),
        item=file,
        reason="Still relevant.",
        review_again_on=datetime.date(2027, 1, 1),
    )
    case_item = RetentionReviewItem.objects.get(kind=RetentionKind.CASE)
    retention_item_approve(actor=Actor.for_user(dpo), item=case_item)
    retention_item_anonymise(actor=Actor.for_user(dpo), item=case_item)

    assert safeguarding_snapshot() == before
    # The contact the concern was raised from stays as it was, part of that concern.
    contact.refresh_from_db()
    assert contact.wellbeing_notes == "Mum said he cried at night."


def test_the_database_refuses_an_anonymised_child_protection_item(world):
    item = retention_item_for(world, kind=RetentionKind.CHILD_PROTECTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionReviewItem.objects.filter(pk=item.pk).update(status=ItemStatus.ANONYMISED)


def test_anonymising_needs_the_dpos_approval_first(world):
    item = retention_item_for(world)
    with pytest.raises(ValidationError, match="must approve this item"):
        retention_item_anonymise(actor=Actor.for_user(world.users["dpo"]), item=item)
    with pytest.raises(ValidationError, match="Only the school's data protection officer"):
        retention_item_approve(actor=Actor.for_user(world.users["headteacher"]), item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.DUE
    assert Case.objects.get(pk=item.record_id).summary.startswith("Broken leg")


def test_anonymising_blanks_the_cases_free_text_and_is_audited(world):
    case = closed_case(world)
    Agreement.objects.create(
        case=case,
        party="carers",
        agreed_by="Dana Marsh, mum",
        agreed_on=datetime.date(2018, 5, 1),
        method="phone",
        notes="Worried about the stairs.",
        recorded_by=world.users["teacher"],
    )
    Review.objects.create(
        case=case,
        held_on=datetime.date(2018, 6, 1),
        attendees="Dana Marsh, class teacher",
        progress="Walking with crutches.",
        decision="continue",
        recorded_by=world.users["teacher"],
    )
    contact = contact_for(case, world)
    item = retention_item_for(world, record_id=case.pk)
    dpo = world.users["dpo"]
    client = client_for(dpo)

    page = client.get(reverse("dpo:retention_item", args=[item.pk])).content.decode()
    assert "closed 20/07/2018. 1 contact with the family, 1 agreement, 1 review." in page
    assert "Dana" not in page and "Broken leg" not in page

    refused = client.post(reverse("dpo:retention_anonymise", args=[item.pk]))
    assert refused.status_code == 400
    assert "must approve this item for anonymisation first" in refused.content.decode()

    assert client.post(reverse("dpo:retention_approve", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.decided_at) == (ItemStatus.APPROVED, dpo, TODAY)
    assert client.post(reverse("dpo:retention_anonymise", args=[item.pk])).status_code == 302

    case.refresh_from_db()
    assert (case.summary, case.outcome, case.medical_agreement_not_needed) == (
        "",
        "[anonymised]",
        "",
    )
    assert case.actual_return_date == datetime.date(2018, 7, 20)  # dates are kept
    agreement = case.agreements.get()
    assert (agreement.agreed_by, agreement.notes) == ("[anonymised]", "")
    review = case.reviews.get()
    assert (review.attendees, review.progress) == ("[anonymised]", "[anonymised]")
    contact.refresh_from_db()
    assert (contact.wellbeing_notes, contact.work_feedback) == ("", "")
    assert contact.outcome == "carer"
    item.refresh_from_db()
    assert (item.status, item.anonymised_by, item.anonymised_at) == (
        ItemStatus.ANONYMISED,
        dpo,
        TODAY,
    )
    event = AccessEvent.objects.get(action=AccessAction.CHANGE, detail__startswith="anonymised")
    assert event.pupil_id == world.pupil.pk
    assert "1 agreements" in event.detail and "1 contacts" in event.detail
    assert "Dana" not in event.detail

    again = client.post(reverse("dpo:retention_anonymise", args=[item.pk]))
    assert "already been anonymised" in again.content.decode()


def test_a_kept_item_comes_back_on_its_review_date(world):
    closed_case(world)
    retention_reviews_due()
    item = RetentionReviewItem.objects.get()
    response = client_for(world.users["dpo"]).post(
        reverse("dpo:retention_keep", args=[item.pk]),
        {"keep-reason": "A claim is pending.", "keep-review_again_on": "01/02/2027"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.keep_reason, item.review_again_on) == (
        ItemStatus.KEEP,
        "A claim is pending.",
        datetime.date(2027, 2, 1),
    )
    assert retention_reviews_due() == 0
    with time_machine.travel(datetime.datetime(2027, 2, 1, 2, 0, tzinfo=LONDON), tick=False):
        assert retention_reviews_due() == 1
        assert retention_reviews_due() == 0
    again = RetentionReviewItem.objects.get(status=ItemStatus.DUE)
    assert (again.record_id, again.due_on) == (item.record_id, datetime.date(2027, 2, 1))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"keep-review_again_on": "01/02/2027"}, "reason", "This field is required."),
        (
            {"keep-reason": "x", "keep-review_again_on": "01/11/2026"},
            "review_again_on",
            "Give a date after today.",
        ),
        (
            {"keep-reason": "x", "keep-review_again_on": "soon"},
            "review_again_on",
            "Enter a valid date.",
        ),
    ],
)
def test_keeping_needs_a_reason_and_a_future_date(world, data, field, message):
    item = retention_item_for(world)
    response = client_for(world.users["dpo"]).post(
        reverse("dpo:retention_keep", args=[item.pk]), data
    )
    assert response.status_code == 400
    assert message in response.context["keep_form"].errors[field]
    item.refresh_from_db()
    assert item.status == ItemStatus.DUE


def test_the_queue_is_the_dpos_and_the_headteacher_only_reads_it(world):
    item = retention_item_for(world, keep_reason="")
    dpo_page = client_for(world.users["dpo"]).get(reverse("dpo:retention_item", args=[item.pk]))
    assert "Approve for anonymisation" in dpo_page.content.decode()
    head_page = client_for(world.users["headteacher"]).get(
        reverse("dpo:retention_item", args=[item.pk])
    )
    assert head_page.status_code == 200
    assert "Approve for anonymisation" not in head_page.content.decode()
    listed = client_for(world.users["other_school_head"]).get(reverse("dpo:retention_list"))
    assert listed.context["items"] == []


def test_a_kept_reason_is_escaped(world):
    item = retention_item_for(world)
    retention_item_keep(
        actor=Actor.for_user(world.users["dpo"]),
        item=item,
        reason=NASTY,
        review_again_on=datetime.date(2027, 1, 1),
    )
    html = (
        client_for(world.users["dpo"])
        .get(reverse("dpo:retention_item", args=[item.pk]))
        .content.decode()
    )
    assert NASTY not in html and "&lt;script&gt;" in html


def test_the_queue_costs_the_same_queries_for_one_or_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["dpo"])
    url = reverse("dpo:retention_list")
    retention_item_for(world)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.context["items"])

    few, shown = count()
    assert shown == 1
    for n in range(60):
        retention_item_for(world, due_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    many, shown = count()
    assert (many, shown) == (few, 50)  # paginated at 50


def test_the_job_is_set_based(world, django_assert_max_num_queries):
    for _ in range(10):
        pupil = PupilFactory(school_class=world.class_a)
        closed_case(world, pupil=pupil)
    with django_assert_max_num_queries(10):
        assert retention_reviews_due() == 10


def test_the_dpo_keeps_a_child_protection_file_from_its_page(world):
    item = retention_item_for(world, kind=RetentionKind.CHILD_PROTECTION)
    client = client_for(world.users["dpo"])
    html = client.get(reverse("dpo:retention_item", args=[item.pk])).content.decode()
    assert "Approve for anonymisation" not in html
    assert "never anonymised or deleted" in html
    refused = client.post(reverse("dpo:retention_approve", args=[item.pk]))
    assert refused.status_code == 400
    assert "Child-protection files are never anonymised or deleted" in refused.content.decode()
    kept = client.post(
        reverse("dpo:retention_keep", args=[item.pk]),
        {"keep-reason": "Reviewed: still needed.", "keep-review_again_on": "02/11/2027"},
    )
    assert kept.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decided_by) == (ItemStatus.KEEP, world.users["dpo"])


def test_anonymising_blanks_the_reasons_kept_on_plan_versions_and_late_contacts(world):
    """Every decision a case keeps has its own free text: the contact plan's reasons, why a
    contact was logged late and every reintegration plan version go with the case's."""
    case = closed_case(world)
    dsl, teacher = world.users["dsl"], world.users["teacher"]
    plan = ContactPlan.objects.create(
        case=case,
        extra_calls_per_day=1,
        decided_by=dsl,
        decided_reason="Dad's drinking worries the DSL.",
        decided_at=case.closed_at,
    )
    version = ContactPlanVersion.objects.create(
        plan=plan, extra_calls_per_day=1, reason="Dad's drinking worries the DSL.", decided_by=dsl
    )
    late = contact_for(case, world, late_reason="Forgot: Dana phoned in tears on a Sunday.")
    raised_from = contact_for(case, world, late_reason="Logged late after the disclosure.")
    concern = concern_for(world)
    concern.contact = raised_from
    concern.save(update_fields=["contact"])
    reintegration = ReintegrationPlan.objects.create(
        case=case, support="Lift pass because of the stairs at home.", updated_by=teacher
    )
    reintegration_version = ReintegrationPlanVersion.objects.create(
        plan=reintegration,
        number=1,
        support="Lift pass because of the stairs at home.",
        flexibilities="Leaves early for physio with Dana.",
        steps=[{"description": "Ride the lift", "target_date": "2018-07-01", "done_on": None}],
        why="Mum asked after the fall.",
        changed_by=teacher,
    )
    item = retention_item_for(world, record_id=case.pk, status="approved")

    retention_item_anonymise(actor=Actor.for_user(world.users["dpo"]), item=item)

    plan.refresh_from_db()
    assert plan.decided_reason == "[anonymised]"
    assert list(ContactPlanVersion.objects.filter(pk=version.pk).values_list("reason")) == [
        ("[anonymised]",)
    ]
    late.refresh_from_db()
    assert late.late_reason == ""
    raised_from.refresh_from_db()
    assert raised_from.late_reason == "Logged late after the disclosure."  # part of the concern
    reintegration_version.refresh_from_db()
    assert (
        reintegration_version.support,
        reintegration_version.flexibilities,
        reintegration_version.steps,
        reintegration_version.why,
    ) == ("[anonymised]", "", [], "[anonymised]")
    event = AccessEvent.objects.get(action=AccessAction.CHANGE, detail__startswith="anonymised")
    assert "1 contact plan versions" in event.detail
