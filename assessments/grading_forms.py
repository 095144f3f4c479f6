"""Forms of the grading pages. They check the shape of what arrives (lengths, a number, the
feedback files); the rules (maximum, every criterion, levels of their own criterion) are in
assessments.scoring."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import feedback_files, grading, scoring, uploads
from assessments.models import Assignment, Grade
from assessments.models.rubrics import RubricCriterion, RubricLevel
from assessments.pupil_forms import MultipleFileField
from assessments.scoring import ScoreError


@dataclass(frozen=True)
class LevelChoice:
    level: RubricLevel
    input_id: str
    checked: bool

    @property
    def points(self) -> Decimal:
        """The level's points as a teacher writes them: 2.50 -> 2.5, 4.00 -> 4."""
        return Decimal(_plain(Decimal(self.level.points)))


@dataclass(frozen=True)
class RubricRow:
    criterion: RubricCriterion
    field_name: str
    levels: list[LevelChoice]
    padding: range  # empty cells, so every row of the table has as many cells
    comment: forms.BoundField
    errors: list[str]


class GradeForm(forms.Form):
    DRAFT, RELEASE, RETURN = "draft", "release", "return"

    # Which button was pressed ("Save draft", "Save and release", "Return for rework").
    action = forms.ChoiceField(
        choices=[(DRAFT, DRAFT), (RELEASE, RELEASE), (RETURN, RETURN)],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose what to do: save, release or return.")},
    )
    points = forms.CharField(
        label=_("Points"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
    )
    feedback = forms.CharField(
        label=_("Feedback for the pupil"),
        required=False,
        max_length=grading.FEEDBACK_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Markdown: **bold**, lists, `code`. The pupil reads it once the grade is released."
        ),
    )

    files = MultipleFileField(
        label=_("Feedback files"),
        required=False,
        help_text=_(
            "Optional: a marked-up PDF, a photo with notes… You can choose several files. "
            "The pupil can download them once the grade is released."
        ),
    )

    def __init__(self, *args, criteria: list[RubricCriterion] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria or [])
        if self.criteria:
            del self.fields["points"]  # the chosen levels add up to the points
        for criterion in self.criteria:
            self.fields[f"level_{criterion.id}"] = forms.CharField(required=False, max_length=64)
            self.fields[f"comment_{criterion.id}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=scoring.COMMENT_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_for(cls, grade: Grade | None, criteria: list[RubricCriterion]) -> dict:
        """The form as last saved. A level removed from the rubric since is left unchosen."""
        if grade is None:
            return {}
        initial = {"feedback": grade.feedback}
        if grade.points is not None:
            initial["points"] = _plain(grade.points)
        for criterion in criteria:
            chosen = (grade.rubric_choices or {}).get(criterion.id) or {}
            if chosen.get("level_id") in {level.id for level in criterion.levels}:
                initial[f"level_{criterion.id}"] = chosen["level_id"]
            initial[f"comment_{criterion.id}"] = chosen.get("comment", "")
        return initial

    def clean_points(self) -> Decimal | None:
        raw = self.cleaned_data.get("points") or ""
        if not raw.strip():
            return None
        try:
            return scoring.parse_points(raw)
        except ScoreError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_files(self) -> list[feedback_files.CheckedUpload]:
        """Each chosen file with what we found it to be; one refused file refuses the save."""
        checked, problems = [], []
        for uploaded in self.cleaned_data.get("files") or []:
            try:
                checked.append((uploaded, feedback_files.check_feedback_file(uploaded)))
            except uploads.UploadError as error:
                problems.append(str(error))
        if problems:
            raise forms.ValidationError(
                [
                    *problems,
                    _("Nothing was saved. Choose the files again, without the refused one."),
                ]
            )
        return checked

    def clean(self) -> dict:
        data = super().clean()
        scoring_action = data.get("action") in (self.DRAFT, self.RELEASE)
        typed = self.criteria or "points" in self.errors or data.get("points") is not None
        if scoring_action and not typed:
            self.add_error("points", _("Enter the points."))
        if data.get("action") == self.RETURN and not data.get("feedback"):
            self.add_error("feedback", _("Write what the pupil should rework: they will read it."))
        return data

    def levels(self) -> dict[str, str]:
        return {
            c.id: self.cleaned_data.get(f"level_{c.id}", "")
            for c in self.criteria
            if self.cleaned_data.get(f"level_{c.id}")
        }

    def comments(self) -> dict[str, str]:
        return {
            c.id: self.cleaned_data.get(f"comment_{c.id}", "")
            for c in self.criteria
            if self.cleaned_data.get(f"comment_{c.id}")
        }

    def rubric_rows(self) -> list[RubricRow]:
        """The rubric table as the template draws it: one row per criterion, one clickable cell
        per level, the chosen one checked (what was posted, else what was saved)."""
        width = max((len(c.levels) for c in self.criteria), default=0)
        rows = []
        for criterion in self.criteria:
            name = f"level_{criterion.id}"
            chosen = self[name].value() or ""
            levels = [
                LevelChoice(level, f"{name}-{index}", level.id == chosen)
                for index, level in enumerate(criterion.levels)
            ]
            rows.append(
                RubricRow(
                    criterion=criterion,
                    field_name=name,
                    levels=levels,
                    padding=range(width - len(levels)),
                    comment=self[f"comment_{criterion.id}"],
                    errors=list(self.errors.get(name, [])),
                )
            )
        return rows


def _plain(points: Decimal) -> str:
    """7.00 -> "7", 7.50 -> "7.5": how a teacher would type it."""
    text = f"{points:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class FeedbackPreviewForm(forms.Form):
    """The feedback being written, sent for a preview: no longer than it may be saved."""

    text = forms.CharField(required=False, max_length=grading.FEEDBACK_MAX_CHARS, strip=True)


class QueueFilterForm(forms.Form):
    """The queue's filter (GET). Anything unexpected is ignored: the whole queue is shown."""

    assignment = forms.TypedChoiceField(
        label=_("Assignment"), required=False, coerce=int, empty_value=None
    )
    graded = forms.BooleanField(label=_("Show released grades too"), required=False)

    def __init__(self, *args, assignments: list[Assignment], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [("", _("All assignments"))] + [
            (a.pk, a.title) for a in assignments
        ]

    def chosen(self) -> tuple[int | None, bool]:
        if not self.is_valid():
            return None, False
        return self.cleaned_data["assignment"], self.cleaned_data["graded"]
