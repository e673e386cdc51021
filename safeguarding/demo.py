"""Demo safeguarding work for the demo school, so each site's DSL team has work on every page.

On each site: an immediate concern raised minutes ago and still waiting for acknowledgement,
another waiting since the morning, an acknowledged one with actions (one past its date) and a
decision, a physical concern with a mark on the body map, a referral still within its time and
one past it, and a closed concern with an addendum. Home visits (one arranged, one made),
social workers told, virtual sessions with the families' agreements and their checklists, and
a leaver whose file is to be sent to the new school. Then the safeguarding rules run once, as
they would before school.

Everything is written through the services, so audit rows and notifications are real (the
demo's addresses end in .example); each record is then dated to the day it stands for
(cases.demo.backdate), in school days back from the day the demo is loaded. The pupils and
staff are the demo school's own, all invented.

A school that already has a concern is left alone: loading twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import User
from cases.demo import at, backdate, demo_cases, demo_day, school_days_back
from cases.models import Case
from core.actor import Actor
from safeguarding.body_map.services import body_mark_add
from safeguarding.models import (
    Action,
    Addendum,
    Agency,
    BodyMark,
    BodyMarkKind,
    ChecklistItem,
    Concern,
    ConcernCategory,
    Decision,
    HomeVisit,
    InformedHow,
    Referral,
    ReferralChase,
    SessionChecklistEntry,
    SessionFamilyAgreement,
    SocialWorkerInformed,
    Urgency,
    VirtualSession,
)
from safeguarding.rules import (
    flag_overdue_actions,
    flag_overdue_referrals,
    flag_social_worker_not_informed,
    flag_transfers_due,
)
from safeguarding.services import (
    action_add,
    action_done,
    addendum_add,
    concern_acknowledge,
    concern_categories_ensure,
    concern_close,
    concern_raise,
    decision_add,
    referral_add,
    referral_chase_record,
)
from safeguarding.sessions.services import (
    session_agreement_record,
    session_checklist_record,
    session_plan,
)
from safeguarding.transfers.services import pupil_leaving_record
from safeguarding.visits.services import (
    Agreement,
    social_worker_informed_record,
    visit_agree,
    visit_record,
    visit_request,
)
from schools.calendar import add_school_days
from schools.models import Pupil, School


def _person(login: str) -> User:
    return User.objects.get(email=f"{login}@{DEMO_EMAIL_DOMAIN}")


def _as(login: str) -> Actor:
    return Actor.for_user(_person(login))


@dataclass(frozen=True, slots=True)
class DemoConcern:
    """One concern: about the pupil of a demo case (``case``) or the ``index``-th pupil of a
    class, raised ``raised`` school days before the demo day (0: today, at ``hour``; None:
    ``minutes_ago`` minutes ago) by ``by``, taken as far as ``stage`` by the site's DSL team."""

    site: str  # north or south
    by: str
    category: str
    urgency: str
    what_happened: str
    stage: str  # waiting, acknowledged, actions, body_map, referral, overdue_referral, closed
    case: str = ""
    school_class: str = ""
    index: int = 0
    raised: int | None = 1
    hour: int = 10
    minutes_ago: int = 0
    childs_words: str = ""
    where: str = ""


