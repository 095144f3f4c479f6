"""Importing a GIFT file into a course's question bank: every question is imported or reported
with its line and a reason, and with any error nothing is imported unless the caller asks to
skip the invalid ones. The whole import is one transaction: nothing half-imported."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.quiz import questions
from assessments.quiz.gift.parser import GiftIssue, parse_gift
from assessments.quiz.models import QuestionCategory
from assessments.quiz.spec import BLANK, QType, QuestionSpec
from assessments.quiz.validation import problems
from courses.models import CoursePage
from lms.models import User

MAX_BYTES = getattr(settings, "LMS_GIFT_MAX_BYTES", 4 * 1024 * 1024)
MAX_QUESTIONS = getattr(settings, "LMS_GIFT_MAX_QUESTIONS", 5000)


@dataclass
class ImportReport:
    questions: list[QuestionSpec] = field(default_factory=list)  # the valid ones
    errors: list[GiftIssue] = field(default_factory=list)
    warnings: list[GiftIssue] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    imported: int = 0  # what was (on a dry run: would be) imported; 0 when errors stop it
    dry_run: bool = False

    @property
    def by_type(self) -> dict[str, int]:
        return dict(Counter(spec.qtype.value for spec in self.questions))

    def as_json(self) -> dict:
        return {
            "imported": self.imported,
            "dry_run": self.dry_run,
            "by_type": self.by_type,
            "categories": self.categories,
            "encoding": self.encoding,
            "errors": [{"line": e.line, "message": e.message} for e in self.errors],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
            "questions": [_question_json(spec) for spec in self.questions],
        }


def _answer_json(spec: QuestionSpec, answer) -> dict:
    item = {"text": answer.text, "fraction": answer.fraction, "feedback": answer.feedback}
    if spec.qtype == QType.MATCHING:
        item["match"] = answer.match
    if spec.qtype == QType.NUMERICAL:
        item["value"] = answer.value
        item["tolerance"] = answer.tolerance
    return item


def _question_json(spec: QuestionSpec) -> dict:
    return {
        "title": spec.title,
        "type": spec.qtype.value,
        "category": spec.category,
        "text": spec.text.replace(BLANK, "_____"),
        "format": spec.text_format.value,
        "line": spec.line,
        "general_feedback": spec.general_feedback,
        "answers": [_answer_json(spec, answer) for answer in spec.answers],
    }


def read(data: bytes) -> ImportReport:
    """Parse and check a file without touching the database."""
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024) or 1
        return ImportReport(
            errors=[GiftIssue(0, _("The file is too large: at most %(max)d MB.") % {"max": limit})]
        )
    result = parse_gift(data, max_questions=MAX_QUESTIONS)
    report = ImportReport(
        errors=list(result.errors),
        warnings=list(result.warnings),
        categories=list(result.categories),
        encoding=result.encoding,
    )
    for spec in result.questions:
        found = problems(spec)
        if found:
            report.errors.append(GiftIssue(spec.line, " ".join(found)))
        else:
            report.questions.append(spec)
    report.errors.sort(key=lambda issue: issue.line)
    if not result.questions and not result.errors:
        report.errors.append(GiftIssue(0, _("The file holds no questions.")))
    return report


def import_gift(
    data: bytes,
    course: CoursePage | None,
    by: User | None,
    *,
    category: str = "",
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import into the course's bank (None: the park-wide bank). Questions without a
    `$CATEGORY:` go to `category` (default: "Imported"); `$CATEGORY:` paths are made below it
    when it is given, else at the top of the bank."""
    report = read(data)
    report.dry_run = dry_run
    if (report.errors and not skip_invalid) or not report.questions:
        return report
    if dry_run:
        report.imported = len(report.questions)
        return report
    with transaction.atomic():
        base = questions.category_at(course, category) if category else None
        made: dict[str, QuestionCategory] = {}
        for spec in report.questions:
            path = spec.category or ("" if base else _("Imported"))
            if path not in made:
                made[path] = questions.category_at(course, path, under=base) if path else base
            questions.create_question(made[path], spec, by, tags=spec.tags)
        report.imported = len(report.questions)
    return report
