"""Importing the results of a round held elsewhere (ejudge, Yandex Contest, DOMjudge, paper):
a CSV of runs, `participant, problem, time_seconds, verdict` (ICPC) or `participant, problem,
time_seconds, score` (IOI; a verdict column may come too), checked whole, then imported whole
or not at all. The standings and diplomas are then computed from these runs as from any.

Reading the file (encodings, delimiters, headers) is contests.import_file; the verdicts of other
systems are contests.import_verdicts (the table is in its docstring). Here, each row against the
contest:
- participant: found by the name a previous import knew it by (Participant.external_id), then
  by its code (in any case), then by its exact full name (refused when two have it). Unknown
  ones are an error, unless the import adds them (external_id and name = the file's text).
- problem: a task of the contest by its label, in any case; a removed task is refused.
- time_seconds: contest seconds since the participant's start; a whole number (a fraction, as
  DOMjudge writes, is rounded down) or h:mm:ss / mm:ss. Negative is refused, and so is a time
  past the end of the participant's round (its length plus their extra time) or one that has
  not come yet (the round is still on).
- verdict (ICPC): any name of the table, anything else is an error naming the value;
  score (IOI): a number (decimal comma or point) from 0 to the task's points. In an IOI file
  without verdicts a run scores OK at full points, PT for part of them and WA for none.

Duplicates: a row equal to an earlier one in every column is skipped, with a warning naming both
lines. A pasted row twice is far likelier than two runs of one participant on one task in the
same second with the same verdict (ejudge even refuses a resubmitted identical program); two
real runs in one second can be told apart by a second.

Importing the same file again adds nothing: each run's import_key is a hash of (participant,
task, time, verdict, score), unique per contest (constraint one_imported_run); rows already
imported are counted, not added. A row imported before with another verdict or score at the
same time is an error: results are changed by the jury's audited score changes, not silently.

All or nothing: every row is checked first (the first MAX_ERRORS problems are listed, with their
lines); with any error nothing is written. Otherwise participants and runs are written in one
transaction (bulk_create), with the contest's row locked so two imports do not interleave, and
the standings are invalidated when it commits."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import import_file
from contests.import_cells import (
    PLACES,
    clock,
    parse_score,
    parse_time,
    parse_verdict,
    score_verdict,
)
from contests.import_file import FileRow, ImportFileError, ResultsFile
from contests.import_plan import MAX_ERRORS, Issue, Plan, PlannedRun
from contests.models import Contest, Participant, Run, Task
from contests.models.participants import new_code
from lms.numbers import number

__all__ = [
    "MAX_ERRORS",
    "ImportFileError",
    "Issue",
    "Plan",
    "PlannedRun",
    "ResultsFile",
    "check",
    "clock",
    "import_runs",
    "read",
]

PREVIEW_ROWS = 20
EXTERNAL_MAX = Participant._meta.get_field("external_id").max_length


def max_bytes() -> int:
    return getattr(settings, "LMS_CONTEST_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "LMS_CONTEST_IMPORT_MAX_ROWS", 50_000)


def read(data: bytes) -> ResultsFile:
    """The file's rows (raises ImportFileError for a file that is not a results table)."""
    return import_file.read(data, max_rows=max_rows())


def import_key(participant_id: int, run: PlannedRun) -> str:
    score = "" if run.score is None else str(run.score.quantize(PLACES))
    text = f"v1|{participant_id}|{run.task.pk}|{run.time_seconds}|{run.verdict}|{score}"
    return hashlib.sha256(text.encode()).hexdigest()


# --- Checking against a contest --------------------------------------------------------------


class _People:
    """The contest's participants, by external id, code and full name."""

    def __init__(self, contest: Contest):
        self.by_external: dict[str, Participant] = {}
        self.by_code: dict[str, Participant] = {}
        self.by_name: dict[str, list[Participant]] = {}
        for person in Participant.objects.filter(contest=contest):
            if person.external_id:
                self.by_external[person.external_id] = person
            self.by_code[person.code.upper()] = person
            self.by_name.setdefault(" ".join(person.name.split()), []).append(person)

    def find(self, text: str) -> tuple[Participant | None, int]:
        """The participant and how many share the name when it is only found by name."""
        found = self.by_external.get(text) or self.by_code.get(text.upper())
        if found is not None:
            return found, 1
        named = self.by_name.get(text, [])
        return (named[0] if len(named) == 1 else None), len(named)


