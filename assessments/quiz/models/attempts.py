"""A quiz attempt is a Submission (the gradebook, queue, dates and attempts rules are the
assignment's) with its questions: which version each position holds, the shuffled order of its
answers, the pupil's response, and the mark. Nothing here is deleted by editing the quiz."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuizAttempt(models.Model):
    class ClosedBy(models.TextChoices):
        PUPIL = "pupil", _("handed in by the pupil")
        TIME = "time", _("closed when the time was up")
        TEACHER = "teacher", _("closed by the teacher")

    submission = models.OneToOneField(
        "assessments.Submission",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="quiz_attempt",
    )
    quiz = models.ForeignKey("quiz.Quiz", on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField(_("started"))
    # The moment the server closes it: the time limit from the start, never past the cut-off.
    deadline_at = models.DateTimeField(_("time is up at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    closed_by = models.CharField(max_length=8, choices=ClosedBy.choices, blank=True)
    seed = models.BigIntegerField()  # the draw and the shuffles follow from it: stable

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        indexes = [models.Index(fields=["finished_at", "deadline_at"])]

    def __str__(self) -> str:
        return str(self.submission)


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField()  # 1.. in the order the pupil sees them
    slot_number = models.PositiveSmallIntegerField()  # the quiz slot it was drawn for
    version = models.ForeignKey("quiz.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    max_mark = models.DecimalField(max_digits=6, decimal_places=2)
    # Indexes into the version's answers in the order shown; for matching also the right items.
    order = models.JSONField(default=dict)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)  # automatic; None: not (yet) marked
    state = models.CharField(max_length=16, blank=True)  # marking.Mark.state
    manual_mark = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_question_per_position"
            )
        ]
        indexes = [models.Index(fields=["version"])]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.position}"


class MarkChange(models.Model):
    """A teacher's change of one question's mark (an override or an essay's mark), or a regrade's:
    who, when, from what to what. Never edited or deleted; the attempt's total then changes
    through assessments.grading, which records its own GradeChange."""

    question = models.ForeignKey(AttemptQuestion, on_delete=models.PROTECT, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    regrade = models.ForeignKey(
        "quiz.Regrade", on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.question} @ {self.changed_at}"


class Regrade(models.Model):
    """All attempts of a quiz marked again (after a question was fixed); its changes list what
    moved."""

    quiz = models.ForeignKey("quiz.Quiz", on_delete=models.PROTECT, related_name="regrades")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)
    to_latest = models.BooleanField(default=False)  # questions moved to their latest version
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-done_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.quiz} @ {self.done_at}"
