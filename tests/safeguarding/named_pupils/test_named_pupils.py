"""A concern can name other pupils of the school: named when it is raised or later by the DSL
team (appended with who, when and why), and in each named pupil's chronology, shown to that
chronology's readers as far as their own gates allow."""

import datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from dataprotection.models import AccessAction, AccessEvent
from safeguarding import services
from safeguarding.chronology.services import chronology_print_render
from safeguarding.models import Concern, ConcernCategory, ConcernPupil, ConcernStatus, Urgency
from safeguarding.selectors import chronology_for
from safeguarding.visibility import concerns_naming_visible_to, may_know_naming
from schools.models import Role
from schools.permissions import pupil_access
from tests.conftest import TEST_TOTP_SECRET, client_for
from tests.factories import MembershipFactory, PupilFactory, UserFactory
from tests.pdf import pdf_text
from tests.safeguarding.chronology.helpers import category, print_for
from tests.safeguarding.chronology.test_redaction import sibling_of
from tests.safeguarding.test_concern_journey import NEW_URL, concern_data
from tests.world import PERSONAS

NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def december():
    with time_machine.travel(NOW, tick=False):
        yield


def chronology_url(pupil) -> str:
    return reverse("safeguarding:pupil_chronology", args=[pupil.pk])


def naming(world, *others, index: int = 0, text: str = "Ellis was pushed by an older child."):
    """A concern about Ellis Marsh (the pupil) naming these other pupils."""
    concern = Concern.objects.create(
        pupil=world.pupil,
        category=category(world, index),
        urgency=Urgency.HIGH,
        what_happened=text,
        happened_at=timezone.now() - datetime.timedelta(hours=2),
        raised_by=world.users["teacher"],
    )
    for other in others:
        ConcernPupil.objects.create(concern=concern, pupil=other, added_by=world.users["teacher"])
    return concern


def teacher_of(school_class):
    user = UserFactory(full_name="Cedar Teacher")
    TOTP.activate(user, TEST_TOTP_SECRET)
    MembershipFactory(
        user=user, school=school_class.site.school, role=Role.TEACHER, school_class=school_class
    )
    return user


# --- Naming pupils when raising a concern ------------------------------------------------------


def test_the_reporter_names_other_pupils_when_raising_a_concern(world):
    client = client_for(world.users["dsl"])

    response = client.post(NEW_URL, concern_data(world, other_pupils=[world.other_pupil.pk]))

    assert response.status_code == 302
    concern = Concern.objects.get()
    named = ConcernPupil.objects.get()
    assert (named.concern, named.pupil, named.added_by) == (
        concern,
        world.other_pupil,
        world.users["dsl"],
    )
    assert named.reason == ""
    # In the named pupil's audit trail too.
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE,
        subject_type="safeguarding.concernpupil",
        pupil_id=world.other_pupil.pk,
    ).exists()


def test_the_raise_form_offers_only_pupils_of_the_school_the_reporter_can_see(world):
    PupilFactory(first_name="Farah", last_name="Quill")
    client = client_for(world.users["dsl"])

    page = client.get(NEW_URL, {"pupil": world.pupil.pk}).content.decode()

    assert "Other pupils involved" in page and "Jude" in page
    assert "Farah" not in page  # another school
    assert "Rowan" not in page  # the other site, which this DSL does not see


