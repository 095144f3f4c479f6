"""Marking one pupil's answer to one question: pure functions of a QuestionSpec and the response
dict the pupil's page posts. No models, no database, so an attempt is (re)marked in-process and
the rules are tested as plain functions. Moodle's question types are the reference semantics.

Responses come from the browser, so every function here validates them itself: anything
malformed counts as "not answered" and nothing raises. `valid_response` is the cleaner the
saving code stores through; `mark` runs every response through the same cleaner."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from .spec import Answer, QType, QuestionSpec

RIGHT = "right"
PARTIAL = "partial"
WRONG = "wrong"
UNANSWERED = "unanswered"
NEEDS_GRADING = "needs_grading"
INFO = "info"

# A fraction this close to 1 is right (and counts as 1), this close to 0 wrong (and 0). Moodle's
# graded_state_for_fraction uses the same 1e-6: GIFT weights have few digits, and three answers of
# `~%33.33333%` add up to 0.9999999, which is full marks to the author and to Moodle.
EPSILON = 1e-6
SHORT_MAX_CHARS = 1_000  # short answer and numerical: longer is wrong (short) or invalid
ESSAY_MAX_CHARS = 20_000
SUMMARY_MAX_CHARS = 100
MAX_ITEMS = 1_000  # a longer choices list or pairs dict is an attack, not an answer
_INDEX_DIGITS = 6  # "123456" is parsed as an index; longer digit strings are not

CHOICE_TYPES = frozenset({QType.SINGLE, QType.MISSING_WORD, QType.TRUE_FALSE})
TEXT_TYPES = frozenset({QType.SHORT, QType.NUMERICAL, QType.ESSAY})

# NUL cannot be stored in PostgreSQL text or jsonb, lone surrogates cannot be encoded as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Spaces people (and keyboards) put between thousands: plain, no-break, narrow no-break, thin;
# and the minus sign of typographers and phone keyboards.
_NUMBER_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
# Either separator is a decimal point ("3,5" is how Russian pupils write 3.5); thousands are
# grouped by single spaces only, so "1,000" is one, never a thousand.
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?: \d{3})+|\d*)(?:[.,](?P<frac>\d*))?"
    r"(?:[eE](?P<exp>[+-]?\d{1,4}))?",
    re.ASCII,
)


@dataclass
class Mark:
    fraction: float | None  # 0..1; None = not auto-marked (essay, description)
    state: str  # right, partial, wrong, unanswered, needs_grading, info
    feedback: list[str] = field(default_factory=list)  # non-empty feedback of `chosen`, in order
    chosen: list[int] = field(default_factory=list)  # indexes into spec.answers


def mark(spec: QuestionSpec, response: dict | None) -> Mark:
    """The mark of one response (a stored or freshly posted one) to one question."""
    if spec.qtype == QType.DESCRIPTION:
        return Mark(None, INFO)
    clean = valid_response(spec, response)
    if spec.qtype == QType.ESSAY:
        text = clean.get("text", "") if clean else ""
        return Mark(None, NEEDS_GRADING if text.strip() else UNANSWERED)
    if clean is None:
        return Mark(0.0, UNANSWERED)
    if spec.qtype == QType.SHORT and _too_long(response, _limits()[0]):
        # Over the limit the cleaner cuts the text; marking what was never typed would be wrong.
        return Mark(0.0, WRONG)
    return _MARKERS[spec.qtype](spec, clean)


def is_answered(spec: QuestionSpec, response: dict | None) -> bool:
    """Whether the pupil gave an answer that can be marked. A number that does not parse is not
    an answer (Moodle calls it invalid); a description never has one."""
    return mark(spec, response).state not in (UNANSWERED, INFO)


def right_items(spec: QuestionSpec) -> list[str]:
    """Matching: the right-hand column, distinct `match` texts in order of first appearance
    (extra distractors included); the pupil's `pairs` index into this list."""
    return list(dict.fromkeys(answer.match for answer in spec.answers if answer.match))


