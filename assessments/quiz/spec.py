"""The plain-data form of one question, the same everywhere: what the GIFT parser produces and
the exporter writes, what a question version stores (as JSON), what marking and the pupil's
page read. No Django here, so parser, marking and statistics are tested as plain functions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class QType(StrEnum):
    SINGLE = "single_choice"  # one right answer (radio buttons); other answers may give part
    MULTIPLE = "multiple_choice"  # several may be chosen (checkboxes); weights add, clamped 0..1
    TRUE_FALSE = "true_false"
    SHORT = "short_answer"  # typed answer compared with accepted answers (`*` wildcard)
    NUMERICAL = "numerical"  # a number within a tolerance or a range; decimal comma accepted
    MATCHING = "matching"  # pairs: each left item gets one of the right items
    MISSING_WORD = "missing_word"  # a choice of words for the blank inside the sentence
    ESSAY = "essay"  # free text, marked by the teacher in the grading queue
    DESCRIPTION = "description"  # text only; no answer, no mark


AUTO_MARKED = frozenset(QType) - {QType.ESSAY, QType.DESCRIPTION}


class TextFormat(StrEnum):
    MARKDOWN = "markdown"  # our own default: rendered by cms.markdown.render_markdown
    HTML = "html"  # sanitised by cms.markdown.sanitize_html
    MOODLE = "moodle"  # Moodle's auto-format: HTML allowed, line breaks kept
    PLAIN = "plain"  # shown as typed


# Where the blank sits in a sentence (missing word; short answer or numerical typed inside the
# sentence). Chosen so that markdown leaves it alone; the page puts the answer field there.
BLANK = "[_____]"


@dataclass
class Answer:
    text: str = ""  # choice, short answer, matching's left item (the question part)
    fraction: float = 0.0  # -1..1 of the question's mark; negative only for multiple choice
    feedback: str = ""
    match: str = ""  # matching: the right item; an answer with text "" is an extra distractor
    value: float | None = None  # numerical: the right value (a range a..b is its middle)
    tolerance: float = 0.0  # numerical: accepted distance from value (a range: half its width)


@dataclass
class QuestionSpec:
    qtype: QType
    text: str  # in text_format; may hold BLANK once
    title: str = ""
    text_format: TextFormat = TextFormat.MARKDOWN
    answers: list[Answer] = field(default_factory=list)
    general_feedback: str = ""  # shown in review to everyone, whatever they answered
    case_sensitive: bool = False  # short answer
    # true/false: `answers` holds two entries, "true" and "false", fraction 1 on the right one,
    # each with the feedback shown to whoever chose it.
    category: str = ""  # GIFT `$CATEGORY:` path, "a/b/c"; "" = where the import is put
    tags: list[str] = field(default_factory=list)
    line: int = 0  # where the question starts in its GIFT file (1-based), for messages
    idnumber: str = ""

    def to_data(self) -> dict[str, Any]:
        """JSON for a QuestionVersion.data (without the fields the version keeps apart)."""
        data = asdict(self)
        for key in ("qtype", "text", "title", "text_format", "category", "tags", "line"):
            data.pop(key)
        return data

    @classmethod
    def from_data(
        cls, qtype: str, title: str, text: str, text_format: str, data: dict[str, Any]
    ) -> QuestionSpec:
        data = dict(data)
        answers = [Answer(**answer) for answer in data.pop("answers", [])]
        known = {"general_feedback", "case_sensitive", "idnumber"}
        return cls(
            qtype=QType(qtype),
            title=title,
            text=text,
            text_format=TextFormat(text_format),
            answers=answers,
            **{key: value for key, value in data.items() if key in known},
        )
