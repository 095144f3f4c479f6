"""Password resets are logged: a new password is how an account would be taken over, so the
school admin sees who gave whom a new password, and when. The rows are never edited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordReset(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_resets",
        verbose_name=_("account"),
    )
    # The account's school at the time: the admin of that school reads the log.
    school = models.ForeignKey(
        "lms.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reset by"),
    )
    group = models.ForeignKey(
        "lms.StudyGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the page of the group"),
    )
    reset_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("password reset")
        verbose_name_plural = _("password resets")
        ordering = ["-reset_at", "-pk"]
        indexes = [models.Index(fields=["school", "-reset_at"])]

    def __str__(self) -> str:
        return f"{self.user} ← {self.reset_by} @ {self.reset_at:%Y-%m-%d %H:%M}"
