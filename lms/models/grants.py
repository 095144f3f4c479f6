"""Cross-school access: a school admin lets a named teacher of another school see a named group
(for a joint event). Every grant and revocation is kept: the rows are the log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CrossSchoolGrant(models.Model):
    group = models.ForeignKey(
        "lms.StudyGroup",
        on_delete=models.CASCADE,
        related_name="cross_school_grants",
        verbose_name=_("group"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cross_school_grants",
        verbose_name=_("teacher"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("cross-school access")
        verbose_name_plural = _("cross-school access")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "teacher"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_teacher_and_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.group}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
