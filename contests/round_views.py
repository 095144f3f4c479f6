"""The round's pages: a task (statement, the code editor or the question, the side list of the
contest's tasks, the countdown, one's runs of it), sending a run, one's runs, one run.

Who sees what (contests.presenting.task_mode): the jury always; a participant while their
window is open, and after the contest as practice or read-only; before the start nobody but the
jury (statements must not leak early): 404. A participant sees only their own runs (another's
run answers 404); the jury sees all. These pages link only to the contest's own pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.programming import presenting as programming_presenting
from assessments.quiz import marking
from assessments.quiz.rendering import add_review, question_view
from cms.markdown import render_markdown
from contests import judging, permissions, presenting, submitting, timing
from contests.models import Contest, Participant, Run, Task
from contests.presenting import Mode

RUNS_SHOWN = 300  # the jury's list of runs: the newest this many (filters narrow it)


@dataclass
class Viewer:
    contest: Contest
    jury: bool
    participant: Participant | None


def _viewer(request: HttpRequest, slug: str) -> Viewer:
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None:
        raise Http404
    jury = permissions.is_jury(request.user, contest)
    if not jury and not contest.is_published:
        raise Http404
    participant = permissions.participant_of(request, contest)
    if participant is not None and participant.withdrawn_at is not None:
        participant = None
    return Viewer(contest, jury, participant)


def _task_or_404(viewer: Viewer, label: str) -> Task:
    task = (
        Task.objects.filter(contest=viewer.contest, label=label)
        .select_related("problem", "question")
        .first()
    )
    if task is None or (task.removed_at is not None and not viewer.jury and not _ran(viewer, task)):
        raise Http404
    return task


def _ran(viewer: Viewer, task: Task) -> bool:
    """A removed task stays reachable for a participant who has runs of it (to see them)."""
    return (
        viewer.participant is not None
        and Run.objects.filter(participant=viewer.participant, task=task).exists()
    )


def _tasks(viewer: Viewer) -> list[Task]:
    tasks = Task.objects.filter(contest=viewer.contest)
    if not viewer.jury:
        tasks = tasks.filter(removed_at__isnull=True)
    return list(tasks.order_by("order", "pk"))


def _own_runs(participant: Participant) -> list[Run]:
    return list(
        Run.objects.filter(participant=participant)
        .select_related("task", "language")
        .order_by("-submitted_at", "-pk")
    )


def _starter_and_source(languages, runs: list[Run]) -> tuple[dict, str, str]:
    starters = {row.language.code: row.starter_code for row in languages}
    last = next((r for r in runs if r.language_id is not None), None)
    codes = [row.language.code for row in languages]
    if last is not None and last.language.code in codes:
        return starters, last.language.code, last.code
    chosen = codes[0] if codes else ""
    return starters, chosen, starters.get(chosen, "")


def _programming_context(task: Task, runs: list[Run]) -> dict:
    problem = task.problem
    if problem is None:
        return {"problem": None}
    languages = submitting.allowed_languages(task)
    starters, chosen, source = _starter_and_source(languages, runs)
    return {
        "problem": problem,
        "statement_html": programming_presenting.statement_html(problem.statement),
        "examples": list(problem.tests.filter(is_example=True).order_by("index")),
        "languages": languages,
        "starters": starters,
        "chosen_language": chosen,
        "source": source,
        "max_kb": settings.LMS_CODE_MAX_BYTES // 1024,
    }


def _quiz_context(
    task: Task,
    runs: list[Run],
    *,
    rules: str,
    may_answer: bool,
    results: bool,
    practice_feedback: bool,
) -> dict:
    version = task.question
    if version is None:
        return {"question": None}
    spec = version.spec
    latest = runs[0] if runs else None  # newest first
    view = question_view(
        submitting.QUIZ_POSITION,
        spec,
        None,
        latest.answer if latest else None,
        disabled=not may_answer,
        number=task.label,
    )
    counted = next((r for r in runs if not r.is_practice), None)
    if results and latest is not None and view.answered:
        add_review(
            view,
            marking.mark(spec, latest.answer),
            points="",
            max_mark="",
            show_correctness=True,
            show_marks=False,
            show_right_answer=False,
            show_feedback=practice_feedback,
        )
        view.disabled = not may_answer
    counted_line = (
        presenting.run_line(counted, rules=rules, quiz_results=results) if counted else None
    )
    return {"question": view, "counted": counted, "counted_line": counted_line}


@require_GET
def task_page(request: HttpRequest, slug: str, label: str) -> HttpResponse:
    viewer = _viewer(request, slug)
    contest, participant = viewer.contest, viewer.participant
    now = timezone.now()
    mode = presenting.task_mode(contest, participant, viewer.jury, now)
    if mode == Mode.HIDDEN:
        raise Http404
    task = _task_or_404(viewer, label)
    tasks = _tasks(viewer)
    runs = _own_runs(participant) if participant is not None else []
    quiz_results = presenting.results_open(contest, now) if now >= contest.ends_at else False
    task_runs = [r for r in runs if r.task_id == task.pk]
    if any(r.state != Run.State.DONE for r in task_runs):
        judging.requeue_stale([r.pk for r in task_runs if r.state != Run.State.DONE])
    removed = task.removed_at is not None
    may_run = presenting.takes_runs(mode) and not removed and participant is not None
    context = {
        "contest": contest,
        "task": task,
        "mode": mode,
        "jury": viewer.jury,
        "participant": participant,
        "removed": removed,
        "may_run": may_run,
        "practice": mode == Mode.PRACTICE,
        "shows_statement": presenting.shows_statement(mode),
        "states": presenting.task_states(
            tasks, runs, rules=contest.rules, quiz_results=quiz_results, current=task
        ),
        "lines": [
            presenting.run_line(r, rules=contest.rules, quiz_results=quiz_results)
            for r in task_runs
        ],
        "seconds_left": (
            presenting.seconds_left(contest, participant, now) if participant else None
        ),
        "window": timing.window(contest, participant) if participant else None,
        "clock_text": "",
        "in_round": mode == Mode.OPEN,
        "task_statement_html": render_markdown(task.statement) if task.statement else "",
    }
    if context["seconds_left"] is not None:
        context["clock_text"] = presenting.clock(context["seconds_left"])
    if context["shows_statement"]:
        if task.kind == Task.Kind.PROGRAMMING:
            context.update(_programming_context(task, task_runs))
        elif task.kind == Task.Kind.QUIZ:
            context.update(
                _quiz_context(
                    task,
                    task_runs,
                    rules=contest.rules,
                    may_answer=may_run,
                    results=quiz_results,
                    practice_feedback=quiz_results and contest.practice_after_end,
                )
            )
        else:
            context["criteria"] = list(task.criteria.all())
    return render(request, "contests/task.html", context)


@require_POST
def submit(request: HttpRequest, slug: str, label: str) -> HttpResponse:
    viewer = _viewer(request, slug)
    if viewer.participant is None:
        raise Http404
    task = _task_or_404(viewer, label)
    contest, participant = viewer.contest, viewer.participant
    user = request.user if request.user.is_authenticated else None
    try:
        if task.kind == Task.Kind.PROGRAMMING:
            upload = request.FILES.get("file")
            source = (
                submitting.source_from_upload(upload) if upload else request.POST.get("source", "")
            )
            run = submitting.submit_code(
                contest, participant, task, user, request.POST.get("language", ""), source
            )
        elif task.kind == Task.Kind.QUIZ:
            run = submitting.answer_quiz(contest, participant, task, user, request.POST)
        else:
            raise submitting.RunRefused(_("The judges score this task on the field."))
    except submitting.RunRefused as error:
        messages.error(request, str(error))
        if timezone.now() < contest.starts_at:
            return redirect("contests:my_runs", contest.slug)
        return redirect("contests:task", contest.slug, task.label)
    if task.kind == Task.Kind.QUIZ:
        if run.is_practice:
            messages.success(request, _("Practice answer saved: it does not count."))
        else:
            messages.success(request, _("Answer saved. You may change it until your time is over."))
        return redirect("contests:task", contest.slug, task.label)
    if run.is_practice:
        messages.success(request, _("Practice run sent: it is judged but does not count."))
    else:
        messages.success(request, _("Your program was sent to the judge."))
    return redirect("contests:run", contest.slug, run.pk)


@require_GET
def my_runs(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request, slug)
    contest = viewer.contest
    if not viewer.jury and viewer.participant is None:
        raise Http404
    now = timezone.now()
    quiz_results = presenting.results_open(contest, now) if now >= contest.ends_at else False
    shown_all = viewer.jury and request.GET.get("mine") != "1"
    if shown_all:
        found = Run.objects.filter(contest=contest)
        task_label = request.GET.get("task", "")
        if task_label:
            found = found.filter(task__label=task_label)
        participant_id = request.GET.get("participant", "")
        if participant_id.isdigit():
            found = found.filter(participant_id=int(participant_id))
        runs = list(
            found.select_related("task", "language", "participant").order_by(
                "-submitted_at", "-pk"
            )[:RUNS_SHOWN]
        )
    else:
        runs = _own_runs(viewer.participant) if viewer.participant else []
    pending = [r.pk for r in runs if r.state != Run.State.DONE and r.source == "submitted"]
    if pending:
        judging.requeue_stale(pending)
    lines = [
        presenting.run_line(r, rules=contest.rules, quiz_results=quiz_results, jury=shown_all)
        for r in runs
    ]
    return render(
        request,
        "contests/runs.html",
        {
            "contest": contest,
            "jury": viewer.jury,
            "shown_all": shown_all,
            "participant": viewer.participant,
            "lines": lines,
            "limit": RUNS_SHOWN,
            "tasks": _tasks(viewer) if shown_all else [],
            "chosen_task": request.GET.get("task", ""),
            "in_round": presenting.task_mode(contest, viewer.participant, False, now) == Mode.OPEN,
        },
    )


@require_GET
def run_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    viewer = _viewer(request, slug)
    contest = viewer.contest
    run = (
        Run.objects.filter(pk=pk, contest=contest)
        .select_related("task__question", "language", "participant")
        .first()
    )
    own = (
        run is not None
        and viewer.participant is not None
        and run.participant_id == viewer.participant.pk
    )
    if run is None or not (own or viewer.jury):
        raise Http404
    if run.state != Run.State.DONE:
        judging.requeue_stale([run.pk])
    now = timezone.now()
    quiz_results = presenting.results_open(contest, now) if now >= contest.ends_at else False
    line = presenting.run_line(
        run, rules=contest.rules, quiz_results=quiz_results, jury=viewer.jury
    )
    answer = None
    if run.task.kind == Task.Kind.QUIZ and run.task.question is not None:
        spec = run.task.question.spec
        answer = question_view(
            submitting.QUIZ_POSITION, spec, None, run.answer, disabled=True, number=run.task.label
        )
        if not line.hidden:
            add_review(
                answer,
                marking.mark(spec, run.answer),
                points="",
                max_mark="",
                show_correctness=True,
                show_marks=False,
                show_right_answer=viewer.jury,
                show_feedback=viewer.jury or contest.practice_after_end,
            )
    return render(
        request,
        "contests/run.html",
        {
            "contest": contest,
            "run": run,
            "line": line,
            "jury": viewer.jury,
            "own": own,
            "tests": presenting.test_rows(run) if not line.hidden else [],
            "subtasks": presenting.subtask_rows(run) if line.score is not None else [],
            "answer": answer,
            "show_compile_output": run.verdict == "CE" or (viewer.jury and run.verdict == "IE"),
            "in_round": presenting.task_mode(contest, viewer.participant, False, now) == Mode.OPEN,
        },
    )
