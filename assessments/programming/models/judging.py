"""A submitted solution (one attempt of the assignment) and each test's verdict."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.programming.spec import Verdict

VERDICTS = [
    (Verdict.OK, _("accepted")),
    (Verdict.WA, _("wrong answer")),
    (Verdict.PE, _("presentation error")),
    (Verdict.TLE, _("time limit exceeded")),
    (Verdict.MLE, _("memory limit exceeded")),
    (Verdict.OLE, _("output limit exceeded")),
    (Verdict.RE, _("runtime error")),
    (Verdict.CE, _("compilation error")),
    (Verdict.SE, _("forbidden action")),
    (Verdict.IE, _("judge error")),
]


class CodeSubmission(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("judged")

    submission = models.OneToOneField(
        "assessments.Submission",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="code",
    )
    exercise = models.ForeignKey(
        "programming.CodeExercise", on_delete=models.PROTECT, related_name="submissions"
    )
    language = models.ForeignKey(
        "programming.ProgrammingLanguage", on_delete=models.PROTECT, related_name="+"
    )
    source = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    verdict = models.CharField(max_length=4, choices=VERDICTS, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    tests_passed = models.PositiveIntegerField(default=0)
    tests_total = models.PositiveIntegerField(default=0)
    compile_output = models.TextField(blank=True)
    problem_revision = models.PositiveIntegerField(default=0)
    # A worker claims a submission with a token; only the holder's result is written. A worker
    # that dies leaves the claim to go stale, and the submission is queued again.
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    judge_runs = models.PositiveSmallIntegerField(default=0)  # claims so far (gives up at a cap)
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code submission")
        verbose_name_plural = _("code submissions")
        indexes = [models.Index(fields=["state", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.submission} [{self.verdict or self.state}]"


class JudgedTest(models.Model):
    code_submission = models.ForeignKey(
        CodeSubmission, on_delete=models.CASCADE, related_name="tests"
    )
    test = models.ForeignKey(
        "programming.ProblemTest", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    index = models.PositiveIntegerField()
    is_example = models.BooleanField(default=False)
    subtask = models.PositiveSmallIntegerField(default=0)
    verdict = models.CharField(max_length=4, choices=VERDICTS)
    time_s = models.FloatField(default=0)
    memory_kb = models.PositiveIntegerField(default=0)
    exit_signal = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the pupil may see: for examples the output and a hint; for hidden tests nothing.
    output_excerpt = models.TextField(blank=True)
    message = models.TextField(blank=True)  # stderr excerpt, checker comment (teachers)

    class Meta:
        ordering = ["code_submission", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_submission", "index"], name="one_verdict_per_test"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_submission_id}/{self.index}: {self.verdict}"