def valid_response(spec: QuestionSpec, response: dict | None) -> dict | None:
    """The response cleaned for storing: known keys only, indexes checked, texts capped and
    stripped of what the database cannot hold. An emptied answer ({"choices": []},
    {"text": ""}, a choice of None) is valid and means "not answered"; None means malformed."""
    if not isinstance(response, dict):
        return None
    qtype = spec.qtype
    if qtype in CHOICE_TYPES:
        value = response.get("choice")
        if value is None:
            return {}
        index = _index(value, len(spec.answers))
        return None if index is None else {"choice": index}
    if qtype == QType.MULTIPLE:
        values = response.get("choices")
        if values is None:
            return {"choices": []}
        if not isinstance(values, list | tuple) or len(values) > MAX_ITEMS:
            return None
        size = len(spec.answers)
        indexes = {_index(value, size) for value in values} - {None}
        return {"choices": sorted(indexes)}
    if qtype in TEXT_TYPES:
        short_limit, essay_limit = _limits()
        text = _text(response.get("text"), essay_limit if qtype == QType.ESSAY else short_limit)
        return None if text is None else {"text": text}
    if qtype == QType.MATCHING:
        return _valid_pairs(spec, response.get("pairs"))
    return {}  # description: nothing to answer


def right_answer_summary(spec: QuestionSpec) -> str:
    """The right answer(s) as plain text for the review page, without a "Right answer:" label."""
    answers = spec.answers
    qtype = spec.qtype
    if qtype == QType.TRUE_FALSE:
        best = _best(spec)
        return _true_false(best[0]) if best else ""
    if qtype in CHOICE_TYPES:
        return "; ".join(answers[i].text for i in _best(spec))
    if qtype == QType.MULTIPLE:
        return "; ".join(answer.text for answer in answers if answer.fraction > EPSILON)
    if qtype == QType.SHORT:
        shown = {}  # "Ом" and "ом" are one answer unless the question is case-sensitive
        for text in (_unwildcard(answers[i].text) for i in _best(spec)):
            if text:
                shown.setdefault(text if spec.case_sensitive else text.casefold(), text)
        return "; ".join(shown.values())
    if qtype == QType.NUMERICAL:
        return "; ".join(_number_answer(answers[i]) for i in _best(spec))
    if qtype == QType.MATCHING:
        return "; ".join(
            f"{answer.text} → {answer.match}" for answer in answers if answer.text.strip()
        )
    return ""  # essay, description


def response_summary(spec: QuestionSpec, response: dict | None) -> str:
    """A short plain-text label of what the pupil answered, for answer distributions and the
    attempts overview; "" when unanswered. Numbers are shown as parsed, so "3,5" and "3.5"
    fall into one group."""
    clean = valid_response(spec, response)
    if not clean or spec.qtype == QType.DESCRIPTION:
        return ""
    answers = spec.answers
    qtype = spec.qtype
    if qtype == QType.TRUE_FALSE:
        label = _true_false(clean["choice"]) if "choice" in clean else ""
    elif qtype in CHOICE_TYPES:
        label = answers[clean["choice"]].text if "choice" in clean else ""
    elif qtype == QType.MULTIPLE:
        label = "; ".join(answers[i].text for i in clean["choices"])
    elif qtype == QType.NUMERICAL:
        value = parse_number(clean["text"])
        label = "" if value is None else _format_number(value)
    elif qtype == QType.MATCHING:
        rights = right_items(spec)
        label = "; ".join(
            f"{answers[int(left)].text} → {rights[right]}"
            for left, right in sorted(clean["pairs"].items(), key=lambda pair: int(pair[0]))
        )
    else:  # short answer, essay
        label = _collapse(clean["text"][: SUMMARY_MAX_CHARS * 2])
    if len(label) > SUMMARY_MAX_CHARS:
        label = label[: SUMMARY_MAX_CHARS - 1].rstrip() + "…"
    return label


def parse_number(text: str) -> float | None:
    """A typed number, or None if it is not one: a decimal point or comma, a leading + or −
    (the Unicode minus too), spaces between thousands ("1 000"), an exponent ("1e3")."""
    if not isinstance(text, str) or len(text) > SHORT_MAX_CHARS:
        return None
    match = _NUMBER.fullmatch(text.strip().translate(_NUMBER_SPACES))
    if match is None:
        return None
    whole, decimals = match["int"].replace(" ", ""), match["frac"] or ""
    if not whole and not decimals:
        return None
    value = float(f"{match['sign']}{whole or '0'}.{decimals or '0'}e{match['exp'] or '0'}")
    return value if math.isfinite(value) else None


# Marking, one function per kind of question; each gets a response valid_response cleaned.


def _mark_choice(spec: QuestionSpec, clean: dict) -> Mark:
    if "choice" not in clean:
        return Mark(0.0, UNANSWERED)
    index = clean["choice"]
    return _marked(spec, _clamp(spec.answers[index].fraction), [index])


