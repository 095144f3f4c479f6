"""Quiz statistics: the edge cases Moodle's figures leave undefined, random slots, and the
formulas against textbook statistics on made-up data."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from assessments.quiz.spec import Answer, QType, QuestionSpec
from assessments.quiz.statistics import (
    AttemptMarks,
    SlotMark,
    quiz_statistics,
    quiz_totals_statistics,
    random_guess_score,
)


def attempt(*marks: float | None, max_mark: float = 1.0, total: float | None = None):
    slots = [SlotMark(i, mark, max_mark, question_id=f"q{i}") for i, mark in enumerate(marks, 1)]
    return AttemptMarks(slots, total)


UNDEFINED_QUIZ = ("sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")


def test_no_attempts():
    report = quiz_statistics([])
    assert report.slots == ()
    assert report.quiz.n == 0
    assert report.quiz.mean is None
    assert report.quiz.median is None
    assert all(getattr(report.quiz, name) is None for name in UNDEFINED_QUIZ)


def test_one_attempt():
    report = quiz_statistics([attempt(1, 0.5, 0)])
    slot = report.slot(2)
    assert slot.n == 1
    assert slot.facility == 50
    assert slot.intended_weight == pytest.approx(100 / 3)
    for name in ("sd", "sd_marks", "mark_variance", "covariance", "covariance_max"):
        assert getattr(slot, name) is None
    assert slot.discrimination_index is None
    assert slot.discriminative_efficiency is None
    assert slot.effective_weight is None
    assert report.quiz.mean == report.quiz.median == 1.5
    assert all(getattr(report.quiz, name) is None for name in UNDEFINED_QUIZ)


def test_two_attempts():
    report = quiz_statistics([attempt(1, 1, 0), attempt(0, 1, 0)])
    assert report.quiz.median == pytest.approx(1.5)
    assert report.quiz.sd == pytest.approx(math.sqrt(0.5))
    # Skewness and the rest need three attempts, kurtosis four.
    for name in ("skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
        assert getattr(report.quiz, name) is None
    assert report.slot(1).sd == pytest.approx(100 * statistics.stdev([1, 0]))
    # Slot 2: everybody right, so no variance and no discrimination.
    assert report.slot(2).sd == 0
    assert report.slot(2).discrimination_index is None


def test_three_attempts_give_skewness_but_not_kurtosis():
    quiz = quiz_statistics([attempt(1, 1), attempt(0, 1), attempt(0, 0)]).quiz
    assert quiz.skewness is not None
    assert quiz.kurtosis is None
    assert quiz.cic is not None


def test_all_equal_marks_leave_the_ratios_undefined():
    # 0.1 + 0.1 + 0.1 != 0.3 in floats: the variance must still be exactly 0.
    report = quiz_statistics([attempt(0.1, 0.7) for _ in range(5)])
    for slot in report.slots:
        assert slot.sd == 0
        assert slot.mark_variance == 0
        assert slot.discrimination_index is None
        assert slot.discriminative_efficiency is None
        assert slot.effective_weight is None
    quiz = report.quiz
    assert quiz.sd == 0
    assert quiz.mean == quiz.median == pytest.approx(0.8)
    assert quiz.skewness is None and quiz.kurtosis is None and quiz.cic is None


def test_zero_max_marks_never_divide_by_zero():
    data = [attempt(0, 0, max_mark=0.0) for _ in range(4)]
    report = quiz_statistics(data)
    for slot in report.slots:
        assert slot.facility is None
        assert slot.sd is None  # % of a zero mark
        assert slot.intended_weight is None  # sumgrades is 0 too
    assert report.quiz.as_percent(report.quiz.mean) is None
    # A zero-mark slot beside a real one: its own figures are undefined, the quiz's are not.
    mixed = [AttemptMarks([SlotMark(1, mark, 2.0), SlotMark(2, 0.0, 0.0)]) for mark in (0, 1, 2, 2)]
    report = quiz_statistics(mixed)
    assert report.slot(1).facility == pytest.approx(62.5)
    assert report.slot(1).intended_weight == 100
    assert report.slot(2).intended_weight == 0
    assert report.slot(2).facility is None


def test_ungraded_marks_count_as_zero_and_total_defaults_to_the_sum():
    report = quiz_statistics([attempt(1, None), attempt(1, 1), attempt(0, 1)])
    assert report.slot(2).facility == pytest.approx(200 / 3)
    assert report.quiz.mean == pytest.approx(4 / 3)


def test_the_given_total_drives_only_the_quiz_level_figures():
    """As Moodle: quiz_attempts.sumgrades for the quiz, the sum of slot marks for the slots."""
    given = quiz_statistics([attempt(1, 0, total=10), attempt(0, 1, total=20), attempt(1, 1)])
    summed = quiz_statistics([attempt(1, 0), attempt(0, 1), attempt(1, 1)])
    assert given.quiz.mean == pytest.approx(32 / 3)
    assert given.slot(1) == summed.slot(1)


def test_sumgrades_defaults_to_the_slots_max_marks_and_can_be_given():
    data = [AttemptMarks([SlotMark(1, 1, 1.0), SlotMark(2, 2, 3.0)])]
    assert quiz_statistics(data).slot(2).intended_weight == 75
    report = quiz_statistics(data, sumgrades=6)
    assert report.slot(2).intended_weight == 50
    assert report.quiz.as_percent(report.quiz.mean) == 50


def random_quiz(seed: int, attempts: int = 40, slots: int = 5):
    rng = random.Random(seed)
    data = []
    for _ in range(attempts):
        skill = rng.random()
        marks = [min(1.0, round(rng.random() * 0.6 + skill * 0.6, 1)) for _ in range(slots)]
        data.append(attempt(*marks))
    return data


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_formulas_against_textbook_statistics(seed):
    data = random_quiz(seed)
    report = quiz_statistics(data)
    totals = [math.fsum(s.mark for s in a.slots) for a in data]
    n = len(totals)
    quiz = report.quiz
    assert quiz.mean == pytest.approx(statistics.fmean(totals))
    assert quiz.median == pytest.approx(statistics.median(totals))
    assert quiz.sd == pytest.approx(statistics.stdev(totals))
    # Adjusted Fisher-Pearson skewness G1 and excess kurtosis G2 (Moodle's k-statistics).
    m = statistics.fmean(totals)
    m2 = sum((t - m) ** 2 for t in totals) / n
    m3 = sum((t - m) ** 3 for t in totals) / n
    m4 = sum((t - m) ** 4 for t in totals) / n
    g1 = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    g2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * (m4 / m2**2 - 3) + 6)
    assert quiz.skewness == pytest.approx(g1)
    assert quiz.kurtosis == pytest.approx(g2)
    # Cronbach's alpha, the error ratio and the standard error of measurement.
    columns = [[a.slots[i].mark for a in data] for i in range(5)]
    alpha = 5 / 4 * (1 - sum(statistics.variance(c) for c in columns) / statistics.variance(totals))
    assert quiz.cic == pytest.approx(100 * alpha)
    assert quiz.error_ratio == pytest.approx(100 * math.sqrt(1 - alpha))
    assert quiz.standard_error == pytest.approx(math.sqrt(1 - alpha) * statistics.stdev(totals))
    for i, column in enumerate(columns):
        slot = report.slot(i + 1)
        rest = [t - mark for t, mark in zip(totals, column, strict=True)]
        assert slot.facility == pytest.approx(100 * statistics.fmean(column))
        assert slot.sd == pytest.approx(100 * statistics.stdev(column))
        assert slot.covariance == pytest.approx(statistics.covariance(column, rest))
        assert slot.discrimination_index == pytest.approx(
            100 * statistics.correlation(column, rest)
        )
        best = statistics.covariance(sorted(column), sorted(rest))  # the largest possible
        assert slot.discriminative_efficiency == pytest.approx(100 * slot.covariance / best)
    weights = [slot.effective_weight for slot in report.slots]
    assert all(w is not None for w in weights)
    assert sum(weights) == pytest.approx(100)


def test_a_slot_that_goes_against_the_quiz_has_no_effective_weight():
    # Slot 3 is right exactly when the rest is wrong.
    data = [attempt(1, 1, 0), attempt(1, 1, 0), attempt(0, 0, 1), attempt(0, 1, 1)]
    report = quiz_statistics(data)
    assert report.slot(3).covariance_with_overall_mark < 0
    assert report.slot(3).effective_weight is None
    assert report.slot(3).discrimination_index < 0
    assert sum(s.effective_weight or 0 for s in report.slots) == pytest.approx(100)


SINGLE = QuestionSpec(
    QType.SINGLE, "2+2?", answers=[Answer("4", 1.0), Answer("3", 0.0), Answer("5", 0.5)]
)
TRUE_FALSE = QuestionSpec(QType.TRUE_FALSE, "Sky is blue", answers=[Answer("true", 1.0)])


def random_slot_quiz():
    """Slot 1 is random: it drew question A (version 1 or 2) or B."""
    plan = [("A", 1, 1.0), ("B", 1, 0.0), ("A", 2, 1.0), ("B", 1, 1.0), ("A", 1, 0.0)]
    data = []
    for index, (question, version, mark) in enumerate(plan):
        second = float(index % 2)
        slots = [
            SlotMark(1, mark, 1.0, question_id=question, version=version),
            SlotMark(2, second, 1.0, question_id="fixed", version=1),
        ]
        data.append(AttemptMarks(slots))
    return data


def test_random_slots_get_a_row_per_question_version():
    data = random_slot_quiz()
    report = quiz_statistics(
        data,
        slot_specs={1: SINGLE, 2: TRUE_FALSE},
        question_specs={("A", 1): TRUE_FALSE, ("B", 1): SINGLE},
    )
    slot = report.slot(1)
    assert slot.question is None
    assert slot.random_guess_score is None  # a random slot has no question of its own
    assert slot.n == 5
    subs = {sub.question: sub for sub in slot.sub_questions}
    assert {key: sub.n for key, sub in subs.items()} == {("A", 1): 2, ("B", 1): 2, ("A", 2): 1}
    assert subs[("A", 1)].facility == 50
    assert subs[("A", 1)].random_guess_score == 50
    assert subs[("B", 1)].random_guess_score == pytest.approx(50)
    assert subs[("A", 2)].random_guess_score is None  # no spec given
    assert subs[("A", 2)].sd is None  # one attempt
    assert all(sub.is_subquestion and sub.effective_weight is None for sub in subs.values())
    # Moodle correlates a sub-question with the whole total, not with the rest.
    held = [a for a in data if a.slots[0].question == ("B", 1)]
    marks = [a.slots[0].mark for a in held]
    totals = [a.slots[0].mark + a.slots[1].mark for a in held]
    assert subs[("B", 1)].other_mark_variance == pytest.approx(statistics.variance(totals))
    fixed = report.slot(2)
    assert fixed.question == ("fixed", 1)
    assert fixed.sub_questions == ()
    assert fixed.random_guess_score == 50
    assert marks == [0.0, 1.0]


def test_a_random_slot_that_drew_one_question_still_gets_its_row():
    data = [attempt(1, 0), attempt(0, 1), attempt(1, 1)]
    report = quiz_statistics(data, random_slots=[1])
    assert [sub.question for sub in report.slot(1).sub_questions] == [("q1", None)]
    assert report.slot(2).sub_questions == ()


def test_a_changed_max_mark_is_flagged():
    data = [AttemptMarks([SlotMark(1, 1, 1.0)]), AttemptMarks([SlotMark(1, 1, 2.0)])]
    slot = quiz_statistics(data).slot(1)
    assert slot.different_weights
    assert slot.max_mark == 1.0  # Moodle keeps the first


def test_cic_needs_two_positions():
    quiz = quiz_totals_statistics([1, 2, 4], positions=1, sum_of_mark_variance=2.33)
    assert quiz.skewness is not None
    assert quiz.cic is None and quiz.error_ratio is None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (SINGLE, 0.5),
        (QuestionSpec(QType.SINGLE, "no choices"), None),
        (QuestionSpec(QType.MISSING_WORD, "x", answers=[Answer("a", 1), Answer("b", 0)]), 0.5),
        (QuestionSpec(QType.MULTIPLE, "x", answers=[Answer("a", 0.5), Answer("b", 0.5)]), None),
        (TRUE_FALSE, 0.5),
        (
            QuestionSpec(
                QType.MATCHING,
                "x",
                answers=[
                    Answer("cat", match="mammal"),
                    Answer("dog", match="mammal"),
                    Answer("frog", match="amphibian"),
                    Answer("", match="bird"),  # a distractor is a choice too
                ],
            ),
            1 / 3,
        ),
        (QuestionSpec(QType.SHORT, "x", answers=[Answer("frog", 1.0)]), 0.0),
        (QuestionSpec(QType.SHORT, "x", answers=[Answer("frog", 1), Answer(" * ", 0.1)]), 0.1),
        (QuestionSpec(QType.NUMERICAL, "x", answers=[Answer("", 1.0, value=3.14)]), 0.0),
        (QuestionSpec(QType.ESSAY, "x"), 0.0),
        (QuestionSpec(QType.DESCRIPTION, "x"), None),
        (None, None),
    ],
)
def test_random_guess_score_as_moodle_qtypes(spec, expected):
    assert random_guess_score(spec) == (None if expected is None else pytest.approx(expected))
