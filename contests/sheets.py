"""The judges' score sheets of judged tasks (robots on the field, projects before the jury):
saving one judge's sheet of one run, what each judge may score, and what has been scored so
far (the judges' progress table). The arithmetic is contests.sheet_scores; the standings read
the sheets (contests.standings), so every saved change bumps the contest's standings version.

- One sheet per (task, participant, run, judge): saving again updates it, and sending the
  same sheet twice writes nothing.
- A judge scores only the categories and tasks they are assigned (permissions.may_judge);
  organisers score anything and may fix any judge's existing sheet: the sheet keeps its judge,
  updated_at moves and the change is logged ("contests.sheets").
- After the results are published the sheets are locked: a score then changes only through an
  appeal, whose audited ScoreChange replaces the task's score."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import permissions, sheet_scores
from contests.models import Category, Contest, JudgeAssignment, Member, Participant, Sheet, Task
from events.certificates import public_name
from lms.permissions import AnyUser
from lms.text import clean_cell

log = logging.getLogger("contests.sheets")

# A run on the field lasts minutes and a project's defence well under an hour; a day is far
# beyond any real time and still far inside the column (9 digits, 3 of them decimals).
MAX_TIME_SECONDS = Decimal(24 * 3600)
TIME_PLACES = Decimal("0.001")
COMMENT_LIMIT = 500  # Sheet.comment


class SheetRefused(Exception):
    """A sheet that may not be saved; `message` is translated and shown as is, `code` names
    the reason for the code that handles it (tests, the views)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- What a sheet is made of ----------------------------------------------------------------


def specs(task: Task) -> list[sheet_scores.CriterionSpec]:
    """The task's criteria for the arithmetic (uses a prefetched task.criteria if there)."""
    return [
        sheet_scores.CriterionSpec(c.pk, c.kind, c.points, c.max_count) for c in task.criteria.all()
    ]


def takes_time(task: Task, criteria=None) -> bool:
    """Does the sheet ask for the run's time? When the task has a time line, or when its ties
    are broken by time."""
    lines = task.criteria.all() if criteria is None else criteria
    return task.tie_break != Task.TieBreak.NONE or any(c.kind == "time" for c in lines)


def is_locked(contest: Contest, now: datetime | None = None) -> bool:
    """The results are published: sheets no longer change (appeals do)."""
    published = contest.results_published_at
    return published is not None and published <= (now or timezone.now())


