"""Invite codes: a teacher hands out a code, link or QR code; a pupil who opens it joins."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invite(models.Model):
    group = models.ForeignKey(
        "lms.StudyGroup", on_delete=models.CASCADE, related_name="invites", verbose_name=_("group")
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    expires_at = models.DateTimeField(_("valid until"))
    max_uses = models.PositiveIntegerField(_("how many pupils may join"))
    uses = models.PositiveIntegerField(_("times used"), default=0)
    is_revoked = models.BooleanField(_("revoked"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uses__lte=models.F("max_uses")), name="invite_uses_within_limit"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_used_up(self) -> bool:
        return self.uses >= self.max_uses

    def is_usable(self, now=None) -> bool:
        return not (self.is_revoked or self.is_used_up or self.is_expired(now))


class InviteUse(models.Model):
    """Who joined with which invite: the log a teacher reads, and what makes joining twice
    harmless (one row per invite and pupil)."""

    invite = models.ForeignKey(
        Invite, on_delete=models.CASCADE, related_name="used_by", verbose_name=_("invite")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pupil"),
    )
    used_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("invite use")
        verbose_name_plural = _("invite uses")
        constraints = [models.UniqueConstraint(fields=["invite", "user"], name="one_use_per_pupil")]

    def __str__(self) -> str:
        return f"{self.user} — {self.invite}"