def _mark_multiple(spec: QuestionSpec, clean: dict) -> Mark:
    chosen = clean["choices"]
    if not chosen:
        return Mark(0.0, UNANSWERED)
    # Moodle's rule: weights add, wrong choices may subtract, the total is clamped to 0..1.
    total = sum(_finite(spec.answers[i].fraction) for i in chosen)
    return _marked(spec, _clamp(total), chosen)


def _mark_short(spec: QuestionSpec, clean: dict) -> Mark:
    text = _collapse(unicodedata.normalize("NFC", clean["text"]))
    if not text:
        return Mark(0.0, UNANSWERED)
    if not spec.case_sensitive:
        text = text.casefold()
    # Moodle's question_first_matching_answer_grading_strategy: the answers are tried in the
    # author's order and the first that matches decides, so a specific pattern put before a
    # broad wildcard wins even if it is worth less.
    for index, answer in enumerate(spec.answers):
        if _glob_match(_pattern(answer.text, spec.case_sensitive), text):
            return _marked(spec, _clamp(answer.fraction), [index])
    return Mark(0.0, WRONG)


def _mark_numerical(spec: QuestionSpec, clean: dict) -> Mark:
    value = parse_number(clean["text"])
    if value is None:
        # Moodle: an invalid number is not complete, so it is not graded. The page says so.
        return Mark(0.0, UNANSWERED)
    # Moodle's get_matching_answer: the first answer (author's order) within its tolerance.
    for index, answer in enumerate(spec.answers):
        if _within(answer.value, answer.tolerance, value):
            return _marked(spec, _clamp(answer.fraction), [index])
    return Mark(0.0, WRONG)


def _mark_matching(spec: QuestionSpec, clean: dict) -> Mark:
    pairs = clean["pairs"]
    if not pairs:
        return Mark(0.0, UNANSWERED)
    lefts = _left_items(spec)
    rights = right_items(spec)
    # Moodle: each left item is worth 1/n; right items with the same text are one choice.
    right = [i for i in lefts if str(i) in pairs and rights[pairs[str(i)]] == spec.answers[i].match]
    return _marked(spec, len(right) / len(lefts), right)


_MARKERS = {
    QType.SINGLE: _mark_choice,
    QType.MISSING_WORD: _mark_choice,
    QType.TRUE_FALSE: _mark_choice,
    QType.MULTIPLE: _mark_multiple,
    QType.SHORT: _mark_short,
    QType.NUMERICAL: _mark_numerical,
    QType.MATCHING: _mark_matching,
}


def _marked(spec: QuestionSpec, fraction: float, chosen: list[int]) -> Mark:
    if fraction >= 1 - EPSILON:
        fraction, state = 1.0, RIGHT
    elif fraction <= EPSILON:
        fraction, state = 0.0, WRONG
    else:
        state = PARTIAL
    feedback = [spec.answers[i].feedback for i in chosen if spec.answers[i].feedback]
    return Mark(fraction, state, feedback, list(chosen))


def _within(value: float | None, tolerance: float, number: float) -> bool:
    if value is None:  # Moodle's `*`: any number (GIFT's `~#feedback` for wrong answers)
        return True
    # Inclusive, with a little slack for float error: 0.4 - 0.3 is 0.10000000000000003.
    slack = 1e-12 * max(1.0, abs(value))
    return abs(number - value) <= abs(tolerance) + slack


# Short answer patterns: `*` is any run of characters, `\*` a star, everything else literal.


@lru_cache(maxsize=4096)
def _pattern(text: str, case_sensitive: bool) -> tuple[str, ...]:
    """The literal pieces between the wildcards. Matched piece by piece with str.find rather
    than as a regex: `.*a.*a.*a…` backtracks polynomially on a long answer, this is linear."""
    text = _collapse(unicodedata.normalize("NFC", text))
    if not case_sensitive:
        text = text.casefold()
    return tuple(bit.replace("\\*", "*") for bit in re.split(r"(?<!\\)\*+", text))


def _glob_match(pieces: tuple[str, ...], text: str) -> bool:
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    start, end = len(first), len(text) - len(last)
    if end < start or not text.startswith(first) or not text.endswith(last):
        return False
    for piece in middle:  # leftmost first is never worse when the only wildcard is `*`
        found = text.find(piece, start, end)
        if found < 0:
            return False
        start = found + len(piece)
    return True


