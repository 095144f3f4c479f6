"""Scoring of a judged submission (assessments/programming/scoring.py): no database."""

from decimal import Decimal

import pytest

from assessments.programming.scoring import (
    SubtaskResult,
    TestOutcome,
    first_failure,
    score,
    subtask_results,
    wrong_submission_penalty,
)
from assessments.programming.spec import Scoring, SubtaskSpec, Verdict

OK, WA, TLE, RE = Verdict.OK, Verdict.WA, Verdict.TLE, Verdict.RE
TEN = Decimal("10")


def outcomes(*verdicts, subtasks=None, points=None):
    return [
        TestOutcome(v, subtask=subtasks[i] if subtasks else 0, points=points[i] if points else 0.0)
        for i, v in enumerate(verdicts)
    ]


# --- SUBTASKS -----------------------------------------------------------------------------------

THREE = [SubtaskSpec(20, "n ≤ 10"), SubtaskSpec(30, "n ≤ 1000"), SubtaskSpec(50)]


def test_subtasks_all_passed_is_full_points():
    run = outcomes(OK, OK, OK, OK, subtasks=[0, 1, 1, 2])
    assert score(run, Scoring.SUBTASKS, THREE, TEN) == Decimal("10.00")


def test_a_subtask_with_one_failing_test_scores_zero():
    run = outcomes(OK, OK, WA, OK, OK, subtasks=[0, 1, 1, 1, 2])
    # 20 + 50 of 100 → 7 of 10; the 30-point subtask lost all of it for one test
    assert score(run, Scoring.SUBTASKS, THREE, TEN) == Decimal("7.00")
    run = outcomes(TLE, OK, OK, OK, subtasks=[0, 1, 1, 2])
    assert score(run, Scoring.SUBTASKS, THREE, TEN) == Decimal("8.00")


def test_subtasks_scaled_to_the_assignment():
    run = outcomes(OK, WA, WA, subtasks=[0, 1, 2])
    assert score(run, Scoring.SUBTASKS, THREE, Decimal("5")) == Decimal("1.00")
    assert score(run, Scoring.SUBTASKS, THREE, Decimal("1")) == Decimal("0.20")


def test_a_subtask_without_tests_is_never_passed():
    run = outcomes(OK, OK, subtasks=[0, 1])  # subtask 2 has no tests
    assert score(run, Scoring.SUBTASKS, THREE, TEN) == Decimal("5.00")


def test_subtasks_worth_zero_count_equally():
    zero = [SubtaskSpec(0), SubtaskSpec(0), SubtaskSpec(0)]
    run = outcomes(OK, WA, OK, subtasks=[0, 1, 2])
    assert score(run, Scoring.SUBTASKS, zero, TEN) == Decimal("6.67")


def test_subtasks_scoring_without_subtasks_is_all_or_nothing():
    assert score(outcomes(OK, OK), Scoring.SUBTASKS, [], TEN) == Decimal("10.00")
    assert score(outcomes(OK, WA), Scoring.SUBTASKS, [], TEN) == Decimal("0.00")


def test_a_test_of_a_missing_subtask_is_an_error():
    with pytest.raises(ValueError, match="subtask 3"):
        score(outcomes(OK, subtasks=[3]), Scoring.SUBTASKS, THREE, TEN)
    with pytest.raises(ValueError):
        score(outcomes(OK, subtasks=[-1]), Scoring.SUBTASKS, THREE, TEN)


# --- PER_TEST -----------------------------------------------------------------------------------


def test_per_test_with_uneven_points():
    run = outcomes(OK, WA, OK, OK, points=[1, 2, 3, 4])
    assert score(run, Scoring.PER_TEST, [], TEN) == Decimal("8.00")
    run = outcomes(WA, OK, WA, WA, points=[1, 2, 3, 4])
    assert score(run, Scoring.PER_TEST, [], Decimal("5")) == Decimal("1.00")


def test_per_test_float_points_are_taken_as_written():
    run = outcomes(OK, OK, OK, WA, points=[0.1, 0.1, 0.1, 0.7])
    assert score(run, Scoring.PER_TEST, [], TEN) == Decimal("3.00")


def test_per_test_all_worth_zero_counts_tests_equally():
    assert score(outcomes(OK, WA, WA, OK), Scoring.PER_TEST, [], TEN) == Decimal("5.00")


def test_per_test_ignores_subtask_indexes():
    run = outcomes(OK, WA, subtasks=[7, 9])
    assert score(run, Scoring.PER_TEST, [], TEN) == Decimal("5.00")


# --- rounding and bounds ------------------------------------------------------------------------


def test_one_third_of_ten_points_is_3_33():
    assert score(outcomes(OK, WA, WA), Scoring.PER_TEST, [], TEN) == Decimal("3.33")
    assert score(outcomes(OK, OK, WA), Scoring.PER_TEST, [], TEN) == Decimal("6.67")


