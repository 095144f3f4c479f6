"""Points: from a rubric or typed in, after the late penalty, and which attempt counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from assessments.models.rubrics import RubricCriterion

CENT = Decimal("0.01")


class ScoreError(ValueError):
    """A reason the teacher can read."""


def check_points(points: Decimal, max_points: Decimal) -> Decimal:
    if points < 0:
        raise ScoreError(_("Points cannot be negative."))
    if points > max_points:
        raise ScoreError(
            _("At most %(max)s points can be given for this assignment.") % {"max": max_points}
        )
    return points.quantize(CENT, rounding=ROUND_HALF_UP)


def after_penalty(points: Decimal, penalty_percent: int) -> Decimal:
    factor = Decimal(100 - penalty_percent) / Decimal(100)
    return (points * factor).quantize(CENT, rounding=ROUND_HALF_UP)


def rubric_choices(
    table: list[RubricCriterion], chosen: dict[str, str], comments: dict[str, str]
) -> tuple[dict, Decimal]:
    """The snapshot a grade keeps (criterion and level ids, titles, points, comment) and the
    points it adds up to. Every criterion must have a level, and only its own levels count."""
    snapshot: dict[str, dict] = {}
    total = Decimal(0)
    for criterion in table:
        level_id = chosen.get(criterion.id)
        level = next((lv for lv in criterion.levels if lv.id == level_id), None)
        if level is None:
            raise ScoreError(
                _("Choose a level for “%(criterion)s”.") % {"criterion": criterion.title}
            )
        snapshot[criterion.id] = {
            "criterion": criterion.title,
            "level_id": level.id,
            "level": level.title,
            "points": str(level.points),
            "comment": comments.get(criterion.id, "").strip()[:2000],
        }
        total += level.points
    return snapshot, total


def rubric_changed_since(table: list[RubricCriterion], snapshot: dict) -> bool:
    """Whether the rubric now differs from what the grade recorded (titles, points, levels)."""
    current = {c.id: c for c in table}
    if set(current) != set(snapshot):
        return True
    for criterion_id, chosen in snapshot.items():
        criterion = current[criterion_id]
        level = next((lv for lv in criterion.levels if lv.id == chosen.get("level_id")), None)
        if level is None or str(level.points) != chosen.get("points"):
            return True
        if level.title != chosen.get("level") or criterion.title != chosen.get("criterion"):
            return True
    return False


@dataclass(frozen=True)
class AttemptScore:
    attempt: int
    final_points: Decimal


def counted_score(scores: list[AttemptScore], rule: str) -> AttemptScore | None:
    """The attempt that counts: the best (ties: the earlier) or the last graded one."""
    if not scores:
        return None
    if rule == "best":
        return max(scores, key=lambda s: (s.final_points, -s.attempt))
    return max(scores, key=lambda s: s.attempt)


def weighted_percent(items: list[tuple[Decimal, Decimal, Decimal]]) -> Decimal | None:
    """Course total from (points, max points, weight) of the graded assignments, as a percent:
    each assignment's share of its maximum, weighted. None when nothing is graded yet."""
    weight_sum = sum((weight for _p, _m, weight in items), start=Decimal(0))
    if not items or weight_sum == 0:
        return None
    total = sum((weight * points / maximum for points, maximum, weight in items), start=Decimal(0))
    return (Decimal(100) * total / weight_sum).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
