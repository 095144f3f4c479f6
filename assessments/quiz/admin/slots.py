"""Writing a quiz's slots: add fixed questions (a fixed version, or always the latest), add N
random slots drawing from a category (and its subcategories) and/or a tag, set marks and
versions, move, remove. Plain functions, one transaction each, the quiz row locked so two
authors' changes queue up; a refusal is a SlotError with a message and changes nothing.

Slot numbers stay 1..n without gaps. Attempts keep the versions they drew (AttemptQuestion
holds its version), so nothing here touches them.

A quiz is refused a change that would let a draw fail: for each pool a random slot draws from,
the random slots that may take questions from it (its own and those whose pools overlap it)
plus the fixed questions in it must not outnumber its questions. Then every draw succeeds,
whatever the random choices (each slot finds its pool short of at most the others' picks)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from assessments.models import Assignment
from assessments.quiz.drawing import descendants, pool_q
from assessments.quiz.models import Question, QuestionCategory, QuestionVersion, Quiz, QuizSlot

MAX_SLOTS = 300
MAX_RANDOM_AT_ONCE = 100
MAX_MARK = Decimal("9999.99")


class SlotError(Exception):
    """Why the change was refused, for the author; nothing was changed."""


def quiz_of(assignment: Assignment) -> Quiz:
    """The quiz settings of an assignment of kind quiz (made with the defaults if missing, as
    assessments.quiz.signals does on save)."""
    quiz, _made = Quiz.objects.get_or_create(assignment=assignment)
    return quiz


# --- Pools of random slots -----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    category_id: int | None
    include_subcategories: bool
    tag: str

    @classmethod
    def of(cls, slot: QuizSlot) -> Rule:
        subcategories = bool(slot.include_subcategories and slot.random_category_id)
        return cls(slot.random_category_id, subcategories, (slot.random_tag or "").casefold())


@dataclass(frozen=True)
class Shortfall:
    rule: Rule
    category: QuestionCategory | None
    tag: str
    have: int  # questions the pool may draw
    need: int  # random slots that may draw from it + fixed questions in it

    @property
    def message(self) -> str:
        return _(
            "Not enough questions in %(pool)s: it holds %(have)d that can be drawn, but this "
            "quiz would need %(need)d from it (its random slots, and the questions of it the "
            "quiz holds in fixed slots)."
        ) % {
            "pool": describe(self.category, self.rule.include_subcategories, self.tag),
            "have": self.have,
            "need": self.need,
        }


def describe(category: QuestionCategory | None, subcategories: bool, tag: str) -> str:
    """A pool in words: “Sensors” (with subcategories), tagged “easy”."""
    parts = []
    if category is not None:
        if subcategories:
            parts.append(_("“%(name)s” (with subcategories)") % {"name": category.name})
        else:
            parts.append(_("“%(name)s”") % {"name": category.name})
    if tag:
        parts.append(_("tagged “%(tag)s”") % {"tag": tag})
    return ", ".join(parts)


def pools(slots: list[QuizSlot]) -> dict[Rule, set[int]]:
    """The questions each distinct rule of the random slots may draw (two queries a rule)."""
    found: dict[Rule, set[int]] = {}
    for slot in slots:
        if not slot.is_random:
            continue
        rule = Rule.of(slot)
        if rule not in found:
            subtree = descendants([rule.category_id]) if rule.include_subcategories else None
            found[rule] = set(
                Question.objects.filter(pool_q(slot, subtree)).values_list("pk", flat=True)
            )
    return found


def shortfalls(slots: list[QuizSlot], found: dict[Rule, set[int]] | None = None) -> list[Shortfall]:
    found = pools(slots) if found is None else found
    random_slots = [slot for slot in slots if slot.is_random]
    fixed = {slot.question_id for slot in slots if not slot.is_random}
    short = []
    for rule, pool in found.items():
        takers = [
            slot for slot in random_slots if Rule.of(slot) == rule or found[Rule.of(slot)] & pool
        ]
        need = len(takers) + len(fixed & pool)
        if need > len(pool):
            example = next(slot for slot in random_slots if Rule.of(slot) == rule)
            short.append(
                Shortfall(rule, example.random_category, example.random_tag, len(pool), need)
            )
    return short


def _refuse_if_worse(before: list[QuizSlot], after: list[QuizSlot]) -> None:
    """A change may not make a pool shorter than it was (a quiz already short because
    questions were archived can still be mended, one step at a time)."""
    was = {s.rule: s.need - s.have for s in shortfalls(before)}
    for short in shortfalls(after):
        if short.need - short.have > was.get(short.rule, 0):
            raise SlotError(short.message)


# --- The writes --------------------------------------------------------------------------------


def _locked(quiz: Quiz) -> list[QuizSlot]:
    Quiz.objects.select_for_update().filter(pk=quiz.pk).first()
    return list(
        quiz.slots.select_related("question__latest", "random_category").order_by("number", "pk")
    )


def _renumber(quiz: Quiz, ordered: list[QuizSlot]) -> None:
    """Numbers 1..n in this order. The unique (quiz, number) constraint is checked row by row,
    so the slots first move past the highest number in use, then down to their places."""
    top = QuizSlot.objects.filter(quiz=quiz).aggregate(top=Max("number"))["top"] or 0
    QuizSlot.objects.filter(quiz=quiz).update(number=F("number") + top + 1)
    for number, slot in enumerate(ordered, start=1):
        slot.number = number
    if ordered:
        QuizSlot.objects.bulk_update(ordered, ["number"])


def _check_room(slots: list[QuizSlot], more: int) -> None:
    if len(slots) + more > MAX_SLOTS:
        raise SlotError(_("A quiz holds at most %(max)d questions.") % {"max": MAX_SLOTS})


@transaction.atomic
def add_fixed(quiz: Quiz, questions: list[Question], *, pin_version: bool) -> list[QuizSlot]:
    """One slot per question not in the quiz yet, at the end; its mark is the question's."""
    slots = _locked(quiz)
    held = {slot.question_id for slot in slots if not slot.is_random}
    new_questions = [q for q in dict.fromkeys(questions) if q.pk not in held and q.latest_id]
    if not new_questions:
        raise SlotError(_("These questions are in the quiz already."))
    _check_room(slots, len(new_questions))
    made = [
        QuizSlot(
            quiz=quiz,
            number=len(slots) + n,
            question=question,
            version_id=question.latest_id if pin_version else None,
            mark=question.latest.default_mark,
        )
        for n, question in enumerate(new_questions, start=1)
    ]
    _refuse_if_worse(slots, slots + made)
    return QuizSlot.objects.bulk_create(made)


