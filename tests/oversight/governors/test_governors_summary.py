"""The governors' summary: school and site aggregates over three terms, every small count
suppressed, no pupil named anywhere, in the page or its PDF; governors reach nothing else."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from core.suppression import HIDDEN
from dataprotection.models import AccessAction, AccessEvent
from governance.models import Coping, PulseResponse
from schools.models import Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, PupilFactory, SiteFactory, UserFactory
from tests.oversight.factories import (
    AFTER_MARCH,
    log_contact,
    make_case,
    month_of_data,
    report_for,
    school_days_of,
)
from tests.pdf import pdf_text

PAGE = reverse("oversight:governors_summary")
PDF = reverse("oversight:governors_summary_download")
PUPIL_WORDS = ("Ellis", "Marsh", "Jude", "Penrose", "Rowan", "Tate", "Zebedee", "Quill")
CLASS_NAMES = ("Ash", "Birch", "Cedar")


@pytest.fixture
def march(world):
    with time_machine.travel(AFTER_MARCH, tick=False):
        yield month_of_data(world)


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_no_pupil_or_class(text: str) -> None:
    for word in PUPIL_WORDS + CLASS_NAMES:
        assert not re.search(rf"\b{word}\b", text), word
    assert "SECRET-CONCERN-TEXT" not in text


@pytest.mark.parametrize("persona", ["governor", "chair", "headteacher"])
def test_the_summary_shows_school_and_site_figures_with_no_pupil_or_class(world, march, persona):
    response = client_for(world.users[persona]).get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert_no_pupil_or_class(html)
    # No link to any record (the menu's list pages aside, which answer 404 to governors).
    assert not re.search(r'href="[^"]*/\d+/', html)
    figures = response.context["figures"]
    assert [term.name for term in figures.terms] == ["Autumn 2025", "Spring 2026", "Summer 2026"]
    school, north, south = figures.blocks
    assert (school.title, north.title, south.title) == (
        "Whole school",
        "Site: North",
        "Site: South",
    )
    # Spring 2026: three cases opened at the school, two at North, one at South.
    opened = [block.rows[0].values for block in (school, north, south)]
    assert opened == [
        [HIDDEN, "3", HIDDEN],
        [HIDDEN, HIDDEN, HIDDEN],
        [HIDDEN, HIDDEN, HIDDEN],
    ]
    # Daily contacts in spring: 15 of 45 at the school; suppressed_share shows it.
    contacts = school.rows[3]
    assert contacts.label == "Daily contacts made, of those due"
    assert contacts.values[1] == "15 of 45 (33%)"
    # The chart draws a bar only where the share may be shown: North and South in spring.
    drawn = [
        (site, term) for site, bars in figures.compliance_chart for term, value, _ in bars if value
    ]
    assert drawn == [("North", "Spring 2026"), ("South", "Spring 2026")]
    assert "<svg" in html
    assert HIDDEN in html


def test_the_pdf_has_the_same_figures_and_no_pupil_and_is_audited(world, march):
    governor = world.users["governor"]

    response = client_for(governor).get(PDF)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    assert_no_pupil_or_class(text)
    assert "Remote education: governors' summary" in text
    assert "School Heathergate School" in text
    assert f"Daily contacts made, of those due {HIDDEN} 15 of 45 (33%)" in text
    assert "CONFIDENTIAL" in text and "Page 1 of" in text
    event = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert (event.user_id, event.subject_id, event.pupil_id) == (
        governor.pk,
        str(world.school.pk),
        None,
    )


def single_gaps(figures) -> list[tuple[str, str]]:
    """(measure, term) where exactly one of the whole school and its sites is hidden: the
    hidden one would be the whole school less the sites shown (or their sum)."""
    gaps = []
    for index, row in enumerate(figures.blocks[0].rows):
        for term, _ in enumerate(figures.terms):
            cells = [block.rows[index].values[term] for block in figures.blocks]
            if sum(cell.startswith(HIDDEN) for cell in cells) == 1:
                gaps.append((row.label, figures.terms[term].name))
    return gaps


def test_a_small_site_figure_cannot_be_worked_out_from_the_whole_school(world, march):
    # Three more cases opened at North in the spring: North 5, South 1, the school 6.
    for name in ("Ash", "Birch", "Cedar"):
        pupil = PupilFactory(school_class=world.class_a, first_name=f"Kit{name}")
        make_case(
            pupil,
            world.users["teacher"],
            start=datetime.date(2026, 3, 3),
            end=datetime.date(2026, 3, 25),
        )
    client = client_for(world.users["governor"])

    figures = client.get(PAGE).context["figures"]
    text = flat(pdf_text(client.get(PDF).content))

    school, north, south = (block.rows[0].values[1] for block in figures.blocks)
    # South's "fewer than 3" would be 6 - 5: North's 5 is hidden with it.
    assert (school, north, south) == ("6", HIDDEN, HIDDEN)
    assert single_gaps(figures) == []
    assert f"Remote-education cases opened {HIDDEN} 6 {HIDDEN}" in text
    assert f"Remote-education cases opened {HIDDEN} {HIDDEN} {HIDDEN}" in text
    assert "Remote-education cases opened fewer than 3 5" not in text


def test_a_small_share_at_one_site_hides_the_other_sites_share_too(world, march):
    # South's daily contacts in spring become 19 of 20: its one missed contact is too few to
    # show, and 27 of 45 at the school less North's 8 of 25 would give it away.
    days = [11, 12, 13, 16, 17, 18, 19, 20, 23, 24, 25, 26]
    for day in school_days_of(days):
        log_contact(march["rowan"], world.users["teacher"], day)
    client = client_for(world.users["governor"])

    figures = client.get(PAGE).context["figures"]
    text = flat(pdf_text(client.get(PDF).content))

    school, north, south = (block.rows[3].values[1] for block in figures.blocks)
    assert (school, north, south) == ("27 of 45 (60%)", f"{HIDDEN} of 25", f"{HIDDEN} of 20")
    assert single_gaps(figures) == []
    assert not [term for _, bars in figures.compliance_chart for term, value, _ in bars if value]
    assert f"Daily contacts made, of those due {HIDDEN} 27 of 45 (60%)" in text
    assert "8 of 25" not in text


def test_security_measures_show_mfa_coverage_and_the_audit(world, march):
    for _ in range(3):  # three staff who have not set up a second factor
        MembershipFactory(user=UserFactory(), school=world.school, role=Role.TEACHER)
    with time_machine.travel(AFTER_MARCH, tick=False):
        client = client_for(world.users["chair"])
        client.get(PAGE)  # the visit itself is not pupil data; a PDF is audited
        client.get(PDF)
        response = client.get(PAGE)

    security = dict(response.context["security"])
    # 15 of the world's personas hold a membership here, all with MFA; three more without.
    assert security["Staff with a second sign-in factor (MFA)"] == "15 of 18 (83%)"
    audit = security["Access audit: events recorded this term (since 13/04/2026)"]
    assert audit == "fewer than 3"  # the one PDF export so far


def test_the_staff_wellbeing_pulse_shows_suppressed_counts_for_this_term(world, march):
    week = datetime.date(2026, 4, 13)
    PulseResponse.objects.bulk_create(
        [PulseResponse(school=world.school, week_start=week, coping=Coping.WELL)] * 0
        + [
            PulseResponse(school=world.school, week_start=week, coping=Coping.WELL)
            for _ in range(4)
        ]
        + [PulseResponse(school=world.school, week_start=week, coping=Coping.STRUGGLING)]
    )

    response = client_for(world.users["governor"]).get(PAGE)

    pulse = dict(response.context["pulse"])
    assert pulse["Coping well"] == "4"
    assert pulse["Struggling"] == HIDDEN
    assert "Staff wellbeing pulse (Summer 2026)" in response.content.decode()


def test_a_site_name_with_markup_is_escaped_in_the_page_and_the_pdf(world, march):
    SiteFactory(school=world.school, name="<script>alert(1)</script>")
    client = client_for(world.users["governor"])

    html = client.get(PAGE).content.decode()
    text = flat(pdf_text(client.get(PDF).content))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Site: <script>alert(1)</script>" in text


@pytest.mark.parametrize("persona", ["governor", "chair"])
def test_governors_get_404_on_every_pupil_level_page(world, march, persona):
    client = client_for(world.users[persona])
    report = report_for(world, site=world.north)
    urls = [
        reverse("schools:pupil_list"),
        reverse("schools:pupil_detail", args=[world.pupil.pk]),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[march["ellis"].pk]),
        reverse("safeguarding:concern_detail", args=[march["concerns"][0].pk]),
        reverse("oversight:report_list"),
        reverse("oversight:report_new"),
        reverse("oversight:report_detail", args=[report.pk]),
        reverse("oversight:report_download", args=[report.pk]),
    ]

    assert {url: client.get(url).status_code for url in urls} == {url: 404 for url in urls}


def test_a_headteacher_reads_only_their_own_schools_summary(world, march):
    client = client_for(world.users["other_school_head"])

    own = client.get(PAGE)
    other = client.get(PAGE, {"school": world.school.pk})

    assert own.status_code == 200 and own.context["school"].name == "Elsewhere"
    assert other.status_code == 404
    assert client.get(PAGE, {"school": "x"}).status_code == 404


def test_the_latest_audit_seal_is_described_in_words():
    from types import SimpleNamespace

    from oversight.reports.services import describe_seal
    from tests.oversight.factories import london

    sealed = SimpleNamespace(sequence=4, sealed_at=london(2026, 4, 14, 23, 15))
    checked = SimpleNamespace(
        sequence=4,
        sealed_at=london(2026, 4, 14, 23, 15),
        verified_at=london(2026, 4, 15, 3, 30),
        verified_ok=True,
    )
    broken = SimpleNamespace(**{**vars(checked), "verified_ok": False})

    assert describe_seal(None) == "Not sealed yet"
    assert describe_seal(sealed) == "Seal 4, made 14/04/2026 23:15; not yet checked"
    assert (
        describe_seal(checked)
        == "Seal 4, made 14/04/2026 23:15; checked 15/04/2026: the audit is intact"
    )
    assert describe_seal(broken).endswith("THE CHECK FAILED, ask the DPO")


def test_device_declarations_and_the_latest_audit_seal_are_shown(world, march):
    import datetime as dt

    from dataprotection.seals.services import audit_seal
    from declarations.models import DeclarationIssue, DeclarationItem, DeviceDeclaration

    declared = ["teacher", "class_staff", "other_teacher", "slt_class", "slt_other_site"]
    declared += ["headteacher", "dsl", "deputy_dsl_other_site", "it_staff", "dpo"]
    DeviceDeclaration.objects.bulk_create(
        DeviceDeclaration(
            user=world.users[key],
            declared_at=AFTER_MARCH - dt.timedelta(days=1),
            device_description="School laptop",
        )
        for key in declared
    )
    # One of them could not confirm an item: IT has a task, and it is not yet compliant.
    DeclarationIssue.objects.create(
        declaration=DeviceDeclaration.objects.get(user=world.users["dpo"]),
        user=world.users["dpo"],
        item=DeclarationItem.ENCRYPTED,
        reason="Not sure how to check",
        raised_at=AFTER_MARCH - dt.timedelta(days=1),
    )
    client = client_for(world.users["governor"])

    first = client.get(PAGE)
    security = dict(first.context["security"])
    assert security["Staff with a current device declaration, every item confirmed"] == (
        "9 of 15 (60%)"
    )
    assert security["Staff whose declaration is waiting for IT (an item not confirmed)"] == "1"
    assert first.context["seal"] == "Not sealed yet"

    client.get(PDF)  # an access event to seal
    with time_machine.travel(AFTER_MARCH + dt.timedelta(hours=1), tick=False):
        assert audit_seal() is not None
        later = client_for(world.users["governor"]).get(PAGE)  # a new session: time has passed
    assert later.context["seal"] == "Seal 1, made 15/04/2026 11:00; not yet checked"
    assert "Latest seal of the access audit" in later.content.decode()


def test_the_pulse_hides_what_the_wellbeing_page_hides_so_together_they_give_nothing_away(
    world, march
):
    """The wellbeing page shows the week's answers (13): with 3, 3, 3 and 3 shown here the
    single answer of the fifth kind could be worked out, so the summary hides what the page
    hides, from the same protected figures."""
    week = datetime.date(2026, 4, 13)
    copings = [Coping.WELL, Coping.MOSTLY, Coping.GETTING_BY, Coping.HARD] * 3
    PulseResponse.objects.bulk_create(
        [PulseResponse(school=world.school, week_start=week, coping=c) for c in copings]
        + [PulseResponse(school=world.school, week_start=week, coping=Coping.STRUGGLING)]
    )
    governor = client_for(world.users["governor"])

    pulse = governor.get(PAGE).context["pulse"]
    terms = governor.get(reverse("governance:pulse_summary")).context["sections"][0]["terms"]
    [term] = [row for row in terms if row["term"].name == "Summer 2026"]

    assert pulse == term["coping"]
    assert sum(text == HIDDEN for _, text in pulse) >= 2
