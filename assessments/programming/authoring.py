"""Problems as teachers author them: a problem read as a ProblemSpec and stored from one (the
admin form and the zip package both go through `store`), what a problem must hold before it is
published, and the reference solutions judged against the tests when the problem is saved."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.programming import judge
from assessments.programming.models import (
    Problem,
    ProblemLanguage,
    ProblemTest,
    ProgrammingLanguage,
    Subtask,
)
from assessments.programming.spec import (
    Comparison,
    LanguageLimits,
    ProblemSpec,
    Scoring,
    SubtaskSpec,
    TestSpec,
    Verdict,
)
from lms.models import User


class ProblemError(Exception):
    """The problem was not saved or not published; the message can be shown."""


def spec_of(problem: Problem, with_tests: bool = True) -> ProblemSpec:
    """The problem as plain data (3 queries, whatever the number of tests)."""
    subtasks = list(problem.subtasks.order_by("index"))
    languages = list(problem.languages.select_related("language"))
    spec = ProblemSpec(
        title=problem.title,
        statement=problem.statement,
        time_limit_s=float(problem.time_limit_s),
        memory_limit_mb=problem.memory_limit_mb,
        output_limit_kb=problem.output_limit_kb,
        comparison=Comparison(problem.comparison),
        float_tolerance=problem.float_tolerance,
        checker=problem.checker,
        scoring=Scoring(problem.scoring),
        subtasks=[SubtaskSpec(points=float(s.points), title=s.title) for s in subtasks],
        languages={
            row.language.code: LanguageLimits(
                time_limit_s=float(row.time_limit_s) if row.time_limit_s else None,
                starter_code=row.starter_code,
            )
            for row in languages
        },
        solutions={
            row.language.code: row.reference_solution
            for row in languages
            if row.reference_solution.strip()
        },
    )
    if with_tests:
        positions = {s.pk: s.index for s in subtasks}
        spec.tests = [
            TestSpec(
                input=t.input,
                answer=t.answer,
                name=t.name,
                is_example=t.is_example,
                subtask=positions.get(t.subtask_id, 0),
                points=float(t.points),
            )
            for t in problem.tests.order_by("index")
        ]
    return spec


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def spec_errors(spec: ProblemSpec, known: set[str]) -> list[str]:
    """What stops a problem being saved, in the teacher's language."""
    errors = []
    if not spec.title.strip():
        errors.append(_("A problem needs a title."))
    unknown = sorted(set(spec.languages) - known)
    if unknown:
        errors.append(_("Unknown languages: %(codes)s.") % {"codes": ", ".join(unknown)})
    if not spec.languages:
        errors.append(_("Allow at least one language."))
    if spec.comparison == Comparison.CHECKER and not spec.checker.strip():
        errors.append(_("Comparison by a checker needs the checker's code."))
    test_bytes = _limit("LMS_PROBLEM_MAX_TEST_BYTES", 16 * 1024 * 1024)
    for number, test in enumerate(spec.tests, start=1):
        if len(test.input.encode()) > test_bytes or len(test.answer.encode()) > test_bytes:
            errors.append(_("Test %(number)s is larger than the limit.") % {"number": number})
            break
    if len(spec.tests) > _limit("LMS_PROBLEM_MAX_TESTS", 500):
        errors.append(_("Too many tests (at most %(count)s).") % {"count": 500})
    if spec.scoring == Scoring.SUBTASKS:
        if not spec.subtasks:
            errors.append(_("Scoring by subtasks needs at least one subtask."))
        used = {test.subtask for test in spec.tests}
        for index, subtask in enumerate(spec.subtasks):
            if index not in used and spec.tests:
                errors.append(_("Subtask %(number)s has no tests.") % {"number": index + 1})
            if subtask.points < 0:
                errors.append(_("Points cannot be negative."))
        if any(test.subtask >= len(spec.subtasks) for test in spec.tests):
            errors.append(_("A test belongs to a subtask that does not exist."))
    if any(test.points < 0 for test in spec.tests):
        errors.append(_("Points cannot be negative."))
    return list(dict.fromkeys(errors))


def publish_errors(problem: Problem, spec: ProblemSpec) -> list[str]:
    errors = []
    if not spec.tests:
        errors.append(_("A problem needs tests before it can be published."))
    if problem.reference != Problem.Reference.PASSED:
        errors.append(_("Its reference solution must pass every test before it can be published."))
    return errors


