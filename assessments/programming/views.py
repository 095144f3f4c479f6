"""The pupil's side of a code exercise: the page with the statement and the editor, the draft
saved as they type, runs on the examples or on their own input, handing in, and the verdicts
as they arrive (the page polls a small JSON). Thin views: submitting, runs and judging decide;
anything not one's own answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import submissions
from assessments.deadlines import timetable_for
from assessments.models import Assignment
from assessments.programming import judging, presenting, runs, submitting
from assessments.programming.models import CodeDraft, CodeExercise, CodeRun, CodeSubmission
from assessments.pupil_views import staff_may_preview
from assessments.submissions import SubmitError
from cms.markdown import render_markdown


def _exercise_or_404(assignment_id: int) -> CodeExercise:
    exercise = (
        CodeExercise.objects.select_related("assignment__lesson", "problem")
        .filter(
            assignment_id=assignment_id,
            assignment__kind=Assignment.Kind.CODE,
            assignment__lesson__live=True,
        )
        .first()
    )
    if exercise is None:
        raise Http404
    return exercise


def _state(user, assignment: Assignment) -> submissions.PupilState | None:
    try:
        return submissions.pupil_state(user, assignment)
    except SubmitError:
        return None


def _pupil_or_404(request: HttpRequest, exercise: CodeExercise) -> submissions.PupilState:
    state = _state(request.user, exercise.assignment)
    if state is None:
        raise Http404
    return state


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _refused(request: HttpRequest, error: SubmitError, assignment_id: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": str(error)}, status=400)
    messages.error(request, str(error))
    return redirect("programming:exercise", assignment_id)


def _examples(exercise: CodeExercise) -> list:
    if exercise.problem_id is None:
        return []
    return list(exercise.problem.tests.filter(is_example=True).order_by("index"))


def _history(state: submissions.PupilState) -> list[CodeSubmission]:
    ids = [s.pk for s in state.submitted]
    found = CodeSubmission.objects.filter(submission_id__in=ids).select_related(
        "submission__grade", "language"
    )
    return sorted(found, key=lambda code: -code.submission.attempt)


@login_required
@require_GET
def exercise_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    exercise = _exercise_or_404(assignment_id)
    assignment = exercise.assignment
    problem = exercise.problem
    state = _state(request.user, assignment)
    if state is None and not staff_may_preview(request.user, assignment):
        raise Http404
    languages = submitting.allowed_languages(exercise)
    draft = (
        CodeDraft.objects.filter(exercise=exercise, pupil=request.user)
        .select_related("language")
        .first()
        if state
        else None
    )
    starters = {row.language.code: row.starter_code for row in languages}
    chosen = draft.language.code if draft else (languages[0].language.code if languages else "")
    history = _history(state) if state else []
    if history:
        judging.requeue_stale([code.pk for code in history if code.state != "done"])
    context = {
        "exercise": exercise,
        "assignment": assignment,
        "problem": problem,
        "lesson": assignment.lesson,
        "statement_html": presenting.statement_html(problem.statement) if problem else "",
        "instructions_html": render_markdown(assignment.instructions),
        "examples": _examples(exercise),
        "languages": languages,
        "chosen_language": chosen,
        "source": draft.source if draft else starters.get(chosen, ""),
        "starters": starters,
        "history": history,
        "latest": history[0] if history else None,
        "state": state,
        "preview": state is None,
        "timetable": state.timetable if state else timetable_for(assignment),
        "refusal": submitting.refusal(state, exercise, timezone.now()) if state else None,
        "runs_per_minute": runs.runs_per_minute(),
    }
    return render(request, "programming/exercise.html", context)


@login_required
@require_POST
def save_draft(request: HttpRequest, assignment_id: int) -> HttpResponse:
    exercise = _exercise_or_404(assignment_id)
    _pupil_or_404(request, exercise)
    try:
        submitting.save_draft(
            exercise, request.user, request.POST.get("language", ""), request.POST.get("source", "")
        )
    except SubmitError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"saved": True})


@login_required
@require_POST
def run(request: HttpRequest, assignment_id: int) -> HttpResponse:
    exercise = _exercise_or_404(assignment_id)
    _pupil_or_404(request, exercise)
    kind = request.POST.get("kind", CodeRun.Kind.EXAMPLES)
    if kind not in CodeRun.Kind.values:
        return JsonResponse({"error": "kind"}, status=400)
    try:
        language, source = submitting.checked_source(
            exercise, request.POST.get("language", ""), request.POST.get("source", "")
        )
        if not source.strip():
            raise submitting.CodeRefused(_("Write your program first."))
        code_run = runs.request(
            exercise, request.user, language, source, kind, request.POST.get("input", "")
        )
    except SubmitError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {"run": code_run.pk, "status_url": reverse("programming:run_status", args=[code_run.pk])}
    )


@login_required
@require_GET
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    code_run = CodeRun.objects.filter(pk=run_id, pupil=request.user).first()
    if code_run is None:
        raise Http404
    results = [
        {**row, "label": presenting.verdict_label(row.get("verdict", ""), row.get("signal"))}
        for row in code_run.results
    ]
    return JsonResponse(
        {
            "done": code_run.state == CodeRun.State.DONE,
            "stuck": runs.is_stuck(code_run),
            "kind": code_run.kind,
            "results": results,
        }
    )


@login_required
@require_POST
def submit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    exercise = _exercise_or_404(assignment_id)
    state = _pupil_or_404(request, exercise)
    try:
        code = submitting.submit(
            state,
            request.user,
            exercise,
            request.POST.get("language", ""),
            request.POST.get("source", ""),
        )
    except SubmitError as error:
        return _refused(request, error, assignment_id)
    status_url = reverse("programming:status", args=[code.pk])
    if _wants_json(request):
        return JsonResponse(
            {
                "submission": code.pk,
                "attempt": code.submission.attempt,
                "status_url": status_url,
                "page_url": reverse("programming:submission", args=[code.pk]),
            }
        )
    return redirect("programming:submission", code.pk)


def _own_code_or_404(request: HttpRequest, submission_id: int) -> CodeSubmission:
    code = (
        CodeSubmission.objects.select_related(
            "submission__assignment__lesson", "submission__grade", "language", "exercise__problem"
        )
        .filter(submission_id=submission_id, submission__pupil_id=request.user.pk)
        .first()
    )
    if code is None:
        raise Http404
    return code


@login_required
@require_GET
def status(request: HttpRequest, submission_id: int) -> HttpResponse:
    code = _own_code_or_404(request, submission_id)
    if code.state != CodeSubmission.State.DONE:
        judging.requeue_stale([code.pk])
    rows = list(code.tests.all())
    return JsonResponse(presenting.status(code, rows))


@login_required
@require_GET
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    code = _own_code_or_404(request, submission_id)
    rows = list(code.tests.all())
    context = {
        "code": code,
        "assignment": code.submission.assignment,
        "status": presenting.status(code, rows),
        "status_url": reverse("programming:status", args=[code.pk]),
    }
    return render(request, "programming/submission.html", context)