CONCERNS = (
    DemoConcern("north", "teacher.rowan", "Domestic abuse", Urgency.IMMEDIATE,
                "On the class call the pupil's carer was shouting at someone off camera and a "
                "door slammed. The pupil covered their ears and left the screen; the call "
                "dropped and nobody has answered since.",
                "waiting", school_class="Rowan", index=2, raised=None, minutes_ago=25,
                where="Class Teams call, from home"),
    DemoConcern("north", "ta.acorn", "Emotional wellbeing", Urgency.ROUTINE,
                "Parent said on the morning call that the pupil has stopped eating breakfast "
                "and is waking in the night since the leg was set.",
                "waiting", case="active", raised=0, hour=9,
                where="Daily telephone call"),
    DemoConcern("north", "teacher.willow", "Neglect", Urgency.HIGH,
                "No answer to calls or messages for three school days. The last time we spoke "
                "the parent said the electricity had been cut off.",
                "actions", case="silent", raised=3,
                where="Daily contact attempts"),
    DemoConcern("north", "teacher.oak", "Physical harm", Urgency.HIGH,
                "Noticed a large bruise on the pupil's upper arm when they reached for the "
                "camera. Said they bumped it on the door, then said their brother did it.",
                "body_map", case="returning", raised=5,
                childs_words="My brother grabbed me. It was only a game.",
                where="Class Teams call"),
    DemoConcern("north", "teacher.oak", "Emotional abuse", Urgency.HIGH,
                "The pupil told the teacher they are 'always in trouble' at home and are made "
                "to stay in their room all day; they were tearful and did not want the call "
                "to end.",
                "overdue_referral", case="social_worker", raised=6,
                childs_words="I'm not allowed out of my room till tea.",
                where="Wellbeing check, telephone"),
    DemoConcern("north", "teacher.acorn", "Online safety", Urgency.ROUTINE,
                "Parent found the pupil on a video app talking to an adult they do not know.",
                "closed", school_class="Acorn", index=5, raised=18,
                where="Reported by the parent at pick-up"),
    DemoConcern("south", "teacher.hazel", "Physical abuse", Urgency.IMMEDIATE,
                "The pupil said on the call that mum's partner hit them last night, and there "
                "is a red mark on their cheek. The partner is at home now.",
                "waiting", case="hazel", raised=None, minutes_ago=40,
                childs_words="He hit me when I dropped my plate.",
                where="Daily Teams call, from home"),
    DemoConcern("south", "ta.maple", "Family circumstances", Urgency.ROUTINE,
                "Carer said they are struggling to cope since the other parent left, and "
                "asked whether the school knows of any help with food.",
                "waiting", case="maple", raised=1, hour=14,
                where="Daily telephone call"),
    DemoConcern("south", "teacher.birch", "Mental health", Urgency.HIGH,
                "The pupil said on the call that they want to 'disappear' and that nobody "
                "would notice if they were gone.",
                "referral", case="extra_calls", raised=5,
                childs_words="Nobody would notice if I wasn't here.",
                where="Wellbeing check, Teams"),
    DemoConcern("south", "teacher.post16", "Physical harm", Urgency.HIGH,
                "A new burn on the student's other forearm, seen on the Teams call; the "
                "student would not say how it happened.",
                "body_map", case="missed_cedar", raised=2,
                where="Class Teams call"),
    DemoConcern("south", "ta.cedar", "Neglect", Urgency.HIGH,
                "On the home visit the kitchen had no food and the student's bedroom had no "
                "bedding; the student was wearing the same clothes as on last week's call.",
                "overdue_referral", case="visited", raised=8,
                where="Home visit"),
    DemoConcern("south", "teacher.hazel", "Child-on-child abuse", Urgency.ROUTINE,
                "Another pupil sent unkind messages about the pupil in a group chat; the "
                "parents have spoken and the messages were deleted.",
                "closed", school_class="Hazel", index=7, raised=18,
                where="Reported by the pupil's parent"),
)  # fmt: skip
# The pupil who has left for another school: their file is to be sent (KCSIE: 5 school days).
LEAVER = ("Hazel", 7, 7)  # class, index, school days since the last day
NEW_SCHOOL = {
    "new_school_name": "Thornbury Brook Academy",
    "new_school_urn": "149902",
    "new_dsl_name": "Priya Castleton",
    "new_dsl_email": "dsl@thornbury-brook.example",
}
DSL = {"north": "dsl.north", "south": "dsl.south"}
DEPUTY = {"north": "deputy.dsl.north", "south": "deputy.dsl.south"}


def _pupil(school: School, cases: dict[str, Case], item: DemoConcern) -> Pupil:
    if item.case:
        return cases[item.case].pupil
    pupils = list(
        Pupil.objects.filter(school=school, school_class__name=item.school_class).order_by(
            "last_name", "first_name", "pk"
        )
    )
    return pupils[item.index % len(pupils)]