def _rules_match(contest: Contest, results: ResultsFile, plan: Plan) -> bool:
    if contest.rules == Contest.Rules.ICPC:
        if not results.has_verdicts:
            plan.error(
                None,
                _(
                    "This is an IOI file (scores, no verdicts), but the contest has ICPC "
                    "rules: its file needs the column verdict."
                ),
            )
            return False
        if results.has_scores:
            plan.warn(None, _("The column score is not used: the contest has ICPC rules."))
        return True
    if contest.rules == Contest.Rules.IOI:
        if not results.has_scores:
            plan.error(
                None,
                _(
                    "This is an ICPC file (verdicts, no scores), but the contest has IOI "
                    "rules: its file needs the column score."
                ),
            )
            return False
        return True
    plan.error(
        None,
        _(
            "The results of this contest come from the judges' score sheets: only the runs of "
            "ICPC and IOI contests can be imported."
        ),
    )
    return False


def round_seconds(contest: Contest, participant: Participant | None) -> int:
    """The latest contest time of a run of this participant."""
    if contest.window_minutes:
        length = contest.window_minutes * 60
    else:
        length = int((contest.ends_at - contest.starts_at).total_seconds())
    return length + (participant.extra_minutes * 60 if participant else 0)


def start_of(contest: Contest, participant: Participant | None) -> datetime:
    if contest.window_minutes and participant is not None and participant.started_at:
        return participant.started_at
    return contest.starts_at


def check(
    contest: Contest,
    results: ResultsFile,
    *,
    create_participants: bool = False,
    now: datetime | None = None,
) -> Plan:
    """What importing this file into the contest would do, and every problem of it. Reads
    the contest's tasks, participants and imported runs in three queries; writes nothing."""
    now = now or timezone.now()
    plan = Plan(contest=contest, rows=len(results.rows))
    if not _rules_match(contest, results, plan):
        return plan
    tasks = {task.label.casefold(): task for task in Task.objects.filter(contest=contest)}
    people = _People(contest)
    keys: set[str] = set()
    imported_at: dict[tuple[int, int, int], tuple[str, Decimal | None]] = {}
    for row in (
        Run.objects.filter(contest=contest, source=Run.Source.IMPORTED)
        .exclude(import_key="")
        .values_list("participant_id", "task_id", "time_seconds", "verdict", "score", "import_key")
    ):
        keys.add(row[5])
        imported_at[row[:3]] = (row[3], row[4])
    seen: dict[tuple, int] = {}
    new: dict[str, None] = {}  # ordered set
    unknown = 0
    for row in results.rows:
        run, unknown_name = _check_row(
            row, contest, results, tasks, people, plan, create=create_participants, now=now
        )
        if unknown_name:
            if create_participants:
                new[unknown_name] = None
            else:
                unknown += 1
        if run is None:
            continue
        identity = run.identity()
        if identity in seen:
            plan.duplicates += 1
            plan.warn(
                row.line,
                _("the same as line %(line)d: skipped.") % {"line": seen[identity]},
            )
            continue
        seen[identity] = row.line
        if run.participant is not None:
            if import_key(run.participant.pk, run) in keys:
                plan.already_imported += 1
                continue
            before = imported_at.get((run.participant.pk, run.task.pk, run.time_seconds))
            if before is not None:
                plan.error(row.line, _changed_message(run, *before))
                continue
        plan.runs.append(run)
    plan.new_participants = list(new)
    if unknown:
        plan.hint = _(
            "Participants the contest does not have can be added from the file: choose “Add "
            "unknown participants” (the command: --add-participants)."
        )
    if contest.results_published_at and plan.ok and plan.runs:
        plan.warn(
            None,
            _("The results are published already: the awards given will not change by this."),
        )
    return plan


def _changed_message(run: PlannedRun, verdict: str, score: Decimal | None) -> str:
    was = verdict if score is None else number(score)
    now = run.verdict if run.score is None else number(run.score)
    return _(
        "a run of “%(name)s” on %(label)s at %(time)s was imported before as %(was)s; the file "
        "says %(now)s. A result is changed by the jury's score change, not by importing again."
    ) % {
        "name": run.name,
        "label": run.task.label,
        "time": clock(run.time_seconds),
        "was": was,
        "now": now,
    }


