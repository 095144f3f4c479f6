"""Our quiz statistics against Moodle's own expected figures for its test quiz 00.

Moodle's ``stats_from_steps_walkthrough_test.php`` replays ``steps00.csv``, checks the marks
against ``results00.csv``, then compares each slot with ``qstats00.csv`` (relative tolerance
1e-5 for covariance, discrimination index, discriminative efficiency and effective weight,
1e-6 for the rest) and the quiz with the figures written in ``check_quiz_stats_for_quiz_00``
(relative 1.5e-5). We start from ``results00.csv`` (the marks per slot per attempt), which is
everything the figures depend on, and use ``steps00.csv`` for which question a random slot drew
and for the response counts.

Not reproducible from the stored files, so not tested here:
- random guess score: it needs each slot's question and ``questions00.csv`` is not stored;
- the sub-question (``subqname``) and variant rows and the ``s`` column: the stored
  ``qstats00.csv`` is an older version without them (see the fixtures' README);
- the variant counts of slot 2 (Moodle's ``check_variants_count_for_quiz_00``): we do not break
  statistics down by variant.
"""

from __future__ import annotations

import csv
import math
import statistics
from pathlib import Path

import pytest

from assessments.quiz.item_reports import answer_distribution
from assessments.quiz.statistics import AttemptMarks, QuizReport, SlotMark, quiz_statistics
from tests.shared_fixtures import shared_fixtures

ROOT = Path(__file__).resolve().parents[3]
TESTS = shared_fixtures() / "moodle" / "mod/quiz/report/statistics/tests"
FIXTURES = TESTS / "fixtures"
SLOTS = range(1, 8)

pytestmark = pytest.mark.skipif(
    not (FIXTURES / "results00.csv").exists(),
    reason=f"Moodle's quiz statistics fixtures are not in {FIXTURES}",
)

# check_quiz_stats_for_quiz_00 in stats_from_steps_walkthrough_test.php
QUIZ_00 = {
    "median": 4.5,
    "allattemptsavg": 4.617333332,
    "allattemptscount": 25,
    "standarddeviation": 0.8117265554,
    "skewness": -0.092502502,
    "kurtosis": -0.7073968557,
    "cic": -87.2230935542,
    "errorratio": 136.8294900795,
    "standarderror": 1.1106813066,
}
QUIZ_FIELDS = {
    "median": "median",
    "allattemptsavg": "mean",
    "allattemptscount": "n",
    "standarddeviation": "sd",
    "skewness": "skewness",
    "kurtosis": "kurtosis",
    "cic": "cic",
    "errorratio": "error_ratio",
    "standarderror": "standard_error",
}
# Moodle's field -> ours, in Moodle's units (facility a fraction, sd and variances in marks).
SLOT_FIELDS = {
    "facility": lambda s: None if s.facility is None else s.facility / 100,
    "sd": lambda s: s.sd_marks,
    "effectiveweight": lambda s: s.effective_weight,
    "covariance": lambda s: s.covariance,
    "markvariance": lambda s: s.mark_variance,
    "othermarkvariance": lambda s: s.other_mark_variance,
    "discriminationindex": lambda s: s.discrimination_index,
    "covariancemax": lambda s: s.covariance_max,
    "discriminativeefficiency": lambda s: s.discriminative_efficiency,
}
LOOSE = {"covariance", "discriminationindex", "discriminativeefficiency", "effectiveweight"}