def _concern(school: School, day: datetime.date, cases: dict, item: DemoConcern) -> Concern:
    categories = {c.name: c for c in ConcernCategory.objects.filter(school=school)}
    if item.raised is None:
        raised_at = timezone.now() - datetime.timedelta(minutes=item.minutes_ago)
        raised_on = timezone.localdate(raised_at)
    else:
        raised_on = school_days_back(school, item.raised, anchor=day)
        raised_at = at(raised_on, item.hour, 20)
    concern = concern_raise(
        actor=_as(item.by),
        pupil=_pupil(school, cases, item),
        category=categories[item.category],
        urgency=item.urgency,
        what_happened=item.what_happened,
        happened_at=raised_at - datetime.timedelta(minutes=15),
        childs_words=item.childs_words,
        where=item.where,
    )
    backdate(Concern.objects.filter(pk=concern.pk), raised_at=raised_at)
    if item.stage == "waiting":
        return concern

    dsl, deputy = DSL[item.site], DEPUTY[item.site]
    back = lambda n: school_days_back(school, n, anchor=day)  # noqa: E731
    acknowledged_at = raised_at + datetime.timedelta(minutes=35)
    concern_acknowledge(actor=_as(dsl), concern=concern)
    backdate(Concern.objects.filter(pk=concern.pk), acknowledged_at=acknowledged_at)
    concern.refresh_from_db()
    steps = item.raised or 1
    when = lambda n: at(back(n), 13)  # noqa: E731 (the DSL team's work that day)

    if item.stage == "actions":
        first = action_add(
            actor=_as(dsl),
            concern=concern,
            what="Ask SLT to agree a home visit with two staff",
            who=_person(dsl),
            due_on=back(steps - 1),
        )
        action_done(actor=_as(dsl), action=first, done_on=back(steps - 1))
        action_add(
            actor=_as(dsl),
            concern=concern,
            what="Ring the energy supplier's priority line with the family's consent",
            who=_person(deputy),
            due_on=back(1),
        )
        backdate(Action.objects.filter(concern=concern), recorded_at=acknowledged_at)
        decision_add(
            actor=_as(dsl),
            concern=concern,
            decision="Arrange a home visit and keep trying daily; consider early help.",
            reason="Three school days without contact, and the family told us of hardship.",
        )
        backdate(Decision.objects.filter(concern=concern), decided_at=when(steps - 1))
    if item.stage == "body_map":
        mark_kind, region, size, colour = (
            (BodyMarkKind.BRUISE, "left_upper_arm", "about 4 cm by 3 cm", "purple, yellow edges")
            if item.site == "north"
            else (BodyMarkKind.BURN, "right_forearm", "about 2 cm across", "red, blistered")
        )
        body_mark_add(
            actor=_as(dsl),
            concern=concern,
            view="front",
            region=region,
            kind=mark_kind,
            size=size,
            colour=colour,
            childs_explanation=item.childs_words or "Would not say.",
            seen_by=f"Class teacher on the Teams call; the DSL on the call ({_person(dsl)})",
            seen_at=raised_at - datetime.timedelta(minutes=10),
        )
        backdate(BodyMark.objects.filter(concern=concern), recorded_at=acknowledged_at)
        action_add(
            actor=_as(dsl),
            concern=concern,
            what="Speak to the parent about the mark and what the pupil said",
            who=_person(deputy),
            due_on=back(max(steps - 1, 1)),
        )
        backdate(Action.objects.filter(concern=concern), recorded_at=acknowledged_at)
        if item.site == "north":
            decision_add(
                actor=_as(dsl),
                concern=concern,
                decision="Refer to early help for support with sibling conflict.",
                reason="An account consistent with rough play between siblings; the family "
                "welcomed support. No indication of harm by an adult.",
            )
            backdate(Decision.objects.filter(concern=concern), decided_at=when(steps - 1))
            referral_add(
                actor=_as(dsl),
                concern=concern,
                agency=Agency.EARLY_HELP,
                reference="EH-2026-0418",
                notes="Family support for sibling conflict; parent consented.",
                referred_on=back(steps - 1),
            )
    if item.stage in ("referral", "overdue_referral"):
        agency = Agency.CAMHS if item.stage == "referral" else Agency.SOCIAL_CARE
        decision_add(
            actor=_as(dsl),
            concern=concern,
            decision=(
                "Refer to CAMHS; the DSL team to call twice a day meanwhile."
                if agency == Agency.CAMHS
                else "Refer to children's social care (MASH)."
            ),
            reason=(
                "Thoughts of not being here, said twice this week; the family agrees."
                if agency == Agency.CAMHS
                else "Concerns about the care the child receives at home, with the child's "
                "own account: the threshold for a referral is met."
            ),
        )
        backdate(Decision.objects.filter(concern=concern), decided_at=when(steps))
        referral = referral_add(
            actor=_as(dsl),
            concern=concern,
            agency=agency,
            reference="CAMHS-55120" if agency == Agency.CAMHS else "MASH-26-3391",
            notes="Referral form sent; parent informed.",
            referred_on=back(steps - 1),
        )
        backdate(Referral.objects.filter(pk=referral.pk), made_at=when(steps - 1))
        if item.site == "south" and agency == Agency.SOCIAL_CARE:
            chased_on = back(steps - 3)
            referral_chase_record(
                actor=_as(deputy),
                referral=referral,
                chased_on=chased_on,
                how=InformedHow.PHONE,
                spoke_to="MASH duty desk",
                what_was_said="Received and with a team manager; a decision is expected soon.",
            )
            backdate(ReferralChase.objects.filter(referral=referral), recorded_at=at(chased_on, 11))
    if item.stage == "closed":
        concern_close(
            actor=_as(dsl),
            concern=concern,
            outcome="No further action",
            reason="Handled with the family, who have acted on it; the pupil is safe and "
            "knows whom to tell.",
        )
        closed_at = when(steps - 4)
        backdate(Concern.objects.filter(pk=concern.pk), closed_at=closed_at)
        addendum_add(
            actor=_as(deputy),
            concern=concern,
            text="Parent called to say all is well since; the pupil has told the class team "
            "what they would do next time.",
        )
        backdate(Addendum.objects.filter(concern=concern), added_at=when(steps - 8))
    return concern


