"""What the site tells a person: their work was graded or returned, new work arrived, a due
date is near. Shown in the site's notification list, and sent by e-mail where there is one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        RELEASED = "released", _("grade released")
        RETURNED = "returned", _("returned for rework")
        SUBMITTED = "submitted", _("new work handed in")
        DUE_SOON = "due_soon", _("due soon")
        EVENT = "event", _("event")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=500, blank=True)
    # What it is about, so the same event never notifies twice (a retried task, a reminder).
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
