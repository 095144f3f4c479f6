"""The pupil's side of a quiz: its page (start or go on), the attempt's pages, saving answers as
they are given, the summary, handing in and the review. Thin views: assessments.quiz.attempts
decides, assessments.submissions knows whose the assignment is; 404 for anything not one's own."""

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
from assessments.models import Assignment, Submission
from assessments.pupil_views import staff_may_preview
from assessments.quiz import attempts, marking, pages, quiz_marks, review
from assessments.quiz.models import AttemptQuestion, Quiz, QuizAttempt
from assessments.quiz.posted import posted_response
from assessments.quiz.rendering import add_review, question_view
from assessments.submissions import SubmitError
from cms.markdown import render_markdown

Status = Submission.Status


def _quiz_or_404(assignment_id: int) -> Quiz:
    quiz = (
        Quiz.objects.select_related("assignment__lesson")
        .filter(
            assignment_id=assignment_id,
            assignment__kind=Assignment.Kind.QUIZ,
            assignment__lesson__live=True,
        )
        .first()
    )
    if quiz is None:
        raise Http404
    return quiz


def _state(user, assignment: Assignment) -> submissions.PupilState | None:
    try:
        return submissions.pupil_state(user, assignment)
    except SubmitError:
        return None


def _own_attempt_or_404(request: HttpRequest, submission_id: int) -> QuizAttempt:
    """The pupil's own attempt; anyone else's answers 404 (its existence is not told)."""
    attempt = (
        QuizAttempt.objects.select_related(
            "submission__assignment__lesson", "submission__grade", "quiz__assignment"
        )
        .filter(submission_id=submission_id, submission__pupil_id=request.user.pk)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def _attempt_url(attempt: QuizAttempt, page: int | None = None) -> str:
    url = reverse("quiz:attempt", args=[attempt.pk])
    return f"{url}?page={page}" if page else url


@login_required
@require_GET
def quiz_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    quiz = _quiz_or_404(assignment_id)
    assignment = quiz.assignment
    state = _state(request.user, assignment)
    context = {
        "quiz": quiz,
        "assignment": assignment,
        "lesson": assignment.lesson,
        "instructions_html": render_markdown(assignment.instructions),
        "slot_count": quiz.slots.count(),
    }
    if state is None:
        if not staff_may_preview(request.user, assignment):
            raise Http404
        timetable = timetable_for(assignment)
        context.update(preview=True, timetable=timetable)
        return render(request, "quiz/quiz.html", context)
    if attempts.close_overdue(submission__assignment=assignment, submission__pupil=request.user):
        state = submissions.pupil_state(request.user, assignment)
    current = attempts.open_attempt(state)
    finished = [pages.finished_row(s) for s in reversed(state.submitted)]
    counted = pages.counted_points(state)
    context.update(
        state=state,
        timetable=state.timetable,
        current=current,
        refusal=state.refusal() if current is None else None,
        finished=finished,
        counted=counted,
        used_attempts=len(state.submitted),
    )
    return render(request, "quiz/quiz.html", context)


@login_required
@require_POST
def start(request: HttpRequest, assignment_id: int) -> HttpResponse:
    quiz = _quiz_or_404(assignment_id)
    state = _state(request.user, quiz.assignment)
    if state is None:
        raise Http404
    attempts.close_overdue(submission__assignment=quiz.assignment, submission__pupil=request.user)
    try:
        attempt = attempts.start(
            submissions.pupil_state(request.user, quiz.assignment), request.user
        )
    except SubmitError as error:
        messages.error(request, str(error))
        return redirect("quiz:quiz", assignment_id)
    return redirect(_attempt_url(attempt))


def _closed_now(request: HttpRequest, attempt: QuizAttempt) -> bool:
    """Close the attempt if its time is up (lazily, on this read); say so once."""
    if attempt.submission.status == Status.DRAFT and attempts.is_overdue(attempt, timezone.now()):
        attempts.finish(attempt, closed_by=QuizAttempt.ClosedBy.TIME)
        messages.info(request, _("The time was up: your attempt was handed in with your answers."))
        return True
    return attempt.submission.status != Status.DRAFT


def _page_number(raw: str | None, count: int) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(count, 1))


@login_required
@require_GET
def attempt_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    attempt = _own_attempt_or_404(request, submission_id)
    if _closed_now(request, attempt):
        return redirect("quiz:review", attempt.pk)
    questions = list(attempt.questions.select_related("version").order_by("position"))
    layout = pages.layout(questions, attempt.quiz.questions_per_page)
    number = _page_number(request.GET.get("page"), len(layout))
    shown = review.shown(
        attempt, attempt.submission, quiz_marks.timetable_of(attempt.submission), timezone.now()
    )
    views = []
    numbers = pages.numbering(questions)
    for question in layout[number - 1] if layout else []:
        view = question_view(
            question.position,
            question.version.spec,
            question.order,
            question.response,
            number=numbers.get(question.position),
        )
        # "during": the teacher chose to tell at once how an answer did.
        if (shown.correctness or shown.feedback) and view.answered:
            add_review(
                view,
                marking.mark(question.version.spec, question.response),
                points="",
                max_mark="",
                show_correctness=shown.correctness,
                show_marks=False,
                show_right_answer=shown.right_answer,
                show_feedback=shown.feedback,
            )
            view.disabled = False
        views.append(view)
    return render(
        request,
        "quiz/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "assignment": attempt.quiz.assignment,
            "questions": views,
            "page": number,
            "page_count": len(layout),
            "navigation": pages.navigation(layout, number),
            "seconds_left": pages.seconds_left(attempt, timezone.now()),
        },
    )


