"""Problems and code exercises for tests, on top of tests.builders' courses and schools."""

from __future__ import annotations

from assessments.models import Assignment
from assessments.programming import authoring
from assessments.programming.models import CodeExercise, Problem
from assessments.programming.spec import (
    Comparison,
    LanguageLimits,
    ProblemSpec,
    Scoring,
    SubtaskSpec,
    TestSpec,
)
from courses.models import LessonPage
from tests.assessments.builders import make_assignment

SUM_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
SUM_CPP = (
    "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; "
    'std::cout << a + b << "\\n"; }\n'
)
WRONG_PY = "a, b = map(int, input().split())\nprint(a - b)\n"


def sum_spec(**changes) -> ProblemSpec:
    """A + B in two subtasks: small numbers (tests 1–3, the first two examples), big ones."""
    spec = ProblemSpec(
        title="Сумма двух чисел",
        statement="Даны два целых числа $a$ и $b$. Выведите $a + b$.",
        time_limit_s=1.0,
        memory_limit_mb=64,
        output_limit_kb=64,
        languages={
            "python": LanguageLimits(time_limit_s=2.0, starter_code="# ваш код\n"),
            "cpp": LanguageLimits(starter_code="#include <iostream>\nint main() {}\n"),
        },
        comparison=Comparison.TRAILING,
        scoring=Scoring.SUBTASKS,
        subtasks=[SubtaskSpec(points=40, title="a, b ≤ 100"), SubtaskSpec(points=60)],
        tests=[
            TestSpec("2 3\n", "5\n", "01", is_example=True, subtask=0),
            TestSpec("10 -4\n", "6\n", "02", is_example=True, subtask=0),
            TestSpec("100 100\n", "200\n", "03", subtask=0),
            TestSpec("1000000000000 1\n", "1000000000001\n", "04", subtask=1),
            TestSpec("-5 5\n", "0\n", "05", subtask=1),
        ],
        solutions={"python": SUM_PY},
    )
    for name, value in changes.items():
        setattr(spec, name, value)
    return spec


def make_problem(spec: ProblemSpec | None = None, *, publish: bool = True, course=None) -> Problem:
    """A stored problem; published as if its reference had passed (the judging tests check
    the reference for real)."""
    problem = authoring.store(spec or sum_spec(), course=course, check=False)
    if publish:
        Problem.objects.filter(pk=problem.pk).update(
            reference=Problem.Reference.PASSED, is_published=True
        )
        problem.refresh_from_db()
    return problem


def make_exercise(lesson: LessonPage, problem: Problem, **fields) -> CodeExercise:
    assignment = make_assignment(
        lesson,
        kind=Assignment.Kind.CODE,
        title=fields.pop("title", "Сумма"),
        max_attempts=fields.pop("max_attempts", 0),
        **fields,
    )
    exercise = CodeExercise.objects.get(assignment=assignment)
    exercise.problem = problem
    exercise.save()
    return exercise
