"""Writing the question bank: categories by path, questions and their versions. Editing a
question makes a new version (when anything changed); attempts keep the one they were taken
with. Every rule about what a question may hold is in validation.py."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.quiz.models import Question, QuestionCategory, QuestionVersion
from assessments.quiz.spec import QuestionSpec
from assessments.quiz.validation import SpecError, check_spec
from courses.models import CoursePage
from lms.models import User


def split_path(path: str) -> list[str]:
    return [part.strip() for part in (path or "").split("/") if part.strip()]


def category_at(
    course: CoursePage | None, path: str, under: QuestionCategory | None = None
) -> QuestionCategory | None:
    """The category at `path` ("Robotics/Sensors") in the course's bank (None: the park-wide
    bank), below `under` if given, created where missing. None for an empty path and no
    `under`."""
    category = under
    for name in split_path(path):
        name = name[:255]
        found = QuestionCategory.objects.filter(
            course=course, parent=category, name__iexact=name
        ).first()
        category = found or QuestionCategory.objects.create(
            course=course, parent=category, name=name
        )
    return category


def _version_fields(spec: QuestionSpec) -> dict:
    return {
        "qtype": spec.qtype.value,
        "title": (spec.title or spec.text[:80] or _("Question")).strip()[:255],
        "text": spec.text,
        "text_format": spec.text_format.value,
        "data": spec.to_data(),
    }


@transaction.atomic
def create_question(
    category: QuestionCategory,
    spec: QuestionSpec,
    by: User | None,
    *,
    mark: Decimal = Decimal(1),
    tags: Iterable[str] = (),
) -> Question:
    check_spec(spec)
    question = Question.objects.create(category=category, created_by=by)
    version = QuestionVersion.objects.create(
        question=question, number=1, default_mark=mark, created_by=by, **_version_fields(spec)
    )
    question.latest = version
    question.save(update_fields=["latest"])
    tags = [tag.strip()[:100] for tag in tags if tag.strip()]
    if tags:
        question.tags.set(tags)
    return question


@transaction.atomic
def save_version(
    question: Question, spec: QuestionSpec, by: User | None, *, mark: Decimal | None = None
) -> QuestionVersion:
    """A new version if anything changed (the latest one otherwise). Raises SpecError."""
    check_spec(spec)
    locked = (
        Question.objects.select_for_update(of=("self",))
        .select_related("latest")
        .get(pk=question.pk)
    )
    latest = locked.latest
    fields = _version_fields(spec)
    mark = latest.default_mark if mark is None and latest else (mark or Decimal(1))
    unchanged = latest and all(getattr(latest, k) == v for k, v in fields.items())
    if unchanged and latest.default_mark == mark:
        return latest
    version = QuestionVersion.objects.create(
        question=locked,
        number=(latest.number + 1) if latest else 1,
        default_mark=mark,
        created_by=by,
        **fields,
    )
    locked.latest = version
    locked.save(update_fields=["latest"])
    question.latest = version
    return version


def category_deletion_refusal(category: QuestionCategory) -> str | None:
    """Why a category cannot be deleted now (questions, subcategories, a quiz drawing from it),
    or None."""
    if category.children.exists():
        return _("This category has subcategories: move or delete them first.")
    if category.questions.exists():
        return _("This category holds questions: move them to another category first.")
    if category.random_slots.exists():
        return _("A quiz draws random questions from this category: change that quiz first.")
    return None


__all__ = [
    "SpecError",
    "category_at",
    "category_deletion_refusal",
    "create_question",
    "save_version",
    "split_path",
]