def _answer_from(request: HttpRequest, question: AttemptQuestion) -> dict | None:
    return posted_response(question.version.spec, request.POST, question.position)


@login_required
@require_POST
def save_answer(request: HttpRequest, submission_id: int) -> HttpResponse:
    """One question's answer, sent by the page's script as the pupil gives it. The most frequent
    request of a quiz: the attempt is read without the lesson, grade and assignment the pages
    need (bench/quiz_load.py measured a third of the request's time in those joins)."""
    attempt = (
        QuizAttempt.objects.select_related("submission")
        .filter(submission_id=submission_id, submission__pupil_id=request.user.pk)
        .first()
    )
    if attempt is None:
        raise Http404
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return JsonResponse(
            {"ok": False, "message": _("This question is not part of your attempt.")}, status=400
        )
    question = attempt.questions.select_related("version").filter(position=position).first()
    if question is None:
        return JsonResponse(
            {"ok": False, "message": _("This question is not part of your attempt.")}, status=400
        )
    raw = _answer_from(request, question)
    if raw is None:
        return JsonResponse(
            {"ok": False, "message": _("This answer cannot be read. Please answer again.")},
            status=400,
        )
    try:
        saved = attempts.save_answer(attempt, request.user, position, raw)
    except attempts.AnswerRefused as error:
        closed = attempt.submission.status != Status.DRAFT or attempts.is_overdue(
            attempt, timezone.now()
        )
        return JsonResponse(
            {
                "ok": False,
                "message": str(error),
                "closed": closed,
                "review": reverse("quiz:review", args=[attempt.pk]),
            },
            status=409,
        )
    return JsonResponse({"ok": True, "changed": saved.changed})


@login_required
@require_POST
def save_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The page's form (works without script): save every answer on it, then go where asked."""
    attempt = _own_attempt_or_404(request, submission_id)
    questions = list(attempt.questions.select_related("version").order_by("position"))
    problems = []
    for question in questions:
        raw = _answer_from(request, question)
        if raw is None:
            continue
        try:
            attempts.save_answer(attempt, request.user, question.position, raw)
        except attempts.AnswerRefused as error:
            if attempt.submission.status != Status.DRAFT or attempts.is_overdue(
                attempt, timezone.now()
            ):
                messages.info(request, str(error))
                return redirect("quiz:review", attempt.pk)
            problems.append(f"{question.position}: {error}")
    for problem in problems:
        messages.error(request, problem)
    go = request.POST.get("go", "")
    if go == "summary":
        return redirect("quiz:summary", attempt.pk)
    return redirect(_attempt_url(attempt, _page_number(go, len(questions))))


@login_required
@require_GET
def summary(request: HttpRequest, submission_id: int) -> HttpResponse:
    attempt = _own_attempt_or_404(request, submission_id)
    if _closed_now(request, attempt):
        return redirect("quiz:review", attempt.pk)
    questions = list(attempt.questions.select_related("version").order_by("position"))
    layout = pages.layout(questions, attempt.quiz.questions_per_page)
    rows = pages.summary_rows(layout)
    return render(
        request,
        "quiz/summary.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "assignment": attempt.quiz.assignment,
            "rows": rows,
            "unanswered": sum(1 for row in rows if row.needs_answer and not row.answered),
            "seconds_left": pages.seconds_left(attempt, timezone.now()),
        },
    )


@login_required
@require_POST
def finish(request: HttpRequest, submission_id: int) -> HttpResponse:
    attempt = _own_attempt_or_404(request, submission_id)
    if attempt.submission.status == Status.DRAFT:
        overdue = attempts.is_overdue(attempt, timezone.now())
        closed_by = QuizAttempt.ClosedBy.TIME if overdue else QuizAttempt.ClosedBy.PUPIL
        if attempts.finish(attempt, closed_by=closed_by):
            messages.success(request, _("Your attempt is handed in."))
    return redirect("quiz:review", attempt.pk)


@login_required
@require_GET
def review_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    attempt = _own_attempt_or_404(request, submission_id)
    if attempt.submission.status == Status.DRAFT and not _closed_now(request, attempt):
        return redirect(_attempt_url(attempt))
    attempt = _own_attempt_or_404(request, submission_id)  # fresh: marks, grade
    submission = attempt.submission
    now = timezone.now()
    shown = review.shown(attempt, submission, quiz_marks.timetable_of(submission), now)
    questions = list(attempt.questions.select_related("version").order_by("position"))
    views = pages.reviewed(questions, shown) if shown.attempt else []
    grade = getattr(submission, "grade", None)
    return render(
        request,
        "quiz/review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "assignment": attempt.quiz.assignment,
            "submission": submission,
            "shown": shown,
            "questions": views,
            "grade": grade if grade is not None and grade.is_released else None,
            "waiting": not all(quiz_marks.is_marked(q) for q in questions),
        },
    )
