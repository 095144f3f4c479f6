"""The standings of a contest: who is where, computed from runs, sheets and score changes,
never typed in. The rules are in contests.ranking; this module fetches the facts in a fixed
number of queries, applies the freeze and the public names, and caches the result.

Other areas call `invalidate(contest_id)` (on commit) after every write that moves the
standings (a verdict, a sheet, a score change, an import, a task removed, a participant
changed) and `build(contest, …)` to read them.

- The cache key holds the contest's `standings_version`, so a bumped version makes every
  cached copy stale on every web node at once; the timeout only bounds memory. A cache that
  is down is skipped (the standings are computed every time, still correct). The version is
  bumped on commit, so code that reads the standings inside a transaction after changing
  their facts calls compute() (uncached): build() would cache what a rollback may undo under
  the version that stays.
- The public (`jury=False`) sees the board frozen in the last `freeze_minutes` of the round
  until the jury unfreezes it (`contest.unfrozen_at`): runs submitted during the freeze
  (timing.is_frozen_run) show as `pending` in their cells and count nowhere. The public sees
  first name, surname initial and school (events.certificates.public_name of the name as
  registered, "Фамилия Имя [Отчество]"); the jury sees everything live with full names."""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.core.cache import cache
from django.db import connections
from django.db.models import Case, CharField, F, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone, translation

from contests import ranking
from contests.models import Contest, Participant, Run, ScoreChange, Sheet
from contests.ranking import Cell, Row, RunFact, SheetFact, Standings, TaskHead
from events.certificates import public_name

__all__ = ["Cell", "Row", "Standings", "TaskHead", "board_frozen", "build", "invalidate"]

logger = logging.getLogger(__name__)

CACHE_SECONDS = 15 * 60  # stale copies are never served (the version is in the key)
QUIZ, JUDGED_TASK = "quiz", "judged"
HIDDEN_STATE = "hidden"  # a run submitted during the freeze, on the public board


def invalidate(contest_id: int) -> None:
    """The standings of this contest moved: every cached copy is stale from now on."""
    Contest.objects.filter(pk=contest_id).update(standings_version=F("standings_version") + 1)


def board_frozen(contest: Contest, now: datetime | None = None) -> bool:
    """Is the public board frozen at `now` (the jury's never is)?"""
    freeze_at = contest.freeze_at()
    now = now or timezone.now()
    return freeze_at is not None and contest.unfrozen_at is None and now >= freeze_at


def cache_key(contest: Contest, category_id: int | None, jury: bool, frozen: bool) -> str:
    return ":".join(
        [
            "contests.standings",
            str(contest.pk),
            str(contest.standings_version),
            str(category_id or "all"),
            "jury" if jury else "public",
            "frozen" if frozen else "live",
            translation.get_language() or "",
        ]
    )


def build(
    contest: Contest,
    *,
    category_id: int | None = None,
    jury: bool = False,
    now: datetime | None = None,
) -> Standings:
    """The standings as the jury (live, full names) or the public (frozen while frozen,
    public names) sees them, of one category or of everyone; cached (see the docstring)."""
    frozen = not jury and board_frozen(contest, now)
    key = cache_key(contest, category_id, jury, frozen)
    standings = cache_get(key)
    if standings is None:
        standings = compute(contest, category_id=category_id, jury=jury, frozen=frozen)
        cache_set(key, standings)
    return standings


def cache_get(key: str, kind: type = Standings):
    """The cached value of `kind` under `key`, or None (also when the cache is down)."""
    try:
        with _no_gc_pauses():  # unpickling a board makes as many objects as computing it
            value = cache.get(key)
    except Exception:  # a cache that is down: compute instead
        logger.warning("standings cache unavailable", exc_info=True)
        return None
    return value if isinstance(value, kind) else None


def cache_set(key: str, value: object) -> None:
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.warning("standings cache unavailable", exc_info=True)


# --- Computing ---------------------------------------------------------------------------


def compute(
    contest: Contest, *, category_id: int | None = None, jury: bool = False, frozen: bool = False
) -> Standings:
    """The standings, uncached: four queries (five with judged tasks), whatever the size."""
    with _no_gc_pauses():
        return _compute(contest, category_id, jury, frozen)


