"""Reading one GIFT answer block `{...}`: which kind of question it makes (in the order Moodle's
question/format/gift/format.php decides) and its answers, weights and feedback."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NoReturn

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.quiz.gift.text import (
    format_number,
    fraction_of,
    replace_missing_pictures,
    show_escapes,
    split_format,
    take_weight,
    tidy,
    to_number,
)
from assessments.quiz.spec import Answer, QType, TextFormat

_TRUE = frozenset({"T", "TRUE"})
_TRUE_FALSE = frozenset({"T", "TRUE", "F", "FALSE"})
_MARKERS = {"~=": re.compile("[~=]"), "=": re.compile("=")}
_QUOTE_LENGTH = 60
MAX_ANSWERS = 1000  # far above what a question may hold (validation), to bound the work
_LINE_BREAK = re.compile("\n")


class GiftSyntaxError(Exception):
    """Why one question cannot be read; `offset` is where in its text (for the line)."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass
class Reader:
    """One question's text with its escapes hidden, and what is needed to say where a problem
    is: the source line of each of its lines."""

    source: str
    lines: list[int]
    text_format: TextFormat = TextFormat.MOODLE
    warnings: list[tuple[int, str]] = field(default_factory=list)
    _breaks: list[int] | None = field(default=None, repr=False)
    _formats_seen: set[TextFormat] = field(default_factory=set, repr=False)

    def line_at(self, offset: int) -> int:
        if self._breaks is None:  # found once, so many warnings in a big block stay cheap
            self._breaks = [match.start() for match in _LINE_BREAK.finditer(self.source)]
        index = bisect.bisect_left(self._breaks, max(offset, 0))
        return self.lines[min(index, len(self.lines) - 1)]

    def warn(self, offset: int, message: str) -> None:
        self.warnings.append((self.line_at(offset), message))

    def left_out(self, offsets: list[int]) -> None:
        """One warning for the empty answers of a block, however many."""
        if offsets:
            self.warn(
                offsets[0],
                ngettext(
                    "An empty answer was left out.",
                    "%(count)d empty answers were left out.",
                    len(offsets),
                )
                % {"count": len(offsets)},
            )

    def fail(self, offset: int, message: str) -> NoReturn:
        raise GiftSyntaxError(offset, message)

    def finish(self, raw: str, offset: int) -> str:
        """The text as the question keeps it: escapes shown, trimmed, missing pictures marked."""
        text = show_escapes(raw).strip()
        if "@@PLUGINFILE@@" not in text:
            return text
        text, pictures, files = replace_missing_pictures(text, self.text_format)

        def where(name: str) -> int:  # the line of the picture, not only of the question
            found = raw.find(name)
            return offset + (found if found >= 0 else max(raw.find("@@PLUGINFILE@@"), 0))

        for name in dict.fromkeys(pictures):
            self.warn(
                where(name),
                _(
                    "The picture “%(name)s” is not in the file: "
                    "upload it to the question after import."
                )
                % {"name": name},
            )
        for name in dict.fromkeys(files):
            self.warn(
                where(name),
                _(
                    "The file “%(name)s” is not in the GIFT file: "
                    "upload it after import, or the link will not work."
                )
                % {"name": name},
            )
        return text

    def answer_text(self, raw: str, offset: int) -> str:
        """An answer or a feedback: Moodle lets each carry its own format tag; ours all share the
        question's format, so the tag is taken off (and a different one is pointed out)."""
        stripped = raw.lstrip()
        found, rest, _unknown = split_format(stripped)
        if found is not None and found != self.text_format and found not in self._formats_seen:
            self._formats_seen.add(found)  # once per question and format is enough
            self.warn(
                offset,
                _(
                    "The format [%(answer)s] of “%(text)s” is not the question's format "
                    "[%(question)s]: it is shown as [%(question)s]."
                )
                % {"answer": found.value, "text": quote(rest), "question": self.text_format.value},
            )
        return self.finish(rest, offset)


@dataclass
class Block:
    qtype: QType
    answers: list[Answer]
    general_feedback: str = ""
    uses_blank: bool = False  # the block stands for the blank in the sentence


def quote(text: str) -> str:
    text = " ".join(show_escapes(text).split())
    return text if len(text) <= _QUOTE_LENGTH else text[: _QUOTE_LENGTH - 1] + "…"


