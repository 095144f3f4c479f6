"""The rules of a contest's tasks, as plain functions: which kinds a contest takes, labels,
which bank problems and questions an organiser may use, what may change once runs or sheets
exist, a judged task's score sheet, and removing a task (deleted before the start, marked
removed mid-round so its runs are kept).

Every write that moves the standings asks for contests.standings.invalidate on commit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from assessments.programming import permissions as problem_permissions
from assessments.programming.models import Problem
from assessments.quiz import permissions as quiz_permissions
from assessments.quiz.models import Question
from assessments.quiz.spec import AUTO_MARKED
from contests import sheet_scores
from contests.models import Appeal, Contest, Criterion, Run, ScoreChange, Sheet, Task
from contests.setup import TASK_KINDS_FOR_RULES, SetupError, Verdict, invalidate_on_commit
from lms.permissions import AnyUser

# A label is part of the task's address (/contests/<slug>/tasks/<label>/): letters and
# digits only, as olympiads write them (A, B, 1, 2, А1).
LABEL = re.compile(r"[0-9A-Za-zА-ЯЁа-яё]{1,8}")
PICK_LIMIT = 30


def task_kinds_for(contest: Contest) -> tuple[str, ...]:
    return TASK_KINDS_FOR_RULES.get(contest.rules, ())


def check_label(contest: Contest, label: str, *, exclude_pk: int | None = None) -> str | None:
    if not LABEL.fullmatch(label or ""):
        return _("A label is up to 8 letters or digits, e.g. A, B, 1, 2.")
    taken = Task.objects.filter(contest=contest, label__iexact=label)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return _("The contest already has a task %(label)s.") % {"label": label}
    return None


def next_label(contest: Contest) -> str:
    """A, B, C… after the last letter used (1, 2, 3… after a number)."""
    labels = list(Task.objects.filter(contest=contest).values_list("label", flat=True))
    if not labels:
        return "A"
    last = labels[-1]
    if last.isdigit():
        return str(int(last) + 1)
    if len(last) == 1 and "A" <= last < "Z":
        candidate = chr(ord(last) + 1)
        if candidate not in labels:
            return candidate
    return ""


# --- What the bank offers an organiser ------------------------------------------------------


def usable_problems_q(user: AnyUser) -> Q:
    """Published problems of the park-wide archive and of the courses whose problems the user
    edits (a contest belongs to no course)."""
    editable = problem_permissions.editable_problems_q(user)
    if not editable:  # an empty Q: every course's problems (ORed, it would vanish)
        return Q(is_published=True)
    return Q(is_published=True) & (Q(course__isnull=True) | editable)


def usable_problems(user: AnyUser, query: str = "") -> list[Problem]:
    found = Problem.objects.filter(usable_problems_q(user)).select_related("course")
    if query:
        found = found.filter(title__icontains=query[:100])
    return list(found.order_by("title", "pk")[:PICK_LIMIT])


def usable_questions_q(user: AnyUser) -> Q:
    """Questions of the park-wide bank and of the banks the user edits, not archived, that
    are marked automatically (an essay has no one to mark it during a round)."""
    usable = Q(
        is_archived=False, latest__isnull=False, latest__qtype__in=[str(t) for t in AUTO_MARKED]
    )
    editable = quiz_permissions.editable_questions_q(user)
    if not editable:  # an empty Q: every bank (ORed, it would vanish)
        return usable
    return usable & (Q(category__course__isnull=True) | editable)


def usable_questions(user: AnyUser, query: str = "") -> list[Question]:
    found = Question.objects.filter(usable_questions_q(user)).select_related("latest", "category")
    if query:
        found = found.filter(
            Q(latest__title__icontains=query[:100]) | Q(latest__text__icontains=query[:100])
        )
    return list(found.order_by("latest__title", "pk")[:PICK_LIMIT])


# --- What has happened on a task ------------------------------------------------------------


@dataclass(frozen=True)
class TaskFacts:
    runs: int = 0  # every run, practice included: they were judged on this task's settings
    sheets: int = 0
    last_sheet_run: int = 0  # the highest run number a sheet has
    appeals: int = 0
    score_changes: int = 0

    @property
    def has_results(self) -> bool:
        return bool(self.runs or self.sheets or self.appeals or self.score_changes)


def task_facts(task: Task) -> TaskFacts:
    sheets = Sheet.objects.filter(task=task).aggregate(n=Count("pk"), last=Max("run_number"))
    return TaskFacts(
        runs=Run.objects.filter(task=task).count(),
        sheets=sheets["n"],
        last_sheet_run=sheets["last"] or 0,
        appeals=Appeal.objects.filter(task=task).count(),
        score_changes=ScoreChange.objects.filter(task=task).count(),
    )


def check_task(
    task: Task, *, before: Task | None, contest: Contest, facts: TaskFacts, now: datetime
) -> Verdict:
    """A task's new values (unsaved) against its stored ones and what it has."""
    verdict = Verdict()
    if task.kind not in task_kinds_for(contest):
        verdict.error("kind", _("Tasks of this kind do not fit the contest's rules."))
    if task.max_score is not None and task.max_score <= 0:
        verdict.error("max_score", _("A task is worth more than 0 points."))
    if before is None:
        return verdict
    if task.kind != before.kind and facts.has_results:
        verdict.error("kind", _("The task has runs: its kind can no longer change."))
    if task.max_score != before.max_score and (facts.runs or facts.score_changes):
        # Runs' scores are stored in the task's points.
        verdict.error(
            "max_score", _("The task has runs: its points can no longer change (runs keep theirs).")
        )
    if task.problem_id != before.problem_id and facts.runs:
        verdict.error(
            "problem", _("The task has runs: they were judged on this problem, it stays.")
        )
    if task.question_id != before.question_id and facts.runs:
        verdict.error("question", _("The task has answers: they were marked on this question."))
    if task.runs_allowed < facts.last_sheet_run:
        verdict.error(
            "runs_allowed",
            _("Sheets of run %(n)d are filled: the runs cannot be fewer.")
            % {"n": facts.last_sheet_run},
        )
    judging = ("runs_count", "judges_combine", "tie_break")
    if facts.sheets and any(getattr(task, n) != getattr(before, n) for n in judging):
        verdict.warnings.append(
            _("Sheets are filled: the standings are recounted with the new rule.")
        )
    if task.label != before.label and now >= contest.starts_at:
        verdict.warnings.append(
            _("The round has started: the task's address changes with its label.")
        )
    return verdict


