"""A problem as olympiad problems are authored: statement, limits, languages with their own time
limits and starter code, tests (examples shown, the rest hidden) in subtasks or with points of
their own, a comparison or a checker, and reference solutions judged before it is published."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.programming.spec import Comparison, Scoring


class Problem(models.Model):
    class Reference(models.TextChoices):
        UNCHECKED = "unchecked", _("not checked yet")
        PASSED = "passed", _("the reference solutions pass every test")
        FAILED = "failed", _("a reference solution fails")

    # None: the park-wide archive, for every course; else the course's own problems.
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(
        _("statement"), blank=True, help_text=_("Markdown; formulas between $ signs.")
    )
    time_limit_s = models.DecimalField(
        _("time limit, s"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("30"))],
    )
    memory_limit_mb = models.PositiveIntegerField(
        _("memory limit, MB"),
        default=256,
        validators=[MinValueValidator(16), MaxValueValidator(2048)],
    )
    output_limit_kb = models.PositiveIntegerField(
        _("output limit, KB"),
        default=1024,
        validators=[MinValueValidator(1), MaxValueValidator(65536)],
    )
    comparison = models.CharField(
        _("comparison"),
        max_length=12,
        choices=[
            (Comparison.EXACT, _("exactly")),
            (Comparison.TRAILING, _("ignoring trailing spaces and blank lines")),
            (Comparison.TOKENS, _("by words and numbers")),
            (Comparison.FLOAT, _("numbers within a tolerance")),
            (Comparison.CHECKER, _("by a checker program")),
        ],
        default=Comparison.TRAILING,
    )
    float_tolerance = models.FloatField(_("tolerance"), default=1e-6)
    checker = models.TextField(
        _("checker (Python)"),
        blank=True,
        help_text=_(
            "Run in the sandbox as `checker.py input.txt output.txt answer.txt`. "
            "Exit 0: right; 1: wrong answer; 2: presentation error; anything else: judge error."
        ),
    )
    scoring = models.CharField(
        _("scoring"),
        max_length=16,
        choices=[
            (Scoring.PER_TEST, _("points for each test")),
            (Scoring.SUBTASKS, _("subtasks (all tests of a subtask must pass)")),
            (Scoring.ALL_OR_NOTHING, _("all or nothing")),
        ],
        default=Scoring.PER_TEST,
    )
    is_published = models.BooleanField(_("published"), default=False)
    reference = models.CharField(
        max_length=12, choices=Reference.choices, default=Reference.UNCHECKED, editable=False
    )
    reference_report = models.JSONField(default=list, blank=True, editable=False)
    # Bumped whenever tests or limits change: a submission judged on an older version may be
    # rejudged.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programming problem")
        verbose_name_plural = _("programming problems")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class ProblemLanguage(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(
        "programming.ProgrammingLanguage", on_delete=models.PROTECT, related_name="+"
    )
    time_limit_s = models.DecimalField(
        _("time limit, s"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("30"))],
        help_text=_("Empty: the problem's time limit."),
    )
    starter_code = models.TextField(_("starter code"), blank=True)
    reference_solution = models.TextField(_("reference solution"), blank=True)

    class Meta:
        verbose_name = _("problem language")
        verbose_name_plural = _("problem languages")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "language"], name="one_row_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.problem} — {self.language_id}"


class Subtask(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="subtasks")
    index = models.PositiveSmallIntegerField()  # 0-based, in order
    title = models.CharField(_("title"), max_length=200, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("subtask")
        verbose_name_plural = _("subtasks")
        ordering = ["problem", "index"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "index"], name="one_subtask_per_index")
        ]

    def __str__(self) -> str:
        return self.title or str(self.index + 1)


class ProblemTest(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="tests")
    index = models.PositiveIntegerField()  # 0-based, in order
    name = models.CharField(max_length=40, blank=True)  # "01" as in the package
    input = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    is_example = models.BooleanField(_("example (shown to pupils)"), default=False)
    subtask = models.ForeignKey(
        Subtask, on_delete=models.SET_NULL, null=True, blank=True, related_name="tests"
    )
    points = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        ordering = ["problem", "index"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "index"], name="one_test_per_index")
        ]

    def __str__(self) -> str:
        return self.name or str(self.index + 1)
