"""Points: typed in or from a rubric, checked, after the late penalty, and which attempt
counts. A refusal is a `ScoreError` whose message the teacher can read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from assessments.models import Assignment
from assessments.models.rubrics import RubricCriterion
from lms import numbers

CENT = Decimal("0.01")
COMMENT_MAX_CHARS = 2000  # a rubric comment keeps at most this much

_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # plain decimals only: no "1e9", "NaN", "Infinity"


class ScoreError(ValueError):
    """A reason the teacher can read."""


def check_points(points: Decimal, max_points: Decimal) -> Decimal:
    if points < 0:
        raise ScoreError(_("Points cannot be negative."))
    if points > max_points:
        raise ScoreError(
            _("At most %(max)s points can be given for this assignment.")
            % {"max": numbers.number(max_points)}
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
            "comment": comments.get(criterion.id, "").strip()[:COMMENT_MAX_CHARS],
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


# --- Points from the grading form ----------------------------------------------------------


def parse_points(raw: str) -> Decimal:
    """Typed points: "7", "7.5" or "7,5" (a Russian keyboard's decimal comma)."""
    text = raw.strip().replace(",", ".")
    if not text:
        raise ScoreError(_("Enter the points."))
    if not _NUMBER.fullmatch(text):
        raise ScoreError(_("Enter the points as a number, for example 7 or 7.5."))
    value = Decimal(text)
    return value if value != 0 else Decimal(0)  # "-0" is zero, not a negative grade


def _as_points(points: Decimal | int | str) -> Decimal:
    if isinstance(points, str):
        return parse_points(points)
    try:
        value = Decimal(str(points))
    except InvalidOperation:
        raise ScoreError(_("Enter the points as a number, for example 7 or 7.5.")) from None
    if not value.is_finite():  # NaN and infinities cannot even be compared
        raise ScoreError(_("Enter the points as a number, for example 7 or 7.5."))
    return value if value != 0 else Decimal(0)


def score(
    assignment: Assignment,
    points: Decimal | int | str | None,
    rubric_levels: Mapping[str, str] | None,
    rubric_comments: Mapping[str, str] | None,
) -> tuple[Decimal, dict]:
    """Points and the rubric snapshot, checked: with a rubric the chosen levels decide (every
    criterion, each with a level of its own), without one the typed points (0 to maximum)."""
    rubric = assignment.rubric
    if rubric is None:
        if points is None or points == "":
            raise ScoreError(_("Enter the points."))
        return check_points(_as_points(points), assignment.max_points), {}
    table = rubric.table()
    criteria = {criterion.id: criterion for criterion in table}
    levels = dict(rubric_levels or {})
    comments = dict(rubric_comments or {})
    for criterion_id in {*levels, *comments}:
        if criterion_id not in criteria:  # another rubric's id, or this one since edited
            raise ScoreError(
                _("The rubric has changed since this page was opened. Check the choices again.")
            )
    for criterion_id, level_id in levels.items():
        criterion = criteria[criterion_id]
        if level_id and level_id not in {level.id for level in criterion.levels}:
            raise ScoreError(
                _("That level does not belong to “%(criterion)s”. Choose one of its own levels.")
                % {"criterion": criterion.title}
            )
    for criterion_id, comment in comments.items():
        if len(comment.strip()) > COMMENT_MAX_CHARS:
            raise ScoreError(
                _("The comment on “%(criterion)s” is too long: at most %(max)d characters.")
                % {"criterion": criteria[criterion_id].title, "max": COMMENT_MAX_CHARS}
            )
    snapshot, total = rubric_choices(table, levels, comments)
    return check_points(total, rubric.max_points), snapshot


# --- Which attempt counts, and the course total ----------------------------------------------


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
