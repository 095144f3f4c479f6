"""What the round's pages show, as plain functions: whether a participant may see a task now,
each task's state in the side list, a run's verdict line and its tests, and when quiz results
may be shown. The pages (round_views.py) only gather the rows and render these.

During the round a participant sees their own programs' verdicts (also while the public board
is frozen: the freeze hides results from the others, not from oneself), but not how their quiz
answers did: only that each was saved. Quiz results are shown once the round is over for
everyone (extra time included); their feedback only where the contest has practice after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from contests import timing
from contests.models import Contest, Participant, Run, Task
from contests.models.results import VERDICTS

LABELS = dict(VERDICTS)
EMOJI = {
    "OK": "✅",
    "WA": "❌",
    "PE": "📐",
    "TLE": "⏱",
    "MLE": "🧠",
    "OLE": "📜",
    "RTE": "💥",
    "CE": "🛠",
    "SV": "⛔",
    "IE": "⚙️",
    "PT": "🟡",
}
# A quiz answer's result in words a pupil uses (not a judge's "accepted").
QUIZ_LABELS = {"OK": _lazy("right"), "PT": _lazy("partly right"), "WA": _lazy("wrong")}


class Mode:
    """What a viewer may do on a task's page now."""

    JURY = "jury"  # the statement always, every run; no form (unless also a participant)
    OPEN = "open"  # the participant's window is open: statement and form
    NOT_STARTED = "not_started"  # an individual window not started: press Start first
    CLOSED = "closed"  # one's window is over, the contest is not: no statement until the end
    PRACTICE = "practice"  # the contest is over and has practice: statement and form
    READ_ONLY = "read_only"  # the contest is over, no practice: the statement only
    HIDDEN = "hidden"  # nothing (404): not a participant, or before the start


def task_mode(contest: Contest, participant: Participant | None, jury: bool, now: datetime) -> str:
    if participant is not None and now >= contest.starts_at:
        window = timing.window(contest, participant)
        if window.is_open(now):
            return Mode.OPEN
        if jury:
            return Mode.JURY
        if timing.is_over(contest, now):
            return Mode.PRACTICE if contest.practice_after_end else Mode.READ_ONLY
        if window.starts_at is None:
            return Mode.NOT_STARTED
        return Mode.CLOSED
    return Mode.JURY if jury else Mode.HIDDEN


def shows_statement(mode: str) -> bool:
    return mode in (Mode.JURY, Mode.OPEN, Mode.PRACTICE, Mode.READ_ONLY)


def takes_runs(mode: str) -> bool:
    return mode in (Mode.OPEN, Mode.PRACTICE)


def results_open(contest: Contest, now: datetime) -> bool:
    """Quiz results may be shown: the round is over for everyone, extra time included."""
    if now < contest.ends_at:
        return False
    extra = contest.participants.aggregate(extra=Max("extra_minutes"))["extra"] or 0
    return now >= contest.ends_at + timedelta(minutes=extra)


