"""What the bank's screens read: the questions of a category (with their latest version, tags
and how many quizzes use them) and a bank's questions as GIFT. A fixed number of queries,
whatever the number of questions or categories."""

from __future__ import annotations

import dataclasses

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessments.quiz.admin.banks import Bank, Tree
from assessments.quiz.gift.exporter import export_gift
from assessments.quiz.models import Question, QuizSlot, TaggedQuestion
from assessments.quiz.spec import QuestionSpec

MAX_SEARCH = 200


def question_rows(
    bank: Bank,
    category_ids: set[int] | None = None,
    *,
    tag: str = "",
    text: str = "",
) -> QuerySet[Question]:
    """The bank's questions (of the given categories, if any), by title; each with
    `used_in`: the quizzes holding it in a fixed slot."""
    used_in = (
        QuizSlot.objects.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(n=Count("quiz", distinct=True))
        .values("n")
    )
    rows = (
        Question.objects.filter(bank.q("category__course_id"), latest__isnull=False)
        .select_related("latest", "category")
        .prefetch_related("tags")
        .annotate(used_in=Coalesce(Subquery(used_in, output_field=IntegerField()), 0))
        .order_by("latest__title", "pk")
    )
    if category_ids is not None:
        rows = rows.filter(category_id__in=category_ids)
    tag = tag.strip()[:100]
    if tag:
        tagged = TaggedQuestion.objects.filter(tag__name__iexact=tag).values("content_object_id")
        rows = rows.filter(pk__in=tagged)
    text = text.strip()[:MAX_SEARCH]
    if text:
        rows = rows.filter(Q(latest__title__icontains=text) | Q(latest__text__icontains=text))
    return rows


def bank_tags(bank: Bank) -> list[str]:
    """The tags used in the bank, for the filter (one query)."""
    names = (
        TaggedQuestion.objects.filter(bank.q("content_object__category__course_id"))
        .values_list("tag__name", flat=True)
        .order_by("tag__name")
        .distinct()
    )
    return list(names)


def export_specs(bank: Bank, tree: Tree, category_id: int | None = None) -> list[QuestionSpec]:
    """The bank's questions (a category's with its subcategories, or all), each with its
    category path from the top of the bank and its tags, in the tree's order."""
    ids = tree.subtree_ids(category_id) if category_id is not None else set(tree.by_id)
    order = {node.pk: n for n, node in enumerate(tree.flat())}
    found = (
        Question.objects.filter(category_id__in=ids, latest__isnull=False)
        .select_related("latest")
        .prefetch_related("tags")
        .order_by("pk")
    )
    specs = []
    for question in sorted(found, key=lambda q: (order.get(q.category_id, 0), q.pk)):
        specs.append(
            dataclasses.replace(
                question.latest.spec,
                category=tree.path_of(question.category_id),
                tags=sorted(tag.name for tag in question.tags.all()),
            )
        )
    return specs


def export_text(bank: Bank, tree: Tree, category_id: int | None = None) -> str:
    return export_gift(export_specs(bank, tree, category_id))
