"""An assignment of kind quiz always has its quiz settings (made with the defaults)."""

from assessments.models import Assignment
from assessments.quiz.models import Quiz


def quiz_for_assignment(sender, instance: Assignment, raw: bool = False, **kwargs) -> None:
    if not raw and instance.kind == Assignment.Kind.QUIZ:
        Quiz.objects.get_or_create(assignment=instance)
