"""Runs a pupil makes while working: "Run on the examples" and "Run with my input". Judged in
the sandbox by the task worker like submissions, never counted, and rate-limited per pupil."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.programming import authoring, judge
from assessments.programming.models import CodeExercise, CodeRun, ProgrammingLanguage
from assessments.programming.spec import Verdict
from assessments.submissions import SubmitError
from lms.models import User

State = CodeRun.State


def runs_per_minute() -> int:
    return int(getattr(settings, "LMS_CODE_RUNS_PER_MINUTE", 10))


def _take_from_budget(pupil: User) -> bool:
    """A fixed one-minute window per pupil in the shared cache (every web node sees it)."""
    key = f"code-runs:{pupil.pk}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=90)
        used = 1
    return used <= runs_per_minute()


def request(
    exercise: CodeExercise,
    pupil: User,
    language: ProgrammingLanguage,
    source: str,
    kind: str,
    stdin: str = "",
) -> CodeRun:
    if kind == CodeRun.Kind.CUSTOM and len(stdin.encode()) > settings.LMS_CODE_MAX_BYTES:
        raise SubmitError(_("The input is too long."))
    if "\x00" in stdin:
        raise SubmitError(_("The input contains a NUL character."))
    if not _take_from_budget(pupil):
        raise SubmitError(
            _("That is %(count)s runs this minute: wait a little and try again.")
            % {"count": runs_per_minute()}
        )
    run = CodeRun.objects.create(
        exercise=exercise,
        pupil=pupil,
        language=language,
        kind=kind,
        source=source,
        input=stdin.replace("\r\n", "\n") if kind == CodeRun.Kind.CUSTOM else "",
    )
    from assessments.programming import tasks

    transaction.on_commit(lambda: tasks.run_code.enqueue(run.pk))
    return run


def perform(run_id: int) -> bool:
    taken = CodeRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, claimed_at=timezone.now()
    )
    if not taken:
        return False
    run = CodeRun.objects.select_related("exercise__problem", "language").get(pk=run_id)
    problem = run.exercise.problem
    if problem is None:
        results = [{"verdict": str(Verdict.IE), "message": _("This exercise has no problem.")}]
    else:
        spec = authoring.spec_of(problem)
        language = run.language.runtime()
        if run.kind == CodeRun.Kind.CUSTOM:
            results = [judge.run_custom(spec, language, run.source, run.input)]
        else:
            examples = [(i, t) for i, t in enumerate(spec.tests) if t.is_example]
            checker = ProgrammingLanguage.objects.filter(code="python").first()
            judgement = judge.judge(
                spec,
                language,
                run.source,
                checker_language=checker.runtime() if checker else None,
                tests=examples,
            )
            results = _example_results(judgement, spec)
    CodeRun.objects.filter(pk=run_id).update(state=State.DONE, results=results)
    return True


def _example_results(judgement: judge.Judgement, spec) -> list[dict]:
    if judgement.verdict in (Verdict.CE, Verdict.IE) and not judgement.tests:
        message = judgement.compile_output or judgement.message
        return [{"verdict": str(judgement.verdict), "message": message[:4000]}]
    return [
        {
            "number": t.index + 1,
            "verdict": str(t.verdict),
            "time_s": t.time_s,
            "memory_kb": t.memory_kb,
            "input": spec.tests[t.index].input[: judge.EXCERPT],
            "expected": spec.tests[t.index].answer[: judge.EXCERPT],
            "output": t.output_excerpt,
            "message": t.message,
        }
        for t in judgement.tests
    ]


def is_stuck(run: CodeRun) -> bool:
    """A run that no worker finished in reasonable time: the page offers to run again."""
    return run.state != State.DONE and run.created_at < timezone.now() - timedelta(minutes=2)