def test_a_pupil_of_another_school_is_refused_at_the_field_and_nothing_is_written(world):
    elsewhere = PupilFactory(first_name="Farah", last_name="Quill")
    client = client_for(world.users["headteacher"])

    response = client.post(NEW_URL, concern_data(world, other_pupils=[elsewhere.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["other_pupils"] == ["Name only pupils of this pupil's school."]
    assert not Concern.objects.exists() and not ConcernPupil.objects.exists()


def test_the_service_refuses_a_pupil_of_another_school_at_the_field_and_writes_nothing(world):
    elsewhere = PupilFactory(first_name="Farah", last_name="Quill")

    with pytest.raises(ValidationError) as refused:
        services.concern_raise(
            actor=Actor.for_user(world.users["headteacher"]),
            pupil=world.pupil,
            category=category(world),
            urgency=Urgency.ROUTINE,
            what_happened="Pushed in the playground.",
            happened_at=None,
            other_pupils=[world.other_pupil, elsewhere],
        )

    assert "other_pupils" in refused.value.error_dict
    assert not Concern.objects.exists() and not ConcernPupil.objects.exists()


def test_the_concern_cannot_name_its_own_pupil_or_one_the_reporter_cannot_see(world):
    actor = Actor.for_user(world.users["dsl"])
    for other in (world.pupil, world.south_pupil):
        with pytest.raises(ValidationError) as refused:
            services.concern_raise(
                actor=actor,
                pupil=world.pupil,
                category=category(world),
                urgency=Urgency.ROUTINE,
                what_happened="Pushed in the playground.",
                happened_at=None,
                other_pupils=[other],
            )
        assert "other_pupils" in refused.value.error_dict
    assert not Concern.objects.exists()


# --- Naming a pupil later, on the concern page -------------------------------------------------


def add_url(concern) -> str:
    return reverse("safeguarding:concern_pupil_add", args=[concern.pk])


def test_the_dsl_team_names_a_pupil_later_with_who_when_and_why_audited(world):
    concern = naming(world)
    client = client_for(world.users["dsl"])

    response = client.post(
        add_url(concern),
        {"named-pupil": world.other_pupil.pk, "named-reason": "Was with Ellis at the time."},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#named-pupils")
    named = ConcernPupil.objects.get()
    assert (named.pupil, named.added_by, named.added_at) == (
        world.other_pupil,
        world.users["dsl"],
        NOW,
    )
    assert named.reason == "Was with Ellis at the time."
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, subject_id=str(named.pk), pupil_id=world.other_pupil.pk
    ).exists()
    page = client.get(concern.get_absolute_url()).content.decode()
    assert "Other pupils named" in page and "Was with Ellis at the time." in page
    assert world.other_pupil.get_absolute_url() in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"named-pupil": "", "named-reason": "Seen there"}, "pupil", "This field is required."),
        ({"named-reason": "   "}, "reason", "Write why this pupil is named in the concern."),
    ],
)
def test_naming_a_pupil_later_needs_the_pupil_and_why(world, data, field, message):
    concern = naming(world)
    data.setdefault("named-pupil", world.other_pupil.pk)

    response = client_for(world.users["dsl"]).post(add_url(concern), data)

    assert response.status_code == 200
    assert message in response.context["named_pupil_form"].errors[field]
    assert not ConcernPupil.objects.exists()


def test_a_pupil_named_already_or_of_another_school_is_refused_at_the_field(world):
    concern = naming(world, world.other_pupil)
    elsewhere = PupilFactory(first_name="Farah", last_name="Quill")
    client = client_for(world.users["headteacher"])

    for pupil in (world.other_pupil, elsewhere, world.pupil):
        response = client.post(add_url(concern), {"named-pupil": pupil.pk, "named-reason": "x"})
        assert response.status_code == 200
        assert response.context["named_pupil_form"].errors["pupil"]
    assert ConcernPupil.objects.count() == 1


def test_a_closed_concern_names_no_one_new(world):
    concern = naming(world)
    Concern.objects.filter(pk=concern.pk).update(
        status=ConcernStatus.CLOSED, outcome="No further action", close_reason="Resolved"
    )

    with pytest.raises(ValidationError):
        services.concern_pupil_add(
            actor=Actor.for_user(world.users["dsl"]),
            concern=concern,
            pupil=world.other_pupil,
            reason="Seen there",
        )
    assert not ConcernPupil.objects.exists()


# --- In the named pupil's chronology -----------------------------------------------------------


def test_the_concern_is_in_the_named_pupils_chronology_naming_the_subject_to_who_may_see_them(
    world,
):
    concern = naming(world, world.south_pupil)

    page = client_for(world.users["headteacher"]).get(chronology_url(world.south_pupil))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Named in a concern about Ellis Marsh: " in text
    assert reverse("safeguarding:concern_detail", args=[concern.pk]) in text
    # What happened to Ellis is on Ellis's concern, not in Rowan's chronology.
    assert "older child" not in text


def test_a_dsl_who_may_not_see_the_subject_reads_another_pupil_and_cannot_open_it(world):
    concern = naming(world, world.south_pupil)
    later = Concern.objects.create(
        pupil=world.pupil,
        category=category(world, 1),
        urgency=Urgency.ROUTINE,
        what_happened="Ellis said Rowan was there.",
        happened_at=timezone.now(),
        raised_by=world.users["teacher"],
    )
    ConcernPupil.objects.create(
        concern=later,
        pupil=world.south_pupil,
        added_by=world.users["headteacher"],
        reason="Ellis Marsh said Rowan saw it.",
    )
    client = client_for(world.users["deputy_dsl_other_site"])

    page = client.get(chronology_url(world.south_pupil))

    text = page.content.decode()
    assert page.status_code == 200
    assert f"Named in a concern about another pupil: {concern.category} (High)" in text
    assert "Named by Headteacher on 04/12/2026" in text
    assert "Ellis" not in text and "Marsh" not in text
    assert reverse("safeguarding:concern_detail", args=[concern.pk]) not in text
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_a_teacher_of_the_named_pupils_class_sees_nothing_of_it(world):
    restricted = category(world)
    ConcernCategory.objects.filter(pk=restricted.pk).update(dsl_team_only=True)
    naming(world, world.south_pupil)
    client = client_for(teacher_of(world.class_south))

    assert client.get(chronology_url(world.south_pupil)).status_code == 404
    page = client.get(world.south_pupil.get_absolute_url())
    assert page.status_code == 200
    assert restricted.name not in page.content.decode()
    assert "Named in a concern" not in page.content.decode()


