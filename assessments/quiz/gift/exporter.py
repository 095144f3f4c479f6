"""QuestionSpecs written as Moodle GIFT, laid out the way Moodle's own exporter writes them
(question/format/gift/format.php, writequestion), so that Moodle and parse_gift both read the
result back: parse_gift(export_gift(specs)) gives the same specs (apart from `line`)."""

from __future__ import annotations

from collections.abc import Iterable

from assessments.quiz.gift.text import (
    category_line,
    derive_title,
    escape,
    format_number,
    format_weight,
    starts_with_format_tag,
)
from assessments.quiz.spec import BLANK, Answer, QType, QuestionSpec, TextFormat

__all__ = ["export_gift"]


def export_gift(questions: Iterable[QuestionSpec]) -> str:
    """GIFT text for the questions, with a `$CATEGORY:` line wherever the category changes."""
    parts = []
    category = ""
    for spec in questions:
        if spec.category != category:
            parts.append(category_line(spec.category) + "\n\n")
            category = spec.category
        parts.append(_question(spec))
    return "".join(parts)


def _question(spec: QuestionSpec) -> str:
    title = spec.title or derive_title(spec.text, spec.text_format) or "-"
    head = _comment(spec) + "::" + escape(title) + "::"
    fmt = spec.text_format
    # Moodle writes no tag for its own default format; a text that starts like a tag gets one
    # anyway, or it would be taken for the tag.
    if fmt != TextFormat.MOODLE or starts_with_format_tag(spec.text):
        head += f"[{fmt.value}]"
    if spec.qtype == QType.DESCRIPTION:
        return head + escape(spec.text) + "\n\n"
    block = _block(spec)
    if spec.qtype in (QType.MISSING_WORD, QType.SHORT, QType.NUMERICAL) and BLANK in spec.text:
        before, after = spec.text.split(BLANK, 1)
        return head + escape(before) + block + escape(after) + "\n\n"
    return head + escape(spec.text) + block + "\n\n"


def _comment(spec: QuestionSpec) -> str:
    """Moodle keeps the idnumber and tags in a comment line: `// [id:x] [tag:a] [tag:b]`."""
    items = []
    if spec.idnumber:
        items.append(f"[id:{_comment_value(spec.idnumber)}]")
    items.extend(f"[tag:{_comment_value(tag)}]" for tag in spec.tags if tag.strip())
    return "// " + " ".join(items) + "\n" if items else ""


def _comment_value(value: str) -> str:
    return " ".join(value.split()).replace("]", "\\]")


def _text(text: str, fmt: TextFormat) -> str:
    """An answer or feedback: ours share the question's format, so no tag, unless the text
    itself starts like one."""
    prefix = f"[{fmt.value}]" if starts_with_format_tag(text) else ""
    return prefix + escape(text)


def _feedback(answer: Answer, fmt: TextFormat) -> str:
    return "#" + _text(answer.feedback, fmt) if answer.feedback else ""


def _general_feedback(spec: QuestionSpec, indent: str = "\t") -> str:
    if not spec.general_feedback:
        return ""
    text = "####" + _text(spec.general_feedback, spec.text_format)
    return indent + text + "\n" if indent else text


def _block(spec: QuestionSpec) -> str:
    qtype = spec.qtype
    if qtype == QType.ESSAY:
        return "{" + _general_feedback(spec, "") + "}"
    if qtype == QType.TRUE_FALSE:
        return _true_false(spec)
    if qtype == QType.MATCHING:
        lines = [
            "\t=" + _text(answer.text, spec.text_format) + " -> " + escape(answer.match) + "\n"
            for answer in spec.answers
        ]
        return "{\n" + "".join(lines) + _general_feedback(spec) + "}"
    if qtype == QType.SHORT:
        lines = [
            f"\t=%{format_weight(answer.fraction)}%{escape(answer.text)}#"
            + _text(answer.feedback, spec.text_format)
            + "\n"
            for answer in spec.answers
        ]
        return "{\n" + "".join(lines) + _general_feedback(spec) + "}"
    if qtype == QType.NUMERICAL:
        return "{#\n" + "".join(_numerical(spec)) + _general_feedback(spec) + "}"
    return "{\n" + "".join(_choices(spec)) + _general_feedback(spec) + "}"


def _true_false(spec: QuestionSpec) -> str:
    answers = list(spec.answers) + [Answer(), Answer()]
    true, false = answers[0], answers[1]
    is_true = true.fraction >= false.fraction
    right, wrong = (true, false) if is_true else (false, true)
    out = "{" + ("TRUE" if is_true else "FALSE")
    if wrong.feedback:
        out += "#" + _text(wrong.feedback, spec.text_format)
    elif right.feedback:
        out += "#"
    if right.feedback:
        out += "#" + _text(right.feedback, spec.text_format)
    return out + _general_feedback(spec, "") + "}"


def _choices(spec: QuestionSpec) -> list[str]:
    single = spec.qtype != QType.MULTIPLE
    # A one-answer choice needs an `=` to read back as one; if no answer gives full marks, the
    # best one is written `=%50%...` (Moodle itself always has a 100 % answer there).
    best = max(spec.answers, key=lambda answer: answer.fraction, default=None)
    needs_equals = (
        spec.qtype == QType.SINGLE
        and best is not None
        and all(a.fraction != 1 for a in spec.answers)
    )
    lines = []
    for answer in spec.answers:
        text = _text(answer.text, spec.text_format)
        weighted = f"%{format_weight(answer.fraction)}%"
        if single and answer.fraction == 1:
            marker = "=" + (weighted if text.startswith("%") else "")
        elif needs_equals and answer is best:
            marker = "=" + weighted
        elif answer.fraction == 0:
            marker = "~" + (weighted if text.startswith("%") else "")
        else:
            marker = "~" + weighted
        lines.append([marker, text + _feedback(answer, spec.text_format)])
    if lines and not any(marker.startswith("~") for marker, _rest in lines):
        # Only `=` answers would read back as a short answer: one of them is written `~%100%`.
        lines[-1][0] = "~%100%"
    return [f"\t{marker}{rest}\n" for marker, rest in lines]


def _numerical(spec: QuestionSpec) -> list[str]:
    lines = []
    last = len(spec.answers) - 1
    for index, answer in enumerate(spec.answers):
        feedback = _text(answer.feedback, spec.text_format)
        if answer.value is None:
            # Moodle's `*`, any other number: written `~#feedback` at the end, as Moodle does.
            if index == last and answer.fraction == 0:
                lines.append("\t~#" + feedback + "\n")
            else:
                lines.append(f"\t=%{format_weight(answer.fraction)}%*#{feedback}\n")
            continue
        number = f"{format_number(answer.value)}:{format_number(abs(answer.tolerance))}"
        lines.append(f"\t=%{format_weight(answer.fraction)}%{number}#{feedback}\n")
    return lines
