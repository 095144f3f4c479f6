"""A certificate: participation in an event, or a contest's diploma (the contests app issues
its own through the same model). The PDF is drawn from these fields whenever it is asked for;
the verification code is what the QR on it and the public check page carry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("certificate of participation")
        DIPLOMA = "diploma", _("diploma")

    code = models.CharField(_("verification code"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("event or contest"), max_length=300)
    award = models.CharField(_("award"), max_length=200, blank=True)
    holder_name = models.CharField(_("name"), max_length=300)
    # What a public page may show of a child: first name and initial (and the school).
    holder_public_name = models.CharField(_("name shown publicly"), max_length=200)
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    hours = models.DecimalField(
        _("academic hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    held_on = models.CharField(_("dates"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    # What it was issued for ("event-registration:42"), so issuing twice gives the same one.
    source_key = models.CharField(max_length=100, unique=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.holder_public_name}"
