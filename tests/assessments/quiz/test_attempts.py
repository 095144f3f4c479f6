"""Attempts as services: the draw, saving answers, the time limit, handing in, marks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from assessments import submissions
from assessments.models import Grade, GradeChange, Submission
from assessments.quiz import attempts, questions, quiz_marks
from assessments.quiz.attempts import AnswerRefused
from assessments.quiz.models import AttemptQuestion, MarkChange, QuizAttempt
from assessments.quiz.spec import Answer, QType
from assessments.submissions import SubmitError
from tests.assessments.quiz.builders import RIGHT_RESPONSES, single

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages read in English


def _state(pupil, setup, now=None):
    return submissions.pupil_state(pupil, setup.assignment, now=now)


def _start(pupil, setup, now=None):
    return attempts.start(_state(pupil, setup, now), pupil, now=now)


def _answer_all_right(attempt, pupil):
    for question in attempt.questions.select_related("version").order_by("position"):
        response = RIGHT_RESPONSES[question.slot_number - 1]
        if response is not None:
            attempts.save_answer(attempt, pupil, question.position, response)


def test_starting_twice_gives_the_same_attempt(quiz_class, pupil):
    setup = quiz_class["plain"]
    first = _start(pupil, setup)
    second = _start(pupil, setup)
    assert first.pk == second.pk
    assert first.questions.count() == 9
    assert Submission.objects.filter(assignment=setup.assignment, pupil=pupil).count() == 1


def test_random_slots_draw_different_questions_and_keep_the_draw(quiz_class, pupil):
    setup = quiz_class["timed"]
    attempt = _start(pupil, setup)
    drawn = list(attempt.questions.values_list("version__question_id", flat=True))
    assert len(drawn) == 3 and len(set(drawn)) == 3
    again = _start(pupil, setup)  # a reload, another device: the same questions
    assert list(again.questions.values_list("version__question_id", flat=True)) == drawn


def test_archived_questions_are_not_drawn(quiz_class, pupil):
    setup = quiz_class["timed"]
    pool = setup.quiz.slots.first().random_category
    pool_questions = list(pool.questions.order_by("pk"))
    for question in pool_questions[3:]:
        question.is_archived = True
        question.save()
    attempt = _start(pupil, setup)
    drawn = set(attempt.questions.values_list("version__question_id", flat=True))
    assert drawn == {q.pk for q in pool_questions[:3]}


def test_too_small_a_pool_is_refused_with_a_message(quiz_class, pupil):
    setup = quiz_class["timed"]
    pool = setup.quiz.slots.first().random_category
    pool.questions.exclude(pk=pool.questions.first().pk).update(is_archived=True)
    with pytest.raises(SubmitError, match="more questions"):
        _start(pupil, setup)
    assert not Submission.objects.filter(assignment=setup.assignment).exists()


def test_a_category_a_quiz_draws_from_cannot_be_deleted(quiz_class):
    pool = quiz_class["timed"].quiz.slots.first().random_category
    assert "holds questions" in questions.category_deletion_refusal(pool)
    pool.questions.all().delete()  # unused questions may go
    assert "draws random questions" in questions.category_deletion_refusal(pool)
    with pytest.raises(ProtectedError):
        pool.delete()


def test_answers_are_saved_one_by_one_and_twice_is_harmless(quiz_class, pupil):
    attempt = _start(pupil, quiz_class["plain"])
    saved = attempts.save_answer(attempt, pupil, 1, {"choice": 2})
    assert saved.changed
    again = attempts.save_answer(attempt, pupil, 1, {"choice": 2})
    assert not again.changed
    assert AttemptQuestion.objects.get(attempt=attempt, position=1).response == {"choice": 2}


@pytest.mark.parametrize(
    "position, response, message",
    [
        (99, {"choice": 0}, "not part of your attempt"),
        (1, {"choice": 10**9}, "cannot be read"),
        (1, ["not", "a", "dict"], "cannot be read"),
        (9, {"text": "x"}, "takes no answer"),  # the description
    ],
)
def test_answers_that_do_not_fit_are_refused(quiz_class, pupil, position, response, message):
    attempt = _start(pupil, quiz_class["plain"])
    with pytest.raises(AnswerRefused, match=message):
        attempts.save_answer(attempt, pupil, position, response)
    assert not AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_another_pupils_attempt_takes_no_answer(quiz_class, pupil):
    other = quiz_class["school"].pupils_a[1]
    attempt = _start(pupil, quiz_class["plain"])
    with pytest.raises(AnswerRefused):
        attempts.save_answer(attempt, other, 1, {"choice": 0})


def test_an_answer_after_the_time_is_refused_and_closes_the_attempt(quiz_class, pupil):
    setup = quiz_class["timed"]
    start = timezone.now()
    attempt = _start(pupil, setup, now=start)
    attempts.save_answer(attempt, pupil, 1, {"choice": 0}, now=start + timedelta(minutes=5))
    deadline = attempt.deadline_at
    assert deadline == start + timedelta(minutes=10)
    # At the deadline plus the grace an answer in flight still counts; a second later it does not.
    attempts.save_answer(attempt, pupil, 2, {"choice": 1}, now=deadline + attempts.GRACE)
    with pytest.raises(AnswerRefused, match="time is up"):
        attempts.save_answer(
            attempt, pupil, 3, {"choice": 1}, now=deadline + attempts.GRACE + timedelta(seconds=1)
        )
    submission = Submission.objects.get(pk=attempt.pk)
    assert submission.status != Submission.Status.DRAFT
    assert submission.submitted_at == deadline
    closed = QuizAttempt.objects.get(pk=attempt.pk)
    assert closed.closed_by == QuizAttempt.ClosedBy.TIME
    given = dict(attempt.questions.values_list("position", "response"))
    assert given == {1: {"choice": 0}, 2: {"choice": 1}, 3: None}


def test_the_deadline_never_passes_the_cutoff(quiz_class, pupil):
    setup = quiz_class["timed"]
    now = timezone.now()
    setup.assignment.due_at = now + timedelta(minutes=2)
    setup.assignment.cutoff_at = now + timedelta(minutes=4)
    setup.assignment.save()
    attempt = _start(pupil, setup, now=now)
    assert attempt.deadline_at == setup.assignment.cutoff_at


def test_handing_in_twice_hands_in_once_and_marks(quiz_class, pupil):
    setup = quiz_class["plain"]
    attempt = _start(pupil, setup)
    _answer_all_right(attempt, pupil)
    assert attempts.finish(attempt) is True
    assert attempts.finish(attempt) is False
    marks = dict(attempt.questions.values_list("slot_number", "state"))
    assert marks == {
        1: "right",
        2: "right",
        3: "right",
        4: "right",
        5: "right",
        6: "right",
        7: "right",
        8: "needs_grading",
        9: "info",
    }
    # The essay waits for the teacher: no total yet, the queue shows it as handed in.
    assert not Grade.objects.filter(submission_id=attempt.pk).exists()


def test_the_essay_mark_completes_the_total_and_overrides_are_audited(quiz_class, pupil):
    setup = quiz_class["plain"]
    teacher = quiz_class["school"].teacher_a
    attempt = _start(pupil, setup)
    _answer_all_right(attempt, pupil)
    attempts.finish(attempt)
    essay = attempt.questions.get(slot_number=8)
    grade = quiz_marks.set_question_mark(essay, teacher, "0.5", "Хорошо, но коротко.")
    assert grade.points == Decimal("9.38")  # 7.5 of 8 marks, out of 10 points
    assert grade.is_released
    single_choice = attempt.questions.get(slot_number=1)
    grade = quiz_marks.set_question_mark(single_choice, teacher, "0")
    assert grade.points == Decimal("8.13")
    assert MarkChange.objects.filter(question__attempt=attempt).count() == 2
    assert GradeChange.objects.filter(grade=grade).count() == 2
    back = quiz_marks.set_question_mark(single_choice, teacher, "")  # the automatic mark again
    assert back.points == Decimal("9.38")


@pytest.mark.parametrize("points", ["-1", "2", "abc", "NaN"])
def test_a_mark_outside_the_question_is_refused(quiz_class, pupil, points):
    from assessments.scoring import ScoreError

    attempt = _start(pupil, quiz_class["plain"])
    _answer_all_right(attempt, pupil)
    attempts.finish(attempt)
    essay = attempt.questions.get(slot_number=8)
    with pytest.raises(ScoreError):
        quiz_marks.set_question_mark(essay, quiz_class["school"].teacher_a, points)
    assert not MarkChange.objects.exists()


def test_a_question_edited_mid_attempt_keeps_the_attempts_version(quiz_class, pupil):
    setup = quiz_class["plain"]
    attempt = _start(pupil, setup)
    question = setup.questions[0]
    old_version = question.latest
    fixed = single(right=1)  # the author fixes the right answer
    questions.save_version(question, fixed, None)
    held = attempt.questions.get(slot_number=1)
    assert held.version_id == old_version.pk
    attempts.save_answer(attempt, pupil, held.position, {"choice": 0})
    attempts.finish(attempt)
    held.refresh_from_db()
    assert held.state == "right"  # marked against the version the pupil saw


def test_regrade_to_the_latest_version_lists_what_changed(quiz_class, pupil):
    setup = quiz_class["plain"]
    teacher = quiz_class["school"].teacher_a
    attempt = _start(pupil, setup)
    _answer_all_right(attempt, pupil)
    attempts.finish(attempt)
    quiz_marks.set_question_mark(attempt.questions.get(slot_number=8), teacher, "1")
    questions.save_version(setup.questions[0], single(right=1), None)
    kept = quiz_marks.regrade(setup.quiz, teacher)  # same versions: nothing moves
    assert kept.changed == []
    result = quiz_marks.regrade(setup.quiz, teacher, to_latest=True)
    assert [change.question.slot_number for change in result.changed] == [1]
    grade = Grade.objects.get(submission_id=attempt.pk)
    assert grade.points == Decimal("8.75")
    assert grade.history.count() == 2


def test_a_version_whose_answers_changed_shape_is_not_moved(quiz_class, pupil):
    setup = quiz_class["plain"]
    attempt = _start(pupil, setup)
    _answer_all_right(attempt, pupil)
    attempts.finish(attempt)
    spec = single()
    spec.answers.append(Answer("Лидар", 0.0))
    questions.save_version(setup.questions[0], spec, None)
    result = quiz_marks.regrade(setup.quiz, quiz_class["school"].teacher_a, to_latest=True)
    assert result.kept_version == 1 and result.changed == []


def test_close_overdue_closes_only_what_is_overdue(quiz_class, pupil):
    setup = quiz_class["timed"]
    other = quiz_class["school"].pupils_a[1]
    now = timezone.now()
    late = _start(pupil, setup, now=now - timedelta(minutes=30))
    fresh = _start(other, setup, now=now)
    assert attempts.close_overdue(now=now) == 1
    assert Submission.objects.get(pk=late.pk).status != Submission.Status.DRAFT
    assert Submission.objects.get(pk=fresh.pk).status == Submission.Status.DRAFT


def test_the_validation_refuses_meaningless_questions():
    from assessments.quiz.spec import QuestionSpec
    from assessments.quiz.validation import problems

    matching = QuestionSpec(
        qtype=QType.MATCHING, text="?", answers=[Answer("a", match="b"), Answer("", match="c")]
    )
    assert any("two pairs" in p for p in problems(matching))
    weighted = single()
    weighted.answers[0].fraction = 1.5
    assert any("between" in p for p in problems(weighted))


def test_a_quiz_takes_no_rubric(quiz_class):
    from django.core.exceptions import ValidationError

    from tests.assessments.builders import make_rubric

    assignment = quiz_class["plain"].assignment
    assignment.rubric = make_rubric()
    with pytest.raises(ValidationError, match="rubric"):
        assignment.clean()


def test_descendants_reads_only_the_banks_it_starts_in(quiz_class, django_assert_num_queries):
    from assessments.quiz.drawing import descendants

    course = quiz_class["tree"].course
    top = questions.category_at(course, "Верх/Середина/Низ")
    middle = top.parent
    park_child = questions.category_at(None, "Общий/Вложенный")
    with django_assert_num_queries(1):
        assert descendants([middle.parent_id]) == {middle.parent_id, middle.pk, top.pk}
    assert descendants([park_child.parent_id]) == {park_child.parent_id, park_child.pk}
    both = descendants([middle.pk, park_child.parent_id])
    assert both == {middle.pk, top.pk, park_child.parent_id, park_child.pk}
