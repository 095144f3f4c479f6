"""The rules that turn runs and sheets into cells, rows and places. Plain functions, no
queries: contests.standings fetches the facts and calls these.

What the runs carry (the round helper fills them this way, and imports do the same):
- `Run.score` is the run's points already scaled to the task's `max_score` (an unrounded
  Decimal between 0 and max_score), None when the run gave no points (ICPC verdicts only).
- `Run.subtask_scores` is a list with the points earned on each subtask, in the order of the
  problem's subtasks, each already scaled to the task's `max_score` too (so a run that passes
  every subtask has subtask_scores summing to its score). Empty when the run has no subtasks.

ICPC (per task, runs in contest-time order):
- a run counts when it is judged (state done) with a verdict other than IE; CE counts only
  with `compile_error_counts`; queued and running runs are `pending`, as are runs hidden by
  the freeze (for the public); the runs after the first OK are ignored;
- `attempts` = the counted runs up to and including the first OK (so "+2" is attempts 3);
- a solved task's penalty = `penalty_minutes` per counted rejected run before the OK plus the
  whole minute of the OK (the minute of contest time: 59 s is minute 0);
- rows: more solved first, then less penalty, then the earlier last accepted run (contest
  seconds), then a shared place.
IOI: a task scores its best single run; with `best_per_subtask` the sum over subtasks of the
best points on that subtask over the runs (never less than the best single run, which covers
runs with no subtask list, such as imported ones); rows by the sum, ties shared. `solved` on
IOI and judged boards counts the tasks at full score.
Judged: a judged-kind task's runs are its sheets (contests.sheet_scores); rows by the sum,
then by the tasks' tie keys in task order, then shared. A judged-kind task with no sheets is
scored from its runs like an IOI task (imported results, placeholders).
Quiz tasks: the participant's last counted run counts, not the best (an answer may be
changed until the end).
Score changes: the latest ScoreChange with a score replaces the task's score (IOI, judged);
ICPC changes a run's verdict, which the run row already carries.
Out-of-competition rows are placed by their result but take no place (rank None); withdrawn
rows go last without a place, and nothing of theirs counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from itertools import starmap, zip_longest
from operator import attrgetter
from typing import NamedTuple

from contests import sheet_scores

ZERO = Decimal(0)
ICPC, IOI, JUDGED = "icpc", "ioi", "judged"
COUNTED_STATE = "done"
NEVER_COUNTS = {"IE", ""}  # a judge error, or no verdict at all


@dataclass(frozen=True)
class TaskHead:
    id: int
    label: str
    title: str
    max_score: Decimal
    kind: str = "programming"  # Task.Kind


@dataclass(slots=True)
class Cell:
    task_id: int
    attempts: int = 0
    solved: bool = False
    solved_seconds: int | None = None  # contest time of the accepted (or first full) run
    score: Decimal | None = None  # None: nothing counted yet
    pending: int = 0  # runs hidden by the freeze or not judged yet
    changed: bool = False  # a ScoreChange applies
    penalty_minutes: int = 0  # ICPC: what this solved task adds to the penalty
    solved_clock: float | None = None  # that run's moment, a POSIX timestamp (first solves)
    first_solve: bool = False  # the first to solve this task on this board

    def __reduce__(self):
        # Pickled (the cache) as the class and its fields in order: several times faster and
        # smaller than the default for a board's 12,000 cells.
        return (Cell, _CELL_FIELDS(self))


@dataclass(slots=True)
class Row:
    participant_id: int
    name: str
    school_name: str
    team_name: str
    category_id: int | None
    category_name: str
    rank: int | None  # None: out of competition or withdrawn
    rank_to: int | None  # rank..rank_to; equal to rank for a place not shared
    solved: int
    penalty_minutes: int
    score: Decimal  # unrounded; ICPC: the number of tasks solved
    cells: list[Cell] = field(default_factory=list)  # in task order
    out_of_competition: bool = False
    withdrawn: bool = False

    @property
    def shared(self) -> bool:
        return self.rank is not None and self.rank_to != self.rank

    def __reduce__(self):
        return (Row, _ROW_FIELDS(self))


_CELL_FIELDS = attrgetter(*(f.name for f in fields(Cell)))
_ROW_FIELDS = attrgetter(*(f.name for f in fields(Row)))


@dataclass
class Standings:
    contest_id: int
    rules: str
    tasks: list[TaskHead]
    rows: list[Row]
    frozen: bool
    version: int
    max_score: Decimal
    freeze_at: datetime | None = None  # when the public board froze (if `frozen`)
    built_at: datetime | None = None  # when these were computed (Last-Modified)
    category_id: int | None = None
    jury: bool = False

    def __reduce__(self):
        # Pickled (the cache) with its rows and cells as plain tuples: one call here instead
        # of one per cell (a third of the cost of writing a board to the cache).
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rows"}
        return (_unpack_standings, (values, [_pack_row(row) for row in self.rows]))


_CELLS_AT = [f.name for f in fields(Row)].index("cells")


def _pack_row(row: Row) -> list:
    values = list(_ROW_FIELDS(row))
    values[_CELLS_AT] = list(map(_CELL_FIELDS, row.cells))
    return values


def _unpack_standings(values: dict, rows: list[list]) -> Standings:
    for row in rows:
        row[_CELLS_AT] = list(starmap(Cell, row[_CELLS_AT]))
    return Standings(rows=list(starmap(Row, rows)), **values)


class RunFact(NamedTuple):
    """What the rules need of one run (contests.standings reads these columns only; a tuple,
    since a board reads tens of thousands of them)."""

    time_seconds: int
    verdict: str = ""
    state: str = COUNTED_STATE
    score: Decimal | None = None
    subtask_scores: Sequence = ()
    submitted_at: datetime | None = None
    hidden: bool = False  # submitted during the freeze, and this board is the public's
    id: int = 0
    participant_id: int = 0
    task_id: int = 0


class SheetFact(NamedTuple):
    run_number: int
    score: Decimal
    time_seconds: Decimal | None = None
    hidden: bool = False


def _order(runs: Iterable[RunFact], ordered: bool) -> list[RunFact]:
    if ordered:  # the caller read them in this order (contests.standings: ORDER BY)
        return runs if isinstance(runs, list) else list(runs)
    return sorted(runs, key=lambda r: (r.time_seconds, r.id))


def _is_judged(run: RunFact) -> bool:
    return run.state == COUNTED_STATE and run.verdict not in NEVER_COUNTS


def _waiting(run: RunFact) -> bool:
    """Not visible yet: hidden by the freeze, or still with the judge."""
    return run.hidden or run.state != COUNTED_STATE


def _last_only(runs: list[RunFact], counts) -> tuple[list[RunFact], int]:
    """Quiz tasks: the last counted visible run alone, and how many runs are still waiting."""
    waiting = sum(1 for r in runs if _waiting(r))
    visible = [r for r in runs if not _waiting(r) and counts(r)]
    return visible[-1:], waiting


def icpc_cell(
    task_id: int,
    runs: Iterable[RunFact],
    *,
    penalty_minutes: int = 20,
    compile_error_counts: bool = False,
    last_only: bool = False,
    ordered: bool = False,
) -> Cell:
    """One ICPC cell from the participant's runs of the task (see the module's docstring)."""

    def counts(run: RunFact) -> bool:
        return _is_judged(run) and (compile_error_counts or run.verdict != "CE")

    runs = _order(runs, ordered)
    cell = Cell(task_id)
    if last_only:
        runs, cell.pending = _last_only(runs, counts)
    attempts = pending = 0
    for run in runs:  # the hot loop of a board: tens of thousands of runs, kept plain
        if run.hidden or run.state != COUNTED_STATE:
            pending += 1
            continue
        verdict = run.verdict
        if verdict in NEVER_COUNTS or (verdict == "CE" and not compile_error_counts):
            continue
        attempts += 1
        if verdict == "OK":
            cell.solved = True
            cell.solved_seconds = run.time_seconds
            cell.solved_clock = _clock(run)
            cell.penalty_minutes = (attempts - 1) * penalty_minutes + run.time_seconds // 60
            break
    cell.attempts = attempts
    cell.pending += pending
    return cell


def _clock(run: RunFact) -> float | None:
    return run.submitted_at.timestamp() if run.submitted_at is not None else None


def _dec(value: object) -> Decimal:
    if value is None:
        return ZERO
    return value if type(value) is Decimal else Decimal(str(value))


def ioi_cell(
    task_id: int,
    runs: Iterable[RunFact],
    *,
    max_score: Decimal,
    best_per_subtask: bool = False,
    last_only: bool = False,
    ordered: bool = False,
) -> Cell:
    """One IOI cell: the best single run, or the best per subtask; a quiz task: the last run."""
    runs = _order(runs, ordered)
    cell = Cell(task_id)
    if last_only:
        counted, cell.pending = _last_only(runs, _is_judged)
        per_subtask = False
    else:
        counted = []
        for run in runs:
            if run.hidden or run.state != COUNTED_STATE:
                cell.pending += 1
            elif run.verdict not in NEVER_COUNTS:
                counted.append(run)
        per_subtask = best_per_subtask
    if not counted:
        return cell
    cell.attempts = len(counted)
    # One pass in contest-time order (a board makes 12,000 cells): the best so far, and the
    # run with which full points were first reached (per subtask: the last one needed).
    best = full_at = columns = None
    can_be_full = max_score > 0
    for run in counted:
        score = run.score
        if type(score) is not Decimal:
            score = _dec(score)
        if best is None or score > best:
            best = score
        if per_subtask and run.subtask_scores:
            points = run.subtask_scores
            if columns is not None and len(points) == len(columns) and type(points[0]) is Decimal:
                columns = list(map(max, columns, points))  # the usual case, kept in C
            else:
                columns = _best_per_subtask(columns, points)
            subtotal = sum(columns, ZERO)
            if subtotal > best:
                best = subtotal
        if full_at is None and can_be_full and best >= max_score:
            full_at = run
    cell.score = best
    if full_at is not None:
        cell.solved = True
        cell.solved_seconds = full_at.time_seconds
        cell.solved_clock = _clock(full_at)
    return cell


def _best_per_subtask(columns: list[Decimal] | None, points: Sequence) -> list[Decimal]:
    """The best points per subtask so far, with one more run's; lists of different lengths
    count a missing subtask as 0 points."""
    if type(points[0]) is not Decimal:  # the board passes Decimals (lists of one type)
        points = [_dec(value) for value in points]
    if columns is None:
        return list(points)
    if len(points) == len(columns):  # the usual case, kept in C
        return list(map(max, columns, points))
    return [max(a, b) for a, b in zip_longest(columns, points, fillvalue=ZERO)]


def judged_cell(
    task_id: int,
    sheets: Iterable[SheetFact],
    *,
    max_score: Decimal,
    runs_count: str = "best",
    tie_break: str = "runs_time",
    runs_allowed: int = 1,
    judges_combine: str = "average",
) -> tuple[Cell, tuple[Decimal, ...]]:
    """A judged task's cell and tie key from its judges' sheets (hidden ones are pending)."""
    cell = Cell(task_id)
    by_run: dict[int, list[tuple[Decimal, Decimal | None]]] = {}
    for sheet in sheets:
        if sheet.hidden:
            cell.pending += 1
            continue
        by_run.setdefault(sheet.run_number, []).append((_dec(sheet.score), sheet.time_seconds))
    results = [
        sheet_scores.run_result(number, values, judges_combine)
        for number, values in sorted(by_run.items())
    ]
    score, tie_key = sheet_scores.task_result(results, runs_count, tie_break, runs_allowed)
    if results:
        cell.attempts = len(results)
        cell.score = score
        cell.solved = max_score > 0 and score >= max_score
    return cell, tie_key


def apply_change(cell: Cell, score: Decimal | None, max_score: Decimal) -> Cell:
    """The jury's latest score change of this task replaces what the runs or sheets gave."""
    if score is None:
        return cell
    cell.score = _dec(score)
    cell.changed = True
    cell.solved = max_score > 0 and cell.score >= max_score
    return cell


