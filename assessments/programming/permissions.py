"""Who may author which programming problem, and set up which code exercise.

The rules mirror the question bank's (assessments.quiz.permissions): a course's problems are
edited by whoever may edit that course's assignments (methodologists and the course's authors);
the park-wide archive (problems without a course) by methodologists only, though every author
may pick its published problems for their own exercises. A code exercise is set up by whoever
may edit its assignment. Each rule has its one-object form and its queryset twin; anything the
user may not touch answers 404, whether or not the id exists."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from assessments.models import Assignment
from assessments.permissions import can_author_assignments, can_edit_lesson_assignments
from assessments.programming.models import Problem
from courses.models import CoursePage
from courses.permissions import authored_course_ids
from lms.permissions import AnyUser, can_edit_catalogue

PARK = "park"  # the park-wide archive's key in URLs and forms
_MAX_ID = 2**63 - 1
NOTHING = Q(pk__in=[])


def may_use_problems(user: AnyUser) -> bool:
    """Whether to offer the problems' admin at all: whoever may author assignments."""
    return can_author_assignments(user)


def can_edit_problems_of(user: AnyUser, course_id: int | None) -> bool:
    """A course's problems (None: the park-wide archive)."""
    if course_id is None:
        return can_edit_catalogue(user)
    return can_edit_lesson_assignments(user, course_id)


def _owned_q(user: AnyUser, course_field: str) -> Q:
    if can_edit_catalogue(user):
        return Q()  # every course's problems and the park-wide archive
    return Q(**{f"{course_field}__in": authored_course_ids(user)})  # never the archive


def editable_problems_q(user: AnyUser) -> Q:
    """The twin of can_edit_problem, over Problem."""
    return _owned_q(user, "course_id")


def editable_courses_q(user: AnyUser) -> Q:
    """The courses (CoursePage) whose problems the user edits."""
    return _owned_q(user, "pk")


def may_edit_park(user: AnyUser) -> bool:
    return can_edit_problems_of(user, None)


def can_edit_problem(user: AnyUser, problem: Problem) -> bool:
    return can_edit_problems_of(user, problem.course_id)


def usable_problems_q(user: AnyUser, course_id: int) -> Q:
    """The problems an exercise of the course may use: published, its own or park-wide."""
    if not can_edit_lesson_assignments(user, course_id):
        return NOTHING
    return Q(is_published=True) & (Q(course_id=course_id) | Q(course_id__isnull=True))


def can_set_up_exercise(user: AnyUser, assignment: Assignment) -> bool:
    return assignment.kind == Assignment.Kind.CODE and can_edit_lesson_assignments(
        user, assignment.course_id
    )


def exercise_assignments_q(user: AnyUser) -> Q:
    """The twin of can_set_up_exercise, over Assignment."""
    return Q(kind=Assignment.Kind.CODE) & _owned_q(user, "course_id")


# --- Objects by id, or 404 -------------------------------------------------------------------


def valid_id(value) -> int:
    """A row id as typed into a URL or a form: ASCII digits only, no bigger than the database
    holds (else 404, not a database error)."""
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            raise Http404
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= _MAX_ID:
        raise Http404
    return value


def problem_or_404(user: AnyUser, problem_id) -> Problem:
    problem = Problem.objects.select_related("course").filter(pk=valid_id(problem_id)).first()
    if problem is None or not can_edit_problem(user, problem):
        raise Http404
    return problem


def course_or_404(user: AnyUser, key: str) -> CoursePage | None:
    """The course a form or a filter names ("park": the park-wide archive, None)."""
    if key == PARK:
        if not may_edit_park(user):
            raise Http404
        return None
    course_id = valid_id(key or "")
    if not can_edit_problems_of(user, course_id):
        raise Http404
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


def exercise_assignment_or_404(user: AnyUser, assignment_id) -> Assignment:
    assignment = (
        Assignment.objects.select_related("course", "lesson")
        .filter(pk=valid_id(assignment_id))
        .first()
    )
    if assignment is None or not can_set_up_exercise(user, assignment):
        raise Http404
    return assignment
