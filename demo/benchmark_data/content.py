"""The region's courses, made once through the app's own APIs and reused by every later run.

Three courses (robotics, Python, science) under the catalogue, each 3 modules of 4 lessons,
published through Wagtail's page tree (`add_child`, `save_revision().publish()`). Every module
has a quiz (questions imported from the demo's GIFT banks) and either a project with a rubric
or, in the Python course, a programming exercise (a demo problem package, its reference
solutions checked in the sandbox before it is published, as the demo does). Each assignment's
lesson shows it as a card. The courses are shared with every partner school.

What the per-pupil rows need is returned as plain data (`Course`, `Work`): ids, dates, the
rubric's table, each quiz slot's version with its marked responses, each problem's tests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assignment, Rubric
from assessments.programming import authoring
from assessments.programming.models import CodeExercise, Problem, ProblemTest
from assessments.programming.models import ProgrammingLanguage as Language
from assessments.programming.spec import ProblemSpec, Scoring
from assessments.quiz import drawing, importing, marking
from assessments.quiz.models import Question, QuestionCategory, Quiz, QuizSlot
from assessments.quiz.spec import QType, QuestionSpec
from cms.models import HomePage
from courses.models import CataloguePage, CoursePage, CourseShare, LessonPage, ModulePage
from demo import programming as demo_programming
from demo import quizzes as demo_quizzes
from demo.manifests import CONTENT_DIR
from demo.work import rubric_criteria

SLUG_PREFIX = "bm-"
TERM_DAYS = 120  # the region's term so far: its work is spread over the last four months
QUIZ_SLOTS = 5

COURSES = (
    {
        "slug": "bm-robotics",
        "title": "Робототехника: Arduino и датчики",
        "track": CoursePage.Track.ROBOTICS,
        "gift": "quiz/robotics.gift",
        "modules": ("Первые схемы", "Датчики и моторы", "Робот на линии"),
        "problems": (),
    },
    {
        "slug": "bm-python",
        "title": "Python: первые программы",
        "track": CoursePage.Track.PROGRAMMING,
        "gift": "quiz/python.gift",
        "modules": ("Первые шаги", "Условия и циклы", "Функции"),
        "problems": ("hello-name", "who-won", "gauss-sum"),
    },
    {
        "slug": "bm-science",
        "title": "Естественно-научная лаборатория",
        "track": CoursePage.Track.SCIENCE,
        "gift": "quiz/science.gift",
        "modules": ("Измерения", "Свет и звук", "Химия вокруг нас"),
        "problems": (),
    },
)
LESSONS_PER_MODULE = 4

RUBRIC = {
    "title": "Проект (бенчмарк)",
    "criteria": [
        {
            "title": "Работает",
            "levels": [
                {"title": "Не работает", "points": 0},
                {"title": "Частично", "points": 3},
                {"title": "Полностью", "points": 5},
            ],
        },
        {
            "title": "Оформление",
            "levels": [
                {"title": "Нет описания", "points": 0},
                {"title": "Есть описание", "points": 2},
                {"title": "Описание и фото", "points": 3},
            ],
        },
        {
            "title": "Самостоятельность",
            "levels": [{"title": "С помощью", "points": 1}, {"title": "Сам", "points": 2}],
        },
    ],
}


@dataclass
class Variant:
    """One way of answering a slot's question: the response and its automatic mark."""

    response: dict | None
    fraction: float
    state: str


@dataclass
class Slot:
    number: int
    version_id: int
    max_mark: Decimal
    right: Variant
    wrong: list[Variant]
    orders: list[dict]  # a few shuffles of the answers, as drawing.answer_order makes them


@dataclass
class TestRow:
    id: int
    index: int
    is_example: bool
    subtask: int
    points: float


@dataclass
class Work:
    """One assignment, as the generator needs it."""

    id: int
    kind: str
    title: str
    course_id: int
    module_id: int
    lesson_number: int  # the lesson's place in the course (0-based)
    max_points: Decimal
    opens_at: datetime | None
    due_at: datetime | None
    cutoff_at: datetime | None
    late_penalty_per_day: int
    late_penalty_cap: int
    max_attempts: int
    rubric: list = field(default_factory=list)  # project: Rubric.table()
    slots: list[Slot] = field(default_factory=list)  # quiz
    tests: list[TestRow] = field(default_factory=list)  # code
    problem_spec: ProblemSpec | None = None
    problem_revision: int = 0
    language_id: int | None = None


@dataclass
class Course:
    id: int
    title: str
    modules: list[int]
    lessons: list[tuple[int, int]]  # (lesson id, module id), in outline order
    works: list[Work]


