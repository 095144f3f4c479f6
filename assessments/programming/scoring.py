"""A judged submission's points: from the verdicts of its tests and the problem's `Scoring` to the
assignment's points, plus the per-subtask table of the pupil's page, the summary verdict and the
penalty for earlier wrong submissions. Plain functions, no Django.

Problem points (subtask and test points in the package) are only weights: what the pupil gets is
the passed share of them times the assignment's `max_points`. Money-like arithmetic in Decimal,
rounded once at the end to 2 places, half up (as assessments/scoring.py rounds)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .spec import Scoring, SubtaskSpec, Verdict

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass
class TestOutcome:
    """One test of a judged submission."""

    __test__ = False  # not a pytest test class, despite the name

    verdict: Verdict
    subtask: int = 0  # index into the problem's subtasks (SUBTASKS scoring)
    points: float = 0.0  # what the test is worth under PER_TEST scoring


@dataclass
class SubtaskResult:
    """One row of the pupil's subtask table. `points` and `earned` are in the problem's own
    points (as the statement lists them), not scaled to the assignment."""

    index: int  # 0-based, as TestSpec.subtask; `number` is what the page shows
    title: str
    points: float
    earned: float  # `points` when passed, else 0
    passed: bool
    tests: int = 0  # how many tests the subtask has
    tests_ok: int = 0  # of which passed

    @property
    def number(self) -> int:
        return self.index + 1


def _dec(value: float | int | Decimal) -> Decimal:
    # repr() is the shortest text of a float: 0.1 becomes Decimal("0.1"), not 0.1000000000000000055…
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _check_subtask(outcome: TestOutcome, subtasks: Sequence[SubtaskSpec]) -> None:
    # A test of a subtask the problem does not have is a package error: loud, not a silent
    # zero or a silently skipped (maybe failing) test.
    if not 0 <= outcome.subtask < len(subtasks):
        raise ValueError(f"test of subtask {outcome.subtask}, but there are {len(subtasks)}")


def score(
    outcomes: Sequence[TestOutcome],
    scoring: Scoring | str,
    subtasks: Sequence[SubtaskSpec],
    max_points: Decimal,
) -> Decimal:
    """The pupil's points out of `max_points`, rounded to 0.01 half up, between 0 and max_points.

    SUBTASKS (IOI): a subtask scores its points only if it has tests and every one is OK; the
    result is the scored share of all subtask points. Subtasks that are all worth 0 count
    equally; a problem with no subtasks at all is scored all or nothing.
    PER_TEST: the OK tests' share of all test points; tests that are all worth 0 count equally.
    ALL_OR_NOTHING: max_points if every test is OK, else 0.
    No outcomes (nothing was run) score 0 under every rule."""
    scoring = Scoring(scoring)
    max_points = _dec(max_points)
    if not outcomes or max_points <= 0:
        return ZERO
    if scoring is Scoring.SUBTASKS and not subtasks:
        scoring = Scoring.ALL_OR_NOTHING
    if scoring is Scoring.ALL_OR_NOTHING:
        return _quantize(max_points, max_points) if _all_ok(outcomes) else ZERO
    if scoring is Scoring.PER_TEST:
        weights = [_dec(o.points) for o in outcomes]
        passed = [o.verdict == Verdict.OK for o in outcomes]
    else:
        rows = subtask_results(outcomes, subtasks)
        weights = [_dec(r.points) for r in rows]
        passed = [r.passed for r in rows]
    if sum(weights) <= 0:  # every weight 0 (an unweighted package): each counts the same
        weights = [Decimal(1)] * len(weights)
    total = sum(weights)
    earned = sum((w for w, ok in zip(weights, passed, strict=True) if ok), Decimal(0))
    # Multiply before dividing: 2 of 3 tests of 3 points is exactly 2, not 1.9999…
    return _quantize(earned * max_points / total, max_points)


def _quantize(points: Decimal, max_points: Decimal) -> Decimal:
    # The cap rounds down, so that 10.005 available never shows as 10.01 earned.
    cap = max_points.quantize(CENT, rounding=ROUND_DOWN)
    return max(ZERO, min(points.quantize(CENT, rounding=ROUND_HALF_UP), cap))


def _all_ok(outcomes: Sequence[TestOutcome]) -> bool:
    return all(o.verdict == Verdict.OK for o in outcomes)


def subtask_results(
    outcomes: Sequence[TestOutcome], subtasks: Sequence[SubtaskSpec]
) -> list[SubtaskResult]:
    """One row per subtask of the problem, in order: passed when the subtask has at least one
    test and all its tests are OK (a subtask without tests is never passed: points are given
    for what was checked)."""
    counts = [0] * len(subtasks)
    oks = [0] * len(subtasks)
    if not subtasks:  # not a SUBTASKS problem: no table (its tests all say subtask 0)
        return []
    for outcome in outcomes:
        _check_subtask(outcome, subtasks)
        counts[outcome.subtask] += 1
        oks[outcome.subtask] += outcome.verdict == Verdict.OK
    rows = []
    for index, spec in enumerate(subtasks):
        passed = counts[index] > 0 and oks[index] == counts[index]
        rows.append(
            SubtaskResult(
                index=index,
                title=spec.title,
                points=spec.points,
                earned=spec.points if passed else 0.0,
                passed=passed,
                tests=counts[index],
                tests_ok=oks[index],
            )
        )
    return rows


def wrong_submission_penalty(
    points: Decimal,
    wrong_before: int,
    penalty_percent: int,
    max_points: Decimal,
    floor_percent: int = 0,
) -> Decimal:
    """`points` after the penalty for the pupil's earlier wrong submissions to the problem.

    Modelled on CodeRunner's "penalty regime" (a question setting such as "0, 10, 20, ...": the
    n-th submission loses the n-th percentage of the question's mark; its default is the linear
    "10, 20, ..."). Here it is the linear rule with the first submission free:

        points - wrong_before * penalty_percent% * max_points

    never below `floor_percent`% of `points` (so a right answer after many tries still keeps
    that share of what it earned), never below 0, never above `points`. Rounded to 0.01 half up.

    E.g. max 10, penalty 10 %, two wrong submissions before one that earns 10: 10 - 2 * 1 = 8;
    with floor 50 % after eight wrong ones: max(10 - 8, 5) = 5.

    Which earlier submissions count as wrong is the caller's choice (sensibly: judged ones that
    did not score full points; not compilation errors, judge errors or "Run examples", as
    CodeRunner does not charge for a precheck)."""
    points = _dec(points)
    if points <= 0:
        return ZERO
    wrong_before = max(0, wrong_before)
    penalty = _dec(min(max(penalty_percent, 0), 100)) / 100
    floor = _dec(min(max(floor_percent, 0), 100)) / 100
    after = points - wrong_before * penalty * _dec(max_points)
    # `after` and `points * floor` are at most `points`: no upper clamp needed.
    return max(after, points * floor, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def first_failure(outcomes: Sequence[TestOutcome]) -> Verdict:
    """The submission's summary verdict: OK when every test is OK, otherwise the verdict of the
    first test (in the given order) that is not. No outcomes give IE: nothing was judged, which
    is never the pupil's OK. (CE and IE of the whole run short-circuit in the caller.)"""
    if not outcomes:
        return Verdict.IE
    for outcome in outcomes:
        if outcome.verdict != Verdict.OK:
            return Verdict(outcome.verdict)
    return Verdict.OK
