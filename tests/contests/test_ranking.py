"""The standings' rules, directly (contests.ranking: no database)."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import zip_longest

import pytest

from contests import ranking
from contests.ranking import Cell, Row, RunFact, SheetFact

D = Decimal
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def run(minute: float, verdict: str = "OK", **fields) -> RunFact:
    seconds = int(minute * 60)
    fields.setdefault("submitted_at", T0 + timedelta(seconds=seconds))
    fields.setdefault("id", seconds)
    return RunFact(time_seconds=seconds, verdict=verdict, **fields)


def icpc(*runs: RunFact, **options) -> Cell:
    return ranking.icpc_cell(1, runs, **options)


def ioi(*runs: RunFact, max_score="100", **options) -> Cell:
    return ranking.ioi_cell(1, runs, max_score=D(max_score), **options)


# --- ICPC cells ----------------------------------------------------------------------------


class TestIcpcCell:
    def test_no_runs(self):
        cell = icpc()
        assert (cell.attempts, cell.solved, cell.penalty_minutes, cell.pending) == (0, False, 0, 0)
        assert cell.solved_seconds is None

    def test_first_run_accepted_costs_its_minute(self):
        cell = icpc(run(12.5))
        assert cell.solved and cell.attempts == 1
        assert cell.solved_seconds == 750
        assert cell.penalty_minutes == 12

    def test_the_minute_is_whole(self):
        assert icpc(run(59 / 60)).penalty_minutes == 0
        assert icpc(run(1)).penalty_minutes == 1
        assert icpc(run(119 / 60)).penalty_minutes == 1

    def test_rejected_runs_before_the_ok_cost_the_penalty_each(self):
        cell = icpc(run(5, "WA"), run(7, "TLE"), run(30))
        assert cell.attempts == 3
        assert cell.penalty_minutes == 2 * 20 + 30

    def test_penalty_per_run_is_the_contests_setting(self):
        assert icpc(run(5, "WA"), run(30), penalty_minutes=10).penalty_minutes == 40

    @pytest.mark.parametrize("verdict", ["WA", "TLE", "MLE", "RTE", "OLE", "PE", "SV", "PT"])
    def test_every_rejection_counts(self, verdict):
        assert icpc(run(5, verdict), run(30)).penalty_minutes == 50

    def test_unsolved_task_has_attempts_and_no_penalty(self):
        cell = icpc(run(5, "WA"), run(6, "WA"), run(7, "RTE"))
        assert (cell.solved, cell.attempts, cell.penalty_minutes) == (False, 3, 0)

    def test_compilation_error_does_not_count_by_default(self):
        cell = icpc(run(5, "CE"), run(6, "CE"), run(30))
        assert (cell.attempts, cell.penalty_minutes) == (1, 30)

    def test_compilation_error_counts_when_set(self):
        cell = icpc(run(5, "CE"), run(30), compile_error_counts=True)
        assert (cell.attempts, cell.penalty_minutes) == (2, 50)

    def test_compilation_errors_alone_leave_the_cell_empty(self):
        assert icpc(run(5, "CE")).attempts == 0
        assert icpc(run(5, "CE"), compile_error_counts=True).attempts == 1

    def test_judge_error_never_counts(self):
        cell = icpc(run(5, "IE"), run(30), compile_error_counts=True)
        assert (cell.attempts, cell.penalty_minutes, cell.pending) == (1, 30, 0)

    def test_judge_error_never_solves(self):
        assert not icpc(run(5, "IE")).solved

    def test_run_without_verdict_never_counts(self):
        assert icpc(run(5, "")).attempts == 0

    @pytest.mark.parametrize("state", ["queued", "running"])
    def test_runs_with_the_judge_are_pending(self, state):
        cell = icpc(run(5, "WA"), run(6, "", state=state))
        assert (cell.attempts, cell.pending, cell.solved) == (1, 1, False)

    def test_a_queued_run_before_the_ok_is_pending_and_costs_nothing(self):
        cell = icpc(run(5, "", state="queued"), run(30))
        assert (cell.attempts, cell.penalty_minutes, cell.pending) == (1, 30, 1)

    def test_runs_after_the_first_ok_are_ignored(self):
        cell = icpc(run(10), run(20, "WA"), run(25), run(40, "", state="queued"))
        assert (cell.attempts, cell.solved_seconds, cell.penalty_minutes) == (1, 600, 10)
        assert cell.pending == 0

    def test_runs_hidden_by_the_freeze_are_pending_and_count_nowhere(self):
        cell = icpc(run(5, "WA"), run(200, hidden=True), run(210, "WA", hidden=True))
        assert (cell.solved, cell.attempts, cell.pending, cell.penalty_minutes) == (
            False,
            1,
            2,
            0,
        )

    def test_an_ok_before_the_freeze_stays_visible(self):
        cell = icpc(run(5), run(200, "WA", hidden=True))
        assert cell.solved and cell.pending == 0

    def test_runs_are_taken_in_contest_time_order(self):
        cell = icpc(run(30), run(5, "WA"))
        assert (cell.attempts, cell.penalty_minutes) == (2, 50)

    def test_same_second_is_ordered_by_run_id(self):
        cell = icpc(run(5, "OK", id=2), run(5, "WA", id=1))
        assert cell.attempts == 2
        cell = icpc(run(5, "OK", id=1), run(5, "WA", id=2))
        assert cell.attempts == 1

    def test_solved_clock_is_the_clock_time(self):
        assert icpc(run(5)).solved_clock == (T0 + timedelta(minutes=5)).timestamp()

    def test_without_a_clock_time_there_is_none(self):
        assert icpc(run(5, submitted_at=None)).solved_clock is None


class TestIcpcQuizTask:
    """A quiz task: the last answer counts, whatever came before."""

    def test_wrong_then_right_is_solved_without_penalty_runs(self):
        cell = icpc(run(5, "WA"), run(9), last_only=True)
        assert (cell.solved, cell.attempts, cell.penalty_minutes) == (True, 1, 9)

    def test_right_then_wrong_is_not_solved(self):
        cell = icpc(run(5), run(9, "WA"), last_only=True)
        assert (cell.solved, cell.attempts) == (False, 1)

    def test_hidden_last_answer_leaves_the_visible_one(self):
        cell = icpc(run(5), run(200, "WA", hidden=True), last_only=True)
        assert (cell.solved, cell.pending) == (True, 1)

    def test_judge_error_is_not_the_last_answer(self):
        assert icpc(run(5), run(9, "IE"), last_only=True).solved


# --- IOI cells -----------------------------------------------------------------------------


class TestIoiCell:
    def test_no_runs_is_no_score(self):
        cell = ioi()
        assert cell.score is None and cell.attempts == 0 and not cell.solved

    def test_best_single_run(self):
        cell = ioi(run(1, "WA", score="30"), run(2, "PT", score="70"), run(3, "WA", score="50"))
        assert cell.score == D("70") and cell.attempts == 3 and not cell.solved

    def test_a_zero_run_is_a_score(self):
        assert ioi(run(1, "WA", score="0")).score == 0

    def test_a_run_without_points_scores_zero(self):
        assert ioi(run(1, "CE")).score == 0

    def test_judge_errors_and_waiting_runs_do_not_count(self):
        cell = ioi(
            run(1, "WA", score="10"),
            run(2, "IE", score="90"),
            run(3, "", state="queued"),
            run(4, "OK", score="100", hidden=True),
        )
        assert cell.score == D("10") and cell.attempts == 1 and cell.pending == 2

    def test_only_waiting_runs(self):
        cell = ioi(run(3, "", state="running"))
        assert cell.score is None and cell.pending == 1

    def test_full_score_is_solved_at_the_first_full_run(self):
        cell = ioi(run(1, "PT", score="40"), run(5, "OK", score="100"), run(9, "OK", score="100"))
        assert cell.solved and cell.solved_seconds == 300

    def test_scores_stay_unrounded(self):
        third = D(100) / 3
        assert ioi(run(1, "PT", score=third)).score == third

    def test_best_per_subtask_adds_the_best_of_each_subtask(self):
        runs = [
            run(1, "PT", score="10", subtask_scores=["10", "0", "0"]),
            run(2, "PT", score="20", subtask_scores=["0", "20", "0"]),
            run(3, "PT", score="5", subtask_scores=["0", "0", "5"]),
        ]
        assert ioi(*runs).score == D("20")
        assert ioi(*runs, best_per_subtask=True).score == D("35")

    def test_best_per_subtask_is_never_below_the_best_single_run(self):
        runs = [
            run(1, "PT", score="10", subtask_scores=["10", "0"]),
            run(2, "PT", score="60"),  # imported: a score and no subtask list
        ]
        assert ioi(*runs, best_per_subtask=True).score == D("60")

    def test_best_per_subtask_with_lists_of_different_lengths(self):
        runs = [
            run(1, "PT", score="10", subtask_scores=["10"]),
            run(2, "PT", score="30", subtask_scores=["5", "10", "15"]),
        ]
        assert ioi(*runs, best_per_subtask=True).score == D("35")

    def test_best_per_subtask_reaches_full_score_by_combining(self):
        third = D(100) / 3
        runs = [
            run(1, "PT", score=2 * third, subtask_scores=[third, third, 0]),
            run(4, "PT", score=third, subtask_scores=[0, 0, D(100) - 2 * third]),
        ]
        cell = ioi(*runs, best_per_subtask=True)
        assert cell.score == D(100) and cell.solved and cell.solved_seconds == 240

    def test_subtask_points_as_json_numbers(self):
        runs = [run(1, "PT", score="12.5", subtask_scores=[12.5, 0])]
        assert ioi(*runs, best_per_subtask=True).score == D("12.5")

    def test_ignored_runs_do_not_add_subtasks(self):
        runs = [
            run(1, "PT", score="10", subtask_scores=["10", "0"]),
            run(2, "IE", score="90", subtask_scores=["0", "90"]),
        ]
        assert ioi(*runs, best_per_subtask=True).score == D("10")

    def test_zero_max_score_is_never_solved(self):
        assert not ioi(run(1, "OK", score="0"), max_score="0").solved

    @pytest.mark.parametrize("seed", range(40))
    def test_one_pass_matches_the_definition(self, seed):
        # The board's one-pass computation against the rule written out plainly: random
        # runs with random subtask lists (ragged, partly missing, as numbers or Decimals).
        rng = random.Random(seed)
        runs = []
        for index in range(rng.randrange(1, 9)):
            width = rng.choice((0, 3, 3, 3, 4))
            subtasks = [D(rng.choice(("0", "10", "12.5", "25", "33.333333"))) for _ in range(width)]
            if subtasks and rng.random() < 0.2:
                subtasks = [float(v) for v in subtasks]
            score = D(rng.choice(("0", "25", "50", "75", "100"))) if rng.random() < 0.9 else None
            runs.append(
                run(index + 1, rng.choice(("OK", "WA", "IE")), score=score, subtask_scores=subtasks)
            )
        per_subtask = rng.random() < 0.7
        max_score = D(rng.choice(("75", "100")))
        cell = ranking.ioi_cell(1, runs, max_score=max_score, best_per_subtask=per_subtask)
        counted = [r for r in runs if r.verdict != "IE"]

        def total(prefix):
            best = max((D(str(r.score or 0)) for r in prefix), default=None)
            lists = [[D(str(v)) for v in r.subtask_scores] for r in prefix if r.subtask_scores]
            if per_subtask and lists:
                columns = zip_longest(*lists, fillvalue=D(0))
                combined = sum(lists[0]) if len(lists) == 1 else sum(max(c) for c in columns)
                best = max(best, combined)
            return best

        assert cell.score == total(counted)
        full = [i for i in range(len(counted)) if total(counted[: i + 1]) >= max_score]
        assert cell.solved is bool(full)
        assert cell.solved_seconds == (counted[full[0]].time_seconds if full else None)


class TestIoiQuizTask:
    def test_last_answer_counts_not_the_best(self):
        cell = ioi(run(1, "OK", score="100"), run(2, "WA", score="0"), last_only=True)
        assert cell.score == 0 and cell.attempts == 1 and not cell.solved

    def test_hidden_last_answer_is_pending(self):
        cell = ioi(
            run(1, "OK", score="100"), run(200, "WA", score="0", hidden=True), last_only=True
        )
        assert cell.score == D(100) and cell.pending == 1 and cell.solved

    def test_subtasks_do_not_combine_for_a_quiz(self):
        runs = [
            run(1, "PT", score="10", subtask_scores=["10", "0"]),
            run(2, "PT", score="5", subtask_scores=["0", "5"]),
        ]
        assert ioi(*runs, best_per_subtask=True, last_only=True).score == D("5")


# --- Judged cells --------------------------------------------------------------------------


def judged(*sheets: SheetFact, **options):
    options.setdefault("max_score", D("100"))
    return ranking.judged_cell(1, sheets, **options)


class TestJudgedCell:
    def test_no_sheets_no_score_but_a_full_length_tie_key(self):
        cell, key = judged(runs_allowed=3)
        assert cell.score is None and cell.attempts == 0
        assert len(key) == 3  # two more runs and the time

    def test_judges_average(self):
        cell, _key = judged(SheetFact(1, D("60")), SheetFact(1, D("70")))
        assert cell.score == D("65") and cell.attempts == 1

    def test_judges_median(self):
        sheets = [SheetFact(1, D(v)) for v in ("10", "60", "70")]
        cell, _key = judged(*sheets, judges_combine="median")
        assert cell.score == D("60")

    def test_best_run_counts(self):
        cell, _key = judged(SheetFact(1, D("40")), SheetFact(2, D("80")), runs_allowed=2)
        assert cell.score == D("80") and cell.attempts == 2

    def test_runs_add_up(self):
        cell, _key = judged(
            SheetFact(1, D("40")), SheetFact(2, D("50")), runs_allowed=2, runs_count="sum"
        )
        assert cell.score == D("90")

    def test_full_score_is_solved(self):
        assert judged(SheetFact(1, D("100")))[0].solved

    def test_hidden_sheets_are_pending(self):
        cell, _key = judged(SheetFact(1, D("40")), SheetFact(2, D("90"), hidden=True))
        assert cell.score == D("40") and cell.pending == 1

    def test_tie_key_is_the_next_run_then_the_time(self):
        _cell, key = judged(
            SheetFact(1, D("80"), D("30")), SheetFact(2, D("50"), D("20")), runs_allowed=2
        )
        assert key == (D("50"), D("-30"))


class TestScoreChange:
    def test_replaces_the_score_and_marks_the_cell(self):
        cell = ranking.apply_change(ioi(run(1, "PT", score="40")), D("75"), D("100"))
        assert cell.score == D("75") and cell.changed and not cell.solved

    def test_to_full_score_is_solved(self):
        assert ranking.apply_change(ioi(), D("100"), D("100")).solved

    def test_down_from_full_is_not_solved(self):
        cell = ranking.apply_change(ioi(run(1, "OK", score="100")), D("0"), D("100"))
        assert cell.score == 0 and not cell.solved

    def test_a_change_without_a_score_changes_nothing(self):
        cell = ranking.apply_change(ioi(run(1, "PT", score="40")), None, D("100"))
        assert cell.score == D("40") and not cell.changed


# --- Rows and places -----------------------------------------------------------------------


def row(pid: int, name: str = "", cells=(), **fields) -> Row:
    fields.setdefault("score", D(0))
    return Row(
        participant_id=pid,
        name=name or f"p{pid:03}",
        school_name="",
        team_name="",
        category_id=None,
        category_name="",
        rank=None,
        rank_to=None,
        solved=0,
        penalty_minutes=0,
        cells=list(cells),
        **fields,
    )


def solved(task_id: int, minute: int, penalty: int | None = None, **fields) -> Cell:
    return Cell(
        task_id,
        attempts=1,
        solved=True,
        solved_seconds=minute * 60,
        penalty_minutes=minute if penalty is None else penalty,
        solved_clock=fields.pop("solved_at", T0 + timedelta(minutes=minute)).timestamp(),
        **fields,
    )


def icpc_places(*rows: Row) -> list[tuple]:
    for r in rows:
        ranking.icpc_totals(r)
    ordered = ranking.place(list(rows), {r.participant_id: ranking.icpc_key(r) for r in rows})
    return [(r.participant_id, r.rank, r.rank_to) for r in ordered]


def points_places(*rows: Row, tie_keys=None) -> list[tuple]:
    keys = {
        r.participant_id: ranking.points_key(r, (tie_keys or {}).get(r.participant_id, ()))
        for r in rows
    }
    ordered = ranking.place(list(rows), keys)
    return [(r.participant_id, r.rank, r.rank_to) for r in ordered]


class TestIcpcPlaces:
    def test_totals(self):
        r = row(1, cells=[solved(1, 30, 50), Cell(2, attempts=3), solved(3, 70)])
        ranking.icpc_totals(r)
        assert (r.solved, r.penalty_minutes, r.score) == (2, 120, D(2))

    def test_more_solved_wins_whatever_the_penalty(self):
        assert icpc_places(
            row(1, cells=[solved(1, 10)]),
            row(2, cells=[solved(1, 200), solved(2, 250)]),
        ) == [(2, 1, 1), (1, 2, 2)]

    def test_equal_solved_less_penalty_wins(self):
        assert icpc_places(
            row(1, cells=[solved(1, 40)]),
            row(2, cells=[solved(1, 30)]),
        ) == [(2, 1, 1), (1, 2, 2)]

    def test_equal_penalty_the_earlier_last_accepted_run_wins(self):
        # Both 2 solved, penalty 100: p1's last OK at minute 90, p2's at minute 60.
        assert icpc_places(
            row(1, cells=[solved(1, 10), solved(2, 90)]),
            row(2, cells=[solved(1, 40, 40), solved(2, 60)]),
        ) == [(2, 1, 1), (1, 2, 2)]

    def test_last_accepted_run_compares_seconds(self):
        early = solved(1, 30)
        late = solved(1, 30)
        late.solved_seconds += 20
        assert icpc_places(row(1, cells=[late]), row(2, cells=[early])) == [
            (2, 1, 1),
            (1, 2, 2),
        ]

    def test_fully_equal_rows_share_the_place(self):
        assert icpc_places(
            row(1, "Б", cells=[solved(1, 30)]),
            row(2, "А", cells=[solved(1, 30)]),
            row(3, cells=[solved(1, 10), solved(2, 20)]),
            row(4, cells=[]),
        ) == [(3, 1, 1), (2, 2, 3), (1, 2, 3), (4, 4, 4)]

    def test_nobody_solved_anything_everyone_shares_the_first_place(self):
        assert icpc_places(row(1, cells=[Cell(1, attempts=2)]), row(2)) == [
            (1, 1, 2),
            (2, 1, 2),
        ]

    def test_attempts_without_a_solve_cost_nothing(self):
        assert icpc_places(
            row(1, cells=[solved(1, 30), Cell(2, attempts=9)]),
            row(2, cells=[solved(1, 30)]),
        ) == [(1, 1, 2), (2, 1, 2)]


class TestPointsPlaces:
    def test_totals(self):
        r = row(1, cells=[Cell(1, score=D("40")), Cell(2), Cell(3, score=D("100"), solved=True)])
        ranking.points_totals(r)
        assert (r.score, r.solved, r.penalty_minutes) == (D("140"), 1, 0)

    def test_higher_sum_wins(self):
        assert points_places(row(1, score=D("50")), row(2, score=D("70"))) == [
            (2, 1, 1),
            (1, 2, 2),
        ]

    def test_equal_sums_share(self):
        assert points_places(
            row(1, score=D("70")), row(2, score=D("70")), row(3, score=D("90"))
        ) == [(3, 1, 1), (1, 2, 3), (2, 2, 3)]

    def test_unrounded_differences_decide(self):
        third = D(100) / 3
        assert points_places(row(1, score=third), row(2, score=D("33.33"))) == [
            (1, 1, 1),
            (2, 2, 2),
        ]

    def test_judged_ties_by_the_tasks_tie_keys_in_task_order(self):
        tie_keys = {
            1: [(D("50"), D("-30")), (D("10"),)],
            2: [(D("50"), D("-25")), (D("0"),)],  # the same next run, a shorter time
            3: [(D("60"), D("-90")), (D("0"),)],  # a better next run on the first task
        }
        rows = [row(p, score=D("80")) for p in (1, 2, 3)]
        assert points_places(*rows, tie_keys=tie_keys) == [(3, 1, 1), (2, 2, 2), (1, 3, 3)]

    def test_judged_later_task_breaks_what_the_first_leaves_equal(self):
        tie_keys = {1: [(D("50"),), (D("10"),)], 2: [(D("50"),), (D("20"),)]}
        rows = [row(1, score=D("80")), row(2, score=D("80"))]
        assert points_places(*rows, tie_keys=tie_keys) == [(2, 1, 1), (1, 2, 2)]

    def test_judged_equal_tie_keys_share(self):
        tie_keys = {1: [(D("50"), D("-30"))], 2: [(D("50"), D("-30"))]}
        rows = [row(1, score=D("80")), row(2, score=D("80"))]
        assert points_places(*rows, tie_keys=tie_keys) == [(1, 1, 2), (2, 1, 2)]

    def test_score_beats_any_tie_key(self):
        tie_keys = {1: [(D("99"),)], 2: [(D("0"),)]}
        rows = [row(1, score=D("80")), row(2, score=D("81"))]
        assert points_places(*rows, tie_keys=tie_keys) == [(2, 1, 1), (1, 2, 2)]


class TestRowsWithoutPlaces:
    def test_out_of_competition_is_placed_by_result_without_taking_a_place(self):
        rows = [
            row(1, score=D("90"), out_of_competition=True),
            row(2, score=D("80")),
            row(3, score=D("70")),
        ]
        assert points_places(*rows) == [(1, None, None), (2, 1, 1), (3, 2, 2)]

    def test_out_of_competition_does_not_split_a_shared_place(self):
        rows = [
            row(1, "А", score=D("80")),
            row(2, "Б", score=D("80"), out_of_competition=True),
            row(3, "В", score=D("80")),
            row(4, "Г", score=D("10")),
        ]
        assert points_places(*rows) == [(1, 1, 2), (2, None, None), (3, 1, 2), (4, 3, 3)]

    def test_withdrawn_go_last_without_a_place(self):
        rows = [row(1, score=D("90"), withdrawn=True), row(2, score=D("0"))]
        assert points_places(*rows) == [(2, 1, 1), (1, None, None)]

    def test_shared_property(self):
        a, b = row(1, score=D(1)), row(2, score=D(1))
        points_places(a, b)
        assert a.shared and b.shared
        c = row(3, out_of_competition=True)
        points_places(c)
        assert not c.shared

    def test_names_order_a_tie_case_insensitively(self):
        rows = [row(1, "борис"), row(2, "Алла"), row(3, "Вера")]
        assert [pid for pid, *_ in points_places(*rows)] == [2, 1, 3]


class TestFirstSolves:
    def _placed(self, *rows):
        icpc_places(*rows)
        ranking.mark_first_solves(rows)
        return rows

    def test_the_earliest_solve_of_each_task(self):
        a = row(1, cells=[solved(1, 10), solved(2, 50)])
        b = row(2, cells=[solved(1, 20), solved(2, 40)])
        self._placed(a, b)
        assert [c.first_solve for c in a.cells] == [True, False]
        assert [c.first_solve for c in b.cells] == [False, True]

    def test_by_the_clock_not_contest_time(self):
        # Individual windows: b solved at its minute 50, but earlier by the clock.
        a = row(1, cells=[solved(1, 10, solved_at=T0 + timedelta(hours=2))])
        b = row(2, cells=[solved(1, 50, solved_at=T0 + timedelta(hours=1))])
        self._placed(a, b)
        assert not a.cells[0].first_solve and b.cells[0].first_solve

    def test_solves_at_the_same_moment_are_both_first(self):
        a, b = row(1, cells=[solved(1, 10)]), row(2, cells=[solved(1, 10)])
        self._placed(a, b)
        assert a.cells[0].first_solve and b.cells[0].first_solve

    def test_out_of_competition_and_changed_cells_are_not_first(self):
        a = row(1, cells=[solved(1, 5)], out_of_competition=True)
        b = row(2, cells=[solved(1, 6, changed=True)])
        c = row(3, cells=[solved(1, 9)])
        self._placed(a, b, c)
        assert [r.cells[0].first_solve for r in (a, b, c)] == [False, False, True]


def test_standings_survive_the_cache_as_they_were():
    # Standings are pickled into the shared cache with rows and cells packed as tuples.
    import pickle

    row = Row(7, "Мария И.", "Школа №1", "", 3, "5–7", 1, 2, 1, 20, D("1"), out_of_competition=True)
    row.cells = [Cell(1, attempts=2, solved=True, solved_seconds=61, score=D("33.3333")), Cell(2)]
    board = ranking.Standings(
        1, "ioi", [ranking.TaskHead(1, "A", "Сумма", D(100))], [row], True, 4, D(100)
    )
    again = pickle.loads(pickle.dumps(board, pickle.HIGHEST_PROTOCOL))  # noqa: S301  (our own)
    assert again == board
    assert type(again.rows[0].cells[0]) is Cell
