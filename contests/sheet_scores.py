"""Score sheets of judged tasks (robots on the field, projects before the jury), as the WRO and
RoboCup Junior sheets count them. Plain functions, no queries.

- A sheet's score: each task item done counts its points (up to its maximum count), each
  penalty takes its points off; never below 0. The time line is not points: it breaks ties.
- Several judges score the same run: their scores (and times) are combined by the average or
  the median.
- Several runs: the best run counts, or the runs are added up.
- Ties: by the sheet's rule, for example the better next-best run, then the shorter time of the
  best run. `tie_key` is a tuple that compares larger-is-better, so the standings sort on
  (score, tie_key) without knowing the rule."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

PLACES = Decimal("1E-10")  # the stored precision of a score (contests.models.results.SCORE)
ZERO = Decimal(0)
# A missing time compares worse than any real one.
NO_TIME = Decimal("-1E12")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    kind: str  # "item", "penalty" or "time" (Criterion.Kind)
    points: Decimal
    max_count: int


class SheetError(ValueError):
    """A count the sheet cannot take (shown to the judge as is: it is translated)."""


@dataclass(frozen=True)
class RunResult:
    """One run after combining its judges' sheets."""

    number: int
    score: Decimal
    time_seconds: Decimal | None


def _dec(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def sheet_score(criteria: Sequence[CriterionSpec], counts: Mapping[int | str, int]) -> Decimal:
    """The points of one judge's sheet. Counts are validated by `clean_counts` first."""
    total = ZERO
    for criterion in criteria:
        if criterion.kind == "time":
            continue
        count = int(counts.get(criterion.id, counts.get(str(criterion.id), 0)) or 0)
        count = max(min(count, criterion.max_count), 0)
        value = _dec(criterion.points) * count
        total += -value if criterion.kind == "penalty" else value
    return max(total, ZERO)


def max_sheet_score(criteria: Sequence[CriterionSpec]) -> Decimal:
    return sum((_dec(c.points) * c.max_count for c in criteria if c.kind == "item"), ZERO)


_WHOLE = re.compile(r"[+-]?[0-9]{1,12}")


def _count(value: object) -> int | None:
    """A count as typed or sent: nothing is 0; a whole number (ASCII digits only, so "1_0",
    "٣" or "2.5" are refused rather than read as something the judge did not mean)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        return 0
    return int(text) if _WHOLE.fullmatch(text) else None


def clean_counts(criteria: Sequence[CriterionSpec], raw: Mapping[str, object]) -> dict[str, int]:
    """Whole counts between 0 and each criterion's maximum, keyed by the criterion's id as
    text (the JSON form). Raises SheetError naming what is wrong."""
    from django.utils.translation import gettext as _

    known = {str(c.id): c for c in criteria if c.kind != "time"}
    # Keys may come as numbers (JSON, a test) or as text (a form): both name the same line.
    given = {str(key): value for key, value in raw.items()}
    if set(given) - set(known):
        raise SheetError(_("The sheet has lines this task does not have."))
    cleaned: dict[str, int] = {}
    for key, criterion in known.items():
        count = _count(given.get(key))
        if count is None:
            raise SheetError(_("A count must be a whole number."))
        if not 0 <= count <= criterion.max_count:
            raise SheetError(
                _("A count must be between 0 and %(max)s.") % {"max": criterion.max_count}
            )
        cleaned[key] = count
    return cleaned


def combine(values: Sequence[Decimal], how: str) -> Decimal:
    """Several judges' values of one run: "average" or "median" (of an even count, the mean
    of the two middle values), kept to the stored precision."""
    if not values:
        raise ValueError("no values to combine")
    values = [_dec(v) for v in values]
    result = _dec(median(values)) if how == "median" else sum(values, ZERO) / len(values)
    return result.quantize(PLACES)


def run_result(
    number: int, sheets: Sequence[tuple[Decimal, Decimal | None]], how: str
) -> RunResult:
    """One run from its judges' (score, time) sheets; the time combines over the sheets that
    have one."""
    scores = [score for score, _time in sheets]
    times = [time for _score, time in sheets if time is not None]
    return RunResult(number, combine(scores, how), combine(times, how) if times else None)


def task_result(
    runs: Sequence[RunResult], runs_count: str, tie_break: str, runs_allowed: int = 1
) -> tuple[Decimal, tuple[Decimal, ...]]:
    """(score, tie_key) of a participant on a judged task from their runs.

    runs_count "best": the best run's score; "sum": the runs' sum.
    tie_break "runs_time": then the next-best runs' scores, in order, then the best run's
    shorter time; "time": the best run's shorter time; "none": no tie key (shared place).
    With "sum" the next runs start from the best one: equal sums of 50 + 30 and 40 + 40 are
    decided by the better best run (50), as with "best" equal best runs are decided by the
    second. The best run is the highest score, the shorter time among equal ones. Keys of one
    task have the same length whatever the runs made (missing runs count 0), so they compare."""
    if not runs:
        runs = [RunResult(0, ZERO, None)]
    ordered = sorted(runs, key=lambda r: (-r.score, r.time_seconds is None, r.time_seconds or 0))
    best = ordered[0]
    score = best.score if runs_count == "best" else sum((r.score for r in runs), ZERO)
    time_key = -best.time_seconds if best.time_seconds is not None else NO_TIME
    if tie_break == "runs_time":
        # "best": the score is the best run, so the key goes on from the second.
        skip = 1 if runs_count == "best" else 0
        length = max(runs_allowed, 1) - skip
        others = [r.score for r in ordered[skip:]][:length]
        others += [ZERO] * (length - len(others))
        return score, (*others, time_key)
    if tie_break == "time":
        return score, (time_key,)
    return score, ()
