"""Awards by rule: a pure function over standings rows (no database), places with shared
ranges, score thresholds in points and percent, shares of the ranked participants, ICPC by
problems solved, categories, out of competition."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from contests.awards import award_for_rows
from contests.standings import Row


@dataclass
class Rule:
    award: str
    category_id: int | None = None
    max_place: int | None = None
    min_score: Decimal | None = None
    min_score_is_percent: bool = False
    max_share_percent: Decimal | None = None
    order: int = 0
    pk: int = 0


def row(pk, rank, score, *, rank_to=None, category=1, solved=None) -> Row:
    return Row(
        participant_id=pk,
        name=f"P{pk}",
        school_name="",
        team_name="",
        category_id=category,
        category_name="",
        rank=rank,
        rank_to=rank if rank_to is None and rank is not None else rank_to,
        solved=int(score) if solved is None else solved,
        penalty_minutes=0,
        score=Decimal(str(score)),
    )


WINNER = Rule("Победитель", max_place=1, order=0, pk=1)
PRIZE = Rule("Призёр", max_place=3, order=1, pk=2)


def test_the_first_rule_that_holds_gives_its_award():
    rows = [row(1, 1, 90), row(2, 2, 80), row(3, 3, 70), row(4, 4, 60)]
    got = award_for_rows(rows, [PRIZE, WINNER], Decimal(100))
    assert got == {1: "Победитель", 2: "Призёр", 3: "Призёр", 4: ""}


def test_a_tie_straddling_the_place_limit_counts_by_its_top_place():
    rows = [row(1, 1, 90), row(2, 2, 80), row(3, 3, 70, rank_to=5), row(4, 3, 70, rank_to=5),
            row(5, 3, 70, rank_to=5), row(6, 6, 10)]  # fmt: skip
    got = award_for_rows(rows, [WINNER, PRIZE], 100)
    assert [got[pk] for pk in range(1, 7)] == ["Победитель", "Призёр", "Призёр", "Призёр",
                                               "Призёр", ""]  # fmt: skip


def test_a_tie_below_the_limit_gets_nothing():
    rows = [row(1, 1, 90), row(2, 2, 80), row(3, 2, 80, rank_to=3), row(4, 4, 70, rank_to=5),
            row(5, 4, 70, rank_to=5)]  # fmt: skip
    got = award_for_rows(rows, [Rule("Призёр", max_place=3)], 100)
    assert got == {1: "Призёр", 2: "Призёр", 3: "Призёр", 4: "", 5: ""}


def test_a_shared_first_place_makes_every_one_of_them_a_winner():
    rows = [row(1, 1, 50, rank_to=2), row(2, 1, 50, rank_to=2), row(3, 3, 40)]
    got = award_for_rows(rows, [WINNER, PRIZE], 100)
    assert got == {1: "Победитель", 2: "Победитель", 3: "Призёр"}


def test_a_score_threshold_in_points_and_in_percent():
    rows = [row(1, 1, Decimal("50.0000000001")), row(2, 2, 50), row(3, 3, Decimal("49.99"))]
    points = Rule("Призёр", min_score=Decimal(50))
    assert award_for_rows(rows, [points], 200) == {1: "Призёр", 2: "Призёр", 3: ""}
    percent = Rule("Призёр", min_score=Decimal(25), min_score_is_percent=True)
    assert award_for_rows(rows, [percent], 200) == {1: "Призёр", 2: "Призёр", 3: ""}


def test_a_percent_threshold_without_a_maximum_holds_for_nobody():
    rows = [row(1, 1, 10)]
    rule = Rule("Призёр", min_score=Decimal(50), min_score_is_percent=True)
    assert award_for_rows(rows, [rule], 0) == {1: ""}
    assert award_for_rows(rows, [rule], None) == {1: ""}


def test_every_set_condition_must_hold():
    rows = [row(1, 1, 40), row(2, 2, 80)]  # made up: place and score disagree
    rule = Rule("Победитель", max_place=1, min_score=Decimal(50))
    assert award_for_rows(rows, [rule], 100) == {1: "", 2: ""}


def test_a_share_of_the_ranked_participants_ties_by_top_place():
    # 10 ranked: 25 % is 2.5 places, so ranks 1 and 2; the tie at 2–3 is in whole.
    rows = [row(1, 1, 99), row(2, 2, 90, rank_to=3), row(3, 2, 90, rank_to=3)]
    rows += [row(n, n, 100 - n * 5) for n in range(4, 11)]
    rows += [row(11, None, 100)]  # out of competition: not counted, no award
    got = award_for_rows(rows, [Rule("Призёр", max_share_percent=Decimal(25))], 100)
    assert sorted(pk for pk, award in got.items() if award) == [1, 2, 3]
    assert got[11] == ""


def test_a_share_limit_exactly_on_a_place():
    rows = [row(n, n, 100 - n) for n in range(1, 5)]  # 4 ranked: 50 % is exactly 2
    got = award_for_rows(rows, [Rule("Призёр", max_share_percent=Decimal(50))], 100)
    assert got == {1: "Призёр", 2: "Призёр", 3: "", 4: ""}


def test_categories_count_on_their_own():
    rows = [row(1, 1, 90, category=1), row(2, 2, 80, category=1), row(3, 1, 30, category=2),
            row(4, 2, 20, category=2), row(5, 3, 10, category=2)]  # fmt: skip
    rules = [
        Rule("Победитель", category_id=2, max_place=1, pk=1),
        Rule("Призёр", max_share_percent=Decimal(50), pk=2, order=1),
    ]
    got = award_for_rows(rows, rules, 100)
    assert got == {1: "Призёр", 2: "", 3: "Победитель", 4: "", 5: ""}
    # 50 % of 2 ranked in category 1: place 1; of 3 in category 2: places 1 (already a winner).


def test_nothing_scored_gets_nothing_even_when_everyone_shares_the_first_place():
    rows = [row(1, 1, 0, rank_to=3), row(2, 1, 0, rank_to=3), row(3, 1, 0, rank_to=3)]
    assert award_for_rows(rows, [WINNER], 100) == {1: "", 2: "", 3: ""}


def test_out_of_competition_rows_get_none():
    rows = [row(1, None, 100), row(2, 1, 50)]
    assert award_for_rows(rows, [WINNER], 100) == {1: "", 2: "Победитель"}


def test_icpc_thresholds_count_problems_solved():
    rows = [row(1, 1, 0, solved=4), row(2, 2, 0, solved=2), row(3, 3, 0, solved=0)]
    rule = Rule("Призёр", min_score=Decimal(50), min_score_is_percent=True)
    assert award_for_rows(rows, [rule], 4, by_solved=True) == {1: "Призёр", 2: "Призёр", 3: ""}
    by_count = Rule("Призёр", min_score=Decimal(3))
    assert award_for_rows(rows, [by_count], 4, by_solved=True) == {1: "Призёр", 2: "", 3: ""}


def test_rules_apply_in_their_order_then_by_id():
    rows = [row(1, 1, 90)]
    first, second = Rule("A", max_place=5, order=1, pk=9), Rule("B", max_place=5, order=1, pk=3)
    assert award_for_rows(rows, [first, second], 100) == {1: "B"}


def test_a_rule_with_no_condition_gives_everyone_ranked_with_points_its_award():
    rows = [row(1, 1, 90), row(2, 2, 1), row(3, 3, 0), row(4, None, 5)]
    got = award_for_rows(rows, [WINNER, Rule("Участник", order=5)], 100)
    assert got == {1: "Победитель", 2: "Участник", 3: "", 4: ""}


@pytest.mark.parametrize("rules", [[], [Rule("X", category_id=99, max_place=10)]])
def test_no_rule_for_the_category_gives_no_award(rules):
    assert award_for_rows([row(1, 1, 90)], rules, 100) == {1: ""}