# --- Rows and places ---------------------------------------------------------------------


def icpc_totals(row: Row) -> None:
    """solved, penalty and score of an ICPC row from its cells."""
    solved = [c for c in row.cells if c.solved]
    row.solved = len(solved)
    row.penalty_minutes = sum(c.penalty_minutes for c in solved)
    row.score = Decimal(row.solved)


def points_totals(row: Row) -> None:
    """IOI and judged: the sum of the task scores; solved = tasks at full score."""
    row.solved = sum(1 for c in row.cells if c.solved)
    row.penalty_minutes = 0
    row.score = sum((c.score for c in row.cells if c.score is not None), ZERO)


def icpc_key(row: Row) -> tuple:
    """Larger is better: more solved, less penalty, the earlier last accepted run."""
    last = max((c.solved_seconds or 0 for c in row.cells if c.solved), default=0)
    return (row.solved, -row.penalty_minutes, -last)


def points_key(row: Row, tie_keys: Sequence[tuple] = ()) -> tuple:
    """Larger is better: the score, then (judged) each task's tie key in task order."""
    return (row.score, *(part for key in tie_keys for part in key))


def place(rows: list[Row], keys: dict[int, tuple]) -> list[Row]:
    """Sort the rows (best first; names in alphabetical order within a tie; withdrawn last)
    and give places: equal keys share rank..rank_to; out-of-competition and withdrawn rows
    get no place and take none."""
    ordered = sorted(rows, key=lambda r: (r.name.casefold(), r.participant_id))
    ordered.sort(key=lambda r: keys[r.participant_id], reverse=True)
    ordered.sort(key=lambda r: r.withdrawn)
    competing = [r for r in ordered if not (r.withdrawn or r.out_of_competition)]
    start = 0
    while start < len(competing):
        end = start
        key = keys[competing[start].participant_id]
        while end + 1 < len(competing) and keys[competing[end + 1].participant_id] == key:
            end += 1
        for row in competing[start : end + 1]:
            row.rank, row.rank_to = start + 1, end + 1
        start = end + 1
    for row in ordered:
        if row.withdrawn or row.out_of_competition:
            row.rank = row.rank_to = None
    return ordered


def mark_first_solves(rows: Sequence[Row]) -> None:
    """The earliest solve of each task among the rows that take places, by the clock (what a
    first solve means on a live board); solves at the same moment are all marked."""
    earliest: dict[int, float] = {}
    for row in rows:
        for cell in _solves(row):
            moment = earliest.get(cell.task_id)
            if moment is None or cell.solved_clock < moment:
                earliest[cell.task_id] = cell.solved_clock
    for row in rows:
        for cell in _solves(row):
            cell.first_solve = cell.solved_clock == earliest[cell.task_id]


def _solves(row: Row) -> list[Cell]:
    if row.rank is None:
        return []
    return [c for c in row.cells if c.solved and not c.changed and c.solved_clock is not None]
