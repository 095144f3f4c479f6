"""Judging contest runs (contests.judging): for real in the sandbox (a right and a wrong Python
program, a C++ compilation error), the scores and subtask scores the standings add up, claims
(none lost, none judged twice), judge errors that never count, and the standings moved on
commit."""

import shutil
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.programming import judge, sandbox
from assessments.programming.spec import Scoring, SubtaskSpec, TestSpec, Verdict
from contests import judging, submitting
from contests.models import Run, Task
from tests.assessments.programming.builders import SUM_PY, WRONG_PY, make_problem, sum_spec
from tests.contests.builders import add_participant, add_task, make_contest

pytestmark = pytest.mark.django_db

SMALL_ONLY_PY = "a, b = map(int, input().split())\nprint(a + b if abs(a) < 1000 else 0)\n"
BROKEN_CPP = "#include <iostream>\nint main() { std::cout << ; }\n"


@pytest.fixture
def real_sandbox():
    """The sandbox as the programming judge's tests use it; skipped where it cannot start."""
    sandbox.bwrap_path.cache_clear()
    if not sandbox.bwrap_path():
        pytest.skip("bubblewrap is not available here")


def setup_round(rules="ioi", max_score=100, **spec_changes):
    contest = make_contest(rules=rules)
    problem = make_problem(sum_spec(**spec_changes))
    task = add_task(contest, "A", kind=Task.Kind.PROGRAMMING, problem=problem, max_score=max_score)
    return contest, task, add_participant(contest)


def judged(contest, task, participant, source, language="python") -> Run:
    run = submitting.submit_code(contest, participant, task, None, language, source)
    assert judging.judge_run(run.pk)
    run.refresh_from_db()
    return run


def test_a_right_program_is_accepted_with_full_score(real_sandbox):
    contest, task, participant = setup_round()
    run = judged(contest, task, participant, SUM_PY)
    assert (run.state, run.verdict, run.tests_passed, run.tests_total) == ("done", "OK", 5, 5)
    assert run.score == Decimal(100) and run.judged_at is not None
    assert [Decimal(s) for s in run.subtask_scores] == [Decimal(40), Decimal(60)]
    assert [row["verdict"] for row in run.details] == ["OK"] * 5
    assert run.claim == "" and run.judge_runs == 1


def test_a_wrong_program_is_rejected_and_hidden_tests_keep_their_data(real_sandbox):
    contest, task, participant = setup_round(rules="icpc")
    run = judged(contest, task, participant, WRONG_PY)
    assert run.verdict == "WA" and run.score == Decimal(0)
    examples = [row for row in run.details if row["is_example"]]
    hidden = [row for row in run.details if not row["is_example"]]
    assert examples[0]["output"].strip() == "-1" and examples[0]["message"]
    assert hidden and all("output" not in row and "message" not in row for row in hidden)
    assert "1000000000001" not in str(run.details)


def test_a_partial_program_scores_its_subtasks(real_sandbox):
    contest, task, participant = setup_round(max_score=50)
    run = judged(contest, task, participant, SMALL_ONLY_PY)
    assert run.verdict == "WA" and run.tests_passed == 4
    assert run.score == Decimal(20)  # subtask 1: 40 of 100 problem points, of 50
    assert [Decimal(s) for s in run.subtask_scores] == [Decimal(20), Decimal(0)]


@pytest.mark.skipif(shutil.which("g++") is None, reason="no g++ here")
def test_a_cpp_compilation_error_is_ce_with_the_compiler_message(real_sandbox):
    contest, task, participant = setup_round()
    run = judged(contest, task, participant, BROKEN_CPP, language="cpp")
    assert run.verdict == "CE" and "error" in run.compile_output
    assert run.score == Decimal(0) and run.tests_passed == 0 and run.details == []


def test_a_verdict_moves_the_standings_on_commit(real_sandbox, django_capture_on_commit_callbacks):
    contest, task, participant = setup_round()
    run = submitting.submit_code(contest, participant, task, None, "python", SUM_PY)
    before = contest.standings_version
    with django_capture_on_commit_callbacks(execute=True):
        assert judging.judge_run(run.pk)
    contest.refresh_from_db()
    assert contest.standings_version == before + 1


