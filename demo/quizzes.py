"""Demo question banks, quizzes and pupils' attempts (quiz.toml): each course's GIFT bank is
imported into its course, one quiz per course (a timed one, one of random questions), and demo
pupils take them through the same services a pupil's page calls, so the reports show data."""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from assessments import submissions
from assessments.models import Assignment, Submission
from assessments.quiz import attempts, importing, questions, quiz_marks
from assessments.quiz.models import Question, QuestionCategory, Quiz, QuizSlot
from assessments.quiz.spec import QType, QuestionSpec
from courses.models import CoursePage
from demo import manifests
from demo.manifests import CONTENT_DIR
from demo.work import _lesson

ESSAY = "Я бы сделал робота, который поливает цветы: датчик влажности, насос и плата Arduino."


def gift_problems(data: dict, root: Path = CONTENT_DIR) -> list[str]:
    """Every bank that does not import cleanly (with its lines), and every quiz, lesson or
    pupil quiz.toml names that is not there."""
    found = []
    lessons = {
        f"{item['slug']}/{module['slug']}/{lesson['slug']}"
        for item in manifests.courses(root)
        for module in item["modules"]
        for lesson in module["lessons"]
    }
    pupils = set(manifests.pupil_usernames(manifests.people(root)))
    quiz_courses = {row["course"] for row in data.get("quizzes", [])}
    for row in data.get("quizzes", []):
        if f"{row['course']}/{row['lesson']}" not in lessons:
            found.append(f"quiz.toml [[quizzes]] {row['title']}: no lesson {row['lesson']}")
    for row in data.get("attempts", []):
        if row["quiz"] not in quiz_courses:
            found.append(f"quiz.toml [[attempts]]: no quiz in the course {row['quiz']}")
        found += [
            f"quiz.toml [[attempts]]: no pupil {taker['pupil']}"
            for taker in row["pupils"]
            if taker["pupil"] not in pupils
        ]
    for bank in data.get("banks", []):
        path = root / bank["file"]
        if not path.exists():
            found.append(f"quiz.toml: no file {bank['file']}")
            continue
        report = importing.read(path.read_bytes())
        found += [f"{bank['file']}, line {e.line}: {e.message}" for e in report.errors]
    return found


def _bank(course: CoursePage, file: str) -> None:
    if QuestionCategory.objects.filter(course=course, questions__isnull=False).exists():
        return  # imported already: authors edit it in the admin from then on
    report = importing.import_gift((CONTENT_DIR / file).read_bytes(), course, None)
    if report.errors:
        raise ValueError(f"{file}: {report.errors[0].line}: {report.errors[0].message}")


def _quiz(row: dict, course: CoursePage, found: dict) -> Quiz:
    assignment, _ = Assignment.objects.get_or_create(
        lesson=_lesson(course, row["lesson"]),
        title=row["title"],
        defaults={
            "kind": Assignment.Kind.QUIZ,
            "instructions": row["instructions"],
            "max_attempts": row["max_attempts"],
            "counts": row["counts"],
            "max_points": 10,
            "created_by": found["users"]["methodist"],
        },
    )
    quiz = Quiz.objects.get(assignment=assignment)
    if quiz.slots.exists():
        return quiz
    quiz.time_limit_minutes = row.get("time_limit_minutes")
    quiz.questions_per_page = row["questions_per_page"]
    quiz.save()
    slots = []
    if row["questions"] == "all":
        bank = Question.objects.filter(category__course=course).order_by("pk")
        slots = [QuizSlot(quiz=quiz, number=n, question=q) for n, q in enumerate(bank, start=1)]
    else:
        for rule in row["random"]:
            category = questions.category_at(course, rule["category"])
            for _ in range(rule["count"]):
                slots.append(QuizSlot(quiz=quiz, number=len(slots) + 1, random_category=category))
        essay = Question.objects.filter(category__course=course, latest__qtype=QType.ESSAY).first()
        if essay is not None:
            slots.append(QuizSlot(quiz=quiz, number=len(slots) + 1, question=essay))
    QuizSlot.objects.bulk_create(slots)
    return quiz


