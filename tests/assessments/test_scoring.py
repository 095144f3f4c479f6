"""Points: checking, penalties, rubrics (and rubrics edited after grading), counted attempts,
weighted course totals."""

from decimal import Decimal

import pytest
from django.utils import translation

from assessments.models import Rubric
from assessments.scoring import (
    AttemptScore,
    ScoreError,
    after_penalty,
    check_points,
    counted_score,
    rubric_changed_since,
    rubric_choices,
    weighted_percent,
)

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_points_are_checked_against_zero_and_the_maximum():
    assert check_points(D("7.555"), D("10")) == D("7.56")
    assert check_points(D("10"), D("10")) == D("10.00")
    with pytest.raises(ScoreError, match="negative"):
        check_points(D("-1"), D("10"))
    with pytest.raises(ScoreError, match="At most 10"):
        check_points(D("10.01"), D("10"))


@pytest.mark.parametrize(
    ("points", "penalty", "final"),
    [(D("10"), 0, D("10.00")), (D("10"), 20, D("8.00")), (D("7.5"), 10, D("6.75"))],
)
def test_penalty(points, penalty, final):
    assert after_penalty(points, penalty) == final


def _rubric() -> Rubric:
    return Rubric(
        title="Проект «Робот»",
        criteria=[
            {
                "type": "criterion",
                "value": {
                    "title": "Конструкция",
                    "description": "",
                    "levels": [
                        {"title": "Не собрана", "points": "0", "description": ""},
                        {"title": "Собрана", "points": "3", "description": ""},
                        {"title": "Надёжная", "points": "5", "description": ""},
                    ],
                },
            },
            {
                "type": "criterion",
                "value": {
                    "title": "Программа",
                    "description": "",
                    "levels": [
                        {"title": "Нет", "points": "0", "description": ""},
                        {"title": "Работает", "points": "5", "description": ""},
                    ],
                },
            },
        ],
    )


@pytest.mark.django_db
def test_rubric_table_has_stable_ids_and_a_maximum():
    rubric = _rubric()
    rubric.save()
    rubric.refresh_from_db()
    table = rubric.table()
    assert [c.title for c in table] == ["Конструкция", "Программа"]
    assert rubric.max_points == D("10")
    assert all(c.id and all(level.id for level in c.levels) for c in table)
    rubric.refresh_from_db()
    assert [c.id for c in rubric.table()] == [c.id for c in table]


@pytest.mark.django_db
def test_rubric_choices_sum_and_snapshot_and_refuse_foreign_levels():
    rubric = _rubric()
    rubric.save()
    rubric.refresh_from_db()
    build, program = rubric.table()
    chosen = {build.id: build.levels[2].id, program.id: program.levels[1].id}
    snapshot, total = rubric_choices(rubric.table(), chosen, {build.id: "  Крепко!  "})
    assert total == D("10")
    assert snapshot[build.id]["level"] == "Надёжная"
    assert snapshot[build.id]["comment"] == "Крепко!"
    with pytest.raises(ScoreError, match="Программа"):
        rubric_choices(rubric.table(), {build.id: build.levels[0].id}, {})
    # A level of another criterion is not a level of this one.
    with pytest.raises(ScoreError):
        rubric_choices(rubric.table(), {build.id: program.levels[1].id, program.id: ""}, {})

    assert not rubric_changed_since(rubric.table(), snapshot)
    # The methodologist later changes the points of a level: the grade keeps its snapshot, and
    # the change is detected so the teacher can be told.
    data = rubric.criteria.get_prep_value()
    level = data[0]["value"]["levels"][2]
    level["value"]["points"] = "4"  # list items are stored as {"type", "value", "id"}
    rubric.criteria = data
    rubric.save()
    rubric.refresh_from_db()
    assert snapshot[build.id]["points"] == "5"
    assert rubric_changed_since(rubric.table(), snapshot)


def test_counted_attempt():
    scores = [AttemptScore(1, D("6")), AttemptScore(2, D("9")), AttemptScore(3, D("7"))]
    assert counted_score(scores, "best").attempt == 2
    assert counted_score(scores, "last").attempt == 3
    tie = [AttemptScore(1, D("9")), AttemptScore(2, D("9"))]
    assert counted_score(tie, "best").attempt == 1
    assert counted_score([], "best") is None


def test_weighted_course_total():
    assert weighted_percent([]) is None
    # 8/10 with weight 1 and 15/20 with weight 3: (0.8 + 3 * 0.75) / 4 = 76.25 %
    items = [(D("8"), D("10"), D("1")), (D("15"), D("20"), D("3"))]
    assert weighted_percent(items) == D("76.3")
    assert weighted_percent([(D("5"), D("10"), D("0"))]) is None