def _visits(school: School, day: datetime.date, cases: dict[str, Case]) -> None:
    back = lambda n: school_days_back(school, n, anchor=day)  # noqa: E731
    # Arranged: the family of the Willow pupil has not answered for three days.
    silent = cases.get("silent")
    if silent is not None:
        visit = visit_request(
            actor=_as("teacher.willow"),
            case=silent,
            reason="No answer to calls or messages for three school days.",
            planned_for=add_school_days(school, day, 1),
        )
        visit_agree(actor=_as("slt.north"), visit=visit, which=Agreement.SLT)
        visit_agree(actor=_as("dsl.north"), visit=visit, which=Agreement.DSL)
        backdate(
            HomeVisit.objects.filter(pk=visit.pk),
            requested_at=at(back(1), 16),
            slt_agreed_at=at(back(1), 16, 20),
            dsl_agreed_at=at(back(1), 16, 35),
        )
    # Made: the Cedar student's family did not answer in the first days of the case.
    visited = cases.get("visited")
    if visited is not None:
        on = add_school_days(school, visited.start_date, 3) or back(8)
        visit = visit_request(
            actor=_as("teacher.post16"),
            case=visited,
            reason="No answer from the family for three school days since the case began.",
            planned_for=on,
        )
        visit_agree(actor=_as("lead.post16"), visit=visit, which=Agreement.SLT)
        visit_agree(actor=_as("dsl.south"), visit=visit, which=Agreement.DSL)
        visit_record(
            actor=_as("teacher.post16"),
            visit=visit,
            visited_on=on,
            staff=[_person("teacher.post16"), _person("ta.cedar")],
            outcome="Saw the student and their mother at the door. Phone had been lost; a "
            "new number is on the student's record. Concerns about the home raised separately.",
        )
        before = school_days_back(school, 1, anchor=on)
        backdate(
            HomeVisit.objects.filter(pk=visit.pk),
            requested_at=at(before, 15),
            slt_agreed_at=at(before, 15, 30),
            dsl_agreed_at=at(before, 15, 45),
        )


def _social_workers_told(school: School, cases: dict[str, Case]) -> None:
    """Every running case's social worker is told, bar one: the rule flags that one."""
    not_told = cases.get("social_worker")
    running = Case.objects.filter(
        pupil__school=school, status__in=("active", "reintegrating")
    ).select_related("pupil__school_class__site")
    for case in running.order_by("pk"):
        if not case.pupil.has_social_worker or (not_told and case.pk == not_told.pk):
            continue
        site = "north" if case.pupil.school_class.site.name.startswith("North") else "south"
        informed_on = max(case.start_date, case.proposed_on)
        record = social_worker_informed_record(
            actor=_as(DSL[site]),
            case=case,
            informed_on=informed_on,
            how=InformedHow.EMAIL,
            notes="Told of the plan for remote education and the contact arrangements.",
        )
        backdate(SocialWorkerInformed.objects.filter(pk=record.pk), recorded_at=at(informed_on, 12))


