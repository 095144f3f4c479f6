"""Demo project assignments with rubrics, and pupils' work on them: photos generated on the fly,
some graded and released, one returned for rework, some waiting for the teacher."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import grading, submissions
from assessments.models import Assignment, Rubric, Submission
from courses.models import CoursePage, LessonPage, ModulePage
from lms.demo import media


def _criterion(title: str, description: str, levels: list[tuple[str, str, str]]) -> dict:
    return {
        "type": "criterion",
        "value": {
            "title": title,
            "description": description,
            "levels": [
                {"title": name, "points": points, "description": text}
                for name, points, text in levels
            ],
        },
    }


RUBRICS = {
    "robotics": (
        "Проект: робот",
        [
            _criterion(
                "Конструкция",
                "Собран ли робот надёжно и аккуратно.",
                [
                    ("Не собран", "0", "Робот не готов."),
                    ("Собран", "2", "Робот собран, но детали болтаются."),
                    ("Надёжный", "4", "Робот крепкий, провода уложены."),
                ],
            ),
            _criterion(
                "Программа",
                "Выполняет ли робот задачу.",
                [
                    ("Не работает", "0", ""),
                    ("Частично", "2", "Робот едет, но сходит с линии."),
                    ("Работает", "4", "Робот проходит всю трассу."),
                ],
            ),
            _criterion(
                "Рассказ о проекте",
                "Понятно ли объяснено, как работает робот.",
                [("Нет", "0", ""), ("Есть", "2", "Фото и короткое объяснение.")],
            ),
        ],
    ),
    "programming": (
        "Проект: программа",
        [
            _criterion(
                "Правильность",
                "Программа делает то, что нужно.",
                [("Нет", "0", ""), ("Частично", "3", ""), ("Да", "6", "")],
            ),
            _criterion(
                "Понятный код",
                "Имена переменных, отступы, комментарии.",
                [("Трудно читать", "0", ""), ("Понятно", "4", "")],
            ),
        ],
    ),
    "science": (
        "Лабораторная работа",
        [
            _criterion(
                "Измерения",
                "Таблица измерений заполнена.",
                [("Нет", "0", ""), ("Частично", "2", ""), ("Полностью", "4", "")],
            ),
            _criterion(
                "Вывод",
                "Вывод следует из измерений.",
                [("Нет", "0", ""), ("Есть", "3", ""), ("Обоснован", "6", "")],
            ),
        ],
    ),
}

ASSIGNMENTS = {
    "robotics": (
        "Проект «Робот едет по линии»",
        "Соберите робота с датчиком линии и научите его проходить трассу.\n\n"
        "Пришлите **2–3 фото** робота и коротко напишите, как работает программа.",
    ),
    "programming": (
        "Проект «Угадай число»",
        "Напишите игру «Угадай число» на Python. Пришлите файл `game.py` и скриншот игры.",
    ),
    "science": (
        "Лабораторная «Маятник»",
        "Измерьте период колебаний маятника для трёх длин нити. Пришлите фото установки, "
        "таблицу измерений и вывод.",
    ),
}

# (pupil, track, what happens): graded / returned / waiting
WORK = [
    ("pupil1", "robotics", "graded"),
    ("pupil2", "robotics", "returned"),
    ("pupil3", "robotics", "waiting"),
    ("pupil6", "programming", "graded"),
    ("pupil7", "programming", "waiting"),
    ("pupil10", "science", "waiting"),
]
COLORS = {"robotics": "#1c7ed6", "programming": "#7048e8", "science": "#2b8a3e"}
SHAPES = {"robotics": "robot", "programming": "code", "science": "pendulum"}


def ensure_work(found: dict, courses: dict[str, CoursePage]) -> None:
    methodist = found["users"]["methodist"]
    assignments = {}
    for track, course in courses.items():
        title, rubric_criteria = RUBRICS[track]
        rubric, _ = Rubric.objects.get_or_create(
            title=title, defaults={"criteria": rubric_criteria}
        )
        first_module = ModulePage.objects.child_of(course).order_by("path").first()
        lesson = LessonPage.objects.child_of(first_module).order_by("path").last()
        name, instructions = ASSIGNMENTS[track]
        assignments[track], _ = Assignment.objects.get_or_create(
            lesson=lesson,
            title=name,
            defaults={
                "instructions": instructions,
                "max_points": rubric.max_points,
                "rubric": rubric,
                "due_at": timezone.now() + timedelta(days=14),
                "late_penalty_per_day": 10,
                "late_penalty_cap": 50,
                "max_attempts": 3,
                "counts": Assignment.Counts.BEST,
                "accepted_types": "images, video, archives, code, documents",
                "created_by": methodist,
            },
        )
    for username, track, outcome in WORK:
        pupil = found["users"][username]
        assignment = assignments[track]
        if Submission.objects.filter(assignment=assignment, pupil=pupil).exists():
            continue  # idempotent: the demo work is there already
        _hand_in(pupil, assignment, track)
        if outcome != "waiting":
            _grade(assignment, pupil, outcome, found)


def _hand_in(pupil, assignment: Assignment, track: str) -> Submission:
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(
        draft, f"Мой проект готов! Вот фото и описание.\n\n— {pupil.get_display_name()}"
    )
    for number in (1, 2):
        photo = media.picture_png(COLORS[track], f"Фото {number}", SHAPES[track])
        submissions.add_file(draft, SimpleUploadedFile(f"фото-{number}.png", photo))
    return submissions.submit(draft, state)


def _grade(assignment: Assignment, pupil, outcome: str, found: dict) -> None:
    submission = Submission.objects.get(assignment=assignment, pupil=pupil)
    teacher = submission.group.memberships.filter(role="teacher").first().user
    table = assignment.rubric.table()
    if outcome == "graded":
        levels = {criterion.id: criterion.levels[-1].id for criterion in table}
        grading.save_grade(
            submission,
            teacher,
            rubric_levels=levels,
            rubric_comments={table[0].id: "Отличная работа!"},
            feedback="Молодец! Робот проходит трассу уверенно. **Так держать!**",
            release=True,
        )
    else:
        levels = {criterion.id: criterion.levels[0].id for criterion in table}
        grading.save_grade(submission, teacher, rubric_levels=levels, feedback="")
        grading.return_for_rework(
            submission,
            teacher,
            "Робот пока не доезжает до финиша. Проверь датчик линии и пришли новое фото.",
        )