@transaction.atomic
def store(
    spec: ProblemSpec,
    *,
    course=None,
    by: User | None = None,
    problem: Problem | None = None,
    check: bool = True,
) -> Problem:
    """Create or replace a problem from `spec` in one transaction (nothing half-saved). Its
    tests, subtasks and languages are replaced; the revision goes up, so earlier submissions may
    be rejudged. With `check`, the reference solutions are judged at once."""
    known = {row.code: row for row in ProgrammingLanguage.objects.filter(is_enabled=True)}
    errors = spec_errors(spec, set(known))
    if errors:
        raise ProblemError(" ".join(errors))
    if problem is None:
        problem = Problem(course=course, created_by=by)
    else:
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        problem.revision += 1
    problem.title = spec.title.strip()[:200]
    problem.statement = spec.statement
    problem.time_limit_s = Decimal(str(spec.time_limit_s))
    problem.memory_limit_mb = spec.memory_limit_mb
    problem.output_limit_kb = spec.output_limit_kb
    problem.comparison = spec.comparison
    problem.float_tolerance = spec.float_tolerance
    problem.checker = spec.checker
    problem.scoring = spec.scoring
    problem.reference = Problem.Reference.UNCHECKED
    problem.reference_report = []
    problem.full_clean(exclude=["course", "created_by"])
    problem.save()
    problem.tests.all().delete()
    problem.subtasks.all().delete()
    problem.languages.all().delete()
    subtasks = Subtask.objects.bulk_create(
        Subtask(problem=problem, index=i, title=s.title[:200], points=Decimal(str(s.points)))
        for i, s in enumerate(spec.subtasks)
    )
    scored_by_subtask = spec.scoring == Scoring.SUBTASKS
    ProblemTest.objects.bulk_create(
        ProblemTest(
            problem=problem,
            index=i,
            name=(t.name or f"{i + 1:02d}")[:40],
            input=t.input,
            answer=t.answer,
            is_example=t.is_example,
            subtask=subtasks[t.subtask] if scored_by_subtask and subtasks else None,
            points=Decimal(str(t.points)),
        )
        for i, t in enumerate(spec.tests)
    )
    ProblemLanguage.objects.bulk_create(
        ProblemLanguage(
            problem=problem,
            language=known[code],
            time_limit_s=Decimal(str(limits.time_limit_s)) if limits.time_limit_s else None,
            starter_code=limits.starter_code,
            reference_solution=spec.solutions.get(code, ""),
        )
        for code, limits in spec.languages.items()
    )
    if check:
        from assessments.programming import tasks

        transaction.on_commit(lambda: tasks.check_reference.enqueue(problem.pk))
    return problem


def check_reference(problem_id: int) -> Problem:
    """Judge every reference solution on every test (in the sandbox, as pupils' code is) and
    record the outcome; a problem whose reference fails cannot be published, and one that was
    published is taken back to draft."""
    problem = Problem.objects.get(pk=problem_id)
    spec = spec_of(problem)
    rows = {row.code: row.runtime() for row in ProgrammingLanguage.objects.all()}
    report, passed = [], bool(spec.solutions) and bool(spec.tests)
    for code, source in spec.solutions.items():
        judgement = judge.judge(spec, rows[code], source, checker_language=rows.get("python"))
        failures = [t for t in judgement.tests if t.verdict is not Verdict.OK]
        report.append(
            {
                "language": code,
                "verdict": str(judgement.verdict),
                "failed_tests": [t.index + 1 for t in failures][:50],
                "max_time_s": max((t.time_s for t in judgement.tests), default=0),
                "message": (judgement.compile_output or judgement.message)[:2000],
            }
        )
        passed = passed and judgement.verdict is Verdict.OK
    updated = Problem.objects.filter(pk=problem_id, revision=problem.revision)
    reference = Problem.Reference.PASSED if passed else Problem.Reference.FAILED
    changes = {"reference": reference, "reference_report": report}
    if not passed:
        changes["is_published"] = False
    updated.update(**changes)
    problem.refresh_from_db()
    return problem


def set_published(problem: Problem, published: bool) -> Problem:
    problem.refresh_from_db()  # the reference check may have finished since it was read
    if published:
        errors = publish_errors(problem, spec_of(problem, with_tests=True))
        if errors:
            raise ProblemError(" ".join(errors))
    Problem.objects.filter(pk=problem.pk).update(is_published=published)
    problem.is_published = published
    return problem
