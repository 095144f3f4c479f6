"""Handing code in and judging it for real in the sandbox: verdicts, points through the
gradebook's Grade, claims (none lost, none graded twice), rejudging, and the bad input the
issue lists."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import submissions
from assessments.models import Grade, GradeChange, Submission
from assessments.programming import authoring, judging, submitting
from assessments.programming.models import CodeExercise, CodeSubmission, JudgedTest, Problem
from assessments.programming.spec import TestSpec
from tests.assessments.programming.builders import SUM_CPP, SUM_PY, WRONG_PY, sum_spec

pytestmark = pytest.mark.django_db

SMALL_ONLY_PY = "a, b = map(int, input().split())\nprint(a + b if abs(a) < 1000 else 0)\n"


def _state(pupil, exercise: CodeExercise):
    return submissions.pupil_state(pupil, exercise.assignment)


def _submit(pupil, exercise, source, language="python", **kwargs):
    return submitting.submit(_state(pupil, exercise), pupil, exercise, language, source, **kwargs)


def _judged(code: CodeSubmission) -> CodeSubmission:
    assert judging.judge_submission(code.pk)
    code.refresh_from_db()
    return code


def test_a_right_solution_scores_every_point_and_is_released(code_class, pupil):
    exercise = code_class["exercise"]
    code = _judged(_submit(pupil, exercise, SUM_PY))
    assert (code.state, code.verdict, code.tests_passed, code.tests_total) == ("done", "OK", 5, 5)
    grade = Grade.objects.get(submission=code.submission)
    assert grade.points == Decimal("10.00") and grade.is_released
    assert code.submission.__class__.objects.get(pk=code.pk).status == Submission.Status.GRADED
    assert (
        list(JudgedTest.objects.filter(code_submission=code).values_list("verdict", flat=True))
        == ["OK"] * 5
    )


def test_cpp_is_compiled_and_judged(code_class, pupil):
    code = _judged(_submit(pupil, code_class["exercise"], SUM_CPP, language="cpp"))
    assert code.verdict == "OK" and code.points == Decimal("10.00")


def test_a_subtask_scores_only_when_all_its_tests_pass(code_class, pupil):
    code = _judged(_submit(pupil, code_class["exercise"], SMALL_ONLY_PY))
    assert code.verdict == "WA"
    assert code.points == Decimal("4.00")  # 40 of 100 problem points, of the assignment's 10
    assert code.tests_passed == 4  # test 5 (-5 5) passes too, but its subtask does not


def test_wrong_answer_and_compilation_error_score_zero(code_class, pupil):
    exercise = code_class["exercise"]
    wrong = _judged(_submit(pupil, exercise, WRONG_PY))
    assert (wrong.verdict, wrong.points) == ("WA", Decimal("0.00"))
    broken = _judged(_submit(pupil, exercise, "print(1", language="python"))
    assert broken.verdict == "CE" and "SyntaxError" in broken.compile_output
    assert Grade.objects.get(submission=broken.submission).points == Decimal("0.00")


def test_hidden_test_data_never_reaches_the_pupil(client, code_class, pupil):
    code = _judged(_submit(pupil, code_class["exercise"], WRONG_PY))
    client.force_login(pupil)
    body = client.get(f"/work/code/submissions/{code.pk}/status/").json()
    hidden = [t for t in body["tests"] if not t["is_example"]]
    assert hidden and all(t["output"] == "" and t["message"] == "" for t in hidden)
    shown = [t for t in body["tests"] if t["is_example"]]
    assert shown[0]["output"].strip() == "-1" and shown[0]["message"]
    assert "1000000000001" not in str(body)


def test_two_submits_at_once_make_one_attempt(code_class, pupil):
    exercise = code_class["exercise"]
    first = _submit(pupil, exercise, SUM_PY)
    again = _submit(pupil, exercise, SUM_PY)  # the same click, sent twice
    assert again.pk == first.pk
    assert Submission.objects.filter(assignment=exercise.assignment, pupil=pupil).count() == 1


def test_a_claim_is_taken_once_and_a_stale_one_is_judged_again_once(code_class, pupil):
    code = _submit(pupil, code_class["exercise"], SUM_PY)
    token = judging.claim(code.pk)
    assert token and judging.claim(code.pk) is None  # another worker finds it taken
    # The worker dies: its claim goes stale and the submission is queued again.
    CodeSubmission.objects.filter(pk=code.pk).update(
        claimed_at=timezone.now() - judging.stale_after() - timedelta(seconds=1)
    )
    assert judging.requeue_stale() == 1
    code = _judged(code)
    assert code.verdict == "OK" and code.judge_runs == 2
    assert not judging.finish(code, token, judging.judge.Judgement("OK"), None)  # the dead one
    grade = Grade.objects.get(submission=code.submission)
    assert GradeChange.objects.filter(grade=grade).count() == 1  # graded once


def test_rejudge_after_a_test_is_fixed_rewrites_the_grade(code_class, pupil):
    exercise = code_class["exercise"]
    problem = exercise.problem
    code = _judged(_submit(pupil, exercise, SMALL_ONLY_PY))
    assert code.points == Decimal("4.00")
    spec = authoring.spec_of(problem)
    spec.tests[3] = TestSpec("10 1\n", "11\n", "04", subtask=1)  # the big test was "wrong"
    authoring.store(spec, problem=problem, check=False)
    Problem.objects.filter(pk=problem.pk).update(reference=Problem.Reference.PASSED)
    judging.rejudge([code], by=None)
    code = _judged(code)
    assert code.points == Decimal("10.00")
    assert Grade.objects.get(submission=code.submission).history.count() == 2


def test_penalty_for_each_earlier_wrong_submission(code_class, pupil):
    exercise = code_class["exercise"]
    CodeExercise.objects.filter(pk=exercise.pk).update(wrong_submission_penalty=10)
    exercise.refresh_from_db()
    _judged(_submit(pupil, exercise, WRONG_PY))
    right = _judged(_submit(pupil, exercise, SUM_PY))
    assert right.points == Decimal("9.00")


@pytest.mark.parametrize(
    ("source", "language", "fragment"),
    [
        ("x" * (1024 * 1024 + 1), "python", "1024"),
        ("print(1)\x00", "python", "NUL"),
        ("   \n", "python", ""),
        ("print(1)", "java", ""),
        ("print('\ud800')", "python", ""),
    ],
)
def test_bad_code_is_refused_and_nothing_is_saved(code_class, pupil, source, language, fragment):
    with pytest.raises(submitting.CodeRefused) as refused:
        _submit(pupil, code_class["exercise"], source, language=language)
    assert fragment in str(refused.value)
    assert not Submission.objects.filter(pupil=pupil).exists()


def test_nothing_is_taken_after_the_cut_off(code_class, pupil):
    exercise = code_class["exercise"]
    assignment = exercise.assignment
    now = timezone.now()
    assignment.due_at = now - timedelta(hours=2)
    assignment.cutoff_at = now - timedelta(seconds=1)
    assignment.save()
    with pytest.raises(submitting.CodeRefused):
        _submit(pupil, exercise, SUM_PY)
    assert not Submission.objects.filter(pupil=pupil).exists()


def test_an_unpublished_problem_takes_no_submissions(code_class, pupil):
    Problem.objects.filter(pk=code_class["problem"].pk).update(is_published=False)
    with pytest.raises(submitting.CodeRefused):
        _submit(pupil, CodeExercise.objects.get(pk=code_class["exercise"].pk), SUM_PY)


def test_the_reference_solution_is_judged_and_gates_publishing(db):
    problem = authoring.store(sum_spec(), check=False)
    assert authoring.check_reference(problem.pk).reference == Problem.Reference.PASSED
    authoring.set_published(problem, True)
    failing = authoring.store(sum_spec(solutions={"python": WRONG_PY}), check=False)
    failing = authoring.check_reference(failing.pk)
    assert failing.reference == Problem.Reference.FAILED
    assert failing.reference_report[0]["failed_tests"] == [1, 2, 3, 4, 5]
    with pytest.raises(authoring.ProblemError):
        authoring.set_published(failing, True)


def test_a_problem_without_tests_cannot_be_published(db):
    problem = authoring.store(sum_spec(tests=[], scoring="per_test", subtasks=[]), check=False)
    problem = authoring.check_reference(problem.pk)
    with pytest.raises(authoring.ProblemError):
        authoring.set_published(problem, True)


def test_a_checker_decides_and_a_crashing_checker_is_a_judge_error(code_class, pupil):
    checker = (
        "import sys\n"
        "out = open(sys.argv[2]).read().split()\n"
        "ans = open(sys.argv[3]).read().split()\n"
        "sys.exit(0 if out == ans else 1)\n"
    )
    spec = sum_spec(comparison="checker", checker=checker)
    problem = authoring.store(spec, check=False)
    assert authoring.check_reference(problem.pk).reference == Problem.Reference.PASSED
    crashing = authoring.store(sum_spec(comparison="checker", checker="1/0"), check=False)
    crashing = authoring.check_reference(crashing.pk)
    assert crashing.reference == Problem.Reference.FAILED
    assert crashing.reference_report[0]["verdict"] == "IE"


def test_the_requeue_command_hands_a_dead_workers_submission_to_a_new_task(code_class, pupil):
    from io import StringIO

    from django.core.management import call_command

    code = _submit(pupil, code_class["exercise"], SUM_PY)
    assert judging.claim(code.pk)  # a worker took it, then died
    CodeSubmission.objects.filter(pk=code.pk).update(
        claimed_at=timezone.now() - judging.stale_after() - timedelta(seconds=1)
    )
    out = StringIO()
    call_command("requeue_judging", stdout=out)
    assert out.getvalue().strip() == "queued again: 1"
    code.refresh_from_db()
    assert code.state == CodeSubmission.State.QUEUED and code.claim == ""
    out = StringIO()
    call_command("requeue_judging", stdout=out)  # queued anew: not swept twice
    assert out.getvalue().strip() == "queued again: 0"
    assert _judged(code).verdict == "OK"
