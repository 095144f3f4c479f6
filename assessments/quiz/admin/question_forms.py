"""The question editor's forms: the question (type, texts, mark, tags, true/false's answer) and
its answers as a formset; the QuestionSpec they describe, and back. What a question must hold
is decided by assessments.quiz.validation, not here: the form only reads the fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.quiz.admin.bank_services import BankError, clean_tags
from assessments.quiz.gift.text import format_number, format_weight, fraction_of
from assessments.quiz.models import QuestionVersion
from assessments.quiz.spec import BLANK, Answer, QType, QuestionSpec, TextFormat
from assessments.quiz.validation import MAX_ANSWERS
from lms.text import clean_line

QTYPE_LABELS = {
    QType.SINGLE: gettext_lazy("Single choice (one right answer)"),
    QType.MULTIPLE: gettext_lazy("Multiple choice (several may be right)"),
    QType.TRUE_FALSE: gettext_lazy("True / false"),
    QType.SHORT: gettext_lazy("Short answer (typed)"),
    QType.NUMERICAL: gettext_lazy("Numerical"),
    QType.MATCHING: gettext_lazy("Matching"),
    QType.MISSING_WORD: gettext_lazy("Missing word"),
    QType.ESSAY: gettext_lazy("Essay (marked by the teacher)"),
    QType.DESCRIPTION: gettext_lazy("Description (text only, no answer)"),
}
FORMAT_LABELS = {
    TextFormat.MARKDOWN: gettext_lazy("Markdown"),
    TextFormat.HTML: gettext_lazy("HTML"),
    TextFormat.MOODLE: gettext_lazy("Moodle auto-format (HTML, line breaks kept)"),
    TextFormat.PLAIN: gettext_lazy("Plain text"),
}
NO_ANSWERS = frozenset({QType.ESSAY, QType.DESCRIPTION})
MAX_TEXT = 5000  # one answer's text, match or feedback
MIN_ROWS, SPARE_ROWS = 6, 3


def qtype_label(qtype: str) -> str:
    try:
        return str(QTYPE_LABELS[QType(qtype)])
    except ValueError:
        return qtype


class NumberField(forms.FloatField):
    """A number as teachers type it: "3,5" and "3.5", a Unicode minus; finite only."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u2212", "-").replace(",", ".").replace(" ", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs


class NumberInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "size": "8", **(attrs or {})})


