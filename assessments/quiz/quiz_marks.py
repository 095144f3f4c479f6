"""A quiz attempt's marks: each question marked (assessments.quiz.marking), the total written as
the attempt's Grade through assessments.grading, so the gradebook, the queue and the pupil's
grades read quizzes as they read every other work. Essays wait for the teacher: the total is
written once the last one is marked. A teacher's change of one question's mark, and a regrade
of all attempts, are recorded (MarkChange) besides the GradeChange of the total."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import grading, notifications
from assessments.deadlines import Timetable, pupil_timetable
from assessments.models import Grade, Notification, Submission
from assessments.quiz import marking
from assessments.quiz.models import AttemptQuestion, MarkChange, Quiz, QuizAttempt, Regrade
from assessments.quiz.spec import QType
from assessments.scoring import ScoreError, parse_points
from lms import numbers
from lms.models import StudyGroup, User

CENT = Decimal("0.01")


def timetable_of(submission: Submission) -> Timetable:
    return pupil_timetable(submission.assignment, submission.pupil_id, submission.group_id)


def _as_decimal(value: float) -> Decimal:
    return Decimal(repr(value))


def question_points(question: AttemptQuestion) -> Decimal | None:
    """The question's points in this attempt: the teacher's mark if given, else the automatic
    one; None while an essay waits for the teacher (or for a description)."""
    if question.manual_mark is not None:
        return question.manual_mark
    if question.fraction is None:
        return None
    return _as_decimal(question.fraction) * question.max_mark


def is_marked(question: AttemptQuestion) -> bool:
    """An essay with an answer needs the teacher's mark; everything else is marked by then."""
    return question.manual_mark is not None or question.state != "needs_grading"


def total_points(questions: list[AttemptQuestion], max_points: Decimal) -> Decimal | None:
    """The attempt's points out of the assignment's, or None while any question waits."""
    if not all(is_marked(q) for q in questions):
        return None
    counted = [q for q in questions if q.version.qtype != QType.DESCRIPTION]
    out_of = sum((q.max_mark for q in counted), Decimal(0))
    if out_of <= 0:
        return Decimal(0)
    got = sum((question_points(q) or Decimal(0) for q in counted), Decimal(0))
    return min(got / out_of * max_points, max_points).quantize(CENT, rounding=ROUND_HALF_UP)


def _write_total(
    attempt: QuizAttempt, submission: Submission, questions: list[AttemptQuestion], by: User | None
) -> Grade | None:
    quiz = attempt.quiz
    assignment = quiz.assignment
    points = total_points(questions, assignment.max_points)
    if points is None:
        if by is None:  # just handed in: the teacher has essays to mark
            notifications.announce(Notification.Kind.SUBMITTED, submission.pk)
        return None
    existing = Grade.objects.filter(submission=submission).first()
    release = quiz.release == Quiz.Release.AT_ONCE or bool(existing and existing.is_released)
    return grading.save_grade(
        submission,
        by,
        points=points,
        feedback=existing.feedback if existing else "",
        release=release,
        announce=by is not None,
    )


def mark_attempt(attempt: QuizAttempt, submission: Submission) -> Grade | None:
    """Mark every question of a handed-in attempt and write its total (if complete)."""
    questions = list(attempt.questions.select_related("version"))
    for question in questions:
        result = marking.mark(question.version.spec, question.response)
        question.fraction, question.state = result.fraction, result.state
    AttemptQuestion.objects.bulk_update(questions, ["fraction", "state"])
    return _write_total(attempt, submission, questions, by=None)


def _mark_state(question: AttemptQuestion) -> dict:
    points = question_points(question)
    return {
        "points": None if points is None else f"{points.quantize(CENT):f}",
        "fraction": question.fraction,
        "manual_mark": None if question.manual_mark is None else str(question.manual_mark),
        "comment": question.comment,
        "version": question.version_id,
    }


