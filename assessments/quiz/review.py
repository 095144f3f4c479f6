"""What a pupil may see of a quiz attempt, and when: Moodle's review-options matrix (during the
attempt, right after it, later while the quiz is open, after it closes) over the attempt, its
right/wrong marks, points, right answers and feedback; marks only once they are released."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assessments.deadlines import Timetable
from assessments.models import Submission
from assessments.quiz.models import QuizAttempt

# Moodle's "immediately after the attempt": the first two minutes.
IMMEDIATELY = timedelta(minutes=2)


def moment(attempt: QuizAttempt, timetable: Timetable, now: datetime) -> str:
    if attempt.finished_at is None:
        return "during"
    if now <= attempt.finished_at + IMMEDIATELY:
        return "immediately"
    closes = timetable.cutoff_at or timetable.due_at
    if closes is not None and now > closes:
        return "closed"
    return "open"


@dataclass(frozen=True)
class Shown:
    attempt: bool
    correctness: bool
    marks: bool
    right_answer: bool
    feedback: bool

    @property
    def anything(self) -> bool:
        return self.attempt or self.marks


def shown(
    attempt: QuizAttempt, submission: Submission, timetable: Timetable, now: datetime
) -> Shown:
    quiz = attempt.quiz
    when = moment(attempt, timetable, now)
    grade = getattr(submission, "grade", None)
    released = grade is not None and grade.is_released
    # Marks wait for the teacher's release, and so does whatever would tell them.
    telling = released or when == "during"
    return Shown(
        attempt=quiz.shows(when, "attempt"),
        correctness=quiz.shows(when, "correctness") and telling,
        marks=quiz.shows(when, "marks") and released,
        right_answer=quiz.shows(when, "right_answer") and telling,
        feedback=quiz.shows(when, "feedback") and telling,
    )
