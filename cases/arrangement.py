"""A case's arrangement as a family reads it and agrees it (policy section 2, issue 17).

The arrangement is what the carers' party agrees to: the basis, the reason in plain words,
the dates and time limit, what the school provides and the plan for coming back. Its version
is a digest of those words: when any of them changes (a review extends the time limit, the
reintegration plan changes), the version changes and a carer who agreed the old one is asked
again. The next review date is shown but is not part of the version: it moves at every
review, and a review that changes nothing else changes nothing the family agreed.
"""

import hashlib
import json

from cases.models import Basis, Case, Reason, ReintegrationPlan, Status

# The reasons, as a family reads them.
FAMILY_REASONS = {
    Reason.GOVERNMENT_GUIDANCE: (
        "Government or local guidance says the school cannot open to pupils."
    ),
    Reason.NOT_SAFE_TO_OPEN: "The school cannot open safely at the moment.",
    Reason.INFECTIOUS_ILLNESS: "Your child has an infectious illness and needs to stay at home.",
    Reason.OPERATION: "Your child is getting ready for, or recovering from, an operation.",
    Reason.INJURY: (
        "Your child is recovering from an injury, and coming to school could slow that."
    ),
    Reason.SEND_OR_MENTAL_HEALTH: (
        "Your child's needs or mental health make coming to school too hard for now."
    ),
}

FAMILY_BASIS = {
    Basis.CLOSURE: "The school, site or class is closed, so your child learns at home.",
    Basis.INDIVIDUAL: "Your child cannot come to school for a while, so they learn at home.",
}

# What the school provides every child learning at home (policy section 3.2).
SCHOOL_PROVIDES = (
    "A call or message from your child's class team every school day.",
    "A check on your child's health and wellbeing every week.",
    "Planning and activities for each school day, by email, as a work pack or on the home "
    "learning platform.",
    "A visual timetable, in the way that suits your child.",
    "Links to good online learning resources.",
    "Paper copies brought to you if you do not have the internet.",
)

ARRANGEMENT_KEYS = (
    "basis",
    "reason",
    "start_date",
    "time_limit",
    "summary",
    "school_provides",
    "coming_back",
    "coming_back_flexibilities",
    "coming_back_steps",
)


def arrangement_for(case: Case, plan: ReintegrationPlan | None = None) -> dict:
    """The arrangement in the words a family reads, dates in UK form. ``plan`` is the case's
    reintegration plan, with its steps prefetched, when the caller has it already."""
    if plan is None:
        plan = ReintegrationPlan.objects.filter(case=case).prefetch_related("steps").first()
    steps = (
        [
            f"{step.target_date:%d/%m/%Y}: {step.description}"
            for step in sorted(plan.steps.all(), key=lambda s: (s.target_date, s.pk))
        ]
        if plan is not None
        else []
    )
    return {
        "basis": FAMILY_BASIS[case.basis],
        "reason": FAMILY_REASONS[case.reason],
        "start_date": f"{case.start_date:%d/%m/%Y}",
        "time_limit": f"{case.end_date:%d/%m/%Y}",
        "summary": case.summary,
        "school_provides": list(SCHOOL_PROVIDES),
        "coming_back": plan.support if plan is not None else "",
        "coming_back_flexibilities": plan.flexibilities if plan is not None else "",
        "coming_back_steps": steps,
    }


def arrangement_version(arrangement: dict) -> str:
    """The digest of what a family agrees to: equal digests, the same arrangement."""
    agreed = {key: arrangement[key] for key in ARRANGEMENT_KEYS}
    text = json.dumps(agreed, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def agreeable(case: Case) -> bool:
    """A family agrees an arrangement that is proposed or running, never an ended one."""
    return case.status in (Status.PROPOSED, Status.ACTIVE, Status.REINTEGRATING)
