"""Background work of quizzes (Django's Tasks API)."""

from django_tasks import task


@task()
def close_attempt(attempt_id: int) -> bool:
    """Close one attempt whose time is up, with the answers saved so far."""
    from assessments.quiz import attempts
    from assessments.quiz.models import QuizAttempt

    attempt = QuizAttempt.objects.filter(pk=attempt_id, finished_at__isnull=True).first()
    if attempt is None or not attempts.is_overdue(attempt, attempts.timezone.now()):
        return False
    return attempts.finish(attempt, closed_by=QuizAttempt.ClosedBy.TIME)
