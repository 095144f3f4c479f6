"""An extension belongs to one group (assignment, pupil, group): a pupil in two groups has two
teachers, and each may change only their own group's extension.

Existing rows get the group of the pupil's submissions for that assignment; without any, one
row for each group the pupil is a pupil of that takes the assignment (its course, or the
module the lesson is in, as assessments.group_scope.group_assignments reads it). A row matching no
group is dropped: no teacher could reach it and it applied to no timetable.

The column was added in 0006; 0008 makes it required."""

from django.db import migrations




def _groups_taking(apps, assignment, pupil_id):
    Enrollment = apps.get_model("courses", "Enrollment")
    Membership = apps.get_model("lms", "Membership")
    pupil_groups = Membership.objects.filter(user_id=pupil_id, role="pupil").values("group_id")
    groups = set()
    lesson_path = assignment.lesson.path
    for group_id, module_path in Enrollment.objects.filter(
        course_id=assignment.course_id, group_id__in=pupil_groups
    ).values_list("group_id", "module__path"):
        if module_path is None or lesson_path.startswith(module_path):
            groups.add(group_id)
    return groups


def fill_groups(apps, schema_editor):
    Extension = apps.get_model("assessments", "Extension")
    Submission = apps.get_model("assessments", "Submission")
    for extension in Extension.objects.select_related("assignment__lesson").order_by("pk"):
        groups = set(
            Submission.objects.filter(
                assignment_id=extension.assignment_id, pupil_id=extension.pupil_id
            ).values_list("group_id", flat=True)
        ) or _groups_taking(apps, extension.assignment, extension.pupil_id)
        if not groups:
            extension.delete()
            continue
        first, *others = sorted(groups)
        extension.group_id = first
        extension.save(update_fields=["group"])
        for group_id in others:  # one copy for each further group
            copy = Extension.objects.create(
                assignment_id=extension.assignment_id,
                pupil_id=extension.pupil_id,
                group_id=group_id,
                due_at=extension.due_at,
                cutoff_at=extension.cutoff_at,
                granted_by_id=extension.granted_by_id,
                reason=extension.reason,
            )
            Extension.objects.filter(pk=copy.pk).update(granted_at=extension.granted_at)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_extension_per_group'),
        ('courses', '0004_assignment_block'),
        ('lms', '0003_access'),
    ]

    operations = [
        migrations.RunPython(fill_groups, migrations.RunPython.noop),
    ]
