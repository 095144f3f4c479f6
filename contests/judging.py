"""Judging contest runs in the task workers, none lost and none judged twice: the pattern of
assessments.programming.judging. A worker claims a run with a conditional UPDATE (queued ->
running, a fresh token); only the token's holder writes, and the verdict is written in one
transaction that checks the token again under a row lock. A dead worker's claim goes stale and
`requeue_stale` (before every judging task, by the run pages, and by `manage.py
requeue_contest_runs`) queues the run again; after MAX_CLAIMS claims it is given up as a judge
error (IE), which never counts against the participant (the jury judges it again).

What a run stores: the verdict (the judge's, in the contest's names: RE is RTE, SE is SV),
tests passed of all, the compiler's message of a compilation error, per test its verdict, time
and memory (what an example printed, never anything of a hidden test), and the score:

- `score` is of the task's `max_score` and kept unrounded (10 places), with the problem's own
  rules (assessments.programming.scoring: a subtask scores only when all its tests pass; per
  test; all or nothing). For ICPC the verdict is what counts; the score is kept all the same.
- `subtask_scores` is the list, per subtask of the problem, of the points earned on it, in the
  task's points (Decimal strings): subtask i is worth max_score × points_i / Σ points (10
  places, the last subtask taking the rounding remainder, so that all of them add up to
  max_score exactly) and earns that when passed, else 0. A run's subtask scores add up to its
  score exactly (for a subtask problem its score is defined as their sum), so the standings'
  best-per-subtask, which adds the best of each subtask over the runs, gives max_score for a
  participant who passed every subtask, in whatever runs. A problem without subtasks has one
  entry, the run's score (best per subtask is then the best run).
- A judge error stores no score (None) and no subtask scores."""

from __future__ import annotations

import logging
import secrets
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.programming import authoring, judge, scoring
from assessments.programming.judging import stale_after
from assessments.programming.models import ProgrammingLanguage
from assessments.programming.spec import ProblemSpec, Scoring, Verdict
from contests.models import Run, Task

log = logging.getLogger("contests")
State = Run.State
MAX_CLAIMS = 3
PLACES = Decimal("1E-10")  # Run.score's decimal places
# scoring.score rounds to 0.01 of what it is given: given the task's points times 10**8, it
# rounds to 10**-10 of them, Run.score's own precision.
_SCALE = Decimal(10) ** 8

# The judge's verdicts in the names contests use (ejudge's, DOMjudge's).
CONTEST_VERDICT = {Verdict.RE: "RTE", Verdict.SE: "SV"}


def contest_verdict(verdict: Verdict | str) -> str:
    return CONTEST_VERDICT.get(Verdict(verdict), str(verdict))


def invalidate_on_commit(contest_id: int) -> None:
    """The standings move once the transaction that wrote the result commits."""

    def bump() -> None:
        from contests import standings  # the standings area's module (its own contract)

        standings.invalidate(contest_id)

    transaction.on_commit(bump)


def enqueue(run_id: int) -> None:
    from contests import tasks

    transaction.on_commit(lambda: tasks.judge_run.enqueue(run_id))


def _judged_here():
    return Run.objects.filter(source=Run.Source.SUBMITTED, task__kind=Task.Kind.PROGRAMMING)


def requeue_stale(ids: list[int] | None = None) -> int:
    """Queue again what a dead worker left running, and what sat queued longer than a claim
    lives (its task was lost). Returns how many were queued."""
    cutoff = timezone.now() - stale_after()
    found = _judged_here().filter(
        Q(state=State.RUNNING, claimed_at__lt=cutoff)
        | Q(state=State.QUEUED, submitted_at__lt=cutoff, claimed_at__isnull=True)
        | Q(state=State.QUEUED, claimed_at__lt=cutoff)
    )
    if ids is not None:
        found = found.filter(pk__in=ids)
    stale = list(found.values_list("pk", flat=True)[:200])
    for pk in stale:
        # Queued again from now (the dead worker's token no longer counts), so the next sweep
        # does not queue it a second time.
        Run.objects.filter(pk=pk).update(state=State.QUEUED, claim="", claimed_at=timezone.now())
        enqueue(pk)
    if stale:
        log.warning("contest runs queued again: %s", stale)
    return len(stale)


def claim(pk: int) -> str | None:
    now = timezone.now()
    token = secrets.token_hex(16)
    taken = (
        _judged_here()
        .filter(pk=pk)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, claimed_at__lt=now - stale_after()))
        .update(state=State.RUNNING, claim=token, claimed_at=now, judge_runs=F("judge_runs") + 1)
    )
    return token if taken else None


def test_detail(verdict: judge.TestVerdict, spec: ProblemSpec) -> dict:
    """One test as the run stores it: an example's output and message are shown to the
    participant (they are in the statement); a hidden test's are not even stored."""
    row = {
        "number": verdict.index + 1,
        "verdict": contest_verdict(verdict.verdict),
        "is_example": verdict.is_example,
        "subtask": verdict.subtask + 1 if spec.subtasks else None,
        "time_s": verdict.time_s,
        "memory_kb": verdict.memory_kb,
        "signal": verdict.signal,
    }
    if verdict.is_example:
        row["output"] = verdict.output_excerpt
        row["message"] = verdict.message[: judge.EXCERPT]
    return row