def _right(spec: QuestionSpec) -> dict | None:
    answers = spec.answers
    best = max(range(len(answers)), key=lambda i: answers[i].fraction) if answers else 0
    if spec.qtype in (QType.SINGLE, QType.MISSING_WORD, QType.TRUE_FALSE):
        return {"choice": best}
    if spec.qtype == QType.MULTIPLE:
        return {"choices": [i for i, a in enumerate(answers) if a.fraction > 0]}
    if spec.qtype == QType.SHORT:
        return {"text": answers[best].text.replace("*", "")}
    if spec.qtype == QType.NUMERICAL:
        value = answers[best].value
        return {"text": f"{value:g}".replace(".", ",")}
    if spec.qtype == QType.MATCHING:
        rights = list(dict.fromkeys(a.match for a in answers))
        return {"pairs": {str(i): rights.index(a.match) for i, a in enumerate(answers) if a.text}}
    if spec.qtype == QType.ESSAY:
        return {"text": ESSAY}
    return None


def _wrong(spec: QuestionSpec, rng: random.Random) -> dict | None:
    answers = spec.answers
    if spec.qtype in (QType.SINGLE, QType.MISSING_WORD, QType.TRUE_FALSE):
        wrong = [i for i, a in enumerate(answers) if a.fraction <= 0]
        return {"choice": rng.choice(wrong)} if wrong else None
    if spec.qtype == QType.MULTIPLE:
        return {"choices": [i for i, a in enumerate(answers) if a.fraction <= 0][:2]}
    if spec.qtype in (QType.SHORT, QType.NUMERICAL):
        return {"text": rng.choice(["не знаю", "7", "100"])}
    if spec.qtype == QType.MATCHING:
        right = _right(spec)["pairs"]
        keys = list(right)
        if len(keys) >= 2:
            right[keys[0]], right[keys[1]] = right[keys[1]], right[keys[0]]
        return {"pairs": right}
    return _right(spec)


def _take(quiz: Quiz, pupil, skill: float, number: int, essay_marker) -> None:
    seed = int(hashlib.sha256(f"{pupil.username}:{quiz.pk}:{number}".encode()).hexdigest(), 16)
    rng = random.Random(seed)
    when = timezone.now() - timedelta(days=7 - number, hours=rng.randint(1, 5))
    state = submissions.pupil_state(pupil, quiz.assignment, now=when)
    attempt = attempts.start(state, pupil, now=when)
    for question in attempt.questions.select_related("version").order_by("position"):
        spec = question.version.spec
        if rng.random() < 0.08 and spec.qtype != QType.ESSAY:
            continue  # skipped this one
        response = _right(spec) if rng.random() < skill else _wrong(spec, rng)
        if response is not None:
            when += timedelta(seconds=rng.randint(20, 70))
            attempts.save_answer(attempt, pupil, question.position, response, now=when)
    attempts.finish(attempt, now=when + timedelta(seconds=30))
    if essay_marker is not None and skill >= 0.5:
        for question in attempt.questions.filter(version__qtype=QType.ESSAY):
            quiz_marks.set_question_mark(
                question,
                essay_marker,
                question.max_mark * Decimal(str(round(skill, 1))),
                "Интересная идея!",
            )


def ensure_quizzes(data: dict, found: dict, courses: dict[str, CoursePage]) -> None:
    for bank in data["banks"]:
        _bank(courses[bank["course"]], bank["file"])
    quizzes = {
        row["course"]: (_quiz(row, courses[row["course"]], found), row) for row in data["quizzes"]
    }
    for row in data["attempts"]:
        quiz, quiz_row = quizzes[row["quiz"]]
        marker = found["users"].get(quiz_row.get("essay_marked_by", ""))
        for taker in row["pupils"]:
            pupil = found["users"][taker["pupil"]]
            if Submission.objects.filter(assignment=quiz.assignment, pupil=pupil).exists():
                continue  # idempotent: the demo attempts are there already
            for number in range(1, taker["attempts"] + 1):
                _take(quiz, pupil, taker["skill"], number, marker)