def _catalogue() -> CataloguePage:
    catalogue = CataloguePage.objects.first()
    if catalogue is not None:
        return catalogue
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        raise RuntimeError("The home page is missing: run `manage.py migrate` first.")
    catalogue = CataloguePage(title="Каталог курсов", slug="courses")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    return catalogue


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _lesson_body(title: str, track: str, assignment_id: int | None = None) -> list[dict]:
    text = (
        f"## {title}\n\nНа этом занятии мы разберём тему «{title}» на примерах и выполним "
        "небольшое задание. Прочитайте текст, повторите опыт и ответьте на вопросы в конце.\n\n"
        "- что мы уже знаем;\n- что нового узнаем сегодня;\n- как проверить себя."
    )
    body = [{"type": "markdown", "value": text}]
    if track == CoursePage.Track.PROGRAMMING:
        code = 'name = input("Как тебя зовут? ")\nprint("Привет,", name)'
        body.append({"type": "code", "value": {"language": "python", "code": code, "caption": ""}})
    if assignment_id is not None:
        body.append({"type": "assignment", "value": {"assignment": assignment_id}})
    return body


def _build_course(catalogue: CataloguePage, spec: dict) -> CoursePage:
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        track=spec["track"],
        summary=f"Курс для регионального бенчмарка: {spec['title'].lower()}.",
        learning_outcomes="Понимать основы\nДелать проекты\nРаботать в команде",
        hours=36,
    )
    _publish_child(catalogue, course)
    for m, module_title in enumerate(spec["modules"], start=1):
        module = _publish_child(
            course, ModulePage(title=module_title, slug=f"m{m}", summary=module_title)
        )
        for n in range(1, LESSONS_PER_MODULE + 1):
            title = f"{module_title}: занятие {n}"
            lesson = LessonPage(
                title=title,
                slug=f"m{m}-l{n}",
                summary=f"Занятие {n} модуля «{module_title}»",
                duration_minutes=45 if n % 2 else 90,
                body=_lesson_body(title, spec["track"]),
            )
            _publish_child(module, lesson)
    CourseShare.objects.get_or_create(course=course, module=None, school=None)
    return course


def _dates(lesson_number: int, total_lessons: int, created: datetime) -> tuple:
    """Opens with its lesson, due two weeks later; the term's lessons follow each other so that
    the last module's work is still ahead."""
    start = created - timedelta(days=TERM_DAYS)
    step = (TERM_DAYS + 25) / total_lessons
    opens = start + timedelta(days=step * lesson_number)
    due = opens + timedelta(days=14)
    return opens, due, due + timedelta(days=7)


def _problem(slug: str, course: CoursePage) -> Problem:
    result = demo_programming.read(slug)
    if result.spec is None:
        raise RuntimeError(f"demo problem {slug}: {result.errors[0]}")
    problem = Problem.objects.filter(course=course, title=result.spec.title).first()
    if problem is None:
        problem = authoring.store(result.spec, course=course, by=None, check=False)
    if not problem.is_published:
        problem = demo_programming._problem(result.spec, course, None)
    return problem