SESSIONS = (
    # class, staff, title, school days back (negative: still to come), attended of invited
    ("Rowan", ("teacher.rowan", "ta.rowan"), "Rowan morning circle", 1, 5),
    ("Rowan", ("teacher.rowan", "ta.rowan"), "Rowan music and movement", -1, 0),
    ("Birch", ("teacher.birch", "ta.birch"), "Birch story time", 2, 2),
)


def _sessions(school: School, day: datetime.date, cases: dict[str, Case]) -> None:
    at_home = {
        case.pupil_id
        for case in Case.objects.filter(
            pupil__school=school, status__in=("active", "reintegrating")
        )
    }
    agreed: set[int] = set()
    for class_name, staff, title, days_back, attending in SESSIONS:
        teacher = staff[0]
        pupils = list(
            Pupil.objects.filter(
                school=school, school_class__name=class_name, pk__in=at_home, on_roll=True
            )
            .select_related("school_class")
            .prefetch_related("carer_links__carer")
            .order_by("last_name", "first_name", "pk")
        )
        if not pupils:
            continue
        agreed_on = school_days_back(school, 4, anchor=day)
        for pupil in pupils:
            if pupil.pk in agreed:
                continue
            agreed.add(pupil.pk)
            carers = sorted(pupil.carer_links.all(), key=lambda link: link.priority)
            agreement = session_agreement_record(
                actor=_as(teacher),
                pupil=pupil,
                agreed_with=carers[0].carer.full_name if carers else "Parent",
                agreed_on=agreed_on,
                no_recordings=True,
                confidentiality=True,
                parent_present=True,
                independent_access_agreed=False,
                dress_and_language=True,
                expectations_known=True,
                household_not_seen_or_heard=True,
            )
            backdate(
                SessionFamilyAgreement.objects.filter(pk=agreement.pk),
                recorded_at=at(agreed_on, 15),
            )
        on = school_days_back(school, days_back, anchor=day)
        session = session_plan(
            actor=_as(teacher),
            school=school,
            title=title,
            date=on,
            start_time=datetime.time(10, 30),
            end_time=datetime.time(11, 0),
            pupils=pupils,
            staff=[_person(login) for login in staff],
            meeting_link="https://teams.example/l/meetup-join/demo-" + class_name.lower(),
        )
        planned = school_days_back(school, max(days_back, 0) + 2, anchor=day)
        backdate(VirtualSession.objects.filter(pk=session.pk), planned_at=at(planned, 15, 30))
        if days_back <= 0:
            continue
        answers = {item: (True, "") for item in ChecklistItem.values}
        answers[ChecklistItem.LOCKED] = (
            False,
            "One family joined late; the meeting was locked once they were in.",
        )
        session_checklist_record(
            actor=_as(teacher), session=session, answers=answers, attended=pupils[:attending]
        )
        backdate(SessionChecklistEntry.objects.filter(session=session), recorded_at=at(on, 11, 5))


def _leaver(school: School, day: datetime.date) -> None:
    class_name, index, days_back = LEAVER
    pupils = list(
        Pupil.objects.filter(school=school, school_class__name=class_name).order_by(
            "last_name", "first_name", "pk"
        )
    )
    pupil = pupils[index % len(pupils)]
    if not pupil.on_roll:
        return
    left_on = school_days_back(school, days_back, anchor=day)
    leaving = pupil_leaving_record(
        actor=_as("dsl.south"), pupil=pupil, left_on=left_on, **NEW_SCHOOL
    )
    backdate(type(leaving).objects.filter(pk=leaving.pk), recorded_at=at(left_on, 15))


@transaction.atomic
def safeguarding_demo_load(school: School) -> int:
    """Load the demo safeguarding records once. Returns the number of concerns raised."""
    if Concern.objects.filter(pupil__school=school).exists():
        return 0
    concern_categories_ensure(school=school)
    day = demo_day(school)
    cases = demo_cases(school)
    _visits(school, day, cases)
    _social_workers_told(school, cases)
    _sessions(school, day, cases)
    for item in CONCERNS:
        _concern(school, day, cases, item)
    _leaver(school, day)
    # The rules the safeguarding jobs run before school, once.
    flag_social_worker_not_informed(day)
    flag_overdue_actions(day)
    flag_overdue_referrals(day)
    flag_transfers_due(day)
    return Concern.objects.filter(pupil__school=school).count()
