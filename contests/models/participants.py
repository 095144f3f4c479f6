"""Who takes part: a Participant (a pupil, or a team of pupils) in one category, its members'
accounts, and the judges with the categories and tasks they score.

A participant without an account (a round held at a school with personal codes, or one
imported from a round held elsewhere) has no members: it is reached by its code."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contests.models.contests import Category, Contest, Task

# Participant codes avoid letters and digits a child confuses on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Participant(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("registered themselves")
        TEACHER = "teacher", _("registered by a teacher")
        CODE = "code", _("participant code")
        IMPORT = "import", _("imported")
        JURY = "jury", _("added by the jury")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("category"),
    )
    # The full name (the jury's); the public standings show contests.names.public_name of it.
    name = models.CharField(pgettext_lazy("contest participant", "name"), max_length=300)
    team_name = models.CharField(_("team"), max_length=200, blank=True)
    school = models.ForeignKey(
        "lms.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    class_number = models.PositiveSmallIntegerField(_("class"), null=True, blank=True)
    # The personal code (the Sirius pattern: typed in at the school on the day) and, for an
    # imported participant, the name the other system knew it by.
    code = models.CharField(_("participant code"), max_length=20)
    external_id = models.CharField(_("name in the imported file"), max_length=200, blank=True)
    source = models.CharField(_("how registered"), max_length=8, choices=Source.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    # Individual windows: when Start was pressed. Extra time lengthens the window (and, for
    # a fixed window, this participant's end).
    started_at = models.DateTimeField(
        pgettext_lazy("contest participant", "started"), null=True, blank=True
    )
    extra_minutes = models.PositiveIntegerField(_("extra time, minutes"), default=0)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    is_out_of_competition = models.BooleanField(_("out of competition"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["contest", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="one_participant_code"),
            models.UniqueConstraint(
                fields=["contest", "external_id"],
                condition=~Q(external_id=""),
                name="one_imported_participant",
            ),
        ]

    def __str__(self) -> str:
        return self.team_name or self.name


class Member(models.Model):
    """An account taking part as (or in) a participant: one participation per person."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_memberships"
    )

    class Meta:
        verbose_name = _("team member")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="one_participation_each")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.participant_id}"


class JudgeAssignment(models.Model):
    """A judge may fill sheets of this contest: of one category or all, one task or all."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user", "category", "task"],
                name="one_judge_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"judge {self.user_id} of {self.contest_id}"
