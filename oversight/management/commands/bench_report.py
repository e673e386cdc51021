"""Time the SLT oversight report and the governors' summary on a synthetic school.

Builds a school of 1,000 pupils (two sites, twenty classes) with a term of remote education
(cases, daily contacts, wellbeing checks, provision, flags, concerns, sessions), then measures
the figures (queries and time) and the PDF render (time), with the peak Python memory
(tracemalloc) and the process's peak resident size. Everything it writes is rolled back at
the end, so it leaves the database as it found it; it still refuses to run with DEBUG off
unless told to (it writes tens of thousands of rows while it runs).

    python manage.py bench_report [--pupils 1000] [--cases 400]

The numbers are recorded in docs/benchmarks.md.
"""

import datetime
import resource
import time
import tracemalloc
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from cases.models import (
    AttendanceCode,
    Basis,
    Case,
    Flag,
    FlagKind,
    Provision,
    Reason,
    Review,
    Status,
)
from cases.models import Decision as ReviewDecision
from contacts.models import Channel, ContactKind, ContactLog, Outcome
from core.pdf import render_pdf
from oversight.measures.scope import Scope
from oversight.measures.slt import slt_figures
from oversight.models import OversightReport
from oversight.reports.services import governors_summary_context, slt_report_context
from safeguarding.models import Concern, ConcernCategory, ConcernStatus, Urgency
from schools.models import Phase, Pupil, School, SchoolClass, SchoolDay, Site, Term
from schools.services import school_days_refresh

LONDON = ZoneInfo("Europe/London")
TERM = ("Bench spring", datetime.date(2026, 1, 5), datetime.date(2026, 3, 27))
NOW = datetime.datetime(2026, 3, 31, 9, 0, tzinfo=LONDON)
BATCH = 2000


class Rollback(Exception):
    """Raised at the end to roll the synthetic school back."""


