"""An assignment of kind code always has its exercise settings (the problem chosen later)."""

from assessments.models import Assignment
from assessments.programming.models import CodeExercise


def exercise_for_assignment(sender, instance: Assignment, raw: bool = False, **kwargs) -> None:
    if not raw and instance.kind == Assignment.Kind.CODE:
        CodeExercise.objects.get_or_create(assignment=instance)