class QuestionForm(forms.Form):
    qtype = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=[(t.value, label) for t, label in QTYPE_LABELS.items()]
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Shown in the bank and the reports. Empty: the start of the text."),
    )
    text = forms.CharField(
        label=gettext_lazy("Question text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    text_format = forms.ChoiceField(
        label=gettext_lazy("Text format"),
        choices=[(f.value, label) for f, label in FORMAT_LABELS.items()],
        initial=TextFormat.MARKDOWN.value,
    )
    mark = forms.DecimalField(
        label=gettext_lazy("Mark"),
        initial=Decimal(1),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("9999.99"))],
        help_text=gettext_lazy("The default mark of a slot holding this question."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Separated by commas. A quiz can draw random questions by tag."),
    )
    general_feedback = forms.CharField(
        label=gettext_lazy("General feedback"),
        required=False,
        strip=False,
        max_length=4 * MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown in the review to everyone, whatever they answered."),
    )
    case_sensitive = forms.BooleanField(
        label=gettext_lazy("Case matters (short answer)"), required=False
    )
    tf_right = forms.ChoiceField(
        label=gettext_lazy("The right answer is"),
        choices=[("true", gettext_lazy("True")), ("false", gettext_lazy("False"))],
        widget=forms.RadioSelect,
        initial="true",
        required=False,
    )
    tf_feedback_true = forms.CharField(
        label=gettext_lazy("Feedback to “true”"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tf_feedback_false = forms.CharField(
        label=gettext_lazy("Feedback to “false”"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, categories: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _(
            "A missing-word question must hold the blank %(blank)s where the missing word goes "
            "(once); a short answer or a number may be typed there too. Without it, the answer "
            "field comes after the text."
        ) % {"blank": BLANK}
        if categories is not None:  # only when making a question: moving is its own form
            self.fields["category"] = forms.TypedChoiceField(
                label=_("Category"), choices=categories, coerce=int
            )
            self.order_fields(["category"])

    def clean_title(self) -> str:
        return clean_line(self.cleaned_data["title"])

    def clean_tags(self) -> list[str]:
        try:
            return clean_tags(self.cleaned_data["tags"])
        except BankError as error:
            raise forms.ValidationError(str(error)) from None


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Answer"), required=False, max_length=MAX_TEXT)
    weight = NumberField(
        label=gettext_lazy("Weight, %"),
        required=False,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        widget=NumberInput(),
    )
    feedback = forms.CharField(label=gettext_lazy("Feedback"), required=False, max_length=MAX_TEXT)
    match = forms.CharField(label=gettext_lazy("Match"), required=False, max_length=MAX_TEXT)
    value = NumberField(label=gettext_lazy("Value"), required=False, widget=NumberInput())
    tolerance = NumberField(
        label=gettext_lazy("Tolerance"),
        required=False,
        validators=[MinValueValidator(0)],
        widget=NumberInput(),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            (data.get(name) or "").strip() for name in ("text", "feedback", "match")
        ) and all(data.get(name) is None for name in ("weight", "value", "tolerance"))


AnswerFormSet = forms.formset_factory(
    AnswerForm, extra=0, max_num=MAX_ANSWERS, absolute_max=MAX_ANSWERS, validate_max=True
)
ANSWERS_PREFIX = "answers"


def answer_formset(data=None, initial: list[dict] | None = None) -> forms.BaseFormSet:
    if data is not None:
        return AnswerFormSet(data, prefix=ANSWERS_PREFIX)
    initial = list(initial or [])
    rows = min(MAX_ANSWERS, max(MIN_ROWS, len(initial) + SPARE_ROWS))
    return AnswerFormSet(initial=initial + [{}] * (rows - len(initial)), prefix=ANSWERS_PREFIX)


def build_spec(
    form: QuestionForm, formset: forms.BaseFormSet, idnumber: str = ""
) -> tuple[QuestionSpec, list[str]]:
    """The question the valid forms describe, and what the forms alone find wrong with it."""
    data = form.cleaned_data
    qtype = QType(data["qtype"])
    found: list[str] = []
    answers: list[Answer] = []
    if qtype == QType.TRUE_FALSE:
        is_true = (data.get("tf_right") or "true") == "true"
        answers = [
            Answer("true", 1.0 if is_true else 0.0, feedback=data["tf_feedback_true"].strip()),
            Answer("false", 0.0 if is_true else 1.0, feedback=data["tf_feedback_false"].strip()),
        ]
    elif qtype not in NO_ANSWERS:
        for row in formset.forms:
            if row.is_blank():
                continue
            answer, problem = _answer(qtype, row.cleaned_data)
            if problem and problem not in found:
                found.append(problem)
            if answer is not None:
                answers.append(answer)
    spec = QuestionSpec(
        qtype=qtype,
        text=data["text"].replace("\r\n", "\n"),
        title=data["title"],
        text_format=TextFormat(data["text_format"]),
        answers=answers,
        general_feedback=data["general_feedback"].replace("\r\n", "\n").strip(),
        case_sensitive=bool(data.get("case_sensitive")) and qtype == QType.SHORT,
        tags=list(data["tags"]),
        idnumber=idnumber,
    )
    return spec, found


def _answer(qtype: QType, row: dict) -> tuple[Answer | None, str]:
    text = row["text"].strip()
    feedback = row["feedback"].strip()
    fraction = fraction_of(row["weight"]) if row["weight"] is not None else 0.0
    if qtype == QType.MATCHING:
        return Answer(text=text, match=row["match"].strip(), feedback=feedback), ""
    if qtype == QType.NUMERICAL:
        value = row["value"]
        if value is None and text:
            try:
                value = NumberField().clean(text)
            except forms.ValidationError:
                value = None
        if value is None:
            return None, _("Each numerical answer needs a number in “Value”.")
        return Answer(
            fraction=fraction, feedback=feedback, value=value, tolerance=row["tolerance"] or 0.0
        ), ""
    if not text:
        return None, _("An answer with a weight or feedback needs its text.")
    return Answer(text=text, fraction=fraction, feedback=feedback), ""


def initial_from(version: QuestionVersion, tags: list[str]) -> tuple[dict, list[dict]]:
    """The forms' initial data for a saved version (and the question's tags)."""
    spec = version.spec
    initial = {
        "qtype": spec.qtype.value,
        "title": spec.title,
        "text": spec.text,
        "text_format": spec.text_format.value,
        "mark": version.default_mark,
        "tags": ", ".join(tags),
        "general_feedback": spec.general_feedback,
        "case_sensitive": spec.case_sensitive,
    }
    rows: list[dict] = []
    if spec.qtype == QType.TRUE_FALSE:
        answers = list(spec.answers) + [Answer(), Answer()]
        initial["tf_right"] = "true" if answers[0].fraction >= answers[1].fraction else "false"
        initial["tf_feedback_true"] = answers[0].feedback
        initial["tf_feedback_false"] = answers[1].feedback
        return initial, rows
    for answer in spec.answers:
        row = {"text": answer.text, "feedback": answer.feedback, "match": answer.match}
        if spec.qtype != QType.MATCHING:
            row["weight"] = format_weight(float(answer.fraction))
        if spec.qtype == QType.NUMERICAL:
            row["text"] = ""
            value, tolerance = answer.value, float(answer.tolerance or 0)
            row["value"] = format_number(float(value)) if value is not None else ""
            row["tolerance"] = format_number(tolerance) if tolerance else ""
        rows.append(row)
    return initial, rows
