"""The sheet arithmetic (contests.sheet_scores), directly: every kind of line, the caps, a total
below zero, the average and the median of one, two and three judges, best run against the sum,
every tie rule, missing times and runs not scored yet. No database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from contests.sheet_scores import (
    NO_TIME,
    PLACES,
    CriterionSpec,
    RunResult,
    SheetError,
    clean_counts,
    combine,
    max_sheet_score,
    run_result,
    sheet_score,
    task_result,
)

ITEM = CriterionSpec(1, "item", D("10"), 3)  # up to 3 × 10
BONUS = CriterionSpec(2, "item", D("2.5"), 1)
PENALTY = CriterionSpec(3, "penalty", D("4"), 5)  # up to 5 × −4
TIME = CriterionSpec(4, "time", D("0"), 1)
SHEET = [ITEM, BONUS, PENALTY, TIME]


def run(number: int, score, time=None) -> RunResult:
    return RunResult(number, D(str(score)), None if time is None else D(str(time)))


# --- One sheet -------------------------------------------------------------------------------


def test_items_count_their_points():
    assert sheet_score(SHEET, {"1": 2, "2": 1}) == D("22.5")


def test_penalties_take_points_off():
    assert sheet_score(SHEET, {"1": 3, "3": 2}) == D("22")


def test_a_total_below_zero_is_zero():
    assert sheet_score(SHEET, {"1": 1, "3": 5}) == D("0")
    assert sheet_score([PENALTY], {"3": 1}) == D("0")


def test_the_time_line_is_not_points():
    assert sheet_score(SHEET, {"4": 99}) == D("0")
    assert sheet_score([TIME], {}) == D("0")


def test_counts_are_capped_at_the_lines_maximum():
    assert sheet_score(SHEET, {"1": 7}) == D("30")
    assert sheet_score(SHEET, {"1": 3, "3": 50}) == D("10")  # the penalty too: 5 × 4


def test_a_negative_count_counts_nothing():
    assert sheet_score(SHEET, {"1": 2, "3": -3}) == D("20")
    assert sheet_score(SHEET, {"1": -1}) == D("0")


def test_counts_keyed_by_number_or_text_and_missing_lines_are_zero():
    assert sheet_score(SHEET, {1: 1, "2": 1}) == D("12.5")
    assert sheet_score(SHEET, {}) == D("0")
    assert sheet_score(SHEET, {"1": None}) == D("0")


def test_points_may_be_given_as_text_or_numbers():
    criteria = [CriterionSpec(1, "item", "0.1", 3), CriterionSpec(2, "item", 0.2, 1)]
    assert sheet_score(criteria, {"1": 3, "2": 1}) == D("0.5")  # no float drift


def test_the_maximum_of_a_sheet_counts_items_only():
    assert max_sheet_score(SHEET) == D("32.5")
    assert max_sheet_score([PENALTY, TIME]) == D("0")
    assert max_sheet_score([]) == D("0")


# --- Cleaning the counts ---------------------------------------------------------------------


def test_clean_counts_gives_every_line_as_text_keys():
    assert clean_counts(SHEET, {"1": "2", "3": 1}) == {"1": 2, "2": 0, "3": 1}


def test_clean_counts_reads_number_keys_too():
    # A JSON body or a caller may key by the criterion's id as a number: never lost.
    assert clean_counts(SHEET, {1: 3, 2: "1"}) == {"1": 3, "2": 1, "3": 0}


@pytest.mark.parametrize("blank", ["", "  ", None])
def test_clean_counts_takes_nothing_as_zero(blank):
    assert clean_counts([ITEM], {"1": blank}) == {"1": 0}


@pytest.mark.parametrize("value", [" 2 ", "+2", 2])
def test_clean_counts_takes_whole_numbers(value):
    assert clean_counts([ITEM], {"1": value}) == {"1": 2}


@pytest.mark.parametrize("value", ["2.5", "two", "1_0", "٣", "1e1", True, 2.0, [], "9" * 50])
def test_clean_counts_refuses_what_is_not_a_whole_number(value, english):
    with pytest.raises(SheetError, match="whole number"):
        clean_counts([ITEM], {"1": value})


@pytest.mark.parametrize("value", [-1, "-1", 4, "4", 1000])
def test_clean_counts_refuses_counts_outside_the_line(value, english):
    with pytest.raises(SheetError, match="between 0 and 3"):
        clean_counts([ITEM], {"1": value})


def test_clean_counts_accepts_the_limits():
    assert clean_counts([ITEM], {"1": 0}) == {"1": 0}
    assert clean_counts([ITEM], {"1": 3}) == {"1": 3}


def test_clean_counts_refuses_lines_the_task_does_not_have(english):
    with pytest.raises(SheetError, match="lines this task does not have"):
        clean_counts(SHEET, {"99": 1})
    with pytest.raises(SheetError):  # the time is no count: it has its own field
        clean_counts(SHEET, {"4": 1})


# --- Several judges --------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["average", "median"])
def test_one_judge_is_their_own_score(how):
    assert combine([D("17.5")], how) == D("17.5")


def test_two_judges_average_and_median_agree():
    assert combine([D("10"), D("15")], "average") == D("12.5")
    assert combine([D("10"), D("15")], "median") == D("12.5")


def test_three_judges_average_and_median_differ():
    scores = [D("10"), D("11"), D("30")]
    assert combine(scores, "average") == D("17")
    assert combine(scores, "median") == D("11")


def test_an_average_is_kept_to_the_stored_precision():
    third = combine([D("10"), D("10"), D("11")], "average")
    assert third == D("10.3333333333")
    assert third.as_tuple().exponent == PLACES.as_tuple().exponent


def test_a_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert combine([D("1"), D("9"), D("4"), D("6")], "median") == D("5")


def test_combine_takes_numbers_and_text_and_refuses_nothing():
    assert combine([10, "20"], "average") == D("15")
    with pytest.raises(ValueError):
        combine([], "average")


def test_a_run_combines_its_judges_scores_and_times():
    result = run_result(2, [(D("10"), D("60")), (D("20"), D("62")), (D("30"), None)], "median")
    assert result == RunResult(2, D("20"), D("61"))  # times of the two sheets that have one


def test_a_run_without_any_time_has_none():
    assert run_result(1, [(D("10"), None), (D("12"), None)], "average").time_seconds is None


def test_a_run_of_one_judge():
    assert run_result(3, [(D("8"), D("41.5"))], "average") == RunResult(3, D("8"), D("41.5"))


# --- Several runs ----------------------------------------------------------------------------


def test_the_best_run_counts():
    score, _key = task_result([run(1, 20), run(2, 35), run(3, 10)], "best", "none", 3)
    assert score == D("35")


def test_the_runs_added_up():
    score, _key = task_result([run(1, 20), run(2, 35), run(3, 10)], "sum", "none", 3)
    assert score == D("65")


@pytest.mark.parametrize("runs_count", ["best", "sum"])
def test_no_run_scored_yet_is_zero(runs_count):
    score, key = task_result([], runs_count, "runs_time", 2)
    assert score == D("0")
    expected = (D("0"), NO_TIME) if runs_count == "best" else (D("0"), D("0"), NO_TIME)
    assert key == expected


def test_runs_not_scored_yet_count_zero_in_the_key():
    _score, key = task_result([run(1, 30, 50)], "best", "runs_time", 3)
    assert key == (D("0"), D("0"), D("-50"))


# --- Ties ------------------------------------------------------------------------------------


def ranking(results: dict[str, tuple]) -> list[str]:
    """Names in standings order: score, then tie key, larger first."""
    return sorted(results, key=lambda name: results[name], reverse=True)


def test_ties_by_the_better_second_run_then_the_time():
    a = task_result([run(1, 40, 70), run(2, 30, 65)], "best", "runs_time", 2)
    b = task_result([run(1, 40, 60), run(2, 20, 50)], "best", "runs_time", 2)
    assert a[0] == b[0] == D("40")
    assert ranking({"a": a, "b": b}) == ["a", "b"]  # 30 beats 20, though b was faster


def test_equal_runs_are_decided_by_the_best_runs_shorter_time():
    a = task_result([run(1, 40, 70), run(2, 30, 65)], "best", "runs_time", 2)
    b = task_result([run(1, 40, 60), run(2, 30, 99)], "best", "runs_time", 2)
    assert ranking({"a": a, "b": b}) == ["b", "a"]


def test_the_best_run_among_equal_scores_is_the_faster_one():
    _score, key = task_result([run(1, 40, 90), run(2, 40, 55)], "best", "runs_time", 2)
    assert key == (D("40"), D("-55"))


def test_ties_by_time_only():
    a = task_result([run(1, 40, 70), run(2, 39, 10)], "best", "time", 2)
    b = task_result([run(1, 40, 60), run(2, 0, 20)], "best", "time", 2)
    assert a[1] == (D("-70"),)
    assert ranking({"a": a, "b": b}) == ["b", "a"]


def test_ties_shared_have_no_key():
    a = task_result([run(1, 40, 70)], "best", "none", 2)
    b = task_result([run(1, 40, 10)], "best", "none", 2)
    assert a == b == (D("40"), ())


def test_a_missing_time_loses_to_any_time():
    with_time = task_result([run(1, 40, 9999)], "best", "time", 1)
    without = task_result([run(1, 40)], "best", "time", 1)
    assert without[1] == (NO_TIME,)
    assert ranking({"with": with_time, "without": without}) == ["with", "without"]


def test_a_run_with_a_time_is_the_best_among_equal_scores():
    _score, key = task_result([run(1, 40), run(2, 40, 80)], "best", "time", 2)
    assert key == (D("-80"),)


def test_sum_ties_go_to_the_better_best_run():
    a = task_result([run(1, 50, 90), run(2, 30, 90)], "sum", "runs_time", 2)
    b = task_result([run(1, 40, 10), run(2, 40, 10)], "sum", "runs_time", 2)
    assert a[0] == b[0] == D("80")
    assert a[1] == (D("50"), D("30"), D("-90"))
    assert ranking({"a": a, "b": b}) == ["a", "b"]


def test_sum_ties_by_time_use_the_best_runs_time():
    a = task_result([run(1, 50, 90), run(2, 30, 10)], "sum", "time", 2)
    assert a == (D("80"), (D("-90"),))


def test_keys_of_one_task_have_one_length_whatever_was_run():
    for runs_count in ("best", "sum"):
        lengths = {
            len(task_result(runs, runs_count, "runs_time", 3)[1])
            for runs in ([], [run(1, 5)], [run(1, 5), run(2, 6)], [run(n, n) for n in (1, 2, 3)])
        }
        assert len(lengths) == 1, runs_count


def test_more_runs_than_allowed_keep_the_key_length():
    _score, key = task_result([run(n, n * 10) for n in (1, 2, 3)], "best", "runs_time", 2)
    assert key == (D("20"), NO_TIME)


def test_one_run_allowed_breaks_ties_by_time():
    _score, key = task_result([run(1, 12, 33)], "best", "runs_time", 1)
    assert key == (D("-33"),)


def test_keys_compare_as_tuples_with_equal_scores_then_shared():
    a = task_result([run(1, 40, 60), run(2, 30, 60)], "best", "runs_time", 2)
    b = task_result([run(1, 40, 60), run(2, 30, 60)], "best", "runs_time", 2)
    assert a == b  # the same everywhere: a shared place
