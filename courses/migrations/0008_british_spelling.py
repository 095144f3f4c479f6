"""One spelling across the project (British: enrol, enrolment, catalogue): Enrollment becomes
Enrolment (its table, reverse accessors and two constraints) and CatalogPage CataloguePage. Rows are kept (RenameModel renames the
table and the content type; the constraints are partial unique indexes, rebuilt under the new
names)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_safe_stored_names"),
        ("lms", "0006_login_keys_unique"),
        # assessments 0007 reads the model under its old name.
        ("assessments", "0007_extension_groups_filled"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="enrollment", name="one_course_enrollment_per_group"
        ),
        migrations.RemoveConstraint(
            model_name="enrollment", name="one_module_enrollment_per_group"
        ),
        migrations.RenameModel(old_name="Enrollment", new_name="Enrolment"),
        migrations.RenameModel(old_name="CatalogPage", new_name="CataloguePage"),
        migrations.AlterField(
            model_name="enrolment",
            name="group",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="enrolments",
                to="lms.studygroup",
                verbose_name="group",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="enrolments",
                to="courses.coursepage",
                verbose_name="course",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="module",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: the whole course.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="enrolments",
                to="courses.modulepage",
                verbose_name="module",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(
                condition=Q(module__isnull=True),
                fields=("group", "course"),
                name="one_course_enrolment_per_group",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(
                condition=Q(module__isnull=False),
                fields=("group", "module"),
                name="one_module_enrolment_per_group",
            ),
        ),
    ]
