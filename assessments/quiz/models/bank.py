"""The question bank: a tree of categories per course plus the park-wide bank (no course),
questions with tags, and their versions. A version never changes once made: editing a question
makes a new one, and an attempt keeps the version it was taken with (Moodle's versioning)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from assessments.quiz.spec import QType, QuestionSpec, TextFormat


class QuestionCategory(models.Model):
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,  # a category with subcategories is not deleted (message first)
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    # No course: the park-wide bank every course's authors may draw from. A deleted course's
    # bank moves there rather than disappearing (questions are never lost with a page).
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    info = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["course", "parent"])]

    def __str__(self) -> str:
        return self.name


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey(
        "quiz.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(models.Model):
    """A question's identity: where it lives and its tags. Its content is in its versions."""

    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    latest = models.ForeignKey(
        "quiz.QuestionVersion",
        on_delete=models.SET_NULL,  # deleted with the question itself (its versions cascade)
        null=True,
        editable=False,
        related_name="+",
    )
    tags = TaggableManager(through=TaggedQuestion, blank=True, verbose_name=_("tags"))
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("Archived questions are not drawn for new attempts; old attempts keep them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "pk"]
        indexes = [models.Index(fields=["category", "is_archived"])]

    def __str__(self) -> str:
        return self.latest.title if self.latest_id else f"#{self.pk}"


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    qtype = models.CharField(_("type"), max_length=20, choices=[(t.value, t.value) for t in QType])
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("question text"))
    text_format = models.CharField(
        max_length=10, choices=[(f.value, f.value) for f in TextFormat], default="markdown"
    )
    data = models.JSONField(default=dict)  # QuestionSpec.to_data(): answers, feedback, options
    default_mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def spec(self) -> QuestionSpec:
        cached = getattr(self, "_spec", None)
        if cached is None:
            cached = self._spec = QuestionSpec.from_data(
                self.qtype, self.title, self.text, self.text_format, self.data
            )
        return cached
