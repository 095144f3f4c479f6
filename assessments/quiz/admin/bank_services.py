"""Writes of the question bank's admin screens: categories (create, rename, move, delete),
questions (save with their tags, move, archive). Plain functions, one transaction each; a
refusal is a BankError with a message for the author, and nothing is changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from assessments.quiz import questions
from assessments.quiz.models import Question, QuestionCategory, QuestionVersion
from assessments.quiz.spec import QuestionSpec
from courses.models import CoursePage
from lms.models import User
from lms.text import clean_line

MAX_NAME = 255
MAX_TAG = 100
MAX_TAGS = 30


class BankError(Exception):
    """Why the change was refused, for the author; nothing was changed."""


def clean_name(name: str) -> str:
    """A category's name as stored. "/" separates the levels of a GIFT category path, so a name
    holding one could not be exported and imported back: refused."""
    name = clean_line(name)[:MAX_NAME]
    if not name:
        raise BankError(_("Give the category a name."))
    if "/" in name:
        raise BankError(_("A category name cannot contain “/” (it separates levels in GIFT)."))
    return name


def clean_tags(raw: str | Iterable[str]) -> list[str]:
    """Comma-separated tags (or a list), cleaned, each once (whatever its case), in order."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: dict[str, str] = {}
    for item in items:
        tag = clean_line(item)[:MAX_TAG]
        if tag:
            tags.setdefault(tag.casefold(), tag)
    if len(tags) > MAX_TAGS:
        raise BankError(_("At most %(max)d tags per question.") % {"max": MAX_TAGS})
    return list(tags.values())


def _check_place(
    category: QuestionCategory | None,
    course_id: int | None,
    name: str,
    parent: QuestionCategory | None,
) -> None:
    if parent is not None:
        if parent.course_id != course_id:
            raise BankError(_("The parent category must be in the same question bank."))
        if category is not None:
            parents = dict(
                QuestionCategory.objects.filter(course_id=course_id).values_list("pk", "parent_id")
            )
            current, seen = parent.pk, set()
            while current is not None and current not in seen:
                if current == category.pk:
                    raise BankError(
                        _("A category cannot be moved into itself or one of its subcategories.")
                    )
                seen.add(current)
                current = parents.get(current)
    # Compared in Python: SQLite's iexact folds ASCII letters only, and names are Cyrillic.
    siblings = QuestionCategory.objects.filter(parent=parent)
    siblings = (
        siblings.filter(course__isnull=True)
        if course_id is None
        else siblings.filter(course_id=course_id)
    )
    if category is not None:
        siblings = siblings.exclude(pk=category.pk)
    if name.casefold() in {other.casefold() for other in siblings.values_list("name", flat=True)}:
        raise BankError(_("There already is a category “%(name)s” there.") % {"name": name})


@transaction.atomic
def create_category(
    course: CoursePage | None, name: str, parent: QuestionCategory | None = None, info: str = ""
) -> QuestionCategory:
    name = clean_name(name)
    _check_place(None, course.pk if course else None, name, parent)
    return QuestionCategory.objects.create(
        course=course, parent=parent, name=name, info=info.strip()
    )


@transaction.atomic
def update_category(
    category: QuestionCategory, *, name: str, parent: QuestionCategory | None, info: str = ""
) -> QuestionCategory:
    """Rename and/or move a category within its bank (never into its own subtree)."""
    locked = QuestionCategory.objects.select_for_update().get(pk=category.pk)
    name = clean_name(name)
    _check_place(locked, locked.course_id, name, parent)
    locked.name, locked.parent, locked.info = name, parent, info.strip()
    locked.save(update_fields=["name", "parent", "info"])
    return locked


@transaction.atomic
def delete_category(category: QuestionCategory) -> None:
    refusal = questions.category_deletion_refusal(category)
    if refusal:
        raise BankError(refusal)
    try:
        with transaction.atomic():
            category.delete()
    except ProtectedError:  # something was put in it meanwhile
        raise BankError(_("This category is in use now: reload the page and try again.")) from None


@dataclass
class Saved:
    question: Question
    version: QuestionVersion
    new_version: bool  # False: nothing in the question changed (its tags may have)
    tags_changed: bool


@transaction.atomic
def save_question(
    question: Question | None,
    category: QuestionCategory,
    spec: QuestionSpec,
    by: User | None,
    *,
    mark: Decimal,
    tags: Iterable[str],
) -> Saved:
    """A new question, or a new version of one (only if something changed), and its tags.
    Raises questions.SpecError (nothing saved) if the question is not valid."""
    tags = clean_tags(tags)
    if question is None:
        made = questions.create_question(category, spec, by, mark=mark, tags=tags)
        return Saved(made, made.latest, True, bool(tags))
    before = question.latest_id
    version = questions.save_version(question, spec, by, mark=mark)
    changed = sorted(question.tags.names()) != sorted(tags)
    if changed:
        question.tags.set(tags, clear=True)
    return Saved(question, version, version.pk != before, changed)


@transaction.atomic
def move_question(question: Question, category: QuestionCategory) -> None:
    """To another category of the same bank (attempts and quizzes keep it: it is one question)."""
    locked = Question.objects.select_for_update().select_related("category").get(pk=question.pk)
    if category.course_id != locked.category.course_id:
        raise BankError(_("A question can be moved only within its own question bank."))
    if locked.category_id != category.pk:
        locked.category = category
        locked.save(update_fields=["category"])


@transaction.atomic
def set_archived(question: Question, archived: bool) -> None:
    """Archived questions are not drawn for new attempts; attempts and fixed slots keep them."""
    Question.objects.filter(pk=question.pk).update(is_archived=archived)
    question.is_archived = archived
