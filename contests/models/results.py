"""What the standings are computed from, never typed in: runs (judged programs, marked quiz
answers, imported rows), the judges' sheets, and the jury's audited score changes (appeals);
and the awards given when the results are published.

Scores are kept unrounded (10 decimal places, far below any difference that matters) and
rounded only for display; ties are decided on the stored values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contests.models.contests import Category, Contest, Task
from contests.models.participants import Participant

SCORE = {"max_digits": 24, "decimal_places": 10}

# Verdicts as ejudge, Yandex Contest and DOMjudge name them; the judge's own (spec.Verdict)
# are a subset. PENDING: not judged yet (or hidden by the freeze).
VERDICTS = [
    ("OK", _("accepted")),
    ("WA", _("wrong answer")),
    ("TLE", _("time limit exceeded")),
    ("MLE", _("memory limit exceeded")),
    ("RTE", _("run-time error")),
    ("OLE", _("output limit exceeded")),
    ("PE", _("presentation error")),
    ("CE", _("compilation error")),
    ("IE", _("judge error")),
    ("SV", _("security violation")),
    ("PT", _("partial solution")),
]


class Run(models.Model):
    """One attempt at a task: a program (judged by the task workers), a quiz answer (marked
    at once), or a row imported from a round held elsewhere."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the judge")
        RUNNING = "running", _("being judged")
        DONE = "done", _("judged")

    class Source(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        IMPORTED = "imported", _("imported")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="runs")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="runs")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="runs")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    # Contest time: seconds since this participant's start (penalty and freeze count it).
    time_seconds = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SUBMITTED)
    is_practice = models.BooleanField(default=False)  # after the end: shown, never counted

    language = models.ForeignKey(
        "programming.ProgrammingLanguage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.TextField(blank=True)
    answer = models.JSONField(null=True, blank=True)  # a quiz response (marking.valid_response)

    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    verdict = models.CharField(max_length=4, choices=VERDICTS, blank=True)
    score = models.DecimalField(**SCORE, null=True, blank=True)  # of the task's max_score
    # IOI best-per-subtask: the points earned on each subtask, in the task's points.
    subtask_scores = models.JSONField(default=list, blank=True)
    tests_passed = models.PositiveIntegerField(default=0)
    tests_total = models.PositiveIntegerField(default=0)
    compile_output = models.TextField(blank=True)
    details = models.JSONField(default=list, blank=True)  # per test: verdict, time, memory
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    judge_runs = models.PositiveSmallIntegerField(default=0)
    judged_at = models.DateTimeField(null=True, blank=True)
    # An imported row's identity, so importing the same file twice adds nothing.
    import_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ["time_seconds", "pk"]
        indexes = [
            models.Index(fields=["contest", "is_practice"]),
            models.Index(fields=["participant", "task", "time_seconds"]),
            models.Index(fields=["state", "claimed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "import_key"],
                condition=~Q(import_key=""),
                name="one_imported_run",
            )
        ]

    def __str__(self) -> str:
        return f"run {self.pk} {self.verdict or self.state}"


class Sheet(models.Model):
    """One judge's score sheet for one run (attempt on the field) of a judged task: the count
    of each criterion and the run's time. Its score is computed (contests.sheets), never typed."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="sheets")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sheets")
    run_number = models.PositiveSmallIntegerField(_("run"))
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("judge"),
    )
    counts = models.JSONField(_("counts"), default=dict)  # {criterion id: count}
    time_seconds = models.DecimalField(
        _("time, seconds"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    score = models.DecimalField(**SCORE)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["participant", "task", "run_number", "judge"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "participant", "run_number", "judge"], name="one_sheet_per_judge"
            )
        ]

    def __str__(self) -> str:
        return f"sheet {self.task_id}/{self.participant_id}/{self.run_number}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the jury")
        # In context: the plain msgid "granted" is lms.Grant's field ("дата открытия доступа").
        GRANTED = "granted", pgettext_lazy("appeal status", "granted")
        REJECTED = "rejected", _("rejected")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="appeals")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="appeals")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("what is wrong"), max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    answer = models.TextField(_("the jury's answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["filed_at", "pk"]
        constraints = [
            # contests.appeals.file_appeal keeps to one pending appeal per task under a row
            # lock; the database holds it too, whatever writes.
            models.UniqueConstraint(
                fields=["participant", "task"],
                condition=models.Q(status="pending"),
                name="contests_one_pending_appeal_per_task",
            )
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk}"


class ScoreChange(models.Model):
    """The jury changes a result (an appeal granted, a run judged again by hand), never by
    editing it silently: IOI and judged tasks get a new task score (the latest change of a
    (participant, task) replaces what the runs and sheets give); ICPC gets a run's verdict
    changed (`run`, with the verdicts before and after; the run row is updated too). Rows are
    never edited or deleted: the list is the audit trail."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="score_changes"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="score_changes")
    score_before = models.DecimalField(**SCORE, null=True, blank=True)
    score = models.DecimalField(_("new score"), **SCORE, null=True, blank=True)
    run = models.ForeignKey(
        Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="score_changes"
    )
    verdict_before = models.CharField(max_length=4, choices=VERDICTS, blank=True)
    verdict = models.CharField(_("new verdict"), max_length=4, choices=VERDICTS, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    appeal = models.ForeignKey(
        Appeal, on_delete=models.SET_NULL, null=True, blank=True, related_name="score_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.task_id}: {self.score_before} → {self.score}"


class Award(models.Model):
    """The award a participant won, fixed when the jury publishes the results (the diploma
    is an events.Certificate issued from it)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="award")
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True)
    award = models.CharField(_("award"), max_length=100, blank=True)  # blank: participation
    rank = models.PositiveIntegerField(
        pgettext_lazy("contest result", "place"), null=True, blank=True
    )
    rank_to = models.PositiveIntegerField(null=True, blank=True)  # a shared place: 3–5
    score = models.DecimalField(**SCORE, null=True, blank=True)
    certificate = models.ForeignKey(
        "events.Certificate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return self.award or "participation"