def test_a_category_for_the_dsl_team_only_is_hidden_on_the_named_pupils_chronology(world):
    restricted = category(world)
    ConcernCategory.objects.filter(pk=restricted.pk).update(dsl_team_only=True)
    naming(world, world.south_pupil)

    head = chronology_for(world.south_pupil, viewer=world.users["headteacher"])
    deputy = chronology_for(world.south_pupil, viewer=world.users["deputy_dsl_other_site"])

    assert [e for e in head if e.kind == "named_in_concern"] == []
    assert [e.title for e in deputy if e.kind == "named_in_concern"] == [
        f"Named in a concern about another pupil: {restricted.name} (High)"
    ]
    text = client_for(world.users["headteacher"]).get(chronology_url(world.south_pupil))
    assert restricted.name not in text.content.decode()


def _chronology_queries(client, pupil) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(chronology_url(pupil)).status_code == 200
    return len(queries)


def test_the_chronology_costs_the_same_queries_with_one_named_concern_or_many(world):
    client = client_for(world.users["headteacher"])
    naming(world, world.south_pupil)
    _chronology_queries(client, world.south_pupil)  # the session and memberships, once
    one = _chronology_queries(client, world.south_pupil)

    for index in range(6):
        naming(world, world.south_pupil, world.other_pupil, index=index)
    other = PupilFactory(school_class=world.class_b)
    other_concern = Concern.objects.create(
        pupil=other,
        category=category(world),
        urgency=Urgency.ROUTINE,
        what_happened="Another",
        happened_at=timezone.now(),
        raised_by=world.users["teacher"],
    )
    ConcernPupil.objects.create(
        concern=other_concern,
        pupil=world.south_pupil,
        added_by=world.users["dsl"],
        reason="Was there",
    )

    assert _chronology_queries(client, world.south_pupil) == one
    entries = chronology_for(world.south_pupil, viewer=world.users["headteacher"])
    assert len([e for e in entries if e.kind == "named_in_concern"]) == 8


# --- The printed chronology --------------------------------------------------------------------


def _printed_text(printed) -> str:
    return " ".join(pdf_text(bytes(chronology_print_render(print_id=printed.pk).content)).split())


def test_the_named_pupils_printed_chronology_has_the_concern(world):
    naming(world, world.south_pupil)
    printed = print_for(world, pupil=world.south_pupil, requested_by=world.users["headteacher"])

    text = _printed_text(printed)

    assert "Named in a concern about Ellis Marsh" in text
    assert "Named in a concern about another pupil" in text  # its kind's label


def test_the_subjects_name_never_appears_in_the_named_pupils_pdf_for_sharing(world):
    sibling = sibling_of(world)
    concern = naming(world, sibling, world.other_pupil)
    ConcernPupil.objects.filter(pupil=world.other_pupil).delete()
    ConcernPupil.objects.create(
        concern=concern,
        pupil=world.other_pupil,
        added_by=world.users["dsl"],
        reason="Ellis Marsh and Sam Marsh both said Jude Penrose was there.",
    )
    printed = print_for(
        world, pupil=world.other_pupil, requested_by=world.users["dsl"], for_sharing=True
    )
    sam = print_for(world, pupil=sibling, requested_by=world.users["dsl"], for_sharing=True)

    jude_text = " ".join(
        pdf_text(bytes(chronology_print_render(print_id=printed.pk).content)).split()
    )
    sam_text = " ".join(pdf_text(bytes(chronology_print_render(print_id=sam.pk).content)).split())

    assert "Ellis" not in jude_text and "Sam" not in jude_text
    assert "Named in a concern about another pupil" in jude_text
    assert "another pupil and another pupil both said Jude Penrose was there" in jude_text
    assert "Ellis" not in sam_text
    assert "Named in a concern about sibling" in sam_text


# --- The dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_the_named_pupils_linking_where_allowed(world):
    naming(world, world.other_pupil, world.south_pupil)

    page = client_for(world.users["dsl"]).get(reverse("safeguarding:dashboard")).content.decode()

    assert "Also names:" in page
    assert world.other_pupil.get_absolute_url() in page
    assert str(world.south_pupil) in page  # named on the concern this DSL reads
    assert world.south_pupil.get_absolute_url() not in page


# --- The rule, twice ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_naming_scope_and_its_predicate_agree(world, persona):
    restricted = category(world, 1)
    ConcernCategory.objects.filter(pk=restricted.pk).update(dsl_team_only=True)
    concerns = [naming(world, world.south_pupil), naming(world, world.south_pupil, index=1)]
    user = world.users[persona]

    scoped = set(
        concerns_naming_visible_to(user, pupil=world.south_pupil).values_list("pk", flat=True)
    )

    roles = pupil_access(user, world.south_pupil).roles
    for concern in Concern.objects.select_related("category").filter(
        pk__in=[c.pk for c in concerns]
    ):
        assert (concern.pk in scoped) == may_know_naming(roles, concern.category)
