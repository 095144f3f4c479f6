"""The parts of the pupil's quiz pages that are plain computation: which questions fall on which
page, the navigation, the time left, the summary rows, the finished attempts and what the
review shows of each question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from assessments.gradebook import number
from assessments.models import Submission
from assessments.quiz import marking, quiz_marks
from assessments.quiz.models import AttemptQuestion, QuizAttempt
from assessments.quiz.rendering import QuestionView, add_review, question_view
from assessments.quiz.review import Shown
from assessments.quiz.spec import QType
from assessments.scoring import AttemptScore, counted_score
from assessments.submissions import PupilState


def layout(questions: list[AttemptQuestion], per_page: int) -> list[list[AttemptQuestion]]:
    """Pages of questions, in the attempt's order; 0 per page: all on one."""
    questions = sorted(questions, key=lambda q: q.position)
    if not questions:
        return []
    if per_page <= 0:
        return [questions]
    return [questions[i : i + per_page] for i in range(0, len(questions), per_page)]


def numbering(questions: list[AttemptQuestion]) -> dict[int, int]:
    """The number each question shows: descriptions take none, so the questions count 1, 2, 3
    whatever text stands between them."""
    numbers, count = {}, 0
    for question in sorted(questions, key=lambda q: q.position):
        if _needs_answer(question):
            count += 1
            numbers[question.position] = count
    return numbers


@dataclass(frozen=True)
class NavItem:
    position: int
    number: int
    page: int
    answered: bool
    needs_answer: bool
    current: bool


def _needs_answer(question: AttemptQuestion) -> bool:
    return question.version.qtype != QType.DESCRIPTION


def _answered(question: AttemptQuestion) -> bool:
    return question.response is not None and marking.is_answered(
        question.version.spec, question.response
    )


def navigation(layout_: list[list[AttemptQuestion]], current: int) -> list[NavItem]:
    numbers = numbering([q for questions in layout_ for q in questions])
    return [
        NavItem(
            q.position,
            numbers.get(q.position, 0),
            page,
            _answered(q),
            _needs_answer(q),
            page == current,
        )
        for page, questions in enumerate(layout_, start=1)
        for q in questions
    ]


def summary_rows(layout_: list[list[AttemptQuestion]]) -> list[NavItem]:
    return navigation(layout_, 0)


def seconds_left(attempt: QuizAttempt, now: datetime) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(int((attempt.deadline_at - now).total_seconds()), 0)


@dataclass(frozen=True)
class FinishedRow:
    submission: Submission
    attempt: QuizAttempt | None
    points: Decimal | None  # released points only
    waiting: bool  # handed in, marks not released yet (or essays to mark)


def finished_row(submission: Submission) -> FinishedRow:
    grade = getattr(submission, "grade", None)
    released = grade is not None and grade.is_released
    return FinishedRow(
        submission=submission,
        attempt=getattr(submission, "quiz_attempt", None),
        points=grade.final_points if released else None,
        waiting=not released,
    )


def counted_points(state: PupilState) -> Decimal | None:
    """The points that count (best or last attempt, by the assignment's rule), released only."""
    scores = []
    for submission in state.submitted:
        grade = getattr(submission, "grade", None)
        if grade is not None and grade.is_released and grade.final_points is not None:
            scores.append(AttemptScore(submission.attempt, grade.final_points))
    best = counted_score(scores, state.assignment.counts)
    return best.final_points if best else None


def _points(value: Decimal | None) -> str:
    """Points as the pupil reads them: "0,33" in Russian, never a float's 16 digits."""
    return "" if value is None else number(value.quantize(quiz_marks.CENT))


def reviewed(questions: list[AttemptQuestion], shown: Shown) -> list[QuestionView]:
    views = []
    numbers = numbering(questions)
    for question in sorted(questions, key=lambda q: q.position):
        spec = question.version.spec
        view = question_view(
            question.position,
            spec,
            question.order,
            question.response,
            disabled=True,
            number=numbers.get(question.position),
        )
        result = marking.mark(spec, question.response)
        if question.manual_mark is not None and question.max_mark:
            fraction = float(question.manual_mark / question.max_mark)
            state = "right" if fraction >= 1 else "wrong" if fraction <= 0 else "partial"
            result.fraction, result.state = fraction, state
        add_review(
            view,
            result,
            points=_points(quiz_marks.question_points(question)),
            max_mark=_points(question.max_mark),
            show_correctness=shown.correctness,
            show_marks=shown.marks,
            show_right_answer=shown.right_answer,
            show_feedback=shown.feedback,
            comment=question.comment,
        )
        views.append(view)
    return views
