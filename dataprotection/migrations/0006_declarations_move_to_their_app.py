"""Device declarations moved to the declarations app. Their tables stay where they are, under
the same names: this only takes the models out of dataprotection's migration state, and
declarations 0001 puts them into its own."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dataprotection', '0005_device_declarations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='DeclarationAnswer'),
                migrations.DeleteModel(name='DeclarationIssue'),
                migrations.DeleteModel(name='DeclarationDue'),
                migrations.DeleteModel(name='DeviceDeclaration'),
            ],
            database_operations=[],
        ),
    ]