def test_two_thirds_of_three_is_exactly_two():
    assert score(outcomes(OK, OK, WA), Scoring.PER_TEST, [], Decimal("3")) == Decimal("2.00")


def test_rounding_is_half_up():
    # 1/8 of 1 point = 0.125 → 0.13 (banker's rounding would give 0.12)
    run = outcomes(OK, *[WA] * 7)
    assert score(run, Scoring.PER_TEST, [], Decimal("1")) == Decimal("0.13")


def test_never_above_max_points():
    assert score(outcomes(OK), Scoring.PER_TEST, [], Decimal("10.005")) == Decimal("10.00")
    assert score(outcomes(OK), Scoring.ALL_OR_NOTHING, [], Decimal("10.005")) == Decimal("10.00")


def test_zero_max_points_scores_zero():
    assert score(outcomes(OK), Scoring.PER_TEST, [], Decimal("0")) == Decimal("0.00")


@pytest.mark.parametrize("scoring", list(Scoring))
def test_no_outcomes_score_zero(scoring):
    assert score([], scoring, THREE, TEN) == Decimal("0.00")


def test_scoring_given_as_its_stored_string_works():
    assert score(outcomes(OK, WA), "per_test", [], TEN) == Decimal("5.00")


# --- ALL_OR_NOTHING -----------------------------------------------------------------------------


def test_all_or_nothing():
    assert score(outcomes(OK, OK, OK), Scoring.ALL_OR_NOTHING, [], TEN) == Decimal("10.00")
    assert score(outcomes(OK, OK, RE), Scoring.ALL_OR_NOTHING, [], TEN) == Decimal("0.00")


# --- subtask_results ----------------------------------------------------------------------------


def test_subtask_results_rows():
    run = outcomes(OK, OK, WA, OK, subtasks=[0, 1, 1, 1])
    assert subtask_results(run, THREE) == [
        SubtaskResult(0, "n ≤ 10", 20, 20, True, tests=1, tests_ok=1),
        SubtaskResult(1, "n ≤ 1000", 30, 0.0, False, tests=3, tests_ok=2),
        SubtaskResult(2, "", 50, 0.0, False, tests=0, tests_ok=0),
    ]
    assert [row.number for row in subtask_results(run, THREE)] == [1, 2, 3]


def test_subtask_results_without_subtasks():
    assert subtask_results(outcomes(OK), []) == []


# --- wrong_submission_penalty -------------------------------------------------------------------


def test_the_first_submission_is_not_penalised():
    assert wrong_submission_penalty(Decimal("10"), 0, 10, TEN) == Decimal("10.00")


def test_each_earlier_wrong_submission_takes_a_share_of_max_points():
    assert wrong_submission_penalty(Decimal("10"), 2, 10, TEN) == Decimal("8.00")
    # the penalty is of max_points, not of what this submission earned
    assert wrong_submission_penalty(Decimal("5"), 2, 10, TEN) == Decimal("3.00")


def test_the_penalty_never_goes_below_zero():
    assert wrong_submission_penalty(Decimal("10"), 20, 10, TEN) == Decimal("0.00")
    assert wrong_submission_penalty(Decimal("10"), 10, 10, TEN) == Decimal("0.00")


def test_the_floor_keeps_a_share_of_the_earned_points():
    assert wrong_submission_penalty(Decimal("10"), 8, 10, TEN, floor_percent=50) == Decimal("5.00")
    # above the floor the floor does nothing
    assert wrong_submission_penalty(Decimal("10"), 2, 10, TEN, floor_percent=50) == Decimal("8.00")
    assert wrong_submission_penalty(Decimal("7"), 99, 10, TEN, floor_percent=30) == Decimal("2.10")


def test_nothing_earned_stays_nothing():
    assert wrong_submission_penalty(Decimal("0"), 3, 10, TEN, floor_percent=50) == Decimal("0.00")


def test_penalty_rounding_and_odd_arguments():
    assert wrong_submission_penalty(Decimal("3.33"), 1, 5, Decimal("3")) == Decimal("3.18")
    assert wrong_submission_penalty(Decimal("1"), 1, 33, Decimal("1.5")) == Decimal("0.51")
    assert wrong_submission_penalty(Decimal("10"), 1, 0, TEN) == Decimal("10.00")
    assert wrong_submission_penalty(Decimal("10"), -1, 10, TEN) == Decimal("10.00")
    assert wrong_submission_penalty(Decimal("10"), 1, 150, TEN) == Decimal("0.00")


# --- first_failure ------------------------------------------------------------------------------


def test_first_failure():
    assert first_failure(outcomes(OK, OK)) == OK
    assert first_failure(outcomes(OK, TLE, WA)) == TLE
    assert first_failure(outcomes(WA, TLE)) == WA


def test_first_failure_of_nothing_is_an_internal_error():
    assert first_failure([]) == Verdict.IE
