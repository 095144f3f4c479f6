"""A contest, its categories, its tasks (with the score sheet's criteria for judged ones) and
its award rules.

A contest is a plain model run from the jury's own pages (contests/setup_views.py): its rules
decide how contests.standings turns runs and sheets into ranks. Times are stored in UTC and
shown in the park's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Contest(models.Model):
    class Kind(models.TextChoices):
        PROGRAMMING = "programming", _("programming contest")
        QUIZ = "quiz", _("quiz olympiad")
        ROBOTICS = "robotics", _("robotics competition")
        PROJECT = "project", _("project contest")

    class Rules(models.TextChoices):
        ICPC = "icpc", _("ICPC: problems solved, then penalty time")
        IOI = "ioi", _("IOI: the sum of the tasks' scores")
        JUDGED = "judged", _("judged: scores from the judges' sheets")

    class Audience(models.TextChoices):
        PARK = "park", _("the park's own pupils")
        SCHOOLS = "schools", _("the park's pupils and chosen schools")
        ALL = "all", _("pupils of every school on the platform")
        OPEN = "open", _("open registration: anyone with an account")

    slug = models.SlugField(_("short name (in addresses)"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    rules = models.CharField(_("rules"), max_length=8, choices=Rules.choices)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: what, for whom, the prizes.")
    )
    audience = models.CharField(
        _("who may take part"), max_length=8, choices=Audience.choices, default=Audience.PARK
    )
    schools = models.ManyToManyField(
        "lms.School", blank=True, related_name="+", verbose_name=_("chosen schools")
    )
    self_registration = models.BooleanField(_("pupils may register themselves"), default=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)

    # The round: a fixed window [starts_at, ends_at) for everyone, or, with window_minutes, an
    # individual window of that many minutes that starts when the participant presses Start
    # inside [starts_at, ends_at) and is cut at ends_at (both lengthened by extra time).
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    window_minutes = models.PositiveIntegerField(
        _("individual window, minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Leave empty for one fixed window for everyone."),
    )
    freeze_minutes = models.PositiveIntegerField(
        _("freeze the public standings for the last minutes"), default=0
    )
    unfrozen_at = models.DateTimeField(_("standings unfrozen"), null=True, blank=True)

    # ICPC
    penalty_minutes = models.PositiveSmallIntegerField(
        _("penalty per rejected run, minutes"), default=20
    )
    compile_error_counts = models.BooleanField(
        _("a compilation error counts as a rejected run"), default=False
    )
    # IOI
    best_per_subtask = models.BooleanField(
        _("a task scores the best result of each subtask over all runs"),
        default=False,
        help_text=_("Off: a task scores its best single run."),
    )

    teams = models.BooleanField(_("participants are teams"), default=False)
    team_size = models.PositiveSmallIntegerField(
        _("largest team"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    practice_after_end = models.BooleanField(
        _("practice after the end (not counted)"), default=True
    )
    appeals_until = models.DateTimeField(_("appeals accepted until"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    # Bumped (F() + 1) by every change that moves the standings: a verdict, a sheet, an appeal,
    # an import. The standings cache is keyed by it, so every web node sees a change at once.
    standings_version = models.PositiveIntegerField(default=0, editable=False)

    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("jury")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="contest_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_individual_windows(self) -> bool:
        return bool(self.window_minutes)

    def freeze_at(self) -> datetime | None:
        """When the public board stops showing new results (None: it never freezes)."""
        if not self.freeze_minutes:
            return None
        return self.ends_at - timedelta(minutes=self.freeze_minutes)


class Category(models.Model):
    """An age or class group with its own standings and awards."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    min_class = models.PositiveSmallIntegerField(
        _("from class"), null=True, blank=True, validators=[MaxValueValidator(11)]
    )
    max_class = models.PositiveSmallIntegerField(
        _("to class"), null=True, blank=True, validators=[MaxValueValidator(11)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="one_category_name")
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One task of the contest: a programming problem, a quiz question (a fixed version, so an
    edit in the bank does not change a running round), or a task the judges score on sheets."""

    class Kind(models.TextChoices):
        PROGRAMMING = "programming", _("programming problem")
        QUIZ = "quiz", _("quiz question")
        JUDGED = "judged", _("judged on score sheets")

    class RunsCount(models.TextChoices):
        BEST = "best", _("the best run counts")
        SUM = "sum", _("the runs are added up")

    class JudgesCombine(models.TextChoices):
        AVERAGE = "average", _("the average of the judges")
        MEDIAN = "median", _("the median of the judges")

    class TieBreak(models.TextChoices):
        RUNS_THEN_TIME = "runs_time", _("the better next run, then the shorter time")
        TIME = "time", _("the shorter time")
        NONE = "none", _("ties are shared")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="tasks")
    label = models.CharField(_("label"), max_length=8, help_text=_("A, B, C… or 1, 2, 3…"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    max_score = models.DecimalField(
        _("points"), max_digits=8, decimal_places=2, default=100
    )  # IOI and judged; an ICPC task is solved or not
    problem = models.ForeignKey(
        "programming.Problem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programming problem"),
    )
    question = models.ForeignKey(
        "quiz.QuestionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quiz question"),
    )
    statement = models.TextField(
        _("statement"), blank=True, help_text=_("Markdown; for judged tasks: the task's rules.")
    )
    # Judged tasks: how many runs (attempts on the field) each participant has, and how they
    # and the judges' sheets combine.
    runs_allowed = models.PositiveSmallIntegerField(
        _("runs per participant"), default=1, validators=[MinValueValidator(1)]
    )
    runs_count = models.CharField(
        _("runs"), max_length=4, choices=RunsCount.choices, default=RunsCount.BEST
    )
    judges_combine = models.CharField(
        _("several judges"), max_length=8, choices=JudgesCombine.choices, default="average"
    )
    tie_break = models.CharField(
        _("ties"), max_length=10, choices=TieBreak.choices, default=TieBreak.RUNS_THEN_TIME
    )
    # A task removed mid-round leaves the standings and takes no more runs; its runs are kept.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["contest", "label"], name="one_task_label")]

    def __str__(self) -> str:
        return f"{self.label}. {self.title}" if self.title else self.label


class Criterion(models.Model):
    """A line of a judged task's score sheet: an item done (points each, up to a count), a
    penalty (points taken each time), or the run's time (seconds, for ties)."""

    class Kind(models.TextChoices):
        ITEM = "item", _("task item")
        PENALTY = "penalty", _("penalty")
        TIME = "time", _("time, seconds")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ITEM)
    points = models.DecimalField(
        _("points each"), max_digits=8, decimal_places=2, default=1
    )  # positive; a penalty subtracts it
    max_count = models.PositiveSmallIntegerField(_("at most"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AwardRule(models.Model):
    """Who gets an award, per category (or in every category): the first rule, in order, whose
    every set condition a participant meets gives its award. A condition left empty is not
    checked: places up to N, a score of at least S (points or a percentage of the maximum),
    within the best P % of the category's participants."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="award_rules")
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_rules",
        verbose_name=_("category"),
        help_text=_("Empty: every category."),
    )
    award = models.CharField(_("award"), max_length=100, help_text=_("«Победитель», «Призёр»"))
    max_place = models.PositiveIntegerField(_("places up to"), null=True, blank=True)
    min_score = models.DecimalField(
        _("score at least"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    min_score_is_percent = models.BooleanField(
        # xgettext:no-python-format
        _("score in % of the maximum"),
        default=False,
    )
    max_share_percent = models.DecimalField(
        # xgettext:no-python-format
        _("within the best, % of participants"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.award
