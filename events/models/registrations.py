"""Who comes to an event: one Registration per person (a teacher registering a group makes one
per pupil, sharing a batch), its place in the waiting list, and the check-in marks.

A place is held by a registration that is confirmed or offered (a freed place offered to the
first on the waiting list, until its offer expires). EventState is the row every change of
places locks first, so capacity holds under concurrency, and it remembers what registrants were
last told of the time and place, so a change is announced once."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models.pages import EventPage

# Statuses of a registration that still counts (for the one-per-person rule and the lists).
ACTIVE_STATUSES = ("unconfirmed", "pending", "confirmed", "waiting", "offered")


def new_code() -> str:
    """The registration's secret: its QR check-in code and a guest's link."""
    return secrets.token_urlsafe(18)


class EventState(models.Model):
    event = models.OneToOneField(
        EventPage, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    # Bumped by every transaction that changes places: the UPDATE takes the row lock (also on
    # SQLite, where it takes the database's write lock), so two registrations cannot both
    # count the last free place.
    version = models.PositiveIntegerField(default=0)
    told_starts_at = models.DateTimeField(null=True, blank=True)
    told_ends_at = models.DateTimeField(null=True, blank=True)
    told_place = models.CharField(max_length=600, blank=True)
    changes_told = models.PositiveIntegerField(default=0)
    cancellation_told = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event state")

    def __str__(self) -> str:
        return f"state of event {self.event_id}"


class Registration(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("e-mail not confirmed yet")
        PENDING = "pending", _("awaiting the organisers")
        CONFIRMED = "confirmed", _("registered")
        WAITING = "waiting", _("on the waiting list")
        OFFERED = "offered", _("offered a place")
        CANCELLED = "cancelled", _("cancelled")
        REJECTED = "rejected", _("declined by the organisers")
        EXPIRED = "expired", _("offer expired")

    class Category(models.TextChoices):
        PUPIL = "pupil", _("pupil")
        TEACHER = "teacher", _("teacher")

    class Source(models.TextChoices):
        SELF = "self", _("registered themselves")
        TEACHER = "teacher", _("registered by a teacher")
        GUEST = "guest", _("visitor without an account")
        WALK_IN = "walk_in", _("came without registering")

    ACTIVE = ACTIVE_STATUSES
    HOLDS_PLACE = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(
        EventPage, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    # Kept as given, so the report and the certificate stay true if the account goes.
    full_name = models.CharField(_("name"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    school = models.ForeignKey(
        "lms.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    school_class = models.PositiveSmallIntegerField(_("class"), null=True, blank=True)
    source = models.CharField(_("how registered"), max_length=10, choices=Source.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations_made",
    )
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(_("came"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False, status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(source="guest", status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_guest_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["registered_by", "event"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDS_PLACE


class CheckIn(models.Model):
    """One mark made on the check-in list, kept as made: marks made offline arrive later, each
    with the id the phone gave it, so a replayed batch never counts twice."""

    class Action(models.TextChoices):
        ARRIVED = "in", _("came")
        UNDONE = "undo", _("mark undone")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="marks")
    action = models.CharField(max_length=4, choices=Action.choices)
    client_id = models.UUIDField(unique=True)
    marked_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in mark")
        ordering = ["marked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.registration_id} {self.marked_at:%Y-%m-%d %H:%M}"
