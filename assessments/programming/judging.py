"""Judging submissions in task workers, none lost and none graded twice.

A worker claims a submission with a conditional UPDATE (queued -> running, a fresh token); only
the token's holder writes verdicts, and the result and the Grade are written in one transaction
that checks the token again under a row lock. A worker that dies mid-run stops refreshing its
claim; `requeue_stale` (run before every judging task, by the pupil's page and by
`manage.py requeue_judging`) hands such a submission to a new task, which may claim it because
the claim is stale. After MAX_CLAIMS claims a submission is given up as a judge error, which a
teacher can rejudge."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments import grading
from assessments.programming import authoring, judge, scoring
from assessments.programming.models import CodeSubmission, JudgedTest, ProgrammingLanguage
from assessments.programming.spec import ProblemSpec, Verdict
from lms.models import User

log = logging.getLogger("assessments.programming")
State = CodeSubmission.State
MAX_CLAIMS = 3


def stale_after() -> timedelta:
    """A claim not refreshed for this long belongs to a dead worker (it is refreshed after
    every test, so a long judging is not mistaken for a dead one)."""
    return timedelta(seconds=getattr(settings, "LMS_JUDGE_STALE_SECONDS", 120))


def enqueue(code_submission_id: int) -> None:
    from assessments.programming import tasks

    transaction.on_commit(lambda: tasks.judge_submission.enqueue(code_submission_id))


def requeue_stale(ids: list[int] | None = None) -> int:
    """Queue again what a dead worker left running, and what sat queued longer than a claim
    lives (its task was lost). Returns how many were queued."""
    cutoff = timezone.now() - stale_after()
    found = CodeSubmission.objects.filter(
        Q(state=State.RUNNING, claimed_at__lt=cutoff)
        | Q(state=State.QUEUED, submission__submitted_at__lt=cutoff, claimed_at__isnull=True)
        | Q(state=State.QUEUED, claimed_at__lt=cutoff)
    )
    if ids is not None:
        found = found.filter(pk__in=ids)
    stale = list(found.values_list("pk", flat=True)[:200])
    for pk in stale:
        # Queued again from now (the dead worker's token no longer counts), so the next sweep
        # does not queue it a second time.
        CodeSubmission.objects.filter(pk=pk).update(
            state=State.QUEUED, claim="", claimed_at=timezone.now()
        )
        enqueue(pk)
    if stale:
        log.warning("judging queued again: %s", stale)
    return len(stale)


def claim(pk: int) -> str | None:
    now = timezone.now()
    token = secrets.token_hex(16)
    taken = (
        CodeSubmission.objects.filter(pk=pk)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, claimed_at__lt=now - stale_after()))
        .update(state=State.RUNNING, claim=token, claimed_at=now, judge_runs=F("judge_runs") + 1)
    )
    return token if taken else None


def _still_mine(pk: int, token: str) -> bool:
    """Refreshes the claim (the worker is alive); False when another worker took it over."""
    return bool(
        CodeSubmission.objects.filter(pk=pk, claim=token, state=State.RUNNING).update(
            claimed_at=timezone.now()
        )
    )


def _row(code_submission: CodeSubmission, verdict: judge.TestVerdict) -> JudgedTest:
    return JudgedTest(
        code_submission=code_submission,
        index=verdict.index,
        is_example=verdict.is_example,
        subtask=verdict.subtask,
        verdict=verdict.verdict,
        time_s=verdict.time_s,
        memory_kb=verdict.memory_kb,
        exit_signal=verdict.signal,
        output_excerpt=verdict.output_excerpt,
        message=verdict.message[:4000],
    )


def judge_submission(pk: int) -> bool:
    """Claim, judge and grade one submission. False when there was nothing to do (judged
    already, or another worker holds it)."""
    token = claim(pk)
    if token is None:
        return False
    code = CodeSubmission.objects.select_related(
        "exercise__problem", "language", "submission__assignment"
    ).get(pk=pk)
    problem = code.exercise.problem
    if code.judge_runs > MAX_CLAIMS or problem is None:
        failed = judge.Judgement(Verdict.IE, message="judging failed several times")
        return finish(code, token, failed, None)
    spec = authoring.spec_of(problem)
    JudgedTest.objects.filter(code_submission=code).delete()  # a dead worker's partial rows
    CodeSubmission.objects.filter(pk=pk).update(tests_total=len(spec.tests))

    def progress(verdict: judge.TestVerdict) -> None:
        if _still_mine(pk, token):
            JudgedTest.objects.update_or_create(
                code_submission=code, index=verdict.index, defaults=_as_defaults(code, verdict)
            )

    checker_language = ProgrammingLanguage.objects.filter(code="python").first()
    judgement = judge.judge(
        spec,
        code.language.runtime(),
        code.source,
        checker_language=checker_language.runtime() if checker_language else None,
        on_test=progress,
    )
    code.problem_revision = problem.revision
    return finish(code, token, judgement, spec)


def _as_defaults(code: CodeSubmission, verdict: judge.TestVerdict) -> dict:
    row = _row(code, verdict)
    return {
        field: getattr(row, field)
        for field in (
            "is_example",
            "subtask",
            "verdict",
            "time_s",
            "memory_kb",
            "exit_signal",
            "output_excerpt",
            "message",
        )
    }


def points_for(
    code: CodeSubmission, judgement: judge.Judgement, spec: ProblemSpec | None
) -> Decimal | None:
    """The attempt's points before the late penalty, or None when the judge failed (IE: the
    pupil is not marked for the judge's fault)."""
    if judgement.verdict is Verdict.IE or spec is None:
        return None
    max_points = code.submission.assignment.max_points
    if judgement.verdict is Verdict.CE:
        earned = Decimal(0)
    else:
        outcomes = [
            scoring.TestOutcome(verdict=t.verdict, subtask=t.subtask, points=t.points)
            for t in judgement.tests
        ]
        earned = scoring.score(outcomes, spec.scoring, spec.subtasks, max_points)
    penalty = code.exercise.wrong_submission_penalty
    if penalty and earned > 0:
        wrong_before = (
            CodeSubmission.objects.filter(
                exercise=code.exercise,
                submission__pupil_id=code.submission.pupil_id,
                submission__attempt__lt=code.submission.attempt,
                state=State.DONE,
            )
            .exclude(verdict__in=[Verdict.OK, Verdict.IE])
            .count()
        )
        earned = scoring.wrong_submission_penalty(earned, wrong_before, penalty, max_points)
    return earned