class Command(BaseCommand):
    help = "Time the oversight report on a synthetic school of 1,000 pupils (rolled back)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pupils", type=int, default=1000)
        parser.add_argument("--cases", type=int, default=400)
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusing to write a synthetic school with DEBUG off.")
        try:
            with transaction.atomic():
                self.run(options["pupils"], options["cases"])
                raise Rollback
        except Rollback:
            self.stdout.write("Synthetic school rolled back.")

    def run(self, pupil_count: int, case_count: int) -> None:
        started = time.perf_counter()
        school, by = self.build(pupil_count, case_count)
        self.stdout.write(
            f"Built {pupil_count} pupils, {case_count} cases, "
            f"{ContactLog.objects.filter(case__pupil__school=school).count()} contacts "
            f"in {time.perf_counter() - started:.1f} s"
        )
        start, end = TERM[1], TERM[2]
        today = NOW.date()

        def figures():
            return slt_figures(Scope(school.pk), start, end, today=today, now=NOW)

        self.measure("SLT figures, whole school, one term", figures, queries=True)
        report = OversightReport.objects.create(
            requested_by=by,
            school=school,
            start=start,
            end=end,
            expires_at=NOW + datetime.timedelta(days=30),
        )
        self.measure(
            "SLT report PDF, whole school, one term (figures + render)",
            lambda: render_pdf(
                "oversight/pdf/slt_report.html", slt_report_context(report, now=NOW)
            ),
            size=True,
        )
        self.measure(
            "Governors' summary PDF (three terms' figures + render)",
            lambda: render_pdf(
                "oversight/pdf/governors_summary.html",
                {**governors_summary_context(school=school, now=NOW), "generated_by": "bench"},
            ),
            size=True,
        )
        self.stdout.write(
            f"Peak resident size of the process: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )

    def measure(self, label: str, run, *, queries: bool = False, size: bool = False) -> None:
        """Time one run untraced, then run it again under tracemalloc for its peak memory
        (tracing slows Python down, so the two are measured apart)."""
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            result = run()
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        extra = f", {len(captured)} queries" if queries else ""
        if size:
            extra += f", {len(result) / 1024:.0f} KiB"
        self.stdout.write(
            f"{label}: {elapsed:.2f} s, peak Python memory {peak / 1024 / 1024:.1f} MiB{extra}"
        )

    def build(self, pupil_count: int, case_count: int) -> tuple[School, User]:
        school = School.objects.create(
            name="Bench School",
            urn="999999",
            local_authority="Benchshire",
            safeguarding_partnership_name="Benchshire partnership",
        )
        by = User.objects.create(email="bench@school.invalid", full_name="Bench")
        Term.objects.create(school=school, name=TERM[0], first_day=TERM[1], last_day=TERM[2])
        school_days_refresh(school=school)
        days = list(SchoolDay.objects.filter(school=school).values_list("date", flat=True))
        sites = [Site.objects.create(school=school, name=name) for name in ("East", "West")]
        classes = SchoolClass.objects.bulk_create(
            SchoolClass(site=sites[n % 2], name=f"Class {n}", phase=Phase.PRIMARY)
            for n in range(20)
        )
        pupils = Pupil.objects.bulk_create(
            (
                Pupil(
                    school=school,
                    school_class=classes[n % 20],
                    upn=f"B{n:011d}N",
                    first_name=f"Bench{n}",
                    last_name="Pupil",
                    date_of_birth=datetime.date(2014, 1, 1),
                    has_ehc_plan=True,
                )
                for n in range(pupil_count)
            ),
            batch_size=BATCH,
        )
        reasons = list(Reason)
        cases = Case.objects.bulk_create(
            (
                Case(
                    pupil=pupil,
                    basis=Basis.INDIVIDUAL,
                    reason=reasons[n % len(reasons)],
                    status=Status.CLOSED if n % 5 == 0 else Status.ACTIVE,
                    start_date=days[n % 20],
                    end_date=days[-1],
                    next_review_date=days[-1] - datetime.timedelta(days=n % 30),
                    attendance_code=AttendanceCode.Y7,
                    proposed_on=days[n % 20],
                    outcome="Returned" if n % 5 == 0 else "",
                    actual_return_date=days[40] if n % 5 == 0 else None,
                    closed_at=NOW if n % 5 == 0 else None,
                    created_by=by,
                )
                for n, pupil in enumerate(pupils[:case_count])
            ),
            batch_size=BATCH,
        )

        def contacts():
            for n, case in enumerate(cases):
                for i, day in enumerate(days):
                    if day < case.start_date or (i + n) % 7 == 0:
                        continue  # about one school day in seven missed
                    yield ContactLog(
                        case=case,
                        contacted_at=datetime.datetime.combine(
                            day, datetime.time(10), tzinfo=LONDON
                        ),
                        contact_date=day,
                        staff=by,
                        channel=Channel.TELEPHONE,
                        kind=ContactKind.WELLBEING if day.weekday() == 2 else ContactKind.DAILY,
                        outcome=Outcome.SPOKE_WITH_CARER if (i + n) % 9 else Outcome.NO_RESPONSE,
                    )

        ContactLog.objects.bulk_create(contacts(), batch_size=BATCH)
        Provision.objects.bulk_create(
            (
                Provision(case=case, date=day, sent_by_email=True, recorded_by=by)
                for case in cases
                for day in days
                if day >= case.start_date
            ),
            batch_size=BATCH,
        )
        Review.objects.bulk_create(
            Review(
                case=case,
                held_on=days[30],
                attendees="SLT, teacher",
                progress="Steady",
                decision=ReviewDecision.CONTINUE,
                recorded_by=by,
            )
            for case in cases
        )
        Flag.objects.bulk_create(
            Flag(case=case, kind=FlagKind.DAILY_CONTACT_MISSED, period=days[10])
            for case in cases[::3]
        )
        category = ConcernCategory.objects.create(school=school, name="Bench")
        Concern.objects.bulk_create(
            Concern(
                pupil=case.pupil,
                category=category,
                urgency=list(Urgency)[n % 3],
                what_happened="Synthetic",
                happened_at=NOW,
                raised_by=by,
                status=(ConcernStatus.RAISED, ConcernStatus.ACKNOWLEDGED)[n % 2],
            )
            for n, case in enumerate(cases[::4])
        )
        return school, by
