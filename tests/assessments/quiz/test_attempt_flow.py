"""Taking a quiz through its pages: start, answers saved one by one, hand in, marks, review."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Grade, Submission
from assessments.quiz import attempts
from assessments.quiz.models import QuizAttempt
from tests.assessments.quiz.builders import RIGHT_RESPONSES

pytestmark = pytest.mark.django_db


def _start(client, setup):
    response = client.post(reverse("quiz:start", args=[setup.assignment.pk]))
    assert response.status_code == 302
    return QuizAttempt.objects.get(submission__assignment=setup.assignment, finished_at=None)


def _post_answer(client, attempt, position, response: dict | None):
    data = {"position": position, f"q{position}-present": "1"}
    for key, value in (response or {}).items():
        if key == "choice" or key == "choices" or key == "text":
            data[f"q{position}"] = value
        elif key == "pairs":
            for left, right in value.items():
                data[f"q{position}-{left}"] = right
    return client.post(reverse("quiz:answer", args=[attempt.pk]), data)


def test_a_pupil_takes_the_quiz_and_gets_the_points(client, quiz_class, pupil):
    setup = quiz_class["plain"]
    client.force_login(pupil)
    page = client.get(reverse("quiz:quiz", args=[setup.assignment.pk]))
    assert page.status_code == 200
    attempt = _start(client, setup)
    page = client.get(reverse("quiz:attempt", args=[attempt.pk]))
    assert page.status_code == 200
    for position, response in enumerate(RIGHT_RESPONSES, start=1):
        if response is None:
            continue
        saved = _post_answer(client, attempt, position, response)
        assert saved.status_code == 200, saved.content
        assert saved.json()["ok"]
    again = _post_answer(client, attempt, 1, RIGHT_RESPONSES[0])
    assert again.json() == {"ok": True, "changed": False}
    response = client.post(reverse("quiz:finish", args=[attempt.pk]))
    assert response.status_code == 302
    submission = Submission.objects.get(pk=attempt.pk)
    assert submission.status == Submission.Status.SUBMITTED
    assert not Grade.objects.filter(submission=submission).exists()  # the essay waits
    review = client.get(reverse("quiz:review", args=[attempt.pk]))
    assert review.status_code == 200


def test_time_up_closes_the_attempt_with_the_answers_given(client, quiz_class, pupil):
    setup = quiz_class["timed"]
    client.force_login(pupil)
    attempt = _start(client, setup)
    assert attempt.deadline_at is not None
    first = attempt.questions.get(position=1)
    saved = _post_answer(
        client,
        attempt,
        1,
        {
            "choice": first.version.spec.answers.index(
                next(a for a in first.version.spec.answers if a.fraction == 1)
            )
        },
    )
    assert saved.status_code == 200
    later = attempt.deadline_at + timedelta(seconds=10)
    assert attempts.close_overdue(now=later) == 1
    submission = Submission.objects.get(pk=attempt.pk)
    assert submission.status == Submission.Status.GRADED  # marks are released at once
    assert submission.submitted_at == attempt.deadline_at
    grade = Grade.objects.get(submission=submission)
    assert grade.points == Decimal("3.33")
    assert grade.is_released
