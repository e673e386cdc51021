"""Existing schools gain the default concern categories they lack (KCSIE's headings).

The names are written out here, not imported: this migration must keep doing what it did
when the defaults change later. A school's own spelling of a default ("ONLINE SAFETY") counts
as having it, and a category it switched off stays off.
"""

from django.db import migrations

DEFAULTS_AT_THIS_MIGRATION = (
    "Physical abuse",
    "Emotional abuse",
    "Sexual abuse",
    "Neglect",
    "Child-on-child abuse",
    "Child criminal exploitation",
    "Child sexual exploitation",
    "Online safety",
    "Radicalisation",
    "Domestic abuse",
    "Mental health",
    "Emotional wellbeing",
    "Physical harm",
    "Family circumstances",
    "Other",
)


def add_missing_defaults(apps, schema_editor):
    School = apps.get_model("schools", "School")
    ConcernCategory = apps.get_model("safeguarding", "ConcernCategory")
    had: dict[int, set[str]] = {}
    for school_id, name in ConcernCategory.objects.values_list("school_id", "name"):
        had.setdefault(school_id, set()).add(name.casefold())
    ConcernCategory.objects.bulk_create(
        [
            ConcernCategory(school_id=school_id, name=name)
            for school_id in School.objects.values_list("pk", flat=True)
            for name in DEFAULTS_AT_THIS_MIGRATION
            if name.casefold() not in had.get(school_id, set())
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0005_sessionfamilyagreement_household_not_seen_or_heard"),
        ("schools", "0005_calendar"),
    ]

    operations = [
        migrations.RunPython(add_missing_defaults, migrations.RunPython.noop, elidable=False),
    ]