test_detail.__test__ = False  # not a pytest test, despite the name


def _dec(value: float | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def subtask_shares(spec: ProblemSpec, max_score: Decimal) -> list[Decimal]:
    """What each subtask is worth in the task's points; they add up to max_score exactly."""
    if not spec.subtasks:
        return []
    max_score = Decimal(max_score)
    weights = [_dec(s.points) for s in spec.subtasks]
    if sum(weights) <= 0:  # an unweighted package: each subtask counts the same
        weights = [Decimal(1)] * len(weights)
    total = sum(weights)
    shares = [(w * max_score / total).quantize(PLACES, rounding=ROUND_HALF_EVEN) for w in weights]
    last = max(i for i, w in enumerate(weights) if w > 0)
    shares[last] += max_score - sum(shares)
    return shares


def run_score(
    judgement: judge.Judgement, spec: ProblemSpec, max_score: Decimal
) -> tuple[Decimal | None, list[Decimal]]:
    """The run's score and subtask scores (see the module's docstring); (None, []) for IE."""
    if judgement.verdict is Verdict.IE:
        return None, []
    max_score = Decimal(max_score)
    outcomes = [
        scoring.TestOutcome(verdict=t.verdict, subtask=t.subtask, points=t.points)
        for t in judgement.tests
    ]
    if Scoring(spec.scoring) is Scoring.SUBTASKS and spec.subtasks:
        shares = subtask_shares(spec, max_score)
        if judgement.verdict is Verdict.CE or not outcomes:
            earned = [Decimal(0)] * len(shares)
        else:
            rows = scoring.subtask_results(outcomes, spec.subtasks)
            earned = [
                share if row.passed else Decimal(0) for share, row in zip(shares, rows, strict=True)
            ]
        return sum(earned, Decimal(0)), earned
    if judgement.verdict is Verdict.CE:
        return Decimal(0), [Decimal(0)]
    score = scoring.score(outcomes, spec.scoring, spec.subtasks, max_score * _SCALE) / _SCALE
    score = min(score.quantize(PLACES), max_score)
    return score, [score]


def judge_run(pk: int) -> bool:
    """Claim, judge and score one run. False when there was nothing to do (judged already,
    or another worker holds it)."""
    token = claim(pk)
    if token is None:
        return False
    run = Run.objects.select_related("task__problem", "language").get(pk=pk)
    problem = run.task.problem
    if run.judge_runs > MAX_CLAIMS or problem is None or run.language is None:
        failed = judge.Judgement(Verdict.IE, message="judging failed several times")
        return finish(run, token, failed, None)
    spec = authoring.spec_of(problem)
    seen: list[dict] = []
    Run.objects.filter(pk=pk, claim=token).update(tests_total=len(spec.tests), details=[])

    def progress(verdict: judge.TestVerdict) -> None:
        # Each verdict as it comes (the run's page shows them), refreshing the claim.
        seen.append(test_detail(verdict, spec))
        Run.objects.filter(pk=pk, claim=token, state=State.RUNNING).update(
            claimed_at=timezone.now(), details=seen, tests_passed=_passed(seen)
        )

    checker = ProgrammingLanguage.objects.filter(code="python").first()
    judgement = judge.judge(
        spec,
        run.language.runtime(),
        run.code,
        checker_language=checker.runtime() if checker else None,
        on_test=progress,
    )
    return finish(run, token, judgement, spec)


def _passed(rows: list[dict]) -> int:
    return sum(row["verdict"] == "OK" for row in rows)


def finish(run: Run, token: str, judgement: judge.Judgement, spec: ProblemSpec | None) -> bool:
    """Write the verdict and the score at once, if the claim is still ours."""
    if spec is None:
        score, parts, details = None, [], []
    else:
        score, parts = run_score(judgement, spec, run.task.max_score)
        details = [test_detail(t, spec) for t in judgement.tests]
    with transaction.atomic():
        locked = (
            Run.objects.select_for_update()
            .filter(pk=run.pk, claim=token, state=State.RUNNING)
            .values_list("pk", flat=True)
            .first()
        )
        if locked is None:
            return False
        Run.objects.filter(pk=run.pk).update(
            state=State.DONE,
            verdict=contest_verdict(judgement.verdict),
            score=score,
            subtask_scores=[str(part) for part in parts],
            tests_passed=_passed(details),
            tests_total=len(spec.tests) if spec else len(judgement.tests),
            compile_output=(judgement.compile_output or judgement.message)[:20000],
            details=details,
            claim="",
            judged_at=timezone.now(),
        )
        if not run.is_practice:
            invalidate_on_commit(run.contest_id)
    log.info("contest run %s judged: %s %s", run.pk, judgement.verdict, score)
    return True


def rejudge(runs: list[Run]) -> int:
    """Judge again (the jury fixed a test): each is queued; its verdict is rewritten when
    judged, and the standings move then."""
    ids = [run.pk for run in runs]
    queued = (
        _judged_here()
        .filter(pk__in=ids)
        .exclude(state=State.RUNNING)
        .update(state=State.QUEUED, claim="", claimed_at=timezone.now(), judge_runs=0)
    )
    for pk in ids:
        enqueue(pk)
    log.info("contest runs rejudged: %s", ids)
    return queued
