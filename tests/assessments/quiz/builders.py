"""Question banks and quizzes for tests, on top of tests.builders' courses and schools."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assessments.models import Assignment
from assessments.quiz import questions
from assessments.quiz.models import Question, QuestionCategory, Quiz, QuizSlot
from assessments.quiz.spec import BLANK, Answer, QType, QuestionSpec, TextFormat
from courses.models import CoursePage, LessonPage
from tests.assessments.builders import make_assignment


def single(text: str = "Какой датчик измеряет расстояние?", right: int = 0) -> QuestionSpec:
    names = ["Ультразвуковой", "Датчик цвета", "Гироскоп"]
    return QuestionSpec(
        qtype=QType.SINGLE,
        title=text[:40],
        text=text,
        answers=[
            Answer(name, 1.0 if i == right else 0.0, feedback=f"Отзыв {i}")
            for i, name in enumerate(names)
        ],
        general_feedback="Ультразвук отражается от препятствия.",
    )


def every_type() -> list[QuestionSpec]:
    """One question of each type, all marked automatically but the essay."""
    return [
        single(),
        QuestionSpec(
            qtype=QType.MULTIPLE,
            title="Датчики",
            text="Что из этого датчики?",
            answers=[
                Answer("Гироскоп", 0.5),
                Answer("Энкодер", 0.5),
                Answer("Мотор", -0.5),
            ],
        ),
        QuestionSpec(
            qtype=QType.TRUE_FALSE,
            title="Python",
            text="`print` — это функция в Python 3.",
            answers=[Answer("true", 1.0, "Верно!"), Answer("false", 0.0, "Это функция.")],
        ),
        QuestionSpec(
            qtype=QType.SHORT,
            title="Язык",
            text="Как называется язык со змеёй на логотипе?",
            answers=[Answer("Python", 1.0), Answer("пит*н", 0.5)],
        ),
        QuestionSpec(
            qtype=QType.NUMERICAL,
            title="Ом",
            text="Ток при 12 В и 4 Ом, в амперах?",
            answers=[
                Answer("", 1.0, value=3.0, tolerance=0.0),
                Answer("", 0.5, value=3, tolerance=1),
            ],
        ),
        QuestionSpec(
            qtype=QType.MATCHING,
            title="Единицы",
            text="Сопоставьте величину и единицу.",
            answers=[
                Answer("Сила тока", match="ампер"),
                Answer("Напряжение", match="вольт"),
                Answer("Сопротивление", match="ом"),
                Answer("", match="ватт"),
            ],
        ),
        QuestionSpec(
            qtype=QType.MISSING_WORD,
            title="Arduino",
            text=f"Плата Arduino программируется на языке {BLANK} с библиотеками.",
            answers=[Answer("C++", 1.0), Answer("Pascal", 0.0), Answer("HTML", 0.0)],
        ),
        QuestionSpec(qtype=QType.ESSAY, title="Эссе", text="Опишите своего робота."),
        QuestionSpec(
            qtype=QType.DESCRIPTION,
            title="Вступление",
            text="Дальше вопросы про **электричество**.",
            text_format=TextFormat.MARKDOWN,
        ),
    ]


# Right answers to every_type(), in order (the essay's and description's are None).
RIGHT_RESPONSES: list[dict | None] = [
    {"choice": 0},
    {"choices": [0, 1]},
    {"choice": 0},
    {"text": "python"},
    {"text": "3"},
    {"pairs": {"0": 0, "1": 1, "2": 2}},
    {"choice": 0},
    {"text": "Мой робот ездит по линии."},
    None,
]


@dataclass
class QuizSetup:
    assignment: Assignment
    quiz: Quiz
    category: QuestionCategory
    questions: list[Question] = field(default_factory=list)


def make_bank(
    course: CoursePage, specs: list[QuestionSpec], path: str = "Робототехника/Датчики"
) -> tuple[QuestionCategory, list[Question]]:
    category = questions.category_at(course, path)
    made = [questions.create_question(category, spec, None) for spec in specs]
    return category, made


def make_quiz(
    lesson: LessonPage,
    specs: list[QuestionSpec] | None = None,
    *,
    random_count: int = 0,
    random_pool: list[QuestionSpec] | None = None,
    shuffle_answers: bool = False,
    **assignment_fields,
) -> QuizSetup:
    """A quiz with fixed slots for `specs` (default: one of every type) and `random_count`
    random slots drawing from a category of `random_pool`."""
    fields = {"kind": Assignment.Kind.QUIZ, "max_attempts": 0, **assignment_fields}
    time_limit = fields.pop("time_limit_minutes", None)
    assignment = make_assignment(lesson, **fields)
    quiz = Quiz.objects.get(assignment=assignment)
    quiz.shuffle_answers = shuffle_answers
    quiz.questions_per_page = 0
    quiz.time_limit_minutes = time_limit
    quiz.save()
    category, made = make_bank(assignment.course, every_type() if specs is None else specs)
    for number, question in enumerate(made, start=1):
        QuizSlot.objects.create(quiz=quiz, number=number, question=question)
    if random_count:
        pool_category, _ = make_bank(
            assignment.course, random_pool or [single(f"Вопрос {n}?") for n in range(6)], "Пул"
        )
        for n in range(random_count):
            QuizSlot.objects.create(
                quiz=quiz, number=len(made) + n + 1, random_category=pool_category, mark=Decimal(2)
            )
    return QuizSetup(assignment, quiz, category, made)
