"""A pupil's attempts at an assignment, with their files, and the grades they receive."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One attempt. A draft may change; once submitted it never does (a new attempt starts
    from a copy of the last one)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        GRADED = "graded", _("graded")
        RETURNED = "returned", _("returned for rework")

    assignment = models.ForeignKey(
        "assessments.Assignment", on_delete=models.PROTECT, related_name="submissions"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    # The group the pupil worked in: who may grade it (a teacher of that group). Kept when the
    # pupil later leaves the group, so their work and grades stay where they were made.
    group = models.ForeignKey("lms.StudyGroup", on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    text = models.TextField(_("text"), blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    late_days = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assignment", "pupil", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "pupil", "attempt"], name="one_row_per_attempt"
            ),
            models.UniqueConstraint(
                fields=["assignment", "pupil"],
                condition=Q(status="draft"),
                name="one_draft_per_pupil",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status"]),
            models.Index(fields=["group", "assignment"]),  # gradebook, "download all"
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.pupil} #{self.attempt}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), max_length=200)  # a generated name, never the pupil's
    display_name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=16)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    thumbnail = models.FileField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name


class Grade(models.Model):
    """The teacher's judgement of one attempt. Kept apart from the submission (Open edX keeps
    overrides in their own audited table); every change leaves a GradeChange."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="grade")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True)
    penalty_percent = models.PositiveSmallIntegerField(_("late penalty, %"), default=0)
    final_points = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    feedback = models.TextField(_("feedback"), blank=True)
    rubric_choices = models.JSONField(default=dict, blank=True)
    is_released = models.BooleanField(_("released to the pupil"), default=False)
    released_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self) -> str:
        return f"{self.submission}: {self.final_points}"


class GradeChange(models.Model):
    """Who changed a grade, when, and from what to what. Never edited or deleted."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="history")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.grade} @ {self.changed_at}"
