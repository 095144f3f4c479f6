"""The quiz builder's forms: the quiz's settings with Moodle's review matrix as checkboxes, and
adding random questions."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy

from assessments.quiz.admin.slots import MAX_MARK, MAX_RANDOM_AT_ONCE
from assessments.quiz.models import Quiz
from assessments.quiz.models.quizzes import REVIEW_ITEMS, REVIEW_MOMENTS

MOMENT_LABELS = {
    "during": gettext_lazy("During the attempt"),
    "immediately": gettext_lazy("Right after the attempt"),
    "open": gettext_lazy("Later, while the quiz is still open"),
    "closed": gettext_lazy("After the quiz closes"),
}
ITEM_LABELS = {
    "attempt": gettext_lazy("The attempt"),
    "correctness": gettext_lazy("Right or wrong"),
    "marks": gettext_lazy("Marks"),
    "right_answer": gettext_lazy("Right answers"),
    "feedback": gettext_lazy("Feedback"),
}


def _review_field(moment: str, item: str) -> str:
    return f"review_{moment}_{item}"


class QuizSettingsForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "time_limit_minutes",
            "questions_per_page",
            "shuffle_questions",
            "shuffle_answers",
            "release",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions_per_page"].validators.append(MaxValueValidator(100))
        self.fields["questions_per_page"].widget.attrs["max"] = 100
        review = self.instance.review or {}
        for moment in REVIEW_MOMENTS:
            for item in REVIEW_ITEMS:
                self.fields[_review_field(moment, item)] = forms.BooleanField(
                    label=f"{MOMENT_LABELS[moment]}: {ITEM_LABELS[item]}",
                    required=False,
                    initial=item in review.get(moment, ()),
                )

    def review_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                MOMENT_LABELS[moment],
                [self[_review_field(moment, item)] for item in REVIEW_ITEMS],
            )
            for moment in REVIEW_MOMENTS
        ]

    def review_columns(self) -> list[str]:
        return [ITEM_LABELS[item] for item in REVIEW_ITEMS]

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def save(self, commit: bool = True) -> Quiz:
        quiz = super().save(commit=False)
        quiz.review = {
            moment: [
                item for item in REVIEW_ITEMS if self.cleaned_data.get(_review_field(moment, item))
            ]
            for moment in REVIEW_MOMENTS
        }
        if commit:
            quiz.save()
        return quiz


class RandomForm(forms.Form):
    category = forms.TypedChoiceField(
        label=gettext_lazy("From the category"), coerce=int, empty_value=None, required=False
    )
    include_subcategories = forms.BooleanField(
        label=gettext_lazy("and its subcategories"), required=False, initial=True
    )
    tag = forms.CharField(
        label=gettext_lazy("Only questions with the tag"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "quiz-tags"}),
    )
    count = forms.IntegerField(
        label=gettext_lazy("How many"),
        initial=1,
        min_value=1,
        max_value=MAX_RANDOM_AT_ONCE,
    )
    mark = forms.DecimalField(
        label=gettext_lazy("Mark of each"),
        initial=Decimal(1),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MARK)],
    )

    def __init__(self, *args, categories: list[tuple[str, list[tuple[int, str]]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *categories]

    def clean(self):
        data = super().clean()
        if not data.get("category") and not (data.get("tag") or "").strip():
            raise forms.ValidationError(gettext_lazy("Choose a category or a tag to draw from."))
        return data
