"""Who learns what: group enrolments and each pupil's progress through lessons."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.pages import CataloguePage, CoursePage, LessonPage, ModulePage

__all__ = [
    "CataloguePage",
    "CourseAuthor",
    "CourseAuthorsGroup",
    "CourseCollection",
    "CoursePage",
    "CourseShare",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
]


class Enrolment(models.Model):
    """A study group takes a whole course, or (module set) a single module of it."""

    group = models.ForeignKey(
        "lms.StudyGroup",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("group"),
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    module = models.ForeignKey(
        ModulePage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrolments",
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
                name="one_course_enrolment_per_group",
            ),
            models.UniqueConstraint(
                fields=["group", "module"],
                condition=Q(module__isnull=False),
                name="one_module_enrolment_per_group",
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


class CourseShare(models.Model):
    """The host park shares a whole course, or one module of it, with one partner school or
    (school empty) with every partner school. Partner groups may then be enrolled in it."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="shares", verbose_name=_("course")
    )
    module = models.ForeignKey(
        ModulePage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("module"),
        help_text=_("Empty: the whole course."),
    )
    school = models.ForeignKey(
        "lms.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("school"),
        help_text=_("Empty: every partner school."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared course or module")
        verbose_name_plural = _("shared courses and modules")
        ordering = ["course__title", "module__path"]
        # NULL is "whole course" / "all schools"; each combination may exist once.
        constraints = [
            models.UniqueConstraint(
                fields=["course", "module", "school"],
                condition=Q(module__isnull=False, school__isnull=False),
                name="one_share_module_school",
            ),
            models.UniqueConstraint(
                fields=["course", "school"],
                condition=Q(module__isnull=True, school__isnull=False),
                name="one_share_course_school",
            ),
            models.UniqueConstraint(
                fields=["course", "module"],
                condition=Q(module__isnull=False, school__isnull=True),
                name="one_share_module_everyone",
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(module__isnull=True, school__isnull=True),
                name="one_share_course_everyone",
            ),
        ]

    def __str__(self) -> str:
        target = self.module.title if self.module_id else self.course.title
        audience = self.school.name if self.school_id else _("all partner schools")
        return f"{target} → {audience}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.module_id and self.course_id and not self.module.path.startswith(self.course.path):
            errors["module"] = _("This module belongs to another course.")
        if self.school_id and self.school.kind != "visiting":
            errors["school"] = _("A host park's groups can take every course already.")
        if errors:
            raise ValidationError(errors)


class CourseAuthor(models.Model):
    """A teacher who may edit one course (and only it) in the admin. Kept in step with the
    course's authors group, which holds Wagtail page permissions on the course subtree."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="authors", verbose_name=_("course")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="authored_courses",
        verbose_name=_("author"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("course author")
        verbose_name_plural = _("course authors")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_author_row_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from lms import roles

        if self.user_id and not self.user.groups.filter(name=roles.TEACHER).exists():
            raise ValidationError({"user": _("Only teachers can be made course authors.")})


class CourseAuthorsGroup(models.Model):
    """The auth group that carries a course's page permissions (one per course)."""

    course = models.OneToOneField(
        CoursePage, on_delete=models.CASCADE, related_name="authors_group"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("course authors group")
        verbose_name_plural = _("course authors groups")

    def __str__(self) -> str:
        return str(self.group)


class CourseCollection(models.Model):
    """The Wagtail collection of one course's documents (worksheets, video files). The course's
    authors choose and upload there only, and a document in it is downloaded only through the
    course's own lessons (courses/documents.py)."""

    course = models.OneToOneField(
        CoursePage, on_delete=models.CASCADE, related_name="document_collection"
    )
    # Wagtail deletes only empty collections; a deleted one is made again on the next use.
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("course collection")
        verbose_name_plural = _("course collections")

    def __str__(self) -> str:
        return str(self.collection)
