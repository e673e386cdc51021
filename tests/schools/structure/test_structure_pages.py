"""School setup pages: sites, pathways and classes created, renamed and archived (never
deleted), each refusal at its field with nothing written, each change audited, and the
overview at a fixed number of queries."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from cases.closures.forms import ClosureForm
from cases.permissions import pupils_for_new_cases
from dataprotection.models import AccessAction, AccessEvent
from schools.models import Phase, SchoolClass, Site
from tests.cases.matrix import open_case_for
from tests.conftest import client_for
from tests.factories import PupilFactory, SchoolClassFactory, SiteFactory

OVERVIEW = reverse("schools:structure")


def _head(world):
    return client_for(world.users["headteacher"])


def _changes(subject_type: str, action=AccessAction.CHANGE) -> int:
    return AccessEvent.objects.filter(action=action, subject_type=subject_type).count()


# --- Sites ----------------------------------------------------------------------------------


def test_the_headteacher_adds_a_site_and_it_is_audited(world):
    response = _head(world).post(
        reverse("schools:site_new", args=[world.school.pk]), {"name": "  East   wing "}
    )

    assert response.status_code == 302
    site = Site.objects.get(school=world.school, name="East wing")
    event = AccessEvent.objects.get(action=AccessAction.CREATE, subject_type="schools.site")
    assert event.subject_id == str(site.pk)
    assert event.user_id == world.users["headteacher"].pk


def test_a_site_named_like_another_is_refused_at_the_field(world):
    response = _head(world).post(
        reverse("schools:site_new", args=[world.school.pk]), {"name": "north"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        'There is already a site called "north". Choose another name.'
    ]
    assert Site.objects.filter(school=world.school).count() == 2
    assert _changes("schools.site", AccessAction.CREATE) == 0


def test_an_empty_name_is_refused_at_the_field(world):
    response = _head(world).post(reverse("schools:site_edit", args=[world.north.pk]), {"name": " "})

    assert response.context["form"].errors["name"] == ["Give the site a name."]
    world.north.refresh_from_db()
    assert world.north.name == "North"


def test_the_administrator_renames_a_site(world):
    response = client_for(world.users["administrator"]).post(
        reverse("schools:site_edit", args=[world.north.pk]), {"name": "North campus"}
    )

    assert response.status_code == 302
    world.north.refresh_from_db()
    assert world.north.name == "North campus"
    assert _changes("schools.site") == 1


def test_a_site_with_classes_in_use_cannot_be_archived(world):
    response = _head(world).post(
        reverse("schools:site_archive", args=[world.south.pk]), {"archive": "on"}
    )

    assert response.status_code == 200
    [error] = response.context["archive_form"].errors["archive"]
    assert "still has 1 class(es) in use" in error
    world.south.refresh_from_db()
    assert not world.south.is_archived
    assert _changes("schools.site") == 0


def test_archiving_needs_the_box_ticked(world):
    site = SiteFactory(school=world.school, name="Annexe")

    response = _head(world).post(reverse("schools:site_archive", args=[site.pk]), {})

    assert response.context["archive_form"].errors["archive"] == ["Tick the box to confirm."]
    site.refresh_from_db()
    assert not site.is_archived


def test_an_archived_site_is_not_offered_for_new_classes_or_closures(world):
    site = SiteFactory(school=world.school, name="Annexe")
    _head(world).post(reverse("schools:site_archive", args=[site.pk]), {"archive": "on"})

    site.refresh_from_db()
    assert site.is_archived and site.archived_by == world.users["headteacher"]
    page = _head(world).get(reverse("schools:class_new", args=[world.school.pk]))
    assert site not in page.context["form"].fields["site"].queryset
    closure = _head(world).get(reverse("cases:closure_new"))
    assert isinstance(closure.context["form"], ClosureForm)
    assert site.pk not in closure.context["form"].sites
    # Its history stays readable.
    assert "Annexe" in _head(world).get(OVERVIEW).content.decode()


# --- Classes --------------------------------------------------------------------------------


def _class_data(world, **data) -> dict:
    return {"site": world.north.pk, "name": "Hazel", "phase": Phase.PRIMARY, "pathway": ""} | data


def test_the_headteacher_adds_a_class(world):
    response = _head(world).post(
        reverse("schools:class_new", args=[world.school.pk]), _class_data(world)
    )

    assert response.status_code == 302
    school_class = SchoolClass.objects.get(site=world.north, name="Hazel")
    assert school_class.pathway is None
    assert _changes("schools.schoolclass", AccessAction.CREATE) == 1


def test_a_duplicate_class_name_in_a_site_is_refused_at_the_field(world):
    response = _head(world).post(
        reverse("schools:class_new", args=[world.school.pk]), _class_data(world, name="ASH")
    )

    assert response.context["form"].errors["name"] == [
        'There is already a class called "ASH" at North. Choose another name.'
    ]
    assert SchoolClass.objects.filter(site=world.north).count() == 2


def test_the_same_class_name_at_another_site_is_fine(world):
    response = _head(world).post(
        reverse("schools:class_new", args=[world.school.pk]),
        _class_data(world, site=world.south.pk, name="Ash"),
    )

    assert response.status_code == 302
    assert SchoolClass.objects.filter(name="Ash").count() == 2


def test_a_class_is_renamed_and_its_pupils_stay(world):
    response = _head(world).post(
        reverse("schools:class_edit", args=[world.class_a.pk]),
        {"name": "Ash class", "phase": Phase.SECONDARY, "pathway": world.class_a.pathway_id},
    )

    assert response.status_code == 302
    world.class_a.refresh_from_db()
    assert (world.class_a.name, world.class_a.phase) == ("Ash class", Phase.SECONDARY)
    assert world.pupil.school_class_id == world.class_a.pk


def test_a_class_with_open_cases_cannot_be_archived(world):
    open_case_for(world)

    response = _head(world).post(
        reverse("schools:class_archive", args=[world.class_a.pk]), {"archive": "on"}
    )

    assert response.status_code == 200
    assert response.context["archive_form"].errors["archive"] == [
        "Ash has 1 open case: close them, or move the pupils to another class, before archiving it."
    ]
    world.class_a.refresh_from_db()
    assert not world.class_a.is_archived
    assert _changes("schools.schoolclass") == 0


def test_an_archived_class_takes_no_new_cases_and_keeps_its_history(world):
    response = _head(world).post(
        reverse("schools:class_archive", args=[world.class_b.pk]), {"archive": "on"}
    )

    assert response.status_code == 302
    world.class_b.refresh_from_db()
    assert world.class_b.is_archived
    event = AccessEvent.objects.get(action=AccessAction.CHANGE, subject_type="schools.schoolclass")
    assert event.detail == "class archived"
    assert world.other_pupil not in pupils_for_new_cases(world.users["headteacher"])
    assert world.pupil in pupils_for_new_cases(world.users["headteacher"])
    # The pupil's record and the class stay readable.
    assert _head(world).get(world.other_pupil.get_absolute_url()).status_code == 200
    assert "Archived" in _head(world).get(OVERVIEW).content.decode()


def test_a_class_with_pupils_is_never_deleted(world):
    with pytest.raises(ProtectedError):
        world.class_a.delete()
    assert SchoolClass.objects.filter(pk=world.class_a.pk).exists()


def test_slt_read_the_overview_but_may_not_change_anything(world):
    slt = client_for(world.users["slt_class"])

    page = slt.get(OVERVIEW)
    response = slt.post(reverse("schools:site_edit", args=[world.north.pk]), {"name": "X"})

    assert "Ash" in page.content.decode()
    assert reverse("schools:site_edit", args=[world.north.pk]) not in page.content.decode()
    assert response.status_code == 403
    world.north.refresh_from_db()
    assert world.north.name == "North"


# --- Pathways and the school ----------------------------------------------------------------


def test_a_pathway_is_added_renamed_and_archived(world):
    head = _head(world)
    head.post(reverse("schools:pathway_new", args=[world.school.pk]), {"name": "Sensory"})
    pathway = world.school.pathways.get(name="Sensory")
    head.post(
        reverse("schools:pathway_edit", args=[pathway.pk]),
        {"name": "Sensory pathway", "description": "Pre-formal learners"},
    )
    head.post(reverse("schools:pathway_archive", args=[pathway.pk]), {"archive": "on"})

    pathway.refresh_from_db()
    assert (pathway.name, pathway.description) == ("Sensory pathway", "Pre-formal learners")
    assert pathway.is_archived
    page = head.get(reverse("schools:class_new", args=[world.school.pk]))
    assert pathway not in page.context["form"].fields["pathway"].queryset
    assert AccessEvent.objects.filter(subject_type="schools.pathway").count() == 3


def test_the_school_details_are_changed_and_audited(world):
    response = _head(world).post(
        reverse("schools:school_edit", args=[world.school.pk]),
        {
            "name": "Heathergate Academy",
            "local_authority": "Midshire",
            "safeguarding_partnership_name": "Midshire Safeguarding Children Partnership",
            "safeguarding_partnership_url": "",
        },
    )

    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.name == "Heathergate Academy"
    assert _changes("schools.school") == 1


def test_another_schools_head_cannot_reach_heathergate(world):
    response = client_for(world.users["other_school_head"]).get(
        reverse("schools:class_edit", args=[world.class_a.pk])
    )
    page = client_for(world.users["other_school_head"]).get(OVERVIEW)

    assert response.status_code == 404
    assert "Heathergate" not in page.content.decode()
    assert "Elsewhere" in page.content.decode()


# --- New school (administrators) ------------------------------------------------------------


def test_an_administrator_creates_a_school_and_sees_the_password_once(world):
    response = client_for(world.users["administrator"]).post(
        reverse("schools:school_new"),
        {
            "urn": "654321",
            "name": "Lowfield School",
            "local_authority": "Midshire",
            "full_name": "Pat Reyes",
            "email": "pat@lowfield.example",
            "as_administrator": "",
        },
    )

    assert response.status_code == 200
    new = response.context["new"]
    assert new.school.urn == "654321"
    assert new.user.check_password(new.password)
    assert new.password in response.content.decode()


def test_a_bad_urn_on_the_new_school_page_is_refused_at_the_field(world):
    response = client_for(world.users["administrator"]).post(
        reverse("schools:school_new"),
        {
            "urn": world.school.urn,
            "name": "Lowfield School",
            "local_authority": "Midshire",
            "full_name": "Pat Reyes",
            "email": "pat@lowfield.example",
        },
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["urn"]
    assert "A URN is six digits" in error or "already exists" in error
    assert not world.school.__class__.objects.filter(name="Lowfield School").exists()


# --- The overview ---------------------------------------------------------------------------


def _grow(world, sites: int, classes: int) -> None:
    for number in range(sites):
        site = SiteFactory(school=world.school, name=f"Extra site {number}")
        for class_number in range(classes):
            school_class = SchoolClassFactory(site=site, name=f"Class {class_number}")
            PupilFactory(school_class=school_class)


@pytest.mark.parametrize("sites,classes", [(0, 0), (4, 5)])
def test_the_overview_costs_the_same_queries_however_big_the_school(
    world, sites, classes, django_assert_max_num_queries
):
    _grow(world, sites, classes)
    head = _head(world)
    head.get(OVERVIEW)  # warm up: later requests cost the same

    # Session, user, MFA, memberships, the menu and its count of the viewer's own tasks; the
    # schools (count, page), their sites, classes and pathways: eleven, whatever the size.
    with django_assert_max_num_queries(11):
        response = head.get(OVERVIEW)

    assert response.status_code == 200
    assert response.content.decode().count("Extra site") == sites


# --- Restoring ------------------------------------------------------------------------------


def test_an_archived_class_is_restored_and_audited(world):
    head = _head(world)
    head.post(reverse("schools:class_archive", args=[world.class_b.pk]), {"archive": "on"})

    response = head.post(reverse("schools:class_restore", args=[world.class_b.pk]))

    assert response.status_code == 302
    world.class_b.refresh_from_db()
    assert not world.class_b.is_archived and world.class_b.archived_by is None
    details = AccessEvent.objects.filter(subject_type="schools.schoolclass").values_list(
        "detail", flat=True
    )
    assert sorted(details) == ["class archived", "class restored"]


def test_a_class_at_an_archived_site_cannot_be_restored(world):
    site = SiteFactory(school=world.school, name="Annexe", archived_at=timezone.now())
    school_class = SchoolClassFactory(site=site, name="Old", archived_at=timezone.now())

    response = _head(world).post(reverse("schools:class_restore", args=[school_class.pk]))

    assert response.status_code == 200
    assert response.context["restore_form"].non_field_errors() == [
        "Annexe is archived: restore the site first."
    ]
    school_class.refresh_from_db()
    assert school_class.is_archived
