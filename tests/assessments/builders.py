"""Assignments for tests, on top of tests.builders' courses and schools."""

from __future__ import annotations

from decimal import Decimal

from assessments.models import Assignment, Rubric, Submission
from courses.models import LessonPage


def make_assignment(lesson: LessonPage, **fields) -> Assignment:
    defaults = {"title": "Робот едет по линии", "max_points": Decimal("10")}
    return Assignment.objects.create(lesson=lesson, **{**defaults, **fields})


def make_rubric(title: str = "Проект") -> Rubric:
    return Rubric.objects.create(
        title=title,
        criteria=[
            {
                "type": "criterion",
                "value": {
                    "title": "Конструкция",
                    "description": "",
                    "levels": [
                        {"title": "Не собрана", "points": "0", "description": ""},
                        {"title": "Надёжная", "points": "5", "description": ""},
                    ],
                },
            },
            {
                "type": "criterion",
                "value": {
                    "title": "Программа",
                    "description": "",
                    "levels": [
                        {"title": "Нет", "points": "0", "description": ""},
                        {"title": "Работает", "points": "5", "description": ""},
                    ],
                },
            },
        ],
    )


def submit(assignment: Assignment, pupil, group, attempt: int = 1) -> Submission:
    return Submission.objects.create(
        assignment=assignment,
        pupil=pupil,
        group=group,
        attempt=attempt,
        status=Submission.Status.SUBMITTED,
        text="Готово",
    )