def read_block(reader: Reader, start: int, end: int, in_sentence: bool) -> Block:
    """The block between source[start - 1] == "{" and source[end] == "}"."""
    content = reader.source[start:end]
    general_feedback = ""
    separator = content.rfind("####")  # Moodle: the last `####` starts the general feedback
    if separator >= 0:
        general_feedback = reader.answer_text(content[separator + 4 :], start + separator + 4)
        content = content[:separator]
    body = content.strip()
    offset = start + len(content) - len(content.lstrip())
    if not body:
        return Block(QType.ESSAY, [], general_feedback)
    if body[0] == "#":
        answers = _numerical(reader, body[1:], offset + 1)
        return Block(QType.NUMERICAL, answers, general_feedback, in_sentence)
    if "~" in body:
        qtype, answers = _choice(reader, body, offset, in_sentence)
        return Block(qtype, answers, general_feedback, qtype == QType.MISSING_WORD)
    if "=" in body and "->" in body:
        return Block(QType.MATCHING, _matching(reader, body, offset), general_feedback)
    if body.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        return Block(QType.TRUE_FALSE, _true_false(reader, body, offset), general_feedback)
    return Block(QType.SHORT, _short(reader, body, offset), general_feedback, in_sentence)


def _split(body: str, offset: int, markers: str) -> tuple[str, list[tuple[str, int, str]]]:
    """The text before the first marker, and each marker with the offset and text after it."""
    if sum(body.count(marker) for marker in markers) > MAX_ANSWERS:
        raise GiftSyntaxError(
            offset,
            _("The answer block has more than %(max)d answers.") % {"max": MAX_ANSWERS},
        )
    found = list(_MARKERS[markers].finditer(body))
    if not found:
        return body, []
    pieces = []
    for index, match in enumerate(found):
        stop = found[index + 1].start() if index + 1 < len(found) else len(body)
        pieces.append((match.group(0), offset + match.end(), body[match.end() : stop]))
    return body[: found[0].start()], pieces


def _weight(reader: Reader, piece: str, offset: int) -> tuple[float | None, str, int]:
    """An answer's `%50%` weight, checked; with the rest of the answer and where it starts."""
    stripped = piece.lstrip()
    offset += len(piece) - len(stripped)
    weight, rest, bad = take_weight(stripped)
    if bad:
        reader.fail(
            offset,
            _("“%(weight)s” is not a weight: write a number between -100 and 100, like %%50%%.")
            % {"weight": show_escapes(bad)},
        )
    if weight is not None and not -100 <= weight <= 100:
        reader.fail(
            offset,
            _(
                "The weight of %(weight)s %% is not allowed: "
                "a weight must be between -100 %% and 100 %%."
            )
            % {"weight": format_number(weight)},
        )
    return weight, rest, offset + len(stripped) - len(rest)


def _text_and_feedback(reader: Reader, piece: str, offset: int) -> tuple[str, str]:
    text, hash_sign, feedback = piece.partition("#")
    feedback_text = reader.answer_text(feedback, offset + len(text) + 1) if hash_sign else ""
    return reader.answer_text(text, offset), feedback_text


def _no_negative(reader: Reader, answers: list[tuple[Answer, int]]) -> None:
    negative = [(answer, start) for answer, start in answers if answer.fraction < 0]
    if negative:
        answer, start = negative[0]
        reader.warn(
            start,
            _(
                "Negative weights count only in multiple-choice questions: "
                "the weight of “%(text)s” is read as 0 %%."
            )
            % {"text": quote(answer.text)},
        )
    for answer, _start in negative:
        answer.fraction = 0.0