# --- A judged task's score sheet ------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    """A line of the sheet as the form gives it (pk None: a new line)."""

    pk: int | None
    name: str
    kind: str
    points: Decimal
    max_count: int


def check_criteria(
    rows: Sequence[CriterionRow], *, stored: Sequence[Criterion], has_sheets: bool
) -> list[str]:
    """Errors of the sheet as a whole: one time line at most; once sheets are filled, only
    the names may change (the sheets' counts and scores were made on these lines)."""
    errors = []
    if sum(1 for row in rows if row.kind == Criterion.Kind.TIME) > 1:
        errors.append(_("A sheet has at most one time line."))
    for row in rows:
        if row.kind != Criterion.Kind.TIME and row.points <= 0:
            errors.append(
                _("«%(name)s»: points must be above 0 (a penalty takes them off).")
                % {"name": row.name}
            )
        if row.max_count < 1:
            errors.append(_("«%(name)s»: “at most” starts from 1.") % {"name": row.name})
    if has_sheets:
        before = {c.pk: (c.kind, Decimal(c.points), c.max_count) for c in stored}
        after = {row.pk: (row.kind, Decimal(row.points), row.max_count) for row in rows}
        if before != after:
            errors.append(
                _("Sheets are filled: lines can only be renamed, not added, removed or recounted.")
            )
    return errors


def sheet_max(task: Task, criteria: Sequence[Criterion]) -> Decimal:
    """A judged task's points: the best possible sheet, times the runs when they add up."""
    specs = [
        sheet_scores.CriterionSpec(c.pk or 0, c.kind, Decimal(c.points), c.max_count)
        for c in criteria
    ]
    best = sheet_scores.max_sheet_score(specs)
    return best * task.runs_allowed if task.runs_count == Task.RunsCount.SUM else best


# --- Adding, ordering, removing -------------------------------------------------------------


def add_task(contest: Contest, *, label: str, title: str, kind: str, max_score: Decimal) -> Task:
    if kind not in task_kinds_for(contest):
        raise SetupError(_("Tasks of this kind do not fit the contest's rules."))
    problem = check_label(contest, label)
    if problem:
        raise SetupError(problem)
    with transaction.atomic():
        last = Task.objects.filter(contest=contest).aggregate(m=Max("order"))["m"]
        order = 0 if last is None else last + 1
        task = Task.objects.create(
            contest=contest, label=label, title=title, kind=kind, max_score=max_score, order=order
        )
        invalidate_on_commit(contest.pk)
    return task


def move_task(task: Task, step: int) -> None:
    """Swap the task with its neighbour above (-1) or below (+1); the order is renumbered."""
    with transaction.atomic():
        tasks = list(
            Task.objects.select_for_update()
            .filter(contest_id=task.contest_id)
            .order_by("order", "pk")
        )
        here = next(i for i, t in enumerate(tasks) if t.pk == task.pk)
        there = here + step
        if not 0 <= there < len(tasks):
            return
        tasks[here], tasks[there] = tasks[there], tasks[here]
        for order, row in enumerate(tasks):
            if row.order != order:
                Task.objects.filter(pk=row.pk).update(order=order)
        invalidate_on_commit(task.contest_id)


def removal_deletes(task: Task, facts: TaskFacts, now: datetime) -> bool:
    """Before the start a task without results is simply deleted; else it is marked removed."""
    return now < task.contest.starts_at and not facts.has_results


def remove_task(task: Task, now: datetime) -> str:
    """ "deleted" or "removed" (already removed: "removed" again, nothing changes)."""
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("contest").get(pk=task.pk)
        if removal_deletes(task, task_facts(task), now):
            task.delete()
            result = "deleted"
        else:
            Task.objects.filter(pk=task.pk, removed_at__isnull=True).update(removed_at=now)
            result = "removed"
        invalidate_on_commit(task.contest_id)
    return result


def restore_task(task: Task) -> None:
    with transaction.atomic():
        Task.objects.filter(pk=task.pk).update(removed_at=None)
        invalidate_on_commit(task.contest_id)


# --- A quiz task's question version ---------------------------------------------------------


def newer_version(task: Task) -> int | None:
    """The newest version's number when the task holds an older one."""
    if task.question_id is None:
        return None
    latest = task.question.question.latest
    if latest is None or latest.pk == task.question_id:
        return None
    return latest.number


def take_newest_version(task: Task, now: datetime) -> None:
    contest = task.contest
    if now >= contest.starts_at or Run.objects.filter(task=task).exists():
        raise SetupError(_("The round has started: the task keeps the version it was shown in."))
    latest = task.question.question.latest if task.question_id else None
    if latest is None:
        raise SetupError(_("The task has no question yet."))
    with transaction.atomic():
        Task.objects.filter(pk=task.pk).update(question=latest)
        invalidate_on_commit(contest.pk)
    task.question = latest
