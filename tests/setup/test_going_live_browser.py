"""A school goes live from an empty database by following README's "Going live", word for word.

The test reads the commands from the README section itself and runs exactly those (the
install and migrate lines excepted: the test database is already migrated). Everything else
is done as the people would do it, in Chromium: the headteacher's first sign-in with a
one-time password and an authenticator app, the LA's term dates imported from an .ics file
made here, the setup checklist read until it is clean, and a teacher proposing a case. Then
the overnight rules run on the next school day and flag the contact nobody made.
"""

import datetime as dt
import re
import shlex
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings as django_settings
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.urls import reverse

from accounts.middleware import user_has_mfa
from accounts.models import User
from cases import services as case_services
from cases.models import AgreementMethod, Case, FlagKind, Party
from contacts.tasks import check_daily_contacts
from core.actor import Actor
from schools.models import Pupil, School, SchoolDay
from tests.calendar_files import la_calendar
from tests.conftest import TEST_PASSWORD, TEST_TOTP_SECRET, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
# A Tuesday in the spring term; the next school day is the Wednesday.
FIRST_DAY = dt.datetime(2027, 1, 12, 9, 0, tzinfo=LONDON)
NEXT_SCHOOL_DAY_EVENING = dt.datetime(2027, 1, 13, 18, 30, tzinfo=LONDON)

README = (django_settings.BASE_DIR / "README.md").read_text()
GOING_LIVE = README.split("\n## Going live\n", 1)[1].split("\n## ", 1)[0]
# Lines that set up the machine rather than the school: the test database stands in for them.
MACHINE_SET_UP = (("make", "install"), ("export",), (".venv/bin/python", "manage.py", "migrate"))

# What the MIS export does not carry for the sample school, in the staff layout.
ROLES_CSV = """Email,Full name,Role,Site,Class
m.okonedo@brookfield-school.example,Mina Okonedo,DSL,Meadowbank,
e.varga@brookfield-school.example,Eszter Varga,Chair of governors,,
l.penrose@brookfield-school.example,Lowri Penrose,Teacher,Hillside,Birch
l.penrose@brookfield-school.example,Lowri Penrose,Teacher,Hillside,Cedar
d.hartwell@brookfield-school.example,Dev Hartwell,Teacher,Hillside,Hazel
d.hartwell@brookfield-school.example,Dev Hartwell,Teacher,Meadowbank,Maple
s.achterberg@brookfield-school.example,Sol Achterberg,Teacher,Meadowbank,Rowan
s.achterberg@brookfield-school.example,Sol Achterberg,Teacher,Meadowbank,Willow
"""


class SchoolMailServer(locmem.EmailBackend):
    """Stands in for the school's SMTP server: keeps what it is sent, connects to nothing."""


def going_live_commands() -> list[list[str]]:
    """The section's shell commands in order, with its one loop expanded."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", GOING_LIVE, re.S):
        lines = [line.strip() for line in block.strip().splitlines()]
        while lines:
            line = lines.pop(0)
            loop = re.fullmatch(r"for (\w+) in (.+); do", line)
            if loop is None:
                commands.append(line)
                continue
            body = []
            while (inner := lines.pop(0)) != "done":
                body.append(inner)
            for value in loop.group(2).split():
                commands += [step.replace(f"${loop.group(1)}", value) for step in body]
    return [shlex.split(command) for command in commands]


def run(command: list[str]) -> str:
    assert command[:2] == [".venv/bin/python", "manage.py"], f"not a manage.py step: {command}"
    out = StringIO()
    call_command(*command[2:], stdout=out)
    return out.getvalue()


def la_term_dates() -> bytes:
    """The LA's term dates for 2026-27."""
    return la_calendar(
        ("Spring term", dt.date(2027, 1, 4), dt.date(2027, 3, 26)),
        ("Spring half term", dt.date(2027, 2, 15), dt.date(2027, 2, 19)),
        ("Summer term", dt.date(2027, 4, 12), dt.date(2027, 7, 21)),
        ("INSET day", dt.date(2027, 4, 12), dt.date(2027, 4, 12)),
    )


def sign_in_with_code(page, email: str, password: str, secret: str = TEST_TOTP_SECRET) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", level=1).wait_for()