def clean_time(value: object) -> Decimal | None:
    """The run's time in seconds (None: no time, the robot did not finish), to the
    millisecond, between 0 and a day. Raises SheetRefused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SheetRefused(_("The time must be a number of seconds."), "time")
    try:
        seconds = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise SheetRefused(_("The time must be a number of seconds."), "time") from None
    if not seconds.is_finite():
        raise SheetRefused(_("The time must be a number of seconds."), "time")
    if seconds < 0:
        raise SheetRefused(_("The time cannot be negative."), "time")
    if seconds > MAX_TIME_SECONDS:
        raise SheetRefused(
            _("A run cannot last longer than %(hours)s hours: check the time.") % {"hours": 24},
            "time",
        )
    return seconds.quantize(TIME_PLACES)


def clean_comment(value: object) -> str:
    text = clean_cell(str(value or "")).strip()
    if len(text) > COMMENT_LIMIT:
        raise SheetRefused(
            _("The comment is too long: at most %(limit)s characters.") % {"limit": COMMENT_LIMIT},
            "comment",
        )
    return text


# --- Saving ---------------------------------------------------------------------------------


def why_closed(
    task: Task, participant: Participant, now: datetime | None = None
) -> SheetRefused | None:
    """Why no sheet of this task and participant may be saved now (None: it may). The sheet
    page shows it above a read-only form; save_sheet raises it."""
    now = now or timezone.now()
    contest = task.contest
    if task.kind != Task.Kind.JUDGED:
        return SheetRefused(_("This task is not scored on sheets."), "not_judged")
    if task.removed_at is not None:
        return SheetRefused(
            _("This task has been removed from the contest: it takes no more scores."), "removed"
        )
    if participant.contest_id != task.contest_id:
        return SheetRefused(_("This participant is not in this contest."), "other_contest")
    if participant.withdrawn_at is not None:
        return SheetRefused(_("This participant has withdrawn from the contest."), "withdrawn")
    if now < contest.starts_at:
        return SheetRefused(_("The contest has not started yet."), "not_started")
    if is_locked(contest, now):
        return SheetRefused(
            _(
                "The results are published, so the sheets are locked. A score changes now only "
                "through an appeal: the participant files it and the jury changes the score."
            ),
            "locked",
        )
    return None


def _run_number(task: Task, run_number: object) -> int:
    if isinstance(run_number, bool) or not isinstance(run_number, int):
        raise SheetRefused(_("There is no such run."), "run_number")
    if not 1 <= run_number <= task.runs_allowed:
        raise SheetRefused(
            _("This task has runs 1 to %(runs)s only.") % {"runs": task.runs_allowed},
            "run_number",
        )
    return run_number


def _refuse_user(task: Task, participant: Participant, judge: AnyUser, by: AnyUser) -> None:
    if not permissions.may_judge(by, task, participant.category):
        raise SheetRefused(
            _("You do not judge this task in this participant's category."), "not_judge"
        )
    if by.pk != judge.pk and not permissions.is_organiser(by):
        raise SheetRefused(_("A judge changes only their own sheets."), "not_yours")
    if Member.objects.filter(participant=participant, user_id=judge.pk).exists():
        raise SheetRefused(_("A judge cannot score their own team."), "own_team")


def save_sheet(
    task: Task,
    participant: Participant,
    run_number: int,
    judge: AnyUser,
    raw_counts: dict,
    time_seconds: object,
    comment: object = "",
    *,
    by: AnyUser | None = None,
    now: datetime | None = None,
) -> Sheet:
    """Save `judge`'s sheet of this run, computed from the counts (never a typed score).
    `by`: who saves, when an organiser fixes another judge's existing sheet (the sheet keeps
    its judge). Raises SheetRefused with a translated message; nothing is written then."""
    by = by or judge
    now = now or timezone.now()
    with transaction.atomic():
        # Fresh rows: the task may have been removed or the results published since the
        # caller read them (the judge's form stayed open on the field).
        task = Task.objects.select_related("contest").get(pk=task.pk)
        participant = Participant.objects.select_related("category").get(pk=participant.pk)
        closed = why_closed(task, participant, now)
        if closed is not None:
            raise closed
        run_number = _run_number(task, run_number)
        _refuse_user(task, participant, judge, by)
        criteria = specs(task)
        try:
            counts = sheet_scores.clean_counts(criteria, raw_counts or {})
        except sheet_scores.SheetError as error:
            raise SheetRefused(str(error), "counts") from None
        values = {
            "counts": counts,
            "time_seconds": clean_time(time_seconds),
            "score": sheet_scores.sheet_score(criteria, counts),
            "comment": clean_comment(comment),
        }
        key = {"task": task, "participant": participant, "run_number": run_number}
        sheet = _locked_sheet(key, judge.pk)
        if sheet is None:
            if by.pk != judge.pk:
                raise SheetRefused(
                    _("Organisers fix a judge's sheet; a new sheet is filled by its own judge."),
                    "not_yours",
                )
            try:
                with transaction.atomic():  # a savepoint: the same sheet sent twice at once
                    sheet = Sheet.objects.create(**key, judge_id=judge.pk, **values)
            except IntegrityError:
                sheet = _locked_sheet(key, judge.pk)
                if sheet is None:  # not a twin request: a real error
                    raise
            else:
                _bump_on_commit(task.contest_id)
                return sheet
        before = _update(sheet, values)
        if before is None:
            return sheet  # the same sheet again (a double submit): nothing changes
        if by.pk != judge.pk:
            # No change table for sheets yet: the log keeps who fixed what (see the module).
            log.info(
                "sheet %s of judge %s changed by organiser %s: counts %s -> %s, time %s -> %s, "
                "score %s -> %s",
                sheet.pk,
                judge.pk,
                by.pk,
                before["counts"],
                values["counts"],
                before["time_seconds"],
                values["time_seconds"],
                before["score"],
                values["score"],
            )
        _bump_on_commit(task.contest_id)
        return sheet


def _locked_sheet(key: dict, judge_id: int) -> Sheet | None:
    return Sheet.objects.select_for_update().filter(**key, judge_id=judge_id).first()


def _update(sheet: Sheet, values: dict) -> dict | None:
    """Write the new values; the old ones, or None when nothing changed."""
    before = {
        "counts": {str(k): v for k, v in (sheet.counts or {}).items()},
        "time_seconds": sheet.time_seconds,
        "score": sheet.score,
        "comment": sheet.comment,
    }
    if before == values:
        return None
    for name, value in values.items():
        setattr(sheet, name, value)
    sheet.save(update_fields=[*values, "updated_at"])
    return before


def _bump(contest_id: int) -> None:
    from contests import standings  # another area's module; imported when needed

    standings.invalidate(contest_id)


def _bump_on_commit(contest_id: int) -> None:
    transaction.on_commit(partial(_bump, contest_id))


# --- Who may score what ---------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeScope:
    """What one user may score in one contest, from their JudgeAssignment rows (None: every
    task or every category), the same rule as permissions.may_judge, for lists."""

    everything: bool
    pairs: frozenset[tuple[int | None, int | None]] = frozenset()  # (task id, category id)

    def may(self, task_id: int, category_id: int | None) -> bool:
        return self.everything or any(
            (t is None or t == task_id) and (c is None or c == category_id) for t, c in self.pairs
        )

    def has_task(self, task_id: int) -> bool:
        return self.everything or any(t is None or t == task_id for t, _c in self.pairs)

    def every_category(self, task_id: int) -> bool:
        return self.everything or any(
            (t is None or t == task_id) and c is None for t, c in self.pairs
        )

    def category_ids(self, task_id: int) -> set[int]:
        return {c for t, c in self.pairs if (t is None or t == task_id) and c is not None}


def judge_scope(user: AnyUser, contest: Contest) -> JudgeScope:
    if not user.is_authenticated:
        return JudgeScope(False)
    if permissions.is_organiser(user):
        return JudgeScope(True)
    rows = JudgeAssignment.objects.filter(contest=contest, user=user)
    return JudgeScope(False, frozenset(rows.values_list("task_id", "category_id")))


def judgeable_tasks(contest: Contest, scope: JudgeScope) -> list[Task]:
    """The contest's judged tasks (not removed) this scope may score, in order, with their
    criteria."""
    tasks = contest.tasks.filter(kind=Task.Kind.JUDGED, removed_at__isnull=True)
    return [t for t in tasks.prefetch_related("criteria") if scope.has_task(t.pk)]


def judgeable_categories(contest: Contest, scope: JudgeScope, task: Task) -> list[Category]:
    categories = list(contest.categories.all())
    if scope.every_category(task.pk):
        return categories
    allowed = scope.category_ids(task.pk)
    return [c for c in categories if c.pk in allowed]


def judgeable_participants(task: Task, scope: JudgeScope) -> QuerySet[Participant]:
    """The participants of the task's contest (not withdrawn) this scope may score on it, in
    the order of the judges' list: category, then team or name."""
    participants = Participant.objects.filter(
        contest_id=task.contest_id, withdrawn_at__isnull=True
    ).order_by("category__order", "category_id", "team_name", "name", "pk")
    if not scope.every_category(task.pk):
        participants = participants.filter(category_id__in=scope.category_ids(task.pk))
    return participants


