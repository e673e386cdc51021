"""Permission matrix rows for the project-wide and schools/oversight URLs."""

from tests.matrix import (
    EVERYONE,
    LISTS_PUPILS,
    MANAGES_SHARES,
    READS_ACCESS_LOG,
    SEES_THE_PUPIL,
    Rule,
)


def _import_run(world):
    from schools.models import MisImport, MisImportKind

    run = MisImport.objects.filter(school=world.school).first()
    return run or MisImport.objects.create(
        school=world.school, kind=MisImportKind.CLASSES, uploaded_by=world.users["administrator"]
    )


ROWS: dict[str, Rule] = {
    # A carer's account is sent on to the carers' portal.
    "home": Rule(allowed=EVERYONE, carer_status=302),
    "healthz": Rule(allowed=EVERYONE, anonymous_status=200, carer_status=200),
    "schools:pupil_list": Rule(allowed=LISTS_PUPILS),
    "schools:pupil_detail": Rule(allowed=SEES_THE_PUPIL, args=lambda world: [world.pupil.pk]),
    "schools:pupil_carer_contacts": Rule(
        allowed=SEES_THE_PUPIL - {"it_staff"},
        forbidden=frozenset({"it_staff"}),
        method="post",
        args=lambda world: [world.pupil.pk],
    ),
    "schools:pupil_sharing": Rule(
        allowed=MANAGES_SHARES,
        forbidden=SEES_THE_PUPIL - MANAGES_SHARES,
        method="post",
        args=lambda world: [world.pupil.pk],
        data=lambda world: {
            # Already involved, so a successful request changes no one's access mid-test.
            "user": world.users["nurse_shared"].pk,
            "action": "grant",
        },
        allowed_status=302,
    ),
    "schools:import_upload": Rule(allowed=frozenset({"administrator"})),
    "schools:import_status": Rule(
        allowed=frozenset({"administrator"}), args=lambda world: [_import_run(world).pk]
    ),
    "oversight:access_log": Rule(allowed=READS_ACCESS_LOG),
}
