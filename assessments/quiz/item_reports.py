"""Per-question reports for the teacher: Kolibri's "difficult questions" and the answer
distribution of one slot (Moodle's response analysis, counted per response summary).

Sources: Kolibri's coach plugin (``kolibri/plugins/coach/api.py``, the difficult questions
viewsets: per item the number of learners and the sum of correct answers; and the frontend's
``getDifficultQuestions``: keep items under 80 % correct, hardest first, ties broken by more
answers first). Moodle's ``question_state::graded_state_for_fraction`` decides what counts as
right (fraction above 0.999999). Plain data in and out: no models, no database.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

RIGHT_FRACTION = 0.999999  # Moodle: a fraction above this is "right" (rounding of stored marks)
KOLIBRI_THRESHOLD = 0.8  # Kolibri hides questions that 80 % or more got right


@dataclass(frozen=True)
class ItemResult:
    """One learner's result on one question (or slot)."""

    item: Hashable  # slot number, question id, ... whatever the report is keyed by
    learner: Hashable
    fraction: float | None  # mark / max mark; None = did not attempt it


@dataclass(frozen=True)
class DifficultQuestion:
    item: Hashable
    attempted: int  # learners who attempted it: the denominator
    wrong: int  # of them, those without full marks
    learners_wrong: tuple[Hashable, ...]  # who needs help, in the order given

    @property
    def correct(self) -> int:
        return self.attempted - self.wrong

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.attempted if self.attempted else 0.0

    @property
    def wrong_percent(self) -> float:
        return 100 * self.wrong_share


def difficult_questions(
    rows: Iterable[ItemResult], *, threshold: float | None = KOLIBRI_THRESHOLD
) -> list[DifficultQuestion]:
    """Questions by the share of learners who got them wrong, most difficult first.

    Only learners who attempted a question count, in the denominator and as wrong; "wrong"
    is anything short of full marks. As Kolibri, questions that ``threshold`` or more of the
    learners got right are left out (``threshold=None`` keeps every attempted question), and
    equal shares put the question more learners answered first. One row per learner and
    question; if a learner comes twice, the later row wins (give their latest attempt)."""
    results: dict[Hashable, dict[Hashable, float]] = {}
    for row in rows:
        per_learner = results.setdefault(row.item, {})
        if row.fraction is None:
            per_learner.pop(row.learner, None)  # the later row says "not attempted"
        else:
            per_learner[row.learner] = row.fraction
    found = []
    for item, per_learner in results.items():
        if not per_learner:
            continue
        wrong = tuple(who for who, fraction in per_learner.items() if fraction <= RIGHT_FRACTION)
        question = DifficultQuestion(item, len(per_learner), len(wrong), wrong)
        if threshold is not None and question.correct / question.attempted >= threshold:
            continue
        found.append(question)
    # sorted() is stable, so equal questions keep the order in which they were first seen.
    return sorted(found, key=lambda q: (-q.wrong_share, -q.attempted))


@dataclass(frozen=True)
class AnswerCount:
    label: str
    count: int
    right: bool = False

    def share_of(self, total: int) -> float:
        return self.count / total if total else 0.0


@dataclass(frozen=True)
class AnswerDistribution:
    answers: tuple[AnswerCount, ...]  # every response summary given (and every choice listed)
    no_answer: int  # responses that were empty or missing

    @property
    def answered(self) -> int:
        return sum(answer.count for answer in self.answers)

    @property
    def total(self) -> int:
        return self.answered + self.no_answer

    def bars(self, *, no_answer_label: str | None = None) -> list[tuple[str, int]]:
        """(label, count) for ``charts.bar_chart_svg``; "no answer" last when there are any."""
        bars = [(answer.label, answer.count) for answer in self.answers]
        if self.no_answer:
            bars.append((no_answer_label or _("No answer"), self.no_answer))
        return bars

    def highlight(self) -> set[int]:
        """Indexes of the right answers in :meth:`bars`."""
        return {index for index, answer in enumerate(self.answers) if answer.right}

    def muted(self) -> set[int]:
        """Index of the "no answer" bar in :meth:`bars`, drawn grey."""
        return {len(self.answers)} if self.no_answer else set()


def answer_distribution(
    responses: Iterable[str | None],
    *,
    choices: Sequence[str] = (),
    right_answers: Collection[str] = (),
) -> AnswerDistribution:
    """Count the responses to one slot by their summary (the label the caller made of each).

    ``None`` or blank is "no answer", counted apart. ``choices`` are listed first, in their
    order, even if nobody picked them (as Moodle lists every possible response); the other
    responses follow, most frequent first, then by label. ``right_answers`` marks labels."""
    counts: dict[str, int] = dict.fromkeys(choices, 0)
    no_answer = 0
    for response in responses:
        if response is None or not str(response).strip():
            no_answer += 1
        else:
            label = str(response)
            counts[label] = counts.get(label, 0) + 1
    listed = list(dict.fromkeys(choices))
    others = sorted(
        (label for label in counts if label not in set(choices)),
        key=lambda label: (-counts[label], label),
    )
    right = set(right_answers)
    answers = tuple(
        AnswerCount(label, counts[label], label in right) for label in [*listed, *others]
    )
    return AnswerDistribution(answers=answers, no_answer=no_answer)