def _check_row(
    row: FileRow,
    contest: Contest,
    results: ResultsFile,
    tasks: dict[str, Task],
    people: _People,
    plan: Plan,
    *,
    create: bool,
    now: datetime,
) -> tuple[PlannedRun | None, str]:
    """The row's run (None when it has errors, each added to the plan) and the participant's
    name when the contest does not have them."""
    line, cells = row.line, row.cells
    if row.missing:
        plan.error(
            line,
            _("the row is shorter than the header: no %(columns)s.")
            % {"columns": ", ".join(row.missing)},
        )
        return None, ""
    failed = False
    name = cells["participant"]
    participant, unknown_name = None, ""
    if not name:
        plan.error(line, _("no participant."))
        failed = True
    else:
        participant, sharing = people.find(name)
        if participant is None and sharing > 1:
            plan.error(
                line,
                _("%(count)d participants are named “%(name)s”: use their codes in the file.")
                % {"count": sharing, "name": name},
            )
            failed = True
        elif participant is None:
            unknown_name = name
            if len(name) > EXTERNAL_MAX:
                plan.error(
                    line,
                    _("the participant's name is longer than %(max)d characters.")
                    % {"max": EXTERNAL_MAX},
                )
                failed = True
            elif not create:
                plan.error(line, _("unknown participant “%(name)s”.") % {"name": name})
                failed = True

    label = cells["problem"]
    task = tasks.get(label.casefold()) if label else None
    if not label:
        plan.error(line, _("no problem."))
        failed = True
    elif task is None:
        plan.error(
            line,
            _("unknown problem “%(label)s”: the contest's tasks are %(labels)s.")
            % {"label": label[:40], "labels": ", ".join(t.label for t in tasks.values()) or "—"},
        )
        failed = True
    elif task.removed_at is not None:
        plan.error(line, _("task %(label)s was removed from the contest.") % {"label": task.label})
        failed = True

    seconds, why = parse_time(cells["time_seconds"])
    if seconds is None:
        plan.error(line, why)
        failed = True
    elif seconds > round_seconds(contest, participant):
        plan.error(
            line,
            _("the time %(time)s is after the end of the round (it lasts %(length)s).")
            % {"time": clock(seconds), "length": clock(round_seconds(contest, participant))},
        )
        failed = True
    elif start_of(contest, participant) + timedelta(seconds=seconds) > now:
        plan.error(
            line,
            _("the time %(time)s is in the future: the round has not got that far yet.")
            % {"time": clock(seconds)},
        )
        failed = True

    verdict, score = None, None
    if contest.rules == Contest.Rules.ICPC:
        verdict, why = parse_verdict(cells["verdict"])
        if verdict is None:
            plan.error(line, why)
            failed = True
    elif task is not None:
        score, why = parse_score(cells["score"], task)
        if score is None:
            plan.error(line, why)
            failed = True
        if results.has_verdicts and cells["verdict"]:
            verdict, why = parse_verdict(cells["verdict"])
            if verdict is None:
                plan.error(line, why)
                failed = True
        elif score is not None:
            verdict = score_verdict(score, task)
    if failed:
        return None, unknown_name
    return PlannedRun(line, name, participant, task, seconds, verdict, score), unknown_name


# --- Writing -------------------------------------------------------------------------------


def _invalidate(contest_id: int) -> None:
    from contests import standings  # another area's module: imported when needed

    standings.invalidate(contest_id)


def write(plan: Plan, contest: Contest, now: datetime) -> None:
    """Write a checked plan (inside the caller's transaction)."""
    made: dict[str, Participant] = {}
    if plan.new_participants:
        codes = set(Participant.objects.filter(contest=contest).values_list("code", flat=True))
        fresh = []
        for name in plan.new_participants:
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            fresh.append(
                Participant(
                    contest=contest,
                    name=name,
                    external_id=name,
                    code=code,
                    source=Participant.Source.IMPORT,
                )
            )
        Participant.objects.bulk_create(fresh, batch_size=500)
        # Fetched again: not every database hands back the new ids from a bulk insert.
        made = {
            person.external_id: person
            for person in Participant.objects.filter(
                contest=contest, external_id__in=plan.new_participants
            )
        }
    runs = []
    for planned in plan.runs:
        participant = planned.participant or made[planned.name]
        runs.append(
            Run(
                contest=contest,
                participant=participant,
                task=planned.task,
                submitted_at=start_of(contest, participant)
                + timedelta(seconds=planned.time_seconds),
                time_seconds=planned.time_seconds,
                source=Run.Source.IMPORTED,
                state=Run.State.DONE,
                verdict=planned.verdict,
                score=planned.score,
                judged_at=now,
                import_key=import_key(participant.pk, planned),
            )
        )
    Run.objects.bulk_create(runs, batch_size=1000)
    plan.added = len(runs)
    plan.written = True
    contest_id = contest.pk
    transaction.on_commit(lambda: _invalidate(contest_id))


def import_runs(
    contest: Contest,
    results: ResultsFile,
    *,
    create_participants: bool = False,
    now: datetime | None = None,
    dry_run: bool = False,
) -> Plan:
    """Check the file against the contest and, when nothing is wrong (and not dry_run), write
    it: everything in one transaction, with the contest locked, so the check is of the rows as
    they are written."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = Contest.objects.select_for_update().get(pk=contest.pk)
            plan = check(locked, results, create_participants=create_participants, now=now)
            if plan.ok and not dry_run:
                write(plan, locked, now)
    except IntegrityError:
        # Another import of the same rows committed between our check and our write (SQLite
        # has no row locks): everything here was rolled back.
        plan = Plan(contest=contest, rows=len(results.rows))
        plan.error(None, concurrent_message())
    return plan


def concurrent_message() -> str:
    return _(
        "The contest changed while the file was imported (another import at the same time?): "
        "nothing was imported. Try again."
    )
