"""The carer record keeps only the person; relationship, parental responsibility and priority
moved to the link in 0006 and 0007."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0007_carer_links_data"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="carer",
            name="schools_carer_unique_name_per_pupil",
        ),
        migrations.AlterModelOptions(
            name="carer",
            options={"ordering": ["full_name", "id"]},
        ),
        migrations.RemoveField(model_name="carer", name="pupil"),
        migrations.RemoveField(model_name="carer", name="relationship"),
        migrations.RemoveField(model_name="carer", name="has_parental_responsibility"),
        migrations.RemoveField(model_name="carer", name="priority"),
        migrations.AlterField(
            model_name="carer",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="carers",
                to="schools.school",
            ),
        ),
        migrations.AddField(
            model_name="carer",
            name="pupils",
            field=models.ManyToManyField(
                related_name="carers", through="schools.CarerLink", to="schools.pupil"
            ),
        ),
        migrations.AddIndex(
            model_name="carer",
            index=models.Index(fields=["school", "full_name"], name="schools_car_school__022eb4_idx"),
        ),
    ]