def _build_work(course: CoursePage, spec: dict) -> None:
    """The assignments of a new course: a quiz in each module's 2nd lesson; a project (or an
    exercise) in its 4th. The lessons then show their assignment's card."""
    bank = CONTENT_DIR / spec["gift"]
    if not QuestionCategory.objects.filter(course=course, questions__isnull=False).exists():
        report = importing.import_gift(bank.read_bytes(), course, None)
        if report.errors:
            raise RuntimeError(f"{spec['gift']}: {report.errors[0].message}")
    questions = [
        q
        for q in Question.objects.filter(category__course=course)
        .select_related("latest")
        .order_by("pk")
        if q.latest.qtype not in (QType.ESSAY, QType.DESCRIPTION)
    ]
    rubric, _ = Rubric.objects.get_or_create(
        title=RUBRIC["title"], defaults={"criteria": rubric_criteria(RUBRIC)}
    )
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    created = timezone.now()
    problems = list(spec["problems"])
    for number, lesson in enumerate(lessons):
        place = number % LESSONS_PER_MODULE
        if place not in (1, 3):
            continue
        opens, due, cutoff = _dates(number, len(lessons), created)
        if place == 1:
            assignment = Assignment.objects.create(
                lesson=lesson,
                title=f"Тест: {lesson.title}",
                kind=Assignment.Kind.QUIZ,
                max_points=Decimal(10),
                opens_at=opens,
                due_at=due,
                max_attempts=3,
                counts=Assignment.Counts.BEST,
            )
            quiz = Quiz.objects.get(assignment=assignment)
            quiz.time_limit_minutes = 20
            quiz.save()
            start = (number // LESSONS_PER_MODULE) * QUIZ_SLOTS
            chosen = [questions[(start + i) % len(questions)] for i in range(QUIZ_SLOTS)]
            QuizSlot.objects.bulk_create(
                QuizSlot(quiz=quiz, number=i, question=q) for i, q in enumerate(chosen, start=1)
            )
        elif problems:
            problem = _problem(problems.pop(0), course)
            assignment = Assignment.objects.create(
                lesson=lesson,
                title=f"Задача: {problem.title}",
                kind=Assignment.Kind.CODE,
                max_points=Decimal(10),
                opens_at=opens,
                due_at=due,
                max_attempts=0,
                counts=Assignment.Counts.BEST,
            )
            CodeExercise.objects.filter(assignment=assignment).update(problem=problem)
        else:
            assignment = Assignment.objects.create(
                lesson=lesson,
                title=f"Проект: {lesson.title}",
                instructions="Соберите установку, сфотографируйте её и опишите, что получилось.",
                max_points=rubric.max_points,
                rubric=rubric,
                opens_at=opens,
                due_at=due,
                cutoff_at=cutoff,
                late_penalty_per_day=10,
                late_penalty_cap=50,
                max_attempts=2,
                counts=Assignment.Counts.LAST,
            )
        lesson.body = _lesson_body(lesson.title, course.track, assignment.pk)
        lesson.save_revision().publish()


def ensure_courses() -> list[CoursePage]:
    """The benchmark courses, made on the first run (found by slug afterwards)."""
    catalogue = _catalogue()
    pages = []
    for spec in COURSES:
        course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        if course is None:
            course = _build_course(catalogue, spec)
            _build_work(course, spec)
        pages.append(course)
    return pages


# --- Plain data for the generator -------------------------------------------------------------


def _variants(spec: QuestionSpec, rng: random.Random) -> tuple[Variant, list[Variant]]:
    def marked(response: dict | None) -> Variant:
        result = marking.mark(spec, response)
        return Variant(response, result.fraction, result.state)

    right = marked(demo_quizzes._right(spec))
    wrong = [marked(demo_quizzes._wrong(spec, rng)) for _ in range(3)]
    wrong.append(Variant(None, 0.0, marking.mark(spec, None).state))  # left unanswered
    return right, wrong


def _slots(quiz: Quiz, rng: random.Random) -> list[Slot]:
    slots = []
    for slot in quiz.slots.select_related("question__latest").order_by("number"):
        version = slot.version or slot.question.latest
        spec = version.spec
        right, wrong = _variants(spec, rng)
        orders = [drawing.answer_order(spec, rng, quiz.shuffle_answers) for _ in range(4)]
        slots.append(Slot(slot.number, version.pk, slot.mark, right, wrong, orders))
    return slots


def _tests(problem: Problem) -> list[TestRow]:
    subtask_index = {s.pk: s.index for s in problem.subtasks.all()}
    return [
        TestRow(t.pk, t.index, t.is_example, subtask_index.get(t.subtask_id, 0), float(t.points))
        for t in ProblemTest.objects.filter(problem=problem).order_by("index")
    ]


def describe(pages: list[CoursePage], seed: int) -> list[Course]:
    """What the generator needs of the courses (a few dozen queries, once)."""
    rng = random.Random(seed)
    python = Language.objects.filter(code__startswith="python").order_by("pk").first()
    courses = []
    for page in pages:
        modules = list(ModulePage.objects.child_of(page).order_by("path").values_list("pk", "path"))
        module_of_path = {path: pk for pk, path in modules}
        lessons = [
            (pk, module_of_path[path[: -page.steplen]])
            for pk, path in LessonPage.objects.descendant_of(page)
            .order_by("path")
            .values_list("pk", "path")
        ]
        place = {lesson_id: number for number, (lesson_id, _m) in enumerate(lessons)}
        module_of = dict(lessons)
        works = []
        for assignment in (
            Assignment.objects.filter(course=page, is_archived=False)
            .select_related("rubric", "quiz", "code_exercise__problem")
            .order_by("lesson__path", "pk")
        ):
            work = Work(
                id=assignment.pk,
                kind=assignment.kind,
                title=assignment.title,
                course_id=page.pk,
                module_id=module_of[assignment.lesson_id],
                lesson_number=place[assignment.lesson_id],
                max_points=assignment.max_points,
                opens_at=assignment.opens_at,
                due_at=assignment.due_at,
                cutoff_at=assignment.cutoff_at,
                late_penalty_per_day=assignment.late_penalty_per_day,
                late_penalty_cap=assignment.late_penalty_cap,
                max_attempts=assignment.max_attempts,
            )
            if assignment.kind == Assignment.Kind.PROJECT and assignment.rubric_id:
                work.rubric = assignment.rubric.table()
            elif assignment.kind == Assignment.Kind.QUIZ:
                work.slots = _slots(assignment.quiz, rng)
                if not work.slots:
                    continue
            elif assignment.kind == Assignment.Kind.CODE:
                problem = assignment.code_exercise.problem
                if problem is None or python is None:
                    continue
                work.tests = _tests(problem)
                work.problem_spec = authoring.spec_of(problem, with_tests=False)
                work.problem_revision = problem.revision
                work.language_id = python.pk
            works.append(work)
        courses.append(Course(page.pk, page.title, [pk for pk, _p in modules], lessons, works))
    return courses


def scoring_of(work: Work) -> Scoring:
    return work.problem_spec.scoring if work.problem_spec else Scoring.PER_TEST