@contextmanager
def _no_gc_pauses():
    """A board makes tens of thousands of small objects, which would set off the cyclic
    garbage collector's full passes over the whole process several times (a third of the
    time, and most of its spread); nothing it makes is cyclic, so the passes wait until
    after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compute(contest: Contest, category_id: int | None, jury: bool, frozen: bool) -> Standings:
    tasks = list(
        contest.tasks.filter(removed_at__isnull=True)
        .order_by("order", "pk")
        .values_list(
            "id", "label", "title", "max_score", "kind", "runs_count", "tie_break",
            "runs_allowed", "judges_combine", named=True,
        )
    )  # fmt: skip
    task_ids = [t.id for t in tasks]
    people = Participant.objects.filter(contest=contest)
    if category_id is not None:
        people = people.filter(category_id=category_id)
    participants = list(
        people.values_list(
            "id", "name", "team_name", "school_name", "school__name", "category_id",
            "category__name", "withdrawn_at", "is_out_of_competition", "started_at",
            named=True,
        )
    )  # fmt: skip
    counted = {p.id for p in participants if p.withdrawn_at is None}

    # The freeze hides what timing.is_frozen_run hides: runs from freeze_at on, until the
    # jury unfreezes (one threshold, so 30,000 runs compare one datetime each).
    hide_from = None
    if not jury and contest.unfrozen_at is None:
        hide_from = contest.freeze_at()

    runs = _runs(contest, task_ids, category_id, counted, hide_from)
    sheets = _sheets(contest, tasks, category_id, counted, hide_from)
    changes, icpc_changed = _changes(task_ids, category_id, counted)

    rules = contest.rules
    icpc = rules == ranking.ICPC
    with_sheets = {t.id for t in tasks if t.kind == JUDGED_TASK and not icpc}
    makers = [(t.id, t.max_score, t.id in with_sheets, _cell_maker(contest, t)) for t in tasks]
    runs_of, sheets_of = runs.get, sheets.get
    rows: list[Row] = []
    keys: dict[int, tuple] = {}
    for person in participants:
        row = _row(person, jury)
        pid = person.id
        # The clock time of contest second 0 for this participant (first solves compare it).
        origin = ((contest.window_minutes and person.started_at) or contest.starts_at).timestamp()
        cells = row.cells
        tie_keys: list[tuple] = []
        for task_id, max_score, judged, make in makers:
            pair = (pid, task_id)
            if judged:
                cell, tie_key = make(runs_of(pair, ()), sheets_of(pair))
                tie_keys.append(tie_key)
            else:
                cell = make(runs_of(pair, ()))
            if cell.solved_seconds is not None and cell.solved_clock is None:
                cell.solved_clock = origin + cell.solved_seconds
            if icpc:
                cell.changed = pair in icpc_changed
            elif pair in changes:
                ranking.apply_change(cell, changes[pair], max_score)
            cells.append(cell)
        if icpc:
            ranking.icpc_totals(row)
            keys[pid] = ranking.icpc_key(row)
        else:
            ranking.points_totals(row)
            keys[pid] = ranking.points_key(row, tie_keys if rules == ranking.JUDGED else ())
        rows.append(row)
    rows = ranking.place(rows, keys)
    ranking.mark_first_solves(rows)

    if rules == ranking.ICPC:
        max_score = Decimal(len(tasks))
    else:
        max_score = sum((t.max_score for t in tasks), Decimal(0))
    return Standings(
        contest_id=contest.pk,
        rules=rules,
        tasks=[TaskHead(t.id, t.label, t.title, t.max_score, t.kind) for t in tasks],
        rows=rows,
        frozen=frozen,
        version=contest.standings_version,
        max_score=max_score,
        freeze_at=contest.freeze_at() if frozen else None,
        built_at=timezone.now(),
        category_id=category_id,
        jury=jury,
    )


def public_names(name: str) -> str:
    """The public form of a participant's name; a team's is its members' names joined by
    commas (contests.registering.team_title), each shown as "Имя Ф."."""
    return ", ".join(filter(None, (public_name(part) for part in name.split(","))))


def _row(person, jury: bool) -> Row:
    withdrawn = person.withdrawn_at is not None
    return Row(
        participant_id=person.id,
        name=person.name if jury else public_names(person.name),
        school_name=person.school_name or person.school__name or "",
        team_name=person.team_name,
        category_id=person.category_id,
        category_name=person.category__name or "",
        rank=None,
        rank_to=None,
        solved=0,
        penalty_minutes=0,
        score=Decimal(0),
        out_of_competition=person.is_out_of_competition and not withdrawn,
        withdrawn=withdrawn,
    )


def _cell_maker(contest: Contest, task) -> Callable:
    """The function that makes this task's cell from a participant's runs, or for a judged
    task its cell and tie key from the runs and sheets (chosen once per task: a board makes
    12,000 cells)."""
    last_only = task.kind == QUIZ
    if contest.rules == ranking.ICPC:
        icpc = partial(
            ranking.icpc_cell,
            task.id,
            penalty_minutes=contest.penalty_minutes,
            compile_error_counts=contest.compile_error_counts,
            last_only=last_only,
            ordered=True,
        )
        return icpc
    ioi = partial(
        ranking.ioi_cell,
        task.id,
        max_score=task.max_score,
        best_per_subtask=contest.best_per_subtask,
        last_only=last_only,
        ordered=True,
    )
    if task.kind != JUDGED_TASK:
        return ioi
    judged = partial(
        ranking.judged_cell,
        task.id,
        max_score=task.max_score,
        runs_count=task.runs_count,
        tie_break=task.tie_break,
        runs_allowed=task.runs_allowed,
        judges_combine=task.judges_combine,
    )
    # Scored from runs (no sheets: imported results), its tie key still has the task's length.
    no_sheets_key = judged(())[1] if contest.rules == ranking.JUDGED else ()

    def judged_or_runs(runs, sheets):
        if sheets or not runs:
            return judged(sheets or ())
        return ioi(runs), no_sheets_key

    return judged_or_runs


def _runs(contest, task_ids, category_id, counted, hide_from) -> dict[tuple, list[RunFact]]:
    """The counted runs (not practice, of tasks not removed, of participants not withdrawn),
    grouped by (participant, task), in contest-time order.

    A board reads tens of thousands of runs, so they are read with a plain cursor (the rows
    as the driver gives them) and only the columns the rules need: the freeze and the judge's
    progress are folded into one state by the database ("hidden" for a run submitted during
    the freeze, counted as waiting like a run not judged yet). Scores and subtask lists come
    as text and are converted once per distinct value: a board's 30,000 runs hold a few
    hundred different ones, and Django's per-row conversions of decimals and JSON were most
    of the time of an IOI board."""
    with_score = contest.rules != ranking.ICPC
    with_subtasks = with_score and contest.best_per_subtask
    nothing = Value(None, output_field=CharField())
    query = Run.objects.filter(contest=contest, is_practice=False, task_id__in=task_ids)
    if category_id is not None:
        query = query.filter(participant__category_id=category_id)
    state = F("state")
    if hide_from is not None:
        state = Case(
            When(submitted_at__gte=hide_from, then=Value(HIDDEN_STATE)),
            default=F("state"),
            output_field=CharField(),
        )
    query = query.annotate(
        board_state=state,
        board_score=Cast("score", TextField()) if with_score else nothing,
        board_subtasks=Cast("subtask_scores", TextField()) if with_subtasks else nothing,
    ).order_by("participant_id", "task_id", "time_seconds", "id")
    query = query.values_list(
        "participant_id", "task_id", "time_seconds", "verdict", "board_state", "board_score",
        "board_subtasks",
    )  # fmt: skip
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    scores: dict = {None: None}
    lists: dict = {None: ()}
    grouped: dict[tuple, list[RunFact]] = {}
    pair = bucket = None
    new = tuple.__new__
    for participant_id, task_id, seconds, verdict, run_state, score, subtasks in rows:
        if participant_id not in counted:  # withdrawn
            continue
        if with_score:
            number = scores.get(score)
            if number is None and score is not None:
                number = scores[score] = Decimal(score)
            points = lists.get(subtasks)
            if points is None:
                points = lists[subtasks] = _decimals(subtasks)
        else:
            number, points = None, ()
        if pair != (participant_id, task_id):
            pair = (participant_id, task_id)
            bucket = grouped[pair] = []
        # RunFact's fields in order (tuple.__new__: no Python-level constructor per run).
        bucket.append(
            new(
                RunFact,
                (
                    seconds,
                    verdict,
                    run_state,
                    number,
                    points,
                    None,
                    False,
                    0,
                    participant_id,
                    task_id,
                ),
            )
        )
    return grouped


def _decimals(text: str) -> tuple[Decimal, ...]:
    """A subtask list stored as JSON, as Decimals."""
    return tuple(Decimal(str(value)) for value in json.loads(text) or ())


def _sheets(contest, tasks, category_id, counted, hide_from) -> dict[tuple, list[SheetFact]]:
    judged = [t.id for t in tasks if t.kind == JUDGED_TASK]
    if not judged or contest.rules == ranking.ICPC:
        return {}
    query = Sheet.objects.filter(task_id__in=judged)
    if category_id is not None:
        query = query.filter(participant__category_id=category_id)
    grouped: dict[tuple, list[SheetFact]] = {}
    rows = query.values_list(
        "participant_id", "task_id", "run_number", "score", "time_seconds", "created_at"
    )
    for participant_id, task_id, number, score, seconds, created_at in rows:
        if participant_id not in counted:
            continue
        # A sheet filled during the freeze is hidden from the public like a run.
        hidden = hide_from is not None and created_at >= hide_from
        grouped.setdefault((participant_id, task_id), []).append(
            SheetFact(number, score, seconds, hidden)
        )
    return grouped


def _changes(task_ids, category_id, counted) -> tuple[dict[tuple, Decimal], set[tuple]]:
    """The latest new score of each (participant, task), and the pairs whose runs the jury
    changed (ICPC: the verdict is already on the run; the cell is only marked)."""
    query = ScoreChange.objects.filter(task_id__in=task_ids)
    if category_id is not None:
        query = query.filter(participant__category_id=category_id)
    scores: dict[tuple, Decimal] = {}
    changed_runs: set[tuple] = set()
    rows = query.order_by("changed_at", "pk").values_list(
        "participant_id", "task_id", "score", "run_id"
    )
    for participant_id, task_id, score, run_id in rows:
        if participant_id not in counted:
            continue
        if score is not None:
            scores[participant_id, task_id] = score
        if run_id is not None:
            changed_runs.add((participant_id, task_id))
    return scores, changed_runs