def _choice(
    reader: Reader, body: str, offset: int, in_sentence: bool
) -> tuple[QType, list[Answer]]:
    lead, pieces = _split(body, offset, "~=")
    if lead.strip():
        reader.fail(
            offset,
            _(
                "“%(text)s” in the answer block does not start with “~” (a wrong answer) "
                "or “=” (the right one)."
            )
            % {"text": quote(lead)},
        )
    # Moodle's rule (format.php): with an `=` anywhere it is a one-answer choice, else the
    # weights decide and several answers may be ticked.
    single = "=" in body
    answers: list[tuple[Answer, int]] = []
    empty: list[int] = []
    tilde_equals: list[int] = []
    for index, (marker, start, piece) in enumerate(pieces):
        if not piece.strip():
            if marker == "~" and index + 1 < len(pieces) and pieces[index + 1][0] == "=":
                # "~=as" (seen in real files): Moodle makes an empty wrong answer and a right
                # one; the author meant the right one, so "~=" is read as "=".
                tilde_equals.append(start)
            else:
                empty.append(start)
            continue
        weight, rest, text_start = _weight(reader, piece, start)
        default = 1.0 if marker == "=" else 0.0
        fraction = default if weight is None else fraction_of(weight)
        text, feedback = _text_and_feedback(reader, rest, text_start)
        if not text:
            empty.append(start)
            continue
        answers.append((Answer(text=text, fraction=fraction, feedback=feedback), start))
    if tilde_equals:
        reader.warn(tilde_equals[0], _("“~=” is read as “=”: a right answer."))
    reader.left_out(empty)
    if len(answers) < 2:
        reader.fail(offset, _("A choice question needs at least two answers."))
    qtype = QType.MISSING_WORD if in_sentence else QType.SINGLE if single else QType.MULTIPLE
    if qtype != QType.MULTIPLE:
        _no_negative(reader, answers)
    fractions = [answer.fraction for answer, _start in answers]
    if max(fractions) <= 0:
        reader.fail(
            offset,
            _(
                "No answer is marked right: "
                "mark the right answer with “=” or give weights like “~%(weight)s”."
            )
            % {"weight": "%50%"},
        )
    if qtype == QType.MULTIPLE:
        total = sum(fraction for fraction in fractions if fraction > 0)
        if abs(total - 1) > 1e-6:
            reader.warn(
                offset,
                _("The weights of the right answers add up to %(total)s %%, not 100 %%.")
                % {"total": format_number(round(total * 100, 5))},
            )
    elif max(fractions) < 1:
        reader.warn(
            offset,
            _("No answer gives full marks: the best one gives %(best)s %%.")
            % {"best": format_number(round(max(fractions) * 100, 5))},
        )
    return qtype, [answer for answer, _start in answers]


def _matching(reader: Reader, body: str, offset: int) -> list[Answer]:
    lead, pieces = _split(body, offset, "=")
    if lead.strip():
        reader.fail(
            offset,
            _(
                "“%(text)s” in the answer block does not start with “=”: "
                "write each pair as “=item -> match”."
            )
            % {"text": quote(lead)},
        )
    answers = []
    empty = [start for _marker, start, piece in pieces if not piece.strip()]
    reader.left_out(empty)
    for _marker, start, piece in pieces:
        if not piece.strip():
            continue
        arrow = piece.find("->")
        if arrow < 0:
            reader.fail(
                start,
                _("The matching line “%(text)s” has no “->”: write it as “=item -> match”.")
                % {"text": quote(piece)},
            )
        # Moodle: the item may carry a format tag, the match is plain text; `#` is no feedback.
        left = reader.answer_text(piece[:arrow], start)
        right = reader.finish(piece[arrow + 2 :], start + arrow + 2)
        if not right:
            reader.fail(
                start,
                _("The item “%(text)s” is matched with nothing: write the match after “->”.")
                % {"text": quote(left)},
            )
        answers.append(Answer(text=left, match=right))  # left "" = an extra wrong match
    if sum(1 for answer in answers if answer.text) < 2:
        reader.fail(
            offset,
            _("A matching question needs at least two pairs written as “=item -> match”."),
        )
    return answers


def _true_false(reader: Reader, body: str, offset: int) -> list[Answer]:
    # Moodle: {TRUE#shown to a wrong answer#shown to a right one}; ours is per choice.
    head, _sign, rest = body.partition("#")
    wrong_raw, _sign2, right_raw = rest.partition("#")
    wrong = reader.answer_text(wrong_raw, offset + len(head) + 1)
    right = reader.answer_text(right_raw, offset + len(head) + len(wrong_raw) + 2)
    is_true = head.strip().upper() in _TRUE
    return [
        Answer(text="true", fraction=1.0 if is_true else 0.0, feedback=right if is_true else wrong),
        Answer(
            text="false", fraction=0.0 if is_true else 1.0, feedback=wrong if is_true else right
        ),
    ]