@transaction.atomic
def add_random(
    quiz: Quiz,
    *,
    category: QuestionCategory | None,
    include_subcategories: bool,
    tag: str,
    count: int,
    mark: Decimal,
) -> list[QuizSlot]:
    tag = (tag or "").strip()[:100]
    if category is None and not tag:
        raise SlotError(_("Choose a category or a tag to draw from."))
    if not 1 <= count <= MAX_RANDOM_AT_ONCE:
        raise SlotError(
            _("Add between 1 and %(max)d random questions at once.") % {"max": MAX_RANDOM_AT_ONCE}
        )
    slots = _locked(quiz)
    _check_room(slots, count)
    made = [
        QuizSlot(
            quiz=quiz,
            number=len(slots) + n,
            mark=mark,
            random_category=category,
            include_subcategories=include_subcategories and category is not None,
            random_tag=tag,
        )
        for n in range(1, count + 1)
    ]
    _refuse_if_worse(slots, slots + made)
    return QuizSlot.objects.bulk_create(made)


@transaction.atomic
def remove(quiz: Quiz, slot_id: int) -> None:
    slots = _locked(quiz)
    kept = [slot for slot in slots if slot.pk != slot_id]
    if len(kept) == len(slots):
        raise SlotError(_("This question is not in the quiz any more."))
    QuizSlot.objects.filter(quiz=quiz, pk=slot_id).delete()
    _renumber(quiz, kept)


@transaction.atomic
def move(quiz: Quiz, slot_id: int, step: int) -> None:
    """One place up (step -1) or down (+1); at the top or the bottom it stays."""
    slots = _locked(quiz)
    index = next((n for n, slot in enumerate(slots) if slot.pk == slot_id), None)
    if index is None:
        raise SlotError(_("This question is not in the quiz any more."))
    other = index + step
    if 0 <= other < len(slots):
        slots[index], slots[other] = slots[other], slots[index]
    _renumber(quiz, slots)


@transaction.atomic
def update(quiz: Quiz, marks: dict[int, Decimal], versions: dict[int, int | None]) -> int:
    """Set slots' marks, and fixed slots' versions (None: always the latest). How many
    changed."""
    slots = {slot.pk: slot for slot in _locked(quiz)}
    wanted = {pk: version for pk, version in versions.items() if version is not None}
    known = dict(
        QuestionVersion.objects.filter(pk__in=set(wanted.values())).values_list("pk", "question_id")
    )
    changed = []
    for pk, slot in slots.items():
        before = (slot.mark, slot.version_id)
        if pk in marks:
            mark = marks[pk]
            if not Decimal(0) <= mark <= MAX_MARK:
                raise SlotError(_("A mark must be between 0 and %(max)s.") % {"max": MAX_MARK})
            slot.mark = mark
        if pk in versions and not slot.is_random:
            version = versions[pk]
            if version is not None and known.get(version) != slot.question_id:
                raise SlotError(_("Choose a version of the slot's own question."))
            slot.version_id = version
        if (slot.mark, slot.version_id) != before:
            changed.append(slot)
    if changed:
        QuizSlot.objects.bulk_update(changed, ["mark", "version"])
    return len(changed)
