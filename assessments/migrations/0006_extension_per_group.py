"""An extension belongs to one group (assignment, pupil, group): a pupil in two groups has two
teachers, and each may change only their own group's extension. This step adds the column;
0007 fills it and 0008 makes it required. Three migrations, because on PostgreSQL a table whose
rows were written in a transaction cannot get an index in the same one ("pending trigger
events"), and Django creates a new column's index at the end of its migration."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):


    dependencies = [
        ('assessments', '0005_keep_work_and_date_range'),
        ('courses', '0004_assignment_block'),
        ('lms', '0003_access'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='extension',
            name='one_extension_per_pupil',
        ),
        migrations.AddField(
            model_name='extension',
            name='group',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='lms.studygroup'),
        ),
    ]
