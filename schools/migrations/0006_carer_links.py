"""Carers become one record per person, linked to each child they care for: the link table,
and the carer's school (0007 moves the rows, 0008 drops what moved)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0005_calendar"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="carer",
            name="school",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="carers",
                to="schools.school",
            ),
        ),
        migrations.CreateModel(
            name="CarerLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "relationship",
                    models.CharField(
                        choices=[
                            ("mother", "Mother"),
                            ("father", "Father"),
                            ("parent", "Parent"),
                            ("step_parent", "Step-parent"),
                            ("grandparent", "Grandparent"),
                            ("foster_carer", "Foster carer"),
                            ("guardian", "Guardian"),
                            ("relative", "Other relative"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                ("has_parental_responsibility", models.BooleanField(default=True)),
                (
                    "priority",
                    models.PositiveSmallIntegerField(
                        default=1, help_text="1 is the first person to contact."
                    ),
                ),
                (
                    "contact_restricted",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "No contact, or contact restricted, by a court order or the DSL's "
                            "decision."
                        ),
                    ),
                ),
                ("restriction_reason", models.TextField(blank=True)),
                ("restricted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "carer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="schools.carer",
                    ),
                ),
                (
                    "pupil",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="carer_links",
                        to="schools.pupil",
                    ),
                ),
                (
                    "restricted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["pupil", "priority", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("pupil", "carer"), name="schools_carerlink_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("contact_restricted", False))
                        | models.Q(("restriction_reason", ""), _negated=True),
                        name="schools_carerlink_restriction_has_reason",
                        violation_error_message="Give the reason contact is restricted.",
                    ),
                ],
            },
        ),
        # Nullable while the rows move to links, so the way back can refill them.
        migrations.AlterField(
            model_name="carer",
            name="pupil",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="carers",
                to="schools.pupil",
            ),
        ),
        migrations.AlterField(
            model_name="carer",
            name="relationship",
            field=models.CharField(
                choices=[
                    ("mother", "Mother"),
                    ("father", "Father"),
                    ("parent", "Parent"),
                    ("step_parent", "Step-parent"),
                    ("grandparent", "Grandparent"),
                    ("foster_carer", "Foster carer"),
                    ("guardian", "Guardian"),
                    ("relative", "Other relative"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=20,
            ),
        ),
    ]
