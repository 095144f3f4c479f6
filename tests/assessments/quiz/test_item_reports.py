"""Kolibri's difficult questions and the answer distribution of one slot."""

from __future__ import annotations

import pytest
from django.utils import translation

from assessments.quiz.item_reports import (
    ItemResult,
    answer_distribution,
    difficult_questions,
)


def rows(item, *fractions):
    return [ItemResult(item, f"pupil{i}", fraction) for i, fraction in enumerate(fractions)]


def test_only_learners_who_attempted_count():
    found = difficult_questions(rows("q1", 1, 0, None, None), threshold=None)
    assert len(found) == 1
    question = found[0]
    assert (question.attempted, question.wrong, question.correct) == (2, 1, 1)
    assert question.wrong_share == 0.5
    assert question.wrong_percent == 50
    assert question.learners_wrong == ("pupil1",)


def test_part_marks_are_wrong_and_rounding_is_right():
    found = difficult_questions(rows("q1", 0.5, 0.9999999, 1.0, 0.999), threshold=None)
    assert found[0].wrong == 2
    assert found[0].learners_wrong == ("pupil0", "pupil3")


def test_most_difficult_first_then_more_answers_first():
    data = [
        *rows("easy", 1, 1, 1, 0),
        *rows("hard", 0, 0, 1),
        *rows("half-small", 0, 1),
        *rows("half-big", 0, 0, 1, 1),
        *rows("none-right", 0),
    ]
    found = difficult_questions(data, threshold=None)
    assert [q.item for q in found] == ["none-right", "hard", "half-big", "half-small", "easy"]


def test_kolibri_leaves_out_questions_most_got_right():
    data = [*rows("80%", 1, 1, 1, 1, 0), *rows("75%", 1, 1, 1, 0), *rows("all", 1, 1)]
    assert [q.item for q in difficult_questions(data)] == ["75%"]
    assert [q.item for q in difficult_questions(data, threshold=None)] == ["75%", "80%", "all"]


def test_nobody_attempted_means_no_row():
    assert difficult_questions(rows("q1", None, None), threshold=None) == []
    assert difficult_questions([]) == []


def test_a_later_row_for_the_same_learner_wins():
    data = [
        ItemResult("q1", "ann", 0.0),
        ItemResult("q1", "ann", 1.0),
        ItemResult("q2", "bob", 0.0),
        ItemResult("q2", "bob", None),
    ]
    found = difficult_questions(data, threshold=None)
    assert [(q.item, q.attempted, q.wrong) for q in found] == [("q1", 1, 0)]


def test_answer_distribution_counts_and_orders():
    counts = answer_distribution(
        ["b", "a", "c", "c", None, "", "  ", "b", "c"],
        right_answers={"b"},
    )
    assert [(a.label, a.count, a.right) for a in counts.answers] == [
        ("c", 3, False),
        ("b", 2, True),
        ("a", 1, False),
    ]
    assert counts.no_answer == 3
    assert counts.answered == 6
    assert counts.total == 9
    assert counts.answers[0].share_of(counts.total) == pytest.approx(1 / 3)


def test_listed_choices_come_first_even_unchosen():
    counts = answer_distribution(["x", "Two", "x"], choices=["One", "Two", "Three"])
    assert [(a.label, a.count) for a in counts.answers] == [
        ("One", 0),
        ("Two", 1),
        ("Three", 0),
        ("x", 2),
    ]


def test_bars_for_the_chart():
    counts = answer_distribution(["a", None, "b", "a"], right_answers={"b"})
    with translation.override("en"):
        assert counts.bars() == [("a", 2), ("b", 1), ("No answer", 1)]
    assert counts.bars(no_answer_label="—") == [("a", 2), ("b", 1), ("—", 1)]
    assert counts.highlight() == {1}
    assert counts.muted() == {2}
    everyone = answer_distribution(["a"])
    assert everyone.bars() == [("a", 1)]
    assert everyone.muted() == set()
    assert answer_distribution([]).total == 0
