"""Who may edit which question bank, use which questions, build which quiz
(assessments.quiz.permissions): each rule's one-object form and its queryset twin agree for every
kind of user, and ids of anything else answer 404, however they are typed.

`build_quiz_world` is the scenario the quiz admin's tests share (test_admin_*.py import it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from assessments.models import Assignment
from assessments.quiz import permissions
from assessments.quiz.models import Question, QuestionCategory, Quiz
from assessments.quiz.questions import create_question
from assessments.quiz.spec import Answer, QType, QuestionSpec
from courses import authoring
from courses.models import CoursePage
from lms.models import User
from tests import builders, scenario
from tests.assessments.builders import make_assignment

pytestmark = pytest.mark.django_db

# A tag with an event handler (onclick=, onerror= ...): what sanitised HTML never holds.
EVENT_ATTRIBUTE = re.compile(r"<[^<>]*\son\w+\s*=", re.IGNORECASE)


def choice_spec(title: str, text: str = "Что измеряет этот прибор?") -> QuestionSpec:
    return QuestionSpec(
        QType.SINGLE,
        text,
        title=title,
        answers=[Answer("Напряжение", 1.0), Answer("Силу тока", 0.0)],
    )


@dataclass
class QuizWorld:
    schools: builders.TwoSchools
    other: builders.CourseTree  # a course the host's author does not author
    author: User  # authors schools.tree.course (a host teacher)
    other_author: User  # another school's teacher, author of `other` only
    teacher: User  # a plain teacher: no course, no admin
    pupil: User
    methodologist: User
    robotics: QuestionCategory  # the course's bank
    sensors: QuestionCategory  # below robotics
    secret: QuestionCategory  # the other course's bank
    park: QuestionCategory  # the park-wide bank
    q_robotics: Question
    q_sensors: Question
    q_secret: Question
    q_park: Question
    quiz: Assignment  # kind quiz, in the course
    other_quiz: Assignment  # kind quiz, in the other course
    project: Assignment  # not a quiz, in the course

    @property
    def course(self) -> CoursePage:
        return self.schools.tree.course


def build_quiz_world(two_schools) -> QuizWorld:
    other = builders.build_course("other-course", modules=1, lessons=1)
    author = two_schools.host.teacher_a
    other_author = two_schools.visiting.teacher_a
    authoring.add_author(two_schools.tree.course, author)
    authoring.add_author(other.course, other_author)
    course = two_schools.tree.course
    robotics = QuestionCategory.objects.create(course=course, name="Робототехника")
    sensors = QuestionCategory.objects.create(course=course, name="Датчики", parent=robotics)
    secret = QuestionCategory.objects.create(course=other.course, name="Секретное")
    park = QuestionCategory.objects.create(course=None, name="Общий банк")
    methodologist = two_schools.methodologist
    return QuizWorld(
        schools=two_schools,
        other=other,
        author=author,
        other_author=other_author,
        teacher=two_schools.host.teacher_b,
        pupil=two_schools.host.pupils_a[0],
        methodologist=methodologist,
        robotics=robotics,
        sensors=sensors,
        secret=secret,
        park=park,
        q_robotics=create_question(robotics, choice_spec("Вольтметр"), author),
        q_sensors=create_question(sensors, choice_spec("Датчик света"), author),
        q_secret=create_question(secret, choice_spec("Чужой вопрос"), other_author),
        q_park=create_question(park, choice_spec("Общий вопрос"), methodologist),
        quiz=make_assignment(two_schools.tree.lessons[0], title="Тест по датчикам", kind="quiz"),
        other_quiz=make_assignment(other.lessons[0], title="Чужой тест", kind="quiz"),
        project=make_assignment(two_schools.tree.lessons[1], title="Проект", kind="project"),
    )


@scenario.shared
def quiz_world(two_schools):
    return build_quiz_world(two_schools)


def _users(world: QuizWorld) -> dict[str, object]:
    return {
        "author": world.author,
        "other_author": world.other_author,
        "teacher": world.teacher,
        "pupil": world.pupil,
        "methodologist": world.methodologist,
        "superuser": world.schools.superuser,
        "anonymous": AnonymousUser(),
    }


# --- The rules ---------------------------------------------------------------------------------


def test_a_course_bank_is_edited_by_its_authors_and_methodologists(quiz_world):
    w = quiz_world
    course, other = w.course.pk, w.other.course.pk
    assert permissions.can_edit_bank(w.author, course)
    assert not permissions.can_edit_bank(w.author, other)
    assert permissions.can_edit_bank(w.other_author, other)
    assert not permissions.can_edit_bank(w.other_author, course)
    for user in (w.teacher, w.pupil, AnonymousUser()):
        assert not permissions.can_edit_bank(user, course)
        assert not permissions.can_edit_bank(user, None)
    assert permissions.can_edit_bank(w.methodologist, course)
    assert permissions.can_edit_bank(w.methodologist, other)


def test_the_park_wide_bank_is_edited_by_methodologists_but_used_by_every_author(quiz_world):
    w = quiz_world
    assert permissions.can_edit_bank(w.methodologist, None)
    assert permissions.can_edit_bank(w.schools.superuser, None)
    assert not permissions.can_edit_bank(w.author, None)
    assert not permissions.can_edit_question(w.author, w.q_park)
    assert permissions.can_use_question(w.author, w.q_park, w.course.pk)
    assert permissions.can_use_category(w.author, w.park, w.course.pk)
    # ... in their own courses' quizzes only, and never another course's questions
    assert not permissions.can_use_question(w.author, w.q_park, w.other.course.pk)
    assert not permissions.can_use_question(w.author, w.q_secret, w.course.pk)
    assert not permissions.can_use_question(w.methodologist, w.q_secret, w.course.pk)


def test_who_is_offered_the_question_bank(quiz_world):
    w = quiz_world
    assert permissions.may_use_question_banks(w.author)
    assert permissions.may_use_question_banks(w.other_author)
    assert permissions.may_use_question_banks(w.methodologist)
    for user in (w.teacher, w.pupil, AnonymousUser()):
        assert not permissions.may_use_question_banks(user)


def test_quizzes_are_built_by_who_may_edit_their_assignment(quiz_world):
    w = quiz_world
    assert permissions.can_build_quiz(w.author, w.quiz)
    assert not permissions.can_build_quiz(w.author, w.other_quiz)
    assert not permissions.can_build_quiz(w.author, w.project)  # not a quiz
    assert permissions.can_build_quiz(w.other_author, w.other_quiz)
    assert permissions.can_build_quiz(w.methodologist, w.other_quiz)
    assert not permissions.can_build_quiz(w.teacher, w.quiz)


@pytest.mark.parametrize(
    "who", ["author", "other_author", "teacher", "pupil", "methodologist", "superuser", "anonymous"]
)
def test_each_one_object_rule_agrees_with_its_queryset(quiz_world, who):
    w = quiz_world
    user = _users(w)[who]
    categories = QuestionCategory.objects.filter(permissions.editable_categories_q(user))
    assert set(categories) == {
        c for c in QuestionCategory.objects.all() if permissions.can_edit_category(user, c)
    }
    editable = Question.objects.filter(permissions.editable_questions_q(user))
    assert set(editable) == {
        q for q in Question.objects.all() if permissions.can_edit_question(user, q)
    }
    assert set(CoursePage.objects.filter(permissions.editable_bank_courses_q(user))) == {
        c for c in CoursePage.objects.all() if permissions.can_edit_bank(user, c.pk)
    }
    for course in (w.course, w.other.course):
        usable = Question.objects.filter(permissions.usable_questions_q(user, course.pk))
        assert set(usable) == {
            q for q in Question.objects.all() if permissions.can_use_question(user, q, course.pk)
        }
        usable_categories = QuestionCategory.objects.filter(
            permissions.usable_categories_q(user, course.pk)
        )
        assert set(usable_categories) == {
            c
            for c in QuestionCategory.objects.all()
            if permissions.can_use_category(user, c, course.pk)
        }
    buildable = Assignment.objects.filter(permissions.buildable_assignments_q(user))
    assert set(buildable) == {
        a for a in Assignment.objects.all() if permissions.can_build_quiz(user, a)
    }
    quizzes = Quiz.objects.filter(permissions.buildable_quizzes_q(user))
    assert {q.assignment_id for q in quizzes} == {a.pk for a in buildable}


def test_the_scenario_covers_both_answers(quiz_world):
    """The agreement test means something only if each rule says yes and no somewhere."""
    w = quiz_world
    author_questions = set(Question.objects.filter(permissions.editable_questions_q(w.author)))
    assert author_questions == {w.q_robotics, w.q_sensors}
    assert Question.objects.filter(permissions.editable_questions_q(w.methodologist)).count() == 4
    usable = set(Question.objects.filter(permissions.usable_questions_q(w.author, w.course.pk)))
    assert usable == {w.q_robotics, w.q_sensors, w.q_park}


# --- Ids typed into URLs -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "", "1.5", "٣", "9" * 30, None])
def test_ids_that_are_no_row_answer_404(quiz_world, bad):
    w = quiz_world
    for lookup in (
        permissions.category_or_404,
        permissions.question_or_404,
        permissions.quiz_assignment_or_404,
    ):
        with pytest.raises(Http404):
            lookup(w.methodologist, bad)
    with pytest.raises(Http404):
        permissions.bank_course_or_404(w.methodologist, bad)


def test_another_courses_objects_answer_404(quiz_world):
    w = quiz_world
    with pytest.raises(Http404):
        permissions.category_or_404(w.author, w.secret.pk)
    with pytest.raises(Http404):
        permissions.category_or_404(w.author, w.park.pk)  # used, not edited
    with pytest.raises(Http404):
        permissions.question_or_404(w.author, w.q_secret.pk)
    with pytest.raises(Http404):
        permissions.question_or_404(w.author, w.q_park.pk)
    with pytest.raises(Http404):
        permissions.quiz_assignment_or_404(w.author, w.other_quiz.pk)
    with pytest.raises(Http404):
        permissions.quiz_assignment_or_404(w.author, w.project.pk)
    with pytest.raises(Http404):
        permissions.bank_course_or_404(w.author, str(w.other.course.pk))
    with pytest.raises(Http404):
        permissions.bank_course_or_404(w.author, permissions.PARK)
    with pytest.raises(Http404):
        permissions.bank_course_or_404(w.teacher, str(w.course.pk))
    # and their own answer
    assert permissions.category_or_404(w.author, w.sensors.pk) == w.sensors
    assert permissions.question_or_404(w.author, str(w.q_sensors.pk)) == w.q_sensors
    assert permissions.quiz_assignment_or_404(w.author, w.quiz.pk) == w.quiz
    assert permissions.bank_course_or_404(w.author, str(w.course.pk)) == w.course
    assert permissions.bank_course_or_404(w.methodologist, permissions.PARK) is None