def read(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def attempts(*, use_sumgrades: bool = True) -> list[AttemptMarks]:
    """results00: one row per attempt. Every slot's max mark is 1 (qstats00's facility is the
    mean mark, e.g. slot 3: 24.3333333 / 25 = 0.973333332). Slot 1 is random: steps00 says
    which question it drew."""
    drawn = {row["quizattempt"]: row["randqs.1"] for row in read("steps00.csv")}
    found = []
    for row in read("results00.csv"):
        slots = [
            SlotMark(
                slot,
                float(row[f"slots.{slot}.mark"]),
                1.0,
                question_id=drawn[row["quizattempt"]] if slot == 1 else f"q{slot}",
            )
            for slot in SLOTS
        ]
        # summarks is quiz_attempts.sumgrades (5 decimals: 4.33333 for attempt 21).
        found.append(AttemptMarks(slots, float(row["summarks"]) if use_sumgrades else None))
    return found


@pytest.fixture(scope="module")
def report() -> QuizReport:
    return quiz_statistics(attempts())


def relative_error(expected: float, actual: float) -> float:
    return abs(actual - expected) / abs(expected) if expected else abs(actual)


def test_results00_totals_are_the_sums_of_the_slot_marks():
    for row in read("results00.csv"):
        marks = math.fsum(float(row[f"slots.{slot}.mark"]) for slot in SLOTS)
        assert marks == pytest.approx(float(row["summarks"]), abs=1e-5)


def test_every_stored_qstats_column_is_compared():
    assert set(read("qstats00.csv")[0]) - {"slot"} == set(SLOT_FIELDS)


@pytest.mark.parametrize("column", sorted(SLOT_FIELDS))
def test_slot_statistics_match_qstats00(report, column):
    tolerance = 1e-5 if column in LOOSE else 1e-6  # as assert_stat_equals
    for row in read("qstats00.csv"):
        actual = SLOT_FIELDS[column](report.slot(int(row["slot"])))
        if row[column] == "**NULL**":
            assert actual is None, f"{column} for slot {row['slot']}"
            continue
        expected = float(row[column])
        assert actual == pytest.approx(expected, rel=tolerance), f"{column} slot {row['slot']}"


def test_slot_statistics_are_far_closer_than_moodle_asks(report):
    """Max relative error per column, all attempts: ~1e-9, from the 10 digits of the CSV."""
    worst = {
        column: max(
            relative_error(float(row[column]), get(report.slot(int(row["slot"]))))
            for row in read("qstats00.csv")
        )
        for column, get in SLOT_FIELDS.items()
    }
    assert max(worst.values()) < 1e-8, worst


def test_slot_counts_and_intended_weights(report):
    for stats in report.slots:
        assert stats.n == 25
        assert stats.intended_weight == pytest.approx(100 / 7)
        assert stats.random_guess_score is None  # no question definitions given (see above)


@pytest.mark.parametrize("moodle_name", sorted(QUIZ_00))
def test_quiz_statistics_match_the_walkthrough(report, moodle_name):
    """Moodle's own path: totals from quiz_attempts.sumgrades, tolerance 1.5e-5 as in PHP."""
    expected = QUIZ_00[moodle_name]
    actual = getattr(report.quiz, QUIZ_FIELDS[moodle_name])
    assert actual == pytest.approx(expected, rel=1.5e-5, abs=0)


def test_quiz_statistics_from_the_slot_sums_match_the_spreadsheet_closely():
    """The expected figures came from a spreadsheet that totalled the 7-decimal marks
    (4.3333333, not sumgrades' 4.33333): from the slot sums we agree to ~1e-10 (skewness
    differs by 5e-6 relative with sumgrades, still inside Moodle's 1.5e-5)."""
    quiz = quiz_statistics(attempts(use_sumgrades=False)).quiz
    for moodle_name, expected in QUIZ_00.items():
        actual = getattr(quiz, QUIZ_FIELDS[moodle_name])
        assert relative_error(expected, actual) < 1e-9, moodle_name


def test_first_attempts_are_all_attempts_in_quiz_00(report):
    """Each of the 25 pupils made one attempt, so Moodle's first-attempts set is the same."""
    names = {(row["firstname"], row["lastname"]) for row in read("steps00.csv")}
    assert len(names) == report.quiz.n == 25


def test_random_slot_1_has_one_row_per_drawn_question(report):
    """No expected values are stored for these rows; check them against plain statistics:
    a sub-question is correlated with the whole total (Moodle's $positionstat = false)."""
    slot = report.slot(1)
    assert slot.question is None
    by_question = {sub.question[0]: sub for sub in slot.sub_questions}
    assert {name: sub.n for name, sub in by_question.items()} == {
        "numerical": 12,
        "shortanswer": 13,
    }
    data = attempts()
    for name, sub in by_question.items():
        held = [a for a in data if a.slots[0].question_id == name]
        marks = [a.slots[0].mark for a in held]
        totals = [math.fsum(s.mark for s in a.slots) for a in held]
        assert sub.is_subquestion
        assert sub.facility == pytest.approx(100 * statistics.fmean(marks))
        assert sub.sd_marks == pytest.approx(statistics.stdev(marks))
        assert sub.discrimination_index == pytest.approx(
            100 * statistics.correlation(marks, totals)
        )
        assert sub.effective_weight is None


def steps_column(row: dict[str, str]) -> str:
    if row["slot"] == "3":  # matching: one subpart per stem, "cat: mammal"
        return "responses.3." + row["modelresponse"].split(":")[0]
    return f"responses.{row['slot']}.answer"


def test_answer_distribution_reproduces_responsecounts00():
    steps = read("steps00.csv")
    for expected in read("responsecounts00.csv"):
        chosen = steps
        if expected["slot"] == "1":  # a random slot: counted per drawn question
            chosen = [row for row in steps if row["randqs.1"] == expected["randq"]]
        if expected["slot"] == "2":  # a calculated question: counted per variant
            chosen = [row for row in steps if row["variants.2"] == expected["variant"]]
        counts = answer_distribution(row[steps_column(expected)] for row in chosen)
        by_label = {answer.label: answer.count for answer in counts.answers}
        assert by_label[expected["actualresponse"]] == int(expected["totalcount"]), expected
