"""Who may edit which question bank, use which questions in a quiz, and build which quiz.

A course's bank (its categories and their questions) is edited by whoever may edit that
course's assignments (assessments.permissions: methodologists and the course's authors); the
park-wide bank (categories without a course) by methodologists only, though every author may
use its questions in their own quizzes. A quiz is built by whoever may edit its assignment.

Each rule has its one-object form and its queryset twin, built from the same data (the
methodologist role and the authored courses), so a list and a page never disagree; a test
checks that they agree. Anything else answers 404: the `*_or_404` helpers say nothing about
whether an id exists."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from assessments.models import Assignment
from assessments.permissions import can_author_assignments, can_edit_lesson_assignments
from assessments.quiz.models import Question, QuestionCategory
from courses.models import CoursePage
from courses.permissions import authored_course_ids
from lms.permissions import AnyUser, can_edit_catalogue

PARK = "park"  # the park-wide bank's key in URLs
_MAX_ID = 2**63 - 1  # a bigger number typed into a URL is no row (and no database error)
NOTHING = Q(pk__in=[])


def may_use_question_banks(user: AnyUser) -> bool:
    """Whether to offer the question bank at all: whoever may author assignments."""
    return can_author_assignments(user)


# --- Banks: a course's, or the park-wide one (course None) ---------------------------------


def can_edit_bank(user: AnyUser, course_id: int | None) -> bool:
    if course_id is None:
        return can_edit_catalogue(user)
    return can_edit_lesson_assignments(user, course_id)


def _banks_q(user: AnyUser, course_field: str) -> Q:
    """The twin of can_edit_bank over `course_field` (a course id, None for the park-wide bank)."""
    if can_edit_catalogue(user):
        return Q()  # every course's bank and the park-wide one
    return Q(**{f"{course_field}__in": authored_course_ids(user)})  # never the park-wide one


def editable_bank_courses_q(user: AnyUser) -> Q:
    """The courses (CoursePage) whose banks the user edits."""
    return _banks_q(user, "pk")


def may_edit_park_bank(user: AnyUser) -> bool:
    return can_edit_bank(user, None)


# --- Categories and questions of a bank -----------------------------------------------------


def can_edit_category(user: AnyUser, category: QuestionCategory) -> bool:
    return can_edit_bank(user, category.course_id)


def editable_categories_q(user: AnyUser) -> Q:
    return _banks_q(user, "course_id")


def can_edit_question(user: AnyUser, question: Question) -> bool:
    return can_edit_bank(user, question.category.course_id)


def editable_questions_q(user: AnyUser) -> Q:
    return _banks_q(user, "category__course_id")


# --- Using questions in a course's quizzes: that course's bank and the park-wide one --------


def can_use_category(user: AnyUser, category: QuestionCategory, course_id: int) -> bool:
    return can_edit_lesson_assignments(user, course_id) and category.course_id in (None, course_id)


def usable_categories_q(user: AnyUser, course_id: int) -> Q:
    if not can_edit_lesson_assignments(user, course_id):
        return NOTHING
    return Q(course_id=course_id) | Q(course_id__isnull=True)


def can_use_question(user: AnyUser, question: Question, course_id: int) -> bool:
    return can_use_category(user, question.category, course_id)


def usable_questions_q(user: AnyUser, course_id: int) -> Q:
    if not can_edit_lesson_assignments(user, course_id):
        return NOTHING
    return Q(category__course_id=course_id) | Q(category__course_id__isnull=True)


# --- Quizzes ------------------------------------------------------------------------------------


def can_build_quiz(user: AnyUser, assignment: Assignment) -> bool:
    return assignment.kind == Assignment.Kind.QUIZ and can_edit_lesson_assignments(
        user, assignment.course_id
    )


def buildable_assignments_q(user: AnyUser) -> Q:
    """The twin of can_build_quiz, over Assignment."""
    return Q(kind=Assignment.Kind.QUIZ) & _banks_q(user, "course_id")


def buildable_quizzes_q(user: AnyUser) -> Q:
    return Q(assignment__kind=Assignment.Kind.QUIZ) & _banks_q(user, "assignment__course_id")


# --- Objects by id, or 404 -------------------------------------------------------------------


def _valid_id(value) -> int:
    """A row id as typed into a URL or a form: ASCII digits only ("٣" is a digit to Python's
    int(), not an id), and no bigger than the database holds."""
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()):
            raise Http404
    if not isinstance(value, int) or isinstance(value, bool):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise Http404 from None
    if not 0 < value <= _MAX_ID:
        raise Http404
    return value


def bank_course_or_404(user: AnyUser, key: str) -> CoursePage | None:
    """The course whose bank `key` names ("park": the park-wide bank, None)."""
    if key == PARK:
        if not may_edit_park_bank(user):
            raise Http404
        return None
    course_id = _valid_id(key or "")
    if not can_edit_bank(user, course_id):
        raise Http404
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


def category_or_404(user: AnyUser, category_id) -> QuestionCategory:
    category = (
        QuestionCategory.objects.select_related("course", "parent")
        .filter(pk=_valid_id(category_id))
        .first()
    )
    if category is None or not can_edit_category(user, category):
        raise Http404
    return category


def question_or_404(user: AnyUser, question_id) -> Question:
    question = (
        Question.objects.select_related("category__course", "latest")
        .filter(pk=_valid_id(question_id))
        .first()
    )
    if question is None or not can_edit_question(user, question):
        raise Http404
    return question


def quiz_assignment_or_404(user: AnyUser, assignment_id) -> Assignment:
    assignment = (
        Assignment.objects.select_related("course", "lesson")
        .filter(pk=_valid_id(assignment_id))
        .first()
    )
    if assignment is None or not can_build_quiz(user, assignment):
        raise Http404
    return assignment


__all__ = [
    "PARK",
    "bank_course_or_404",
    "buildable_assignments_q",
    "buildable_quizzes_q",
    "can_build_quiz",
    "can_edit_bank",
    "can_edit_category",
    "can_edit_question",
    "can_use_category",
    "can_use_question",
    "category_or_404",
    "editable_bank_courses_q",
    "editable_categories_q",
    "editable_questions_q",
    "may_edit_park_bank",
    "may_use_question_banks",
    "question_or_404",
    "quiz_assignment_or_404",
    "usable_categories_q",
    "usable_questions_q",
]
