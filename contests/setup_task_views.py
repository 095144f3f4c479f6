"""The organisers' pages of a contest's tasks: the list (add, order) and one task (its
settings; a programming problem or a quiz question chosen from the bank; a judged task's score
sheet; removing it). Organisers only. Rules live in contests.setup_tasks."""

from __future__ import annotations

from copy import copy
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.programming.models import Problem
from assessments.quiz.admin.question_forms import qtype_label
from assessments.quiz.models import Question
from contests import permissions
from contests import setup_tasks as rules
from contests.models import Contest, Criterion, Run, Task
from contests.setup import SetupError, invalidate_on_commit
from contests.setup_task_forms import CriterionFormSet, NewTaskForm, TaskForm
from events.certificates import park_zone


def _id(value) -> int:
    """A row id posted by a form: digits within the database's range, else 0 (no row)."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return 0


def _task_or_404(contest: Contest, pk: int) -> Task:
    task = (
        Task.objects.filter(contest=contest, pk=pk)
        .select_related("problem__course", "question__question__latest")
        .first()
    )
    if task is None:
        raise Http404
    task.contest = contest
    return task


# --- The list -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def setup_tasks(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    form = NewTaskForm(contest=contest)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            form = NewTaskForm(request.POST, contest=contest)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    task = rules.add_task(
                        contest,
                        label=data["label"],
                        title=data["title"],
                        kind=data["kind"],
                        max_score=data.get("max_score") or Decimal(100),
                    )
                except SetupError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Task %(label)s is added.") % {"label": task.label})
                    return redirect("contests:setup_task", contest.slug, task.pk)
            status = 400
        elif action in ("up", "down"):
            task = Task.objects.filter(contest=contest, pk=_id(request.POST.get("task"))).first()
            if task is not None:
                rules.move_task(task, -1 if action == "up" else 1)
            return redirect("contests:setup_tasks", contest.slug)
        else:
            messages.error(request, _("Unknown action."))
            return redirect("contests:setup_tasks", contest.slug)
    tasks = list(
        Task.objects.filter(contest=contest)
        .select_related("problem", "question")
        .annotate(criteria_count=Count("criteria"))
        .order_by("order", "pk")
    )
    runs = dict(
        Run.objects.filter(contest=contest)
        .values("task_id")
        .annotate(n=Count("pk"))
        .values_list("task_id", "n")
    )
    for task in tasks:
        task.run_count = runs.get(task.pk, 0)
    return render(
        request,
        "contests/setup/tasks.html",
        {"contest": contest, "tasks": tasks, "form": form, "park_zone": park_zone()},
        status=status,
    )


# --- One task -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def setup_task(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    task = _task_or_404(contest, pk)
    now = timezone.now()
    action = request.POST.get("action") if request.method == "POST" else None
    here = redirect("contests:setup_task", contest.slug, task.pk)
    if action == "choose":
        _choose(request, contest, task, now)
        return here
    if action == "newest_version":
        try:
            rules.take_newest_version(task, now)
        except SetupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The task uses the newest version of the question now."))
        return here
    if action == "remove":
        return _remove(request, contest, task, now)
    if action == "restore":
        rules.restore_task(task)
        messages.success(
            request, _("Task %(label)s is back in the contest.") % {"label": task.label}
        )
        return here
    if action not in (None, "save"):
        messages.error(request, _("Unknown action."))
        return here
    return _settings(request, contest, task, now)


def _settings(request: HttpRequest, contest: Contest, task: Task, now) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = TaskForm(posted, instance=copy(task), contest=contest, now=now)
    sheet = None
    if task.kind == Task.Kind.JUDGED:
        sheet = CriterionFormSet(
            posted, instance=task, prefix="crit", has_sheets=bool(form.facts.sheets)
        )
    status = 200
    if posted is not None:
        valid = form.is_valid() and (sheet is None or sheet.is_valid())
        if valid and (not form.warnings or request.POST.get("confirm") == "1"):
            with transaction.atomic():
                saved = form.save(commit=False)
                if sheet is not None:
                    _save_sheet(saved, sheet)
                saved.save()
                invalidate_on_commit(contest.pk)
            messages.success(request, _("The task is saved."))
            return redirect("contests:setup_task", contest.slug, task.pk)
        status = 200 if valid else 400
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "contest": contest,
        "task": task,
        "form": form,
        "sheet": sheet,
        "facts": form.facts,
        "query": query,
        "started": now >= contest.starts_at,
        "park_zone": park_zone(),
    }
    if task.kind == Task.Kind.PROGRAMMING:
        context["problems"] = rules.usable_problems(request.user, query)
    elif task.kind == Task.Kind.QUIZ:
        questions = rules.usable_questions(request.user, query)
        for question in questions:
            question.type_label = qtype_label(question.latest.qtype)
        context["questions"] = questions
        context["newer_version"] = rules.newer_version(task)
        if task.question_id:
            context["question_type"] = qtype_label(task.question.qtype)
    return render(request, "contests/setup/task.html", context, status=status)


def _save_sheet(task: Task, sheet) -> None:
    """The sheet's lines in their order; the task's points follow from the sheet."""
    sheet.save(commit=False)
    for criterion in sheet.deleted_objects:
        criterion.delete()
    kept = [f.instance for f in sheet.forms if f not in sheet.deleted_forms and f.instance.name]
    for order, criterion in enumerate(kept):
        criterion.order = order
        criterion.task = task
        criterion.save()
    criteria = list(Criterion.objects.filter(task=task))
    if criteria:
        task.max_score = rules.sheet_max(task, criteria)


def _choose(request: HttpRequest, contest: Contest, task: Task, now) -> None:
    chosen = _id(request.POST.get("pick"))
    candidate = copy(task)
    if task.kind == Task.Kind.PROGRAMMING:
        problem = Problem.objects.filter(rules.usable_problems_q(request.user), pk=chosen).first()
        if problem is None:
            messages.error(
                request, _("This problem cannot be used: it is not published or not yours.")
            )
            return
        candidate.problem = problem
        title = problem.title
    elif task.kind == Task.Kind.QUIZ:
        question = (
            Question.objects.filter(rules.usable_questions_q(request.user), pk=chosen)
            .select_related("latest")
            .first()
        )
        if question is None:
            messages.error(request, _("This question cannot be used in a contest."))
            return
        candidate.question = question.latest
        title = question.latest.title
    else:
        raise Http404
    verdict = rules.check_task(
        candidate, before=task, contest=contest, facts=rules.task_facts(task), now=now
    )
    if not verdict.ok:
        for messages_of_field in verdict.errors.values():
            for message in messages_of_field:
                messages.error(request, message)
        return
    with transaction.atomic():
        candidate.title = task.title or title[:200]
        candidate.save(update_fields=["problem", "question", "title"])
        invalidate_on_commit(contest.pk)
    messages.success(request, _("Chosen: %(title)s.") % {"title": title})


def _remove(request: HttpRequest, contest: Contest, task: Task, now) -> HttpResponse:
    facts = rules.task_facts(task)
    deletes = rules.removal_deletes(task, facts, now)
    if request.POST.get("confirm") == "1":
        result = rules.remove_task(task, now)
        if result == "deleted":
            messages.success(request, _("Task %(label)s is deleted.") % {"label": task.label})
        else:
            messages.success(
                request,
                _("Task %(label)s is removed from the contest; its runs are kept.")
                % {"label": task.label},
            )
        return redirect("contests:setup_tasks", contest.slug)
    return render(
        request,
        "contests/setup/task_remove.html",
        {"contest": contest, "task": task, "facts": facts, "deletes": deletes},
    )