def participant_label(participant: Participant, *, full_names: bool) -> str:
    """How a judge's list names a participant: the team's name, else the pupil's first name
    and initial (full names for the jury only: children's data)."""
    if participant.team_name:
        return participant.team_name
    return participant.name if full_names else public_name(participant.name)


def school_of(participant: Participant) -> str:
    if participant.school_name:
        return participant.school_name
    return participant.school.name if participant.school_id and participant.school else ""


# --- Progress -------------------------------------------------------------------------------


@dataclass
class RunCell:
    """One run of one participant: every judge's sheet, the asking judge's own, and the
    judges' combined result (None: not scored yet)."""

    number: int
    sheets: list[Sheet] = field(default_factory=list)
    mine: Sheet | None = None
    result: sheet_scores.RunResult | None = None

    @property
    def judges(self) -> int:
        return len(self.sheets)

    @property
    def others(self) -> int:
        return self.judges - (1 if self.mine else 0)


@dataclass
class ParticipantRuns:
    participant: Participant
    runs: list[RunCell]

    @property
    def scored(self) -> int:
        return sum(1 for run in self.runs if run.sheets)


def progress(
    task: Task,
    *,
    scope: JudgeScope | None = None,
    user: AnyUser | None = None,
    category_id: int | None = None,
) -> list[ParticipantRuns]:
    """Per participant of the task (those `scope` may score, all without one; of one category
    if given): its runs 1..runs_allowed with who scored them. Two queries, whatever the
    number of participants, runs and judges."""
    scope = scope or JudgeScope(True)
    participants = judgeable_participants(task, scope).select_related("category", "school")
    if category_id is not None:
        participants = participants.filter(category_id=category_id)
    # A subquery, not a list of ids: a thousand participants stay one short query.
    sheets = (
        Sheet.objects.filter(task=task, participant__in=participants.values("pk"))
        .select_related("judge")
        .order_by("created_at", "pk")
    )
    participants = list(participants)
    by_run: dict[tuple[int, int], list[Sheet]] = defaultdict(list)
    if participants:
        for sheet in sheets:
            by_run[(sheet.participant_id, sheet.run_number)].append(sheet)
    rows = []
    for participant in participants:
        runs = []
        for number in range(1, task.runs_allowed + 1):
            found = by_run.get((participant.pk, number), [])
            runs.append(run_cell(task, number, found, user))
        rows.append(ParticipantRuns(participant, runs))
    return rows


def run_cell(task: Task, number: int, sheets: list[Sheet], user: AnyUser | None) -> RunCell:
    mine = next((s for s in sheets if user is not None and s.judge_id == user.pk), None)
    result = None
    if sheets:
        result = sheet_scores.run_result(
            number, [(s.score, s.time_seconds) for s in sheets], task.judges_combine
        )
    return RunCell(number, list(sheets), mine, result)


def sheets_of_run(task: Task, participant: Participant, number: int) -> list[Sheet]:
    """Every judge's sheet of one run (the organisers' view of a run), by judge."""
    return list(
        Sheet.objects.filter(task=task, participant=participant, run_number=number)
        .select_related("judge")
        .order_by("created_at", "pk")
    )
