"""The jury's audited score changes: a granted appeal or a direct correction.

IOI and judged tasks get a new task score (the latest ScoreChange with a score replaces what
the runs and sheets give, contests.standings); ICPC gets a run's verdict changed, the run row
updated too. A ScoreChange row is only ever added, never edited or deleted: the list is the
audit trail. The standings are invalidated once the change has committed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from contests import standings
from contests.models import Appeal, Contest, Participant, Run, ScoreChange, Task
from contests.models.results import VERDICTS
from lms import numbers
from lms.models import User
from lms.text import clean_line

REASON_MAX = ScoreChange._meta.get_field("reason").max_length
VERDICT_CODES = frozenset(code for code, _label in VERDICTS)


class ChangeError(ValueError):
    """A change refused; the message is for the person who asked (translated)."""


def parse_score(raw: object) -> Decimal | None:
    """A score typed by the jury ("8,5" or "8.5"), or None if it is no finite number."""
    if raw is None:
        return None
    text = str(raw).strip().replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def highest_score(task: Task) -> Decimal:
    """The most a task can score: its points, times the runs when the runs are added up."""
    if task.kind == Task.Kind.JUDGED and task.runs_count == Task.RunsCount.SUM:
        return task.max_score * task.runs_allowed
    return task.max_score


def current_score(contest: Contest, participant: Participant, task: Task) -> Decimal | None:
    """The task's score for the participant as the jury's standings have it now."""
    board = standings.build(contest, category_id=participant.category_id, jury=True)
    for row in board.rows:
        if row.participant_id == participant.pk:
            for cell in row.cells:
                if cell.task_id == task.pk:
                    return cell.score
    return None


def runs_to_change(participant: Participant, task: Task):
    """The runs whose verdict the jury may change: judged, counted ones (not practice)."""
    return Run.objects.filter(
        participant=participant, task=task, is_practice=False, state=Run.State.DONE
    ).order_by("time_seconds", "pk")


def _check(contest: Contest, participant: Participant, task: Task) -> None:
    if participant.contest_id != contest.pk or task.contest_id != contest.pk:
        raise ChangeError(_("This participant or task is not of this contest."))
    if task.removed_at is not None:
        raise ChangeError(_("This task was removed from the contest."))


def change_score(
    contest: Contest,
    participant: Participant,
    task: Task,
    user: User,
    *,
    reason: str,
    score: Decimal | None = None,
    run: Run | None = None,
    verdict: str = "",
    appeal: Appeal | None = None,
) -> ScoreChange:
    """Records one change: a new task score (IOI, judged) or a run's new verdict (ICPC). Call
    it inside the caller's transaction when it belongs to more (an appeal's answer); it opens
    its own otherwise. Raises ChangeError with a message for the jury."""
    _check(contest, participant, task)
    reason = clean_line(reason)[:REASON_MAX]
    if not reason:
        raise ChangeError(_("Say why the result changes: the reason is kept with the change."))
    with transaction.atomic():
        if contest.rules == Contest.Rules.ICPC:
            change = _change_verdict(participant, task, user, reason, run, verdict, appeal)
        else:
            change = _change_task_score(contest, participant, task, user, reason, score, appeal)
        transaction.on_commit(lambda: standings.invalidate(contest.pk))
    return change


def _change_verdict(participant, task, user, reason, run, verdict, appeal) -> ScoreChange:
    if run is None:
        raise ChangeError(_("Choose the run whose verdict changes."))
    if verdict not in VERDICT_CODES:
        raise ChangeError(_("Choose the new verdict."))
    locked = runs_to_change(participant, task).select_for_update().filter(pk=run.pk).first()
    if locked is None:
        raise ChangeError(_("This run is not a judged run of this participant on this task."))
    if locked.verdict == verdict:
        raise ChangeError(_("The run already has this verdict."))
    change = ScoreChange.objects.create(
        participant=participant,
        task=task,
        run=locked,
        verdict_before=locked.verdict,
        verdict=verdict,
        reason=reason,
        appeal=appeal,
        changed_by=user,
    )
    Run.objects.filter(pk=locked.pk).update(verdict=verdict)
    return change


def _change_task_score(contest, participant, task, user, reason, score, appeal) -> ScoreChange:
    if score is None:
        raise ChangeError(_("Enter the new score."))
    top = highest_score(task)
    if score < 0 or score > top:
        raise ChangeError(
            _("The score must be from 0 to %(max)s.") % {"max": numbers.number(top)},
        )
    before = current_score(contest, participant, task)
    if before is not None and before == score:
        raise ChangeError(_("The task already has this score."))
    return ScoreChange.objects.create(
        participant=participant,
        task=task,
        score_before=before,
        score=score,
        reason=reason,
        appeal=appeal,
        changed_by=user,
    )
