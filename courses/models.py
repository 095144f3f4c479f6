"""Who learns what: group enrolments and each pupil's progress through lessons."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.pages import CatalogPage, CoursePage, LessonPage, ModulePage

__all__ = ["CatalogPage", "CoursePage", "Enrollment", "LessonPage", "LessonProgress", "ModulePage"]


class Enrollment(models.Model):
    """A study group takes a whole course, or (module set) a single module of it."""

    group = models.ForeignKey(
        "lms.StudyGroup",
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("group"),
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    module = models.ForeignKey(
        ModulePage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("module"),
        help_text=_("Empty: the whole course."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "course"],
                condition=Q(module__isnull=True),
                name="one_course_enrollment_per_group",
            ),
            models.UniqueConstraint(
                fields=["group", "module"],
                condition=Q(module__isnull=False),
                name="one_module_enrollment_per_group",
            ),
        ]

    def __str__(self) -> str:
        target = self.module.title if self.module_id else self.course.title
        return f"{self.group} → {target}"


class LessonProgress(models.Model):
    """A pupil opened a lesson, and perhaps completed it. One row per pupil and lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("pupil"),
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    # Denormalised so a course's progress is one indexed query, not a walk of the page tree.
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    opened_at = models.DateTimeField(_("first opened"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.lesson}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