def _unwildcard(text: str) -> str:
    """An accepted answer as a pupil might type it: stars dropped. Moodle's clean_response puts
    a space there, which reads badly for `фото*резистор` or `type(*)`."""
    bits = re.split(r"(?<!\\)\*+", text)
    return _collapse("".join(bit.replace("\\*", "*") for bit in bits))


# Validation helpers.


def _index(value: Any, size: int) -> int | None:
    if type(value) is int:  # not bool: True is not answer 1
        index = value
    elif type(value) is str and 0 < len(value) <= _INDEX_DIGITS and value.isascii():
        if not value.isdigit():
            return None
        index = int(value)
    else:
        return None
    return index if 0 <= index < size else None


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return ""
    if type(value) in (int, float):  # a number field posted as JSON number
        value = str(value)
    if not isinstance(value, str):
        return None
    return _UNSTORABLE.sub("", value[:limit])


def _valid_pairs(spec: QuestionSpec, pairs: Any) -> dict | None:
    if pairs is None:
        return {"pairs": {}}
    if not isinstance(pairs, dict) or len(pairs) > MAX_ITEMS:
        return None
    lefts = set(_left_items(spec))
    size = len(right_items(spec))
    clean = {}
    for key, value in pairs.items():
        left = _index(key, len(spec.answers))
        right = _index(value, size)
        if left in lefts and right is not None:
            clean[str(left)] = right
    return {"pairs": clean}


def _left_items(spec: QuestionSpec) -> list[int]:
    return [i for i, answer in enumerate(spec.answers) if answer.text.strip()]


@lru_cache(maxsize=1)  # reading a setting costs more than marking a choice
def _limits() -> tuple[int, int]:
    """(short answer and numerical, essay). The setting caps every typed answer; a short answer
    never passes SHORT_MAX_CHARS, since marking compares it with every pattern."""
    limit = getattr(settings, "LMS_QUIZ_MAX_ANSWER_CHARS", None) if settings.configured else None
    if not isinstance(limit, int) or limit <= 0:
        return SHORT_MAX_CHARS, ESSAY_MAX_CHARS
    return min(limit, SHORT_MAX_CHARS), limit


@receiver(setting_changed)
def _forget_limits(*, setting: str, **kwargs: Any) -> None:
    if setting == "LMS_QUIZ_MAX_ANSWER_CHARS":  # tests' override_settings
        _limits.cache_clear()


def _too_long(response: Any, limit: int) -> bool:
    text = response.get("text") if isinstance(response, dict) else None
    return isinstance(text, str) and len(text) > limit


# Small helpers.


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _finite(value: float) -> float:
    return value if isinstance(value, int | float) and math.isfinite(value) else 0.0


def _clamp(value: float) -> float:
    return float(min(max(_finite(value), 0.0), 1.0))


def _best(spec: QuestionSpec) -> list[int]:
    """The answers worth full marks, or else those worth the most (if anything)."""
    fractions = {i: _finite(answer.fraction) for i, answer in enumerate(spec.answers)}
    top = max(fractions.values(), default=0.0)
    if top <= EPSILON:
        return []
    return [i for i, fraction in fractions.items() if fraction >= min(top, 1.0) - EPSILON]


def _true_false(index: int) -> str:
    return _("True") if index == 0 else _("False")


def _number_answer(answer: Answer) -> str:
    if answer.value is None:
        return _("any number")
    tolerance = abs(answer.tolerance)
    if not tolerance:
        return _format_number(answer.value)
    low, high = answer.value - tolerance, answer.value + tolerance
    # The spec keeps a range a..b as its middle ± half its width. Ends rounder than the middle
    # were most likely typed as a range ({#2..5}: "from 2 to 5", not "3.5 ± 1.5").
    if max(_decimals(low), _decimals(high)) < _decimals(answer.value):
        return _("from %(low)s to %(high)s") % {
            "low": _format_number(low),
            "high": _format_number(high),
        }
    return _("%(value)s ± %(tolerance)s") % {
        "value": _format_number(answer.value),
        "tolerance": _format_number(tolerance),
    }


def _decimals(value: float) -> int:
    text = f"{value:.10g}"
    if "e" in text:
        return 99  # never rounder than anything
    return len(text.partition(".")[2])


def _format_number(value: float) -> str:
    # Ten significant digits hide float noise (a range's middle 0.30000000000000004).
    text = f"{value:.10g}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))