def clock(seconds: int | None) -> str:
    """Contest time as olympiads print it: 1:05:09 (hours not padded)."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def verdict_label(verdict: str) -> str:
    return str(LABELS.get(verdict, verdict)) if verdict else ""


@dataclass
class RunLine:
    """One run as a list shows it."""

    run: Run
    label: str
    emoji: str
    verdict: str  # "" while judging or while a quiz answer's result is hidden
    score: Decimal | None  # shown only where points count (IOI, quiz results)
    hidden: bool = False  # a quiz answer during the round: "saved", nothing more
    pending: bool = False

    @property
    def contest_time(self) -> str:
        return clock(self.run.time_seconds)


def run_line(run: Run, *, rules: str, quiz_results: bool, jury: bool = False) -> RunLine:
    is_quiz = run.task.kind == Task.Kind.QUIZ
    if is_quiz and not (quiz_results or jury):
        return RunLine(run, _("answer saved"), "💾", "", None, hidden=True)
    if run.state != Run.State.DONE:
        label = _("waiting for the judge") if run.state == Run.State.QUEUED else _("testing…")
        return RunLine(run, label, "⏳", "", None, pending=True)
    shows_points = rules != Contest.Rules.ICPC or is_quiz
    label = QUIZ_LABELS.get(run.verdict) if is_quiz else None
    return RunLine(
        run,
        str(label or verdict_label(run.verdict)),
        EMOJI.get(run.verdict, ""),
        run.verdict,
        run.score if shows_points else None,
    )


@dataclass
class TaskState:
    task: Task
    state: str  # solved, tried, pending, answered, none
    label: str
    best: Decimal | None = None  # IOI: the best counted score so far
    current: bool = False


def _state_label(state: str) -> str:
    return {
        "solved": _("solved"),
        "tried": _("tried"),
        "pending": _("being judged"),
        "answered": _("answered"),
        "none": _("not tried"),
    }[state]


def task_states(
    tasks: list[Task],
    runs: list[Run],
    *,
    rules: str,
    quiz_results: bool,
    current: Task | None = None,
) -> list[TaskState]:
    """The side list: per task, what the participant's counted runs (practice aside) give."""
    by_task: dict[int, list[Run]] = {}
    for run in runs:
        if not run.is_practice:
            by_task.setdefault(run.task_id, []).append(run)
    states = []
    for task in tasks:
        own = sorted(by_task.get(task.pk, []), key=lambda r: (r.submitted_at, r.pk))
        best = None
        if not own:
            state = "none"
        elif task.kind == Task.Kind.QUIZ:
            last = own[-1]
            if not quiz_results:
                state = "answered"
            else:
                state = "solved" if last.verdict == "OK" else "tried"
                best = last.score if rules != Contest.Rules.ICPC else None
        else:
            done = [r for r in own if r.state == Run.State.DONE and r.verdict != "IE"]
            scores = [r.score for r in done if r.score is not None]
            best = max(scores) if scores and rules != Contest.Rules.ICPC else None
            if any(r.verdict == "OK" for r in done) or (
                best is not None and best >= task.max_score
            ):
                state = "solved"
            elif any(r.state != Run.State.DONE for r in own):
                state = "pending"
            else:
                state = "tried"
        states.append(
            TaskState(
                task,
                state,
                _state_label(state),
                best,
                current is not None and task.pk == current.pk,
            )
        )
    return states


def test_rows(run: Run) -> list[dict]:
    """The per-test table: number, verdict, time, memory; an example's output too (a hidden
    test's data is never stored, see judging.test_detail)."""
    rows = []
    for row in run.details or []:
        verdict = row.get("verdict", "")
        label = verdict_label(verdict)
        if verdict == "RTE" and row.get("signal"):
            label = _("%(label)s (signal %(signal)s)") % {"label": label, "signal": row["signal"]}
        rows.append(
            {
                "number": row.get("number"),
                "verdict": verdict,
                "label": label,
                "emoji": EMOJI.get(verdict, ""),
                "is_example": bool(row.get("is_example")),
                "subtask": row.get("subtask"),
                "time_s": row.get("time_s") or 0,
                "memory_mb": round((row.get("memory_kb") or 0) / 1024, 1),
                "output": row.get("output", "") if row.get("is_example") else "",
                "message": row.get("message", "") if row.get("is_example") else "",
            }
        )
    return rows


def subtask_rows(run: Run) -> list[dict]:
    """IOI: the points earned on each subtask (the judge's subtask_scores), in task points."""
    if len(run.subtask_scores or []) < 2:
        return []
    return [
        {"number": number, "score": Decimal(str(value))}
        for number, value in enumerate(run.subtask_scores, start=1)
    ]


def seconds_left(contest: Contest, participant: Participant, now: datetime) -> int | None:
    """For the countdown: seconds to the end of the participant's window (None: not open)."""
    window = timing.window(contest, participant)
    if not window.is_open(now):
        return None
    return max(0, int((window.ends_at - now).total_seconds()))
