"""A quiz is an assignment of kind quiz (its dates, attempts, best/last, group dates and
extensions are the assignment's) with its own settings and slots. A slot holds one fixed
question (a fixed version, or always the latest) or draws one question at random from a
category or a tag; "N random questions" are N random slots, so statistics stay per slot."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Moodle's review-options matrix: what the pupil sees, and when.
REVIEW_MOMENTS = ("during", "immediately", "open", "closed")
REVIEW_ITEMS = ("attempt", "correctness", "marks", "right_answer", "feedback")


def default_review() -> dict[str, list[str]]:
    """Moodle's defaults, as a teacher of children expects them: the answers and marks right
    after the attempt; the right answers only once the quiz has closed for the pupil."""
    return {
        "during": [],
        "immediately": ["attempt", "correctness", "marks", "feedback"],
        "open": ["attempt", "correctness", "marks", "feedback"],
        "closed": ["attempt", "correctness", "marks", "right_answer", "feedback"],
    }


class Quiz(models.Model):
    class Release(models.TextChoices):
        AT_ONCE = "at_once", _("at once, when the attempt is handed in")
        BY_TEACHER = "by_teacher", _("when the teacher releases them")

    assignment = models.OneToOneField(
        "assessments.Assignment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="quiz",
        verbose_name=_("assignment"),
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit, minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Empty: no time limit. The server closes an attempt when its time is up."),
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=5, help_text=_("0: all questions on one page.")
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    shuffle_answers = models.BooleanField(_("shuffle the answers"), default=True)
    release = models.CharField(
        _("marks are released"), max_length=12, choices=Release.choices, default=Release.AT_ONCE
    )
    review = models.JSONField(_("review options"), default=default_review)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return str(self.assignment)

    def shows(self, moment: str, item: str) -> bool:
        return item in (self.review or {}).get(moment, ())


class QuizSlot(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveSmallIntegerField(_("number"))
    mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    question = models.ForeignKey(
        "quiz.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("question"),
    )
    version = models.ForeignKey(
        "quiz.QuestionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
        help_text=_("Empty: always the latest version."),
    )
    random_category = models.ForeignKey(
        "quiz.QuestionCategory",
        on_delete=models.PROTECT,  # refused with a message while a quiz draws from it
        null=True,
        blank=True,
        related_name="random_slots",
        verbose_name=_("random question from the category"),
    )
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    random_tag = models.CharField(
        _("only questions with the tag"), max_length=100, blank=True, default=""
    )

    class Meta:
        verbose_name = _("quiz slot")
        verbose_name_plural = _("quiz slots")
        ordering = ["quiz", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "number"], name="one_slot_number"),
            models.CheckConstraint(
                condition=Q(question__isnull=False, random_category__isnull=True)
                | Q(question__isnull=True, random_category__isnull=False)
                | Q(question__isnull=True, random_category__isnull=True) & ~Q(random_tag=""),
                name="slot_fixed_or_random",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number}"

    @property
    def is_random(self) -> bool:
        return self.question_id is None