def _short(reader: Reader, body: str, offset: int) -> list[Answer]:
    lead, pieces = _split(body, offset, "=")
    if lead.strip():
        # Moodle takes `{Paris}` for one accepted answer; so do we, with a hint.
        reader.warn(
            offset,
            _("“%(text)s” is read as an accepted answer: write it as “=%(text)s”.")
            % {"text": quote(lead.split("#", 1)[0])},
        )
        pieces.insert(0, ("=", offset, lead))
    answers = []
    empty = []
    for _marker, start, piece in pieces:
        weight, rest, text_start = _weight(reader, piece, start)
        text, feedback = _text_and_feedback(reader, rest, text_start)
        if not text:
            empty.append(start)
            continue
        fraction = 1.0 if weight is None else fraction_of(weight)
        answers.append((Answer(text=text, fraction=fraction, feedback=feedback), start))
    reader.left_out(empty)
    _no_negative(reader, answers)
    if not answers:
        reader.fail(
            offset, _("The answer block has no answers: write the accepted answers as “=answer”.")
        )
    _full_marks(reader, [answer for answer, _start in answers], offset)
    return [answer for answer, _start in answers]


def _full_marks(reader: Reader, answers: list[Answer], offset: int) -> None:
    best = max(answer.fraction for answer in answers)
    if 0 < best < 1:
        reader.warn(
            offset,
            _("No answer gives full marks: the best one gives %(best)s %%.")
            % {"best": format_number(round(best * 100, 5))},
        )


def _not_a_number(reader: Reader, text: str, offset: int) -> NoReturn:
    reader.fail(
        offset,
        _(
            "“%(text)s” is not a number: "
            "write a numerical answer like {#42}, {#42:0.5} or {#40..44}."
        )
        % {"text": quote(text)},
    )


def _number(reader: Reader, raw: str, offset: int) -> tuple[float | None, float]:
    """(value, tolerance) of `5`, `5:0.5`, `5..10` (its middle ± half its width) or `*`."""
    text = show_escapes(raw).strip()
    if text == "*":
        return None, 0.0
    dots = text.find("..")
    colon = text.find(":")
    if dots > 0:
        low, high = to_number(text[:dots]), to_number(text[dots + 2 :])
        if low is None or high is None:
            _not_a_number(reader, text, offset)
        if low > high:
            reader.warn(
                offset,
                _("The range %(text)s is written backwards: it is read as %(low)s..%(high)s.")
                % {"text": text, "low": format_number(high), "high": format_number(low)},
            )
            low, high = high, low
        value = tidy((low + high) / 2)
        return value, tidy(high - value)
    if colon > 0:
        value, tolerance = to_number(text[:colon]), to_number(text[colon + 1 :])
        if value is None or tolerance is None:
            _not_a_number(reader, text, offset)
        if tolerance < 0:
            reader.fail(offset, _("A tolerance cannot be negative: “%(text)s”.") % {"text": text})
        return value, tolerance
    value = to_number(text)
    if value is None:
        _not_a_number(reader, text, offset)
    return value, 0.0


def _numerical(reader: Reader, body: str, offset: int) -> list[Answer]:
    wrong = None
    tilde = body.find("~")
    if tilde >= 0:  # Moodle: `~#feedback` at the end, for any other number
        wrong = (body[tilde + 1 :], offset + tilde + 1)
        body = body[:tilde]
    lead, pieces = _split(body, offset, "=")
    if lead.strip():  # the usual short form {#5:0.5}
        pieces.insert(0, ("=", offset, lead))
    answers = []
    reader.left_out([start for _marker, start, piece in pieces if not piece.strip()])
    for _marker, start, piece in pieces:
        if not piece.strip():
            continue
        weight, rest, number_start = _weight(reader, piece, start)
        number, _sign, feedback = rest.partition("#")
        value, tolerance = _number(reader, number, number_start)
        feedback_text = reader.answer_text(feedback, number_start + len(number) + 1)
        answer = Answer(
            text="*" if value is None else "",
            fraction=1.0 if weight is None else fraction_of(weight),
            feedback=feedback_text,
            value=value,
            tolerance=tolerance,
        )
        answers.append((answer, start))
    _no_negative(reader, answers)
    if not answers:
        reader.fail(
            offset,
            _("The numerical answer block has no number: write it like {#42} or {#42:0.5}."),
        )
    if wrong is not None:
        raw, start = wrong
        ignored, _sign, feedback = raw.partition("#")
        if ignored.strip() not in ("", "*"):
            reader.warn(
                start,
                _(
                    "“%(text)s” after “~” is left out: "
                    "write the feedback for other numbers as “~#feedback”."
                )
                % {"text": quote(ignored)},
            )
        feedback_text = reader.answer_text(feedback, start + len(ignored) + 1)
        answers.append((Answer(text="*", fraction=0.0, feedback=feedback_text), start))
    _full_marks(reader, [answer for answer, _start in answers], offset)
    return [answer for answer, _start in answers]
