"""What a question must hold to be taken and marked: checked when a question is imported,
written in the admin, or saved by a service. The GIFT parser reports its own syntax errors;
these rules are about meaning, the same whatever wrote the question."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.quiz.spec import BLANK, QType, QuestionSpec

MAX_ANSWERS = 50


class SpecError(ValueError):
    """A reason the author can read; nothing was saved."""


def problems(spec: QuestionSpec) -> list[str]:
    found = []
    limit = getattr(settings, "LMS_MARKDOWN_MAX_CHARS", 50_000)
    if not spec.text.strip() and spec.qtype != QType.DESCRIPTION:
        found.append(_("The question has no text."))
    if len(spec.text) > limit:
        found.append(
            _("The question text is too long: at most %(max)d characters.") % {"max": limit}
        )
    if len(spec.answers) > MAX_ANSWERS:
        found.append(_("At most %(max)d answers per question.") % {"max": MAX_ANSWERS})
    for answer in spec.answers:
        if not -1 <= answer.fraction <= 1:
            found.append(_("A weight must be between -100 % and 100 %."))
            break
    if spec.text.count(BLANK) > 1:
        found.append(_("A sentence can hold one blank only."))
    qtype = spec.qtype
    positive = [a for a in spec.answers if a.fraction > 0]
    if qtype in (QType.SINGLE, QType.MISSING_WORD, QType.MULTIPLE):
        if len(spec.answers) < 2:
            found.append(_("A choice question needs at least two answers."))
        if not positive:
            found.append(_("At least one answer must be right (a weight above 0)."))
        if any(a.fraction < 0 for a in spec.answers) and qtype != QType.MULTIPLE:
            found.append(_("Negative weights are for multiple choice questions only."))
    elif qtype == QType.TRUE_FALSE:
        if len(spec.answers) != 2 or len(positive) != 1:
            found.append(_("A true/false question has two answers, one of them right."))
    elif qtype in (QType.SHORT, QType.NUMERICAL):
        if not positive:
            found.append(_("At least one accepted answer must give marks."))
        if qtype == QType.NUMERICAL:
            for answer in spec.answers:
                if answer.tolerance < 0:
                    found.append(_("A tolerance cannot be negative."))
                    break
    elif qtype == QType.MATCHING:
        pairs = [a for a in spec.answers if a.text.strip()]
        if len(pairs) < 2:
            found.append(_("A matching question needs at least two pairs."))
        if any(not a.match.strip() for a in spec.answers):
            found.append(_("Every item must be matched with something."))
    if qtype == QType.MISSING_WORD and BLANK not in spec.text:
        found.append(_("A missing-word question needs the blank in its sentence."))
    return found


def check_spec(spec: QuestionSpec) -> None:
    found = problems(spec)
    if found:
        raise SpecError(" ".join(found))
