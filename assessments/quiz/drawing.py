"""Which question each slot holds in one attempt, and in what order its answers are shown.

Everything follows from the attempt's seed, so a reload, another device or a regrade sees the
same draw. A random slot draws from its category (and subcategories) and/or tag, never a
question the attempt already holds, never an archived one."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Q
from django.utils.translation import gettext as _

from assessments.quiz.models import Question, QuestionCategory, QuestionVersion, Quiz, QuizSlot
from assessments.quiz.spec import QType, QuestionSpec

SHUFFLED = frozenset({QType.SINGLE, QType.MULTIPLE, QType.MISSING_WORD})


class DrawError(Exception):
    """The quiz cannot be drawn (a category has too few questions); the message says why."""


@dataclass
class Drawn:
    slot: QuizSlot
    version: QuestionVersion
    order: dict


def descendants(category_ids: Iterable[int]) -> set[int]:
    """The categories and all below them. One query over their banks' categories only (a
    subcategory is always in its parent's bank, and a bank's tree is small), not every bank of
    the region: starting an attempt runs this for each rule of its random slots."""
    category_ids = list(category_ids)
    starts = QuestionCategory.objects.filter(pk__in=category_ids)
    in_banks = Q(course__in=starts.filter(course__isnull=False).values("course")) | Q(
        Exists(starts.filter(course__isnull=True)), course__isnull=True
    )
    children: dict[int | None, list[int]] = {}
    for pk, parent in QuestionCategory.objects.filter(in_banks).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(category_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo += children.get(pk, [])
    return found


def pool_q(slot: QuizSlot, subtree: set[int] | None = None) -> Q:
    """The questions a random slot may draw."""
    q = Q(is_archived=False, latest__isnull=False)
    if slot.random_category_id:
        if slot.include_subcategories:
            q &= Q(category_id__in=subtree or {slot.random_category_id})
        else:
            q &= Q(category_id=slot.random_category_id)
    if slot.random_tag:
        q &= Q(tags__name__iexact=slot.random_tag)
    return q


def _pools(slots: list[QuizSlot]) -> dict[int, list[int]]:
    """Question ids each random slot may draw, sorted (one query per distinct rule)."""
    random_slots = [slot for slot in slots if slot.is_random]
    if not random_slots:
        return {}
    by_rule: dict[tuple, list[int]] = {}
    pools = {}
    for slot in random_slots:
        rule = (slot.random_category_id, slot.include_subcategories, slot.random_tag.lower())
        if rule not in by_rule:
            subtree = (
                descendants([slot.random_category_id])
                if slot.random_category_id and slot.include_subcategories
                else None
            )
            by_rule[rule] = sorted(
                set(Question.objects.filter(pool_q(slot, subtree)).values_list("pk", flat=True))
            )
        pools[slot.pk] = by_rule[rule]
    return pools


def answer_order(spec: QuestionSpec, rng: random.Random, shuffle: bool) -> dict:
    indexes = list(range(len(spec.answers)))
    if spec.qtype == QType.MATCHING:
        left = [i for i in indexes if spec.answers[i].text]
        rights = list(dict.fromkeys(a.match for a in spec.answers))
        right_order = list(range(len(rights)))
        rng.shuffle(right_order)  # the right column is always shuffled, or it would tell
        if shuffle:
            rng.shuffle(left)
        return {"answers": left, "rights": right_order}
    if shuffle and spec.qtype in SHUFFLED:
        rng.shuffle(indexes)
    return {"answers": indexes}


def draw(quiz: Quiz, seed: int) -> list[Drawn]:
    """The attempt's questions in the order the pupil sees them."""
    slots = list(quiz.slots.select_related("question__latest", "version").order_by("number"))
    if not slots:
        raise DrawError(_("This quiz has no questions yet. Tell your teacher."))
    rng = random.Random(seed)
    taken = {slot.question_id for slot in slots if not slot.is_random}
    chosen: dict[int, int] = {}  # slot pk -> question id, for random slots
    for slot, pool in _pools(slots).items():
        free = [pk for pk in pool if pk not in taken]
        if not free:
            raise DrawError(
                _("This quiz needs more questions than its question bank holds. Tell your teacher.")
            )
        pick = rng.choice(free)
        taken.add(pick)
        chosen[slot] = pick
    versions = {
        q.pk: q.latest
        for q in Question.objects.filter(pk__in=chosen.values()).select_related("latest")
    }
    drawn = []
    for slot in slots:
        if slot.is_random:
            version = versions[chosen[slot.pk]]
        else:
            version = slot.version or slot.question.latest
        drawn.append(Drawn(slot, version, answer_order(version.spec, rng, quiz.shuffle_answers)))
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn
