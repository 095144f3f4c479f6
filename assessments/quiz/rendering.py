"""A question as the pupil sees it: its text in its format through the one sanitiser, the
blank of a missing-word sentence with its control in place, its answers in the attempt's
order. Views and the admin preview build these and templates show them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assessments.quiz import marking
from assessments.quiz.spec import BLANK, QType, QuestionSpec, TextFormat
from cms.markdown import render_markdown, sanitize_html

# Stands for the blank while the text is rendered: plain letters survive every format.
_MARK = "QUIZBLANKMARK7F3A"


# Formulas as Moodle's TeX filter writes them: $$...$$ and \[...\] on their own line,
# \(...\) inside one. Drawn by KaTeX in the browser (static/js/site.js), from our static files.
_FORMULA = re.compile(r"\$\$(.{1,500}?)\$\$|\\\[(.{1,500}?)\\\]|\\\((.{1,500}?)\\\)", re.S)
_FORMULA_SLOT = "QUIZFORMULA{}X"


def _take_formulas(text: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def keep(match: re.Match) -> str:
        display = match.group(3) is None
        latex = match.group(1) or match.group(2) or match.group(3) or ""
        found.append(
            f'<span class="formula" data-display="{"true" if display else "false"}">'
            f"{html.escape(latex)}</span>"
        )
        return _FORMULA_SLOT.format(len(found) - 1)

    return _FORMULA.sub(keep, text), found


def render_text(text: str, text_format: str) -> SafeString:
    """Question text, answers and feedback, by their format; all through the one sanitiser.
    Formulas are taken out first (markdown would read their underscores) and put back, escaped,
    into the sanitised HTML."""
    if not text:
        return SafeString("")
    if "$$" in text or "\\(" in text or "\\[" in text:
        text, formulas = _take_formulas(text)
        rendered = str(_render(text, text_format))
        for number, formula in enumerate(formulas):
            rendered = rendered.replace(_FORMULA_SLOT.format(number), formula, 1)
        return mark_safe(rendered)  # noqa: S308 - sanitised, and formulas escaped
    return _render(text, text_format)


def _render(text: str, text_format: str) -> SafeString:
    if text_format == TextFormat.MARKDOWN:
        return render_markdown(text)
    if text_format == TextFormat.PLAIN:
        return mark_safe(html.escape(text).replace("\n", "<br>"))  # noqa: S308 - escaped above
    if text_format == TextFormat.MOODLE:
        # Moodle's auto-format: HTML allowed, and a line break is a line break.
        text = text.replace("\r\n", "\n").replace("\n", "<br>\n")
    return mark_safe(sanitize_html(text))  # noqa: S308 - sanitised


def _inline(text: str, text_format: str) -> SafeString:
    """An answer's text without the paragraph around it (a radio button's label)."""
    rendered = str(render_text(text, text_format)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return mark_safe(rendered)  # noqa: S308 - rendered by render_text


@dataclass
class Option:
    index: int
    label: SafeString
    selected: bool = False
    fraction: float = 0.0
    feedback: SafeString = SafeString("")


@dataclass
class MatchRow:
    index: int
    label: SafeString
    selected: int | None
    right: int | None = None  # in review: the right item's index


@dataclass
class QuestionView:
    position: int
    spec: QuestionSpec
    text: SafeString
    options: list[Option] = field(default_factory=list)
    rights: list[tuple[int, str]] = field(default_factory=list)  # matching: the right column
    rows: list[MatchRow] = field(default_factory=list)
    value: str = ""  # short, numerical, essay
    answered: bool = False
    # review
    mark: marking.Mark | None = None
    points: str = ""
    max_mark: str = ""
    right_answer: str = ""
    feedback: list[SafeString] = field(default_factory=list)
    general_feedback: SafeString = SafeString("")
    comment: str = ""
    disabled: bool = False
    number: int | None = None  # as shown; None for a description

    @property
    def qtype(self) -> str:
        return self.spec.qtype.value

    @property
    def field_name(self) -> str:
        return f"q{self.position}"

    @property
    def inline_blank(self) -> bool:
        return BLANK in self.spec.text


def _text_with_blank(view: QuestionView) -> SafeString:
    spec = view.spec
    if BLANK not in spec.text:
        return render_text(spec.text, spec.text_format)
    rendered = str(render_text(spec.text.replace(BLANK, _MARK, 1), spec.text_format))
    control = render_to_string("quiz/includes/blank.html", {"q": view})
    return mark_safe(rendered.replace(_MARK, control, 1))  # noqa: S308 - both parts are safe


def question_view(
    position: int,
    spec: QuestionSpec,
    order: dict | None,
    response: dict | None,
    *,
    disabled: bool = False,
    number: int | None = None,
) -> QuestionView:
    order = order or {}
    response = response or {}
    view = QuestionView(
        position=position,
        spec=spec,
        text=SafeString(""),
        disabled=disabled,
        number=number if number is not None else position,
    )
    view.answered = marking.is_answered(spec, response)
    fmt = spec.text_format
    indexes = order.get("answers") or list(range(len(spec.answers)))
    if spec.qtype in (QType.SINGLE, QType.MISSING_WORD, QType.TRUE_FALSE, QType.MULTIPLE):
        chosen = set(response.get("choices") or []) | (
            {response["choice"]} if isinstance(response.get("choice"), int) else set()
        )
        for i in indexes:
            if 0 <= i < len(spec.answers):
                answer = spec.answers[i]
                label = answer.text
                if spec.qtype == QType.TRUE_FALSE:  # stored as "true"/"false": say it
                    label = (gettext("True"), gettext("False"))[i] if i < 2 else label
                view.options.append(Option(i, _inline(label, fmt), i in chosen, answer.fraction))
    elif spec.qtype == QType.MATCHING:
        rights = marking.right_items(spec)
        right_order = order.get("rights") or list(range(len(rights)))
        view.rights = [(i, rights[i]) for i in right_order if 0 <= i < len(rights)]
        pairs = response.get("pairs") or {}
        for i in indexes:
            if 0 <= i < len(spec.answers) and spec.answers[i].text:
                selected = pairs.get(str(i))
                view.rows.append(
                    MatchRow(
                        i,
                        _inline(spec.answers[i].text, fmt),
                        selected if isinstance(selected, int) else None,
                    )
                )
    elif spec.qtype in (QType.SHORT, QType.NUMERICAL, QType.ESSAY):
        value = response.get("text")
        view.value = value if isinstance(value, str) else ""
    view.text = _text_with_blank(view)
    return view


def add_review(
    view: QuestionView,
    result: marking.Mark,
    *,
    points: str,
    max_mark: str,
    show_correctness: bool,
    show_marks: bool,
    show_right_answer: bool,
    show_feedback: bool,
    comment: str = "",
) -> QuestionView:
    """What the review matrix lets the pupil see of one marked question."""
    spec = view.spec
    view.disabled = True
    view.mark = result if show_correctness else None
    view.points = points if show_marks else ""
    view.max_mark = max_mark if show_marks else ""
    if show_right_answer:
        view.right_answer = marking.right_answer_summary(spec)
        rights = marking.right_items(spec) if spec.qtype == QType.MATCHING else []
        for row in view.rows:
            match = spec.answers[row.index].match
            row.right = rights.index(match) if match in rights else None
    if show_feedback:
        view.feedback = [_inline(text, spec.text_format) for text in result.feedback if text]
        view.general_feedback = render_text(spec.general_feedback, spec.text_format)
        view.comment = comment
    if not show_correctness:
        for option in view.options:
            option.fraction = 0.0
    return view
