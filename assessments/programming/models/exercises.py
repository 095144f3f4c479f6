"""An exercise is an assignment of kind code: its problem, its penalty for wrong submissions,
the pupil's autosaved draft and the runs that are not counted (examples, own input)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeExercise(models.Model):
    assignment = models.OneToOneField(
        "assessments.Assignment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="code_exercise",
    )
    problem = models.ForeignKey(
        "programming.Problem",
        on_delete=models.PROTECT,  # pupils' submissions are judged against it
        null=True,
        blank=True,
        related_name="exercises",
        verbose_name=_("problem"),
    )
    wrong_submission_penalty = models.PositiveSmallIntegerField(
        _("penalty per wrong submission, %"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Taken off for each earlier submission that was not fully right."),
    )

    class Meta:
        verbose_name = _("code exercise")
        verbose_name_plural = _("code exercises")

    def __str__(self) -> str:
        return str(self.assignment)


class CodeDraft(models.Model):
    """What the pupil is writing, saved as they type (one per pupil and exercise)."""

    exercise = models.ForeignKey(CodeExercise, on_delete=models.CASCADE, related_name="drafts")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey(
        "programming.ProgrammingLanguage", on_delete=models.PROTECT, related_name="+"
    )
    source = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "pupil"], name="one_code_draft_per_pupil")
        ]

    def __str__(self) -> str:
        return f"{self.exercise} — {self.pupil_id}"


class CodeRun(models.Model):
    """ "Run on the examples" or "Run with my input": judged in the sandbox, never counted."""

    class Kind(models.TextChoices):
        EXAMPLES = "examples", _("examples")
        CUSTOM = "custom", _("own input")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    exercise = models.ForeignKey(CodeExercise, on_delete=models.CASCADE, related_name="runs")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey(
        "programming.ProgrammingLanguage", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.TextField()
    input = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    results = models.JSONField(default=list, blank=True)  # one entry per example, or one
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["pupil", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