def test_a_school_goes_live_from_an_empty_database(page, settings, tmp_path, monkeypatch):
    # In production the school configures a mail server and its https address; the checklist
    # asks for both, so they are set as a live install would set them.
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SchoolMailServer"}}
    settings.SITE_URL = "https://remote-learning.school.example"
    # The commands name files relative to the checkout: run them from a copy of its layout.
    (tmp_path / "samples").symlink_to(django_settings.BASE_DIR / "samples")
    (tmp_path / "roles.csv").write_text(ROLES_CSV)
    monkeypatch.chdir(tmp_path)
    assert not School.objects.exists()

    school_steps = [
        command
        for command in going_live_commands()
        if not any(tuple(command[: len(step)]) == step for step in MACHINE_SET_UP)
    ]
    assert [c[2] for c in school_steps] == ["create_school"] + ["import_mis"] * 10

    with time_machine.travel(FIRST_DAY, tick=True):
        # 1-2. The school and its first headteacher, with a one-time password.
        printed = run(school_steps[0])
        school = School.objects.get()
        password = re.search(r"One-time password \(shown once\): (\S+)", printed).group(1)
        head_email = school_steps[0][school_steps[0].index("--email") + 1]

        # 3. First sign-in: the password, then an authenticator app before anything else.
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(head_email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.get_by_role("heading", name="Confirm Access").wait_for()
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Confirm").click()
        page.get_by_role("heading", name="Activate Authenticator App").wait_for()
        secret = page.get_by_label("Authenticator secret").input_value()
        page.get_by_label("Authenticator code").fill(totp_code(secret))
        page.get_by_role("button", name="Activate").click()
        page.goto("/")
        assert page.get_by_text("Setup incomplete").first.is_visible()

        # 4. Classes, staff, pupils and carers from the MIS, each checked by a dry run first.
        for command in school_steps[1:9]:
            run(command)
        assert Pupil.objects.filter(school=school).count() == 10

        # 6. The LA's term dates, previewed and then imported.
        page.goto(reverse("schools:calendar_import", args=[school.pk]))
        page.get_by_label("Term dates file").set_input_files(
            {"name": "term-dates.ics", "mimeType": "text/calendar", "buffer": la_term_dates()}
        )
        page.get_by_role("button", name="Check the file (dry run)").click()
        page.get_by_role("button", name=re.compile(r"Import these \d+ changes?")).click()
        page.get_by_role("heading", level=1).wait_for()
        assert SchoolDay.objects.filter(school=school, date=FIRST_DAY.date()).exists()
        assert not SchoolDay.objects.filter(school=school, date=dt.date(2027, 2, 16)).exists()

        # 7. The roles the MIS does not carry.
        for command in school_steps[9:]:
            run(command)

        # 8. Staff sign in and set up their authenticator apps (done here for them).
        for user in User.objects.filter(memberships__school=school).distinct():
            if not user_has_mfa(user):
                TOTP.activate(user, TEST_TOTP_SECRET)
        page.goto(reverse("setup:checklist"))
        assert page.get_by_text("Setup complete: nothing is missing.").is_visible()
        page.goto("/")
        assert page.get_by_text("Setup incomplete").count() == 0

        # A teacher signs in and proposes remote education for a pupil of their class.
        teacher = User.objects.get(email="a.fenwick@brookfield-school.example")
        teacher.set_password(TEST_PASSWORD)
        teacher.save()
        page.context.clear_cookies()
        sign_in_with_code(page, teacher.email, TEST_PASSWORD)
        pupil = Pupil.objects.get(upn="K930202600101")
        page.goto(reverse("cases:case_propose") + f"?pupil={pupil.pk}")
        page.get_by_label("Why the pupil cannot attend").select_option(
            label="Recovering from injury, where attendance may inhibit recovery"
        )
        page.get_by_label("Summary").fill("Broken wrist: cannot manage the site for now.")
        page.get_by_role("button", name="Propose the case").click()
        page.get_by_role("heading", name="What's needed next").wait_for()
        case = Case.objects.get(pupil=pupil)

        # Everyone agrees (the case journey's own tests do this page by page) and it starts.
        actor = Actor.for_user(teacher)
        for party in case_services.required_parties(case):
            case_services.agreement_record(
                actor=actor,
                case=case,
                party=party,
                agreed_by="Dana Marrowby, mother" if party == Party.CARERS else "Agreed",
                agreed_on=FIRST_DAY.date(),
                method=AgreementMethod.PHONE,
            )
        case_services.case_activate(actor=actor, case=case)

    # Overnight on the next school day, nobody having called the family: the rules flag it.
    with time_machine.travel(NEXT_SCHOOL_DAY_EVENING, tick=False):
        check_daily_contacts()
    missed = case.flags.filter(kind=FlagKind.DAILY_CONTACT_MISSED)
    assert list(missed.values_list("period", flat=True)) == [NEXT_SCHOOL_DAY_EVENING.date()]