def finish(
    code: CodeSubmission,
    token: str,
    judgement: judge.Judgement,
    spec: ProblemSpec | None,
    by: User | None = None,
) -> bool:
    """Write the verdicts, the result and the Grade at once, if the claim is still ours."""
    points = points_for(code, judgement, spec)
    with transaction.atomic():
        locked = (
            CodeSubmission.objects.select_for_update()
            .filter(pk=code.pk, claim=token, state=State.RUNNING)
            .first()
        )
        if locked is None:
            return False
        JudgedTest.objects.filter(code_submission=locked).delete()
        JudgedTest.objects.bulk_create(_row(locked, t) for t in judgement.tests)
        passed = sum(t.verdict is Verdict.OK for t in judgement.tests)
        CodeSubmission.objects.filter(pk=code.pk).update(
            state=State.DONE,
            verdict=judgement.verdict,
            points=points,
            tests_passed=passed,
            tests_total=len(spec.tests) if spec else len(judgement.tests),
            compile_output=(judgement.compile_output or judgement.message)[:20000],
            problem_revision=code.problem_revision,
            claim="",
            judged_at=timezone.now(),
        )
        if points is not None:
            grading.save_grade(code.submission, by, points=points, release=True, announce=False)
    log.info("judged %s: %s %s", code.pk, judgement.verdict, points)
    return True


def rejudge(codes: list[CodeSubmission], by: User | None) -> int:
    """Judge again (a test was fixed): each is queued; its grade is rewritten when judged, with
    the change in the grade's history."""
    ids = [code.pk for code in codes]
    queued = CodeSubmission.objects.filter(pk__in=ids).exclude(state=State.RUNNING)
    count = queued.update(state=State.QUEUED, claim="", claimed_at=timezone.now(), judge_runs=0)
    for pk in ids:
        enqueue(pk)
    log.info("rejudge by %s: %s", by, ids)
    return count
