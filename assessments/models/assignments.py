"""An assignment belongs to a lesson: what to hand in, when, how it is graded."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.date_range import validate_moment


def keep_pupils_work(collector, field, sub_objs, using) -> None:
    """on_delete of an assignment's lesson and course: PROTECT, but refused with a message (a
    PermissionDenied: a 403, not a 500) whatever path deletes the page, naming pupils' work if
    there is any. Django runs on_delete while collecting, before it sends pre_delete."""
    from assessments.page_guards import refuse_deleting_assignments

    refuse_deleting_assignments(sub_objs)
    models.PROTECT(collector, field, sub_objs, using)


def _moment_field(label, **kwargs) -> models.DateTimeField:
    return models.DateTimeField(label, validators=[validate_moment], **kwargs)


class Assignment(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", _("project")
        QUIZ = "quiz", _("quiz")  # auto-graded: assessments/quiz
        CODE = "code", _("code exercise")  # judged in the sandbox: assessments/programming

    class Counts(models.TextChoices):
        BEST = "best", _("the best attempt")
        LAST = "last", _("the last attempt")

    lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=keep_pupils_work,  # nothing lost: a lesson with assignments is not deleted
        related_name="assignments",
        verbose_name=_("lesson"),
    )
    # Denormalised from the lesson: the gradebook of a course is one indexed query.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=keep_pupils_work, related_name="+", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("Markdown. Shown to pupils as written.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROJECT)
    max_points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    weight = models.DecimalField(
        _("weight in the course total"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    opens_at = _moment_field(_("opens"), null=True, blank=True)
    due_at = _moment_field(_("due"), null=True, blank=True)
    cutoff_at = _moment_field(
        _("cut-off"),
        null=True,
        blank=True,
        help_text=_("After this moment nothing is accepted. Empty: late work is always accepted."),
    )
    late_penalty_per_day = models.PositiveSmallIntegerField(
        _("late penalty, % per day"), default=0, validators=[MaxValueValidator(100)]
    )
    late_penalty_cap = models.PositiveSmallIntegerField(
        _("late penalty at most, %"), default=50, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=1, help_text=_("0: as many as the pupil needs.")
    )
    counts = models.CharField(
        _("which attempt counts"), max_length=8, choices=Counts.choices, default=Counts.LAST
    )
    accepted_types = models.CharField(
        _("accepted file types"),
        max_length=300,
        blank=True,
        default="images, video, archives, code, pdf",
        help_text=_("Extensions or groups: images, video, archives, code, documents."),
    )
    max_file_mb = models.PositiveSmallIntegerField(_("file size limit, MB"), default=50)
    allow_text = models.BooleanField(_("pupils may write text"), default=True)
    rubric = models.ForeignKey(
        "assessments.Rubric",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("rubric"),
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["lesson__path", "pk"]
        indexes = [models.Index(fields=["course", "is_archived"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.lesson_id:  # follows the lesson, also if it is moved to another course
            from courses.models import CoursePage

            self.course = CoursePage.objects.ancestor_of(self.lesson).get()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.due_at and self.due_at <= self.opens_at:
            errors["due_at"] = _("The due time must be after the opening time.")
        if self.cutoff_at and self.due_at and self.cutoff_at < self.due_at:
            errors["cutoff_at"] = _("The cut-off cannot be before the due time.")
        if self.kind == self.Kind.QUIZ and self.rubric_id:
            errors["rubric"] = _("A quiz is marked by its questions: it takes no rubric.")
        if self.kind == self.Kind.CODE and self.rubric_id:
            errors["rubric"] = _("A code exercise is marked by its tests: it takes no rubric.")
        if errors:
            raise ValidationError(errors)


class GroupDeadline(models.Model):
    """A different timetable for one group (a visiting school comes on other days)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="group_deadlines"
    )
    group = models.ForeignKey("lms.StudyGroup", on_delete=models.CASCADE, related_name="+")
    opens_at = _moment_field(_("opens"), null=True, blank=True)
    due_at = _moment_field(_("due"), null=True, blank=True)
    cutoff_at = _moment_field(_("cut-off"), null=True, blank=True)

    class Meta:
        verbose_name = _("group due date")
        verbose_name_plural = _("group due dates")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "group"], name="one_deadline_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.group}"


class Extension(models.Model):
    """More time for one pupil (illness, a competition trip), in one group: a pupil in two
    groups has two teachers, and each decides only their own group's timetable."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("lms.StudyGroup", on_delete=models.CASCADE, related_name="+")
    due_at = _moment_field(_("due"))
    cutoff_at = _moment_field(_("cut-off"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "pupil", "group"], name="one_extension_per_pupil_and_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.pupil}"
