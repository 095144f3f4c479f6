"""Every extension has its group (filled in 0007), and one row per assignment, pupil and group."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0007_extension_groups_filled'),
    ]

    operations = [
        migrations.AlterField(
            model_name='extension',
            name='group',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='lms.studygroup'),
        ),
        migrations.AddConstraint(
            model_name='extension',
            constraint=models.UniqueConstraint(fields=('assignment', 'pupil', 'group'), name='one_extension_per_pupil_and_group'),
        ),
    ]
