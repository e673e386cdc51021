"""Permission matrix rows for the complaints log (staff pages of the carers' portal).

- The log: SLT, the headteacher and the DSL team of any school (each sees their own). Everyone
  else: 404.
- A complaint about world.pupil (not about safety): SLT over the pupil's class and the
  headteacher. The DSL team reads worries about safety only, so for them, as for everyone
  else, it does not exist (404).
"""

from django.utils import timezone

from tests.matrix import Rule

LOG_READERS = frozenset(
    {"slt_class", "slt_other_site", "headteacher", "dsl", "deputy_dsl_other_site"}
    | {"other_school_head"}
)


def complaint_for(world):
    from families.models import Complaint

    found = Complaint.objects.filter(school=world.school, pupil=world.pupil).first()
    if found is not None:
        return found
    from tests.factories import UserFactory

    return Complaint.objects.create(
        school=world.school,
        carer=world.carer,
        raised_by=UserFactory(),
        pupil=world.pupil,
        school_class=world.pupil.school_class,
        site=world.pupil.school_class.site,
        about_safety=False,
        text="The work pack did not arrive.",
        received_at=timezone.now(),
        response_due=timezone.localdate(),
        response_days=10,
    )


ROWS: dict[str, Rule] = {
    "families:complaint_list": Rule(allowed=LOG_READERS),
    "families:complaint_detail": Rule(
        allowed=frozenset({"slt_class", "headteacher"}),
        args=lambda world: [complaint_for(world).pk],
    ),
}
