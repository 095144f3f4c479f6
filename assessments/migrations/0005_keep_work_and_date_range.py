"""Deleting a lesson or course whose assignments hold pupils' work is refused with a message
(on_delete=keep_pupils_work), every timetable date is range-checked (validate_moment), and dates
stored before the check, far outside any school year, are moved into it: such a date overflowed
when shown in a school's time zone."""

import datetime as dt

import django.db.models.deletion  # noqa: F401
from django.db import migrations, models

import assessments.date_range
import assessments.models.assignments

FIRST, LAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 12, 31, 23, 59, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

DATE_FIELDS = {
    "Assignment": ["opens_at", "due_at", "cutoff_at"],
    "GroupDeadline": ["opens_at", "due_at", "cutoff_at"],
    "Extension": ["due_at", "cutoff_at"],
}


def clamp(value):
    """As assessments.date_range.clamp with the default range, frozen here."""
    if value is None or FIRST - DAY <= value <= LAST + DAY:
        return value
    return min(max(value, FIRST), LAST)


def clamp_stored_dates(apps, schema_editor):
    for model_name, fields in DATE_FIELDS.items():
        model = apps.get_model("assessments", model_name)
        far = models.Q()
        for name in fields:
            far |= models.Q(**{f"{name}__lt": FIRST - DAY}) | models.Q(**{f"{name}__gt": LAST + DAY})
        for row in model.objects.filter(far).only("pk", *fields):
            for name in fields:
                setattr(row, name, clamp(getattr(row, name)))
            row.save(update_fields=fields)


def moment(label, **kwargs):
    return models.DateTimeField(
        label, validators=[assessments.date_range.validate_moment], **kwargs
    )


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_grade_files'),
        ('courses', '0004_assignment_block'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assignment',
            name='lesson',
            field=models.ForeignKey(on_delete=assessments.models.assignments.keep_pupils_work, related_name='assignments', to='courses.lessonpage', verbose_name='lesson'),
        ),
        migrations.AlterField(
            model_name='assignment',
            name='course',
            field=models.ForeignKey(editable=False, on_delete=assessments.models.assignments.keep_pupils_work, related_name='+', to='courses.coursepage'),
        ),
        migrations.AlterField(
            model_name='assignment',
            name='opens_at',
            field=moment('opens', null=True, blank=True),
        ),
        migrations.AlterField(
            model_name='assignment',
            name='due_at',
            field=moment('due', null=True, blank=True),
        ),
        migrations.AlterField(
            model_name='assignment',
            name='cutoff_at',
            field=moment('cut-off', null=True, blank=True, help_text='After this moment nothing is accepted. Empty: late work is always accepted.'),
        ),
        migrations.AlterField(
            model_name='groupdeadline',
            name='opens_at',
            field=moment('opens', null=True, blank=True),
        ),
        migrations.AlterField(
            model_name='groupdeadline',
            name='due_at',
            field=moment('due', null=True, blank=True),
        ),
        migrations.AlterField(
            model_name='groupdeadline',
            name='cutoff_at',
            field=moment('cut-off', null=True, blank=True),
        ),
        migrations.AlterField(
            model_name='extension',
            name='due_at',
            field=moment('due'),
        ),
        migrations.AlterField(
            model_name='extension',
            name='cutoff_at',
            field=moment('cut-off', null=True, blank=True),
        ),
        migrations.RunPython(clamp_stored_dates, migrations.RunPython.noop),
    ]