def set_question_mark(
    question: AttemptQuestion, by: User, points: str | Decimal | None, comment: str = ""
) -> Grade | None:
    """A teacher's mark for one question of a handed-in attempt (an essay, or an override of
    the automatic mark; empty points: back to the automatic mark). Raises ScoreError."""
    with transaction.atomic():
        locked = (
            AttemptQuestion.objects.select_for_update(of=("self",))
            .select_related("version", "attempt__quiz__assignment", "attempt__submission")
            .get(pk=question.pk)
        )
        submission = locked.attempt.submission
        if submission.status == Submission.Status.DRAFT:
            raise ScoreError(_("This attempt is still open: it can be marked once handed in."))
        if locked.version.qtype == QType.DESCRIPTION:
            raise ScoreError(_("A description carries no mark."))
        if points is None or str(points).strip() == "":
            if locked.fraction is None:
                raise ScoreError(_("Enter the points."))
            value = None
        else:
            value = parse_points(str(points))
            if value < 0 or value > locked.max_mark:
                raise ScoreError(
                    _("The points must be between 0 and %(max)s.")
                    % {"max": numbers.number(locked.max_mark)}
                )
        comment = (comment or "").strip()[:5000]
        before = _mark_state(locked)
        locked.manual_mark, locked.comment, locked.marked_by = value, comment, by
        after = _mark_state(locked)
        if before == after:
            return Grade.objects.filter(submission=submission).first()
        locked.save(update_fields=["manual_mark", "comment", "marked_by"])
        MarkChange.objects.create(question=locked, changed_by=by, before=before, after=after)
        questions = list(locked.attempt.questions.select_related("version"))
        return _write_total(locked.attempt, submission, questions, by)


@dataclass
class RegradeResult:
    regrade: Regrade
    changed: list[MarkChange]
    kept_version: int  # questions not moved to a new version whose answers changed shape


def _same_shape(old, new) -> bool:
    return old.qtype == new.qtype and len(old.spec.answers) == len(new.spec.answers)


def regrade(
    quiz: Quiz, by: User, *, groups: Iterable[StudyGroup] | None = None, to_latest: bool = False
) -> RegradeResult:
    """Mark every handed-in attempt of the quiz again (after a question was fixed), only in
    `groups` if given (a teacher regrades the groups they grade), optionally moving each
    question to its latest version where the answers keep their shape. Every change of a mark
    is listed and recorded; totals change through grading (GradeChange)."""
    with transaction.atomic():
        record = Regrade.objects.create(quiz=quiz, done_by=by, to_latest=to_latest)
        scope = QuizAttempt.objects.filter(quiz=quiz)
        if groups is not None:
            scope = scope.filter(submission__group__in=list(groups))
        attempts = list(
            scope.select_for_update(of=("self",))
            .exclude(submission__status=Submission.Status.DRAFT)
            .select_related("submission", "quiz__assignment")
        )
        questions = list(
            AttemptQuestion.objects.filter(attempt__in=attempts).select_related(
                "version__question__latest"
            )
        )
        by_attempt: dict[int, list[AttemptQuestion]] = {}
        changes, kept = [], 0
        for question in questions:
            by_attempt.setdefault(question.attempt_id, []).append(question)
            before = _mark_state(question)
            if to_latest:
                latest = question.version.question.latest
                if latest.pk != question.version_id:
                    if _same_shape(question.version, latest):
                        question.version = latest
                    else:
                        kept += 1
            result = marking.mark(question.version.spec, question.response)
            question.fraction, question.state = result.fraction, result.state
            after = _mark_state(question)
            if after != before:
                changes.append(
                    MarkChange(
                        question=question, changed_by=by, before=before, after=after, regrade=record
                    )
                )
        changed_ids = {change.question.pk for change in changes}
        AttemptQuestion.objects.bulk_update(
            [q for q in questions if q.pk in changed_ids], ["fraction", "state", "version"]
        )
        MarkChange.objects.bulk_create(changes)
        moved = {change.question.attempt_id for change in changes}
        for attempt in attempts:
            if attempt.pk in moved:
                _write_total(attempt, attempt.submission, by_attempt.get(attempt.pk, []), by)
        record.attempts = len(attempts)
        record.save(update_fields=["attempts"])
    return RegradeResult(record, changes, kept)