def test_a_practice_verdict_does_not_move_the_standings(django_capture_on_commit_callbacks):
    contest, task, participant = setup_round()
    run = Run.objects.create(
        contest=contest,
        participant=participant,
        task=task,
        submitted_at=timezone.now(),
        time_seconds=0,
        is_practice=True,
        code=SUM_PY,
        state="running",
        claim="t",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert judging.finish(run, "t", judge.Judgement(Verdict.OK), sum_spec())
    contest.refresh_from_db()
    assert contest.standings_version == 0


def test_a_claim_is_taken_once_and_a_stale_one_is_requeued(real_sandbox):
    contest, task, participant = setup_round()
    run = submitting.submit_code(contest, participant, task, None, "python", SUM_PY)
    token = judging.claim(run.pk)
    assert token and judging.claim(run.pk) is None  # another worker finds it taken
    Run.objects.filter(pk=run.pk).update(
        claimed_at=timezone.now() - judging.stale_after() - timedelta(seconds=1)
    )
    out = StringIO()
    call_command("requeue_contest_runs", stdout=out)
    assert "1" in out.getvalue()
    assert judging.judge_run(run.pk)
    run.refresh_from_db()
    assert run.verdict == "OK" and run.judge_runs == 2
    assert not judging.finish(run, token, judge.Judgement(Verdict.WA), sum_spec())  # the dead one
    run.refresh_from_db()
    assert run.verdict == "OK"


def test_after_too_many_claims_the_run_is_a_judge_error_that_counts_nothing():
    contest, task, participant = setup_round()
    run = submitting.submit_code(contest, participant, task, None, "python", SUM_PY)
    Run.objects.filter(pk=run.pk).update(judge_runs=judging.MAX_CLAIMS)
    assert judging.judge_run(run.pk)
    run.refresh_from_db()
    assert (run.state, run.verdict, run.score, run.subtask_scores) == ("done", "IE", None, [])


def test_imported_and_quiz_runs_are_never_claimed():
    contest, task, participant = setup_round()
    imported = Run.objects.create(
        contest=contest,
        participant=participant,
        task=task,
        submitted_at=timezone.now() - timedelta(hours=1),
        time_seconds=0,
        source="imported",
        state="queued",
    )
    assert judging.claim(imported.pk) is None
    assert judging.requeue_stale() == 0


def test_rejudge_queues_the_runs_again(real_sandbox):
    contest, task, participant = setup_round()
    run = judged(contest, task, participant, SUM_PY)
    assert judging.rejudge([run]) == 1
    run.refresh_from_db()
    assert run.state == "queued" and run.judge_runs == 0
    assert judging.judge_run(run.pk)


# --- the arithmetic, without the sandbox -----------------------------------------------------


def judgement(verdicts, subtasks, verdict=Verdict.OK):
    tests = [
        judge.TestVerdict(index=i, verdict=Verdict(v), subtask=s, points=1.0)
        for i, (v, s) in enumerate(zip(verdicts, subtasks, strict=True))
    ]
    return judge.Judgement(verdict=verdict, tests=tests)


def test_subtask_shares_add_up_to_the_task_points_exactly():
    spec = sum_spec(subtasks=[SubtaskSpec(1), SubtaskSpec(1), SubtaskSpec(1)])
    shares = judging.subtask_shares(spec, Decimal(100))
    assert sum(shares) == Decimal(100)
    assert shares[0] == Decimal("33.3333333333")
    unweighted = sum_spec(subtasks=[SubtaskSpec(0), SubtaskSpec(0)])
    assert judging.subtask_shares(unweighted, Decimal(7)) == [Decimal("3.5"), Decimal("3.5")]


def test_a_runs_subtask_scores_add_up_to_its_score():
    spec = sum_spec(
        subtasks=[SubtaskSpec(1), SubtaskSpec(1), SubtaskSpec(1)],
        tests=[TestSpec("", "", subtask=s) for s in (0, 1, 2)],
    )
    for verdicts in (["OK", "OK", "WA"], ["OK", "WA", "OK"], ["OK", "OK", "OK"]):
        score, parts = judging.run_score(judgement(verdicts, [0, 1, 2], Verdict.WA), spec, 100)
        assert score == sum(parts)
    # Best per subtask over two runs that each pass a part: the whole task, exactly.
    _s1, first = judging.run_score(judgement(["OK", "OK", "WA"], [0, 1, 2]), spec, 100)
    _s2, second = judging.run_score(judgement(["WA", "WA", "OK"], [0, 1, 2]), spec, 100)
    assert sum(max(a, b) for a, b in zip(first, second, strict=True)) == Decimal(100)


def test_per_test_scores_are_kept_unrounded_and_a_judge_error_scores_nothing():
    spec = sum_spec(scoring=Scoring.PER_TEST, subtasks=[], tests=[TestSpec("", "")] * 3)
    score, parts = judging.run_score(judgement(["OK", "WA", "WA"], [0, 0, 0]), spec, 100)
    assert score == Decimal("33.3333333333") and parts == [score]
    assert judging.run_score(judge.Judgement(Verdict.IE), spec, 100) == (None, [])
    assert judging.run_score(judge.Judgement(Verdict.CE), spec, 100) == (Decimal(0), [Decimal(0)])


def test_the_judges_verdicts_get_the_contests_names():
    assert judging.contest_verdict(Verdict.RE) == "RTE"
    assert judging.contest_verdict(Verdict.SE) == "SV"
    assert judging.contest_verdict(Verdict.TLE) == "TLE"
