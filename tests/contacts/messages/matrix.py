"""Permission matrix rows for messages to groups of families."""

from tests.matrix import Rule

WRITES_TO_FAMILIES = frozenset(
    {
        "teacher",
        "class_staff",
        "other_teacher",
        "slt_class",
        "slt_other_site",
        "headteacher",
        "other_school_head",
    }
)
# A message to class A's families: its writer, class A's team and SLT, and the headteacher.
SEES_CLASS_A_MESSAGE = frozenset({"teacher", "class_staff", "slt_class", "headteacher"})


def _class_a_message(world):
    from contacts.models import FamilyMessage, MessageScope

    return FamilyMessage.objects.get_or_create(
        school=world.school,
        scope=MessageScope.CLASS,
        school_class=world.class_a,
        subject="Matrix notice",
        defaults={"body": "School closes early on Friday.", "sent_by": world.users["teacher"]},
    )[0]


ROWS: dict[str, Rule] = {
    "contacts:message_list": Rule(allowed=WRITES_TO_FAMILIES),
    "contacts:message_new": Rule(allowed=WRITES_TO_FAMILIES),
    "contacts:message_detail": Rule(
        allowed=SEES_CLASS_A_MESSAGE, args=lambda world: [_class_a_message(world).pk]
    ),
}
