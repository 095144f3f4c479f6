"""Files a teacher attaches to a grade (feedback files): a marked-up PDF, a photo of the robot
with notes. The pupil sees them once the grade is released, like the written feedback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeFile(models.Model):
    grade = models.ForeignKey("assessments.Grade", on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), max_length=200)  # a generated name, never the uploader's
    display_name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=16)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("feedback file")
        verbose_name_plural = _("feedback files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name
