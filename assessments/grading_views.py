"""The teacher's grading pages: a group's queue, one attempt's grading page, and "release the
drafts of this assignment". Thin: access is decided by lms.permissions (404 for anyone without
GRADE on the group the work was made in), the rules and writes by assessments.grading (the queue:
assessments.grading_queue; feedback files: assessments.feedback_files). The files themselves are
served by assessments.file_views; the grading page's inline previews of photos and PDFs here,
through assessments.file_responses.inline (which says what may be shown inline, and how).

The page's script (static/js/grading.js) steps through the previews, adds up the chosen rubric
levels as the teacher picks them (the server's sum on saving is the grade) and previews the
feedback through `feedback_preview`: the server's one sanitiser (cms.markdown), not the
browser, turns the markdown into HTML; the stored feedback stays markdown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments import (
    feedback_files,
    file_responses,
    grade_history,
    grading,
    grading_queue,
    scoring,
)
from assessments.grading_forms import FeedbackPreviewForm, GradeForm, QueueFilterForm
from assessments.group_scope import group_assignments
from assessments.models import Assignment, Grade, GradeFile, Submission, SubmissionFile
from assessments.quiz.attempts import close_overdue
from assessments.scoring import ScoreError
from cms.markdown import render_markdown
from lms import permissions
from lms.permissions import GRADE_GROUP
from lms.quotes import inner_quotes


def _markdown(text: str) -> SafeString:
    return render_markdown(text)


def file_url(file_id: int) -> str:
    """The download link of a submitted file (assessments.file_views checks access)."""
    return reverse("assessments:submission_file", args=[file_id])


@dataclass(frozen=True)
class WorkFile:
    """A handed-in file as the grading page shows it: always a download; a photo or a PDF also
    previewed inline (`preview_url`, `kind` "image" or "pdf"), at `slide` in the viewer."""

    file: SubmissionFile
    url: str
    kind: str | None = None
    preview_url: str = ""
    slide: int | None = None


def work_files(rows) -> list[WorkFile]:
    files, slide = [], 0
    for row in rows:
        kind = file_responses.inline_kind(row.content_type, has_thumbnail=bool(row.thumbnail))
        if kind is None:
            files.append(WorkFile(row, file_url(row.pk)))
            continue
        slide += 1
        preview = reverse("assessments:grading_file_preview", args=[row.pk])
        files.append(WorkFile(row, file_url(row.pk), kind, preview, slide))
    return files


def _tidy(points: Decimal) -> Decimal:
    """7.50 -> 7.5, 10.00 -> 10: shown in the page's number format, as the script writes it."""
    return points.quantize(Decimal(1)) if points == points.to_integral() else points.normalize()


def _queue_url(group_id: int, assignment_id: int | None = None) -> str:
    url = reverse("assessments:grading_queue", args=[group_id])
    return f"{url}?assignment={assignment_id}" if assignment_id else url


def _submission_or_404(request: HttpRequest, submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_related(
            "assignment__rubric", "assignment__lesson", "pupil", "group__school"
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not permissions.can_grade_group(request.user, submission.group):
        raise Http404
    return submission


@login_required
def queue(request: HttpRequest, group_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, GRADE_GROUP)
    close_overdue(submission__group=group)  # quiz attempts whose time is up are handed in
    assignments = list(group_assignments(group))
    filter_form = QueueFilterForm(request.GET or None, assignments=assignments)
    assignment_id, include_graded = filter_form.chosen()
    result = grading_queue.grading_queue(group, assignment_id, include_graded, assignments)
    return render(
        request,
        "assessments/grading/queue.html",
        {"group": group, "queue": result, "filter_form": filter_form},
    )


@login_required
@require_POST
def release_drafts(request: HttpRequest, group_id: int, assignment_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, GRADE_GROUP)
    assignment = get_object_or_404(group_assignments(group), pk=assignment_id)
    released = grading.release_drafts(group, assignment, request.user)
    if released:
        messages.success(
            request,
            ngettext(
                "Released %(count)d grade for “%(title)s”. The pupil can see it now.",
                "Released %(count)d grades for “%(title)s”. The pupils can see them now.",
                released,
            )
            % {"count": released, "title": inner_quotes(assignment.title)},
        )
    else:
        messages.info(request, _("There were no draft grades to release."))
    return redirect(_queue_url(group.pk, assignment.pk))


@login_required
def grade_submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_or_404(request, submission_id)
    assignment: Assignment = submission.assignment
    if assignment.kind == Assignment.Kind.QUIZ:  # marked question by question on its own page
        return redirect("quiz:mark", submission.pk)
    if assignment.kind == Assignment.Kind.CODE:  # its code, verdicts and diff on its own page
        return redirect("programming:review", submission.pk)
    criteria = assignment.rubric.table() if assignment.rubric else []
    grade = Grade.objects.filter(submission=submission).first()
    can_grade = submission.status != Submission.Status.DRAFT
    posted = request.method == "POST"
    form = GradeForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        criteria=criteria,
        initial=GradeForm.initial_for(grade, criteria),
    )
    if request.method == "POST":
        if not can_grade:
            messages.error(
                request, _("This work has not been handed in yet, so it cannot be graded.")
            )
        elif form.is_valid():
            response = _save(request, submission, form)
            if response is not None:
                return response
    return render(
        request,
        "assessments/grading/grade.html",
        _page_context(request, submission, grade, form, criteria, can_grade),
    )


def _save(request: HttpRequest, submission: Submission, form: GradeForm) -> HttpResponse | None:
    """Run the pressed button's service; None when it refused (the message is on the form)."""
    action = form.cleaned_data["action"]
    feedback = form.cleaned_data["feedback"]
    files = form.cleaned_data["files"]
    pupil = submission.pupil.get_display_name()
    try:
        if action == GradeForm.RETURN:
            grading.return_for_rework(submission, request.user, feedback, files=files)
            message = _("Returned to %(pupil)s for rework, with your feedback.")
        else:
            grade = grading.save_grade(
                submission,
                request.user,
                points=form.cleaned_data.get("points"),
                rubric_levels=form.levels(),
                rubric_comments=form.comments(),
                feedback=feedback,
                release=action == GradeForm.RELEASE,
                files=files,
            )
            if grade.is_released:
                message = _("Grade saved. %(pupil)s can see it.")
            else:
                message = _("Draft saved. %(pupil)s does not see it until you release it.")
    except ScoreError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, message % {"pupil": pupil})
    if files:
        messages.success(
            request,
            ngettext("%(n)d feedback file attached.", "%(n)d feedback files attached.", len(files))
            % {"n": len(files)},
        )
    if action == GradeForm.DRAFT:
        return redirect("assessments:grading_submission", submission_id=submission.pk)
    return redirect(_queue_url(submission.group_id, submission.assignment_id))


def _page_context(request, submission, grade, form, criteria, can_grade) -> dict:
    files = work_files(submission.files.all())
    rubric_rows = form.rubric_rows()
    chosen = [c.level for row in rubric_rows for c in row.levels if c.checked]
    rubric_total = sum((level.points for level in chosen), start=Decimal(0))
    penalty = grading.penalty_for(submission)
    attempts = grading.other_attempts(submission, request.user)
    for attempt in attempts:
        grade_of = getattr(attempt, "grade", None)
        attempt.feedback_html = _markdown(grade_of.feedback) if grade_of else ""
    newer = [a for a in attempts if a.attempt > submission.attempt]
    rubric_changed = bool(
        grade is not None
        and grade.rubric_choices
        and scoring.rubric_changed_since(criteria, grade.rubric_choices)
    )
    return {
        "submission": submission,
        "assignment": submission.assignment,
        "group": submission.group,
        "grade": grade,
        "form": form,
        "rubric_rows": rubric_rows,
        # What the chosen levels add up to now; the script keeps it up to date as levels are
        # picked, the server adds them up again on saving.
        "rubric_total": _tidy(rubric_total),
        "rubric_final": _tidy(scoring.after_penalty(rubric_total, penalty)),
        "rubric_chosen": len(chosen),
        "rubric_columns": 1 + max((len(c.levels) for c in criteria), default=0),
        "max_points": (
            submission.assignment.rubric.max_points
            if submission.assignment.rubric
            else submission.assignment.max_points
        ),
        "text_html": _markdown(submission.text),
        "feedback_html": _markdown(grade.feedback) if grade else "",
        "feedback_files": list(grade.files.all()) if grade else [],
        "feedback_file_max": feedback_files.feedback_file_max_bytes(),
        "files": files,
        "previews": [f for f in files if f.kind],
        "attempts": attempts,
        "newer_attempt": newer[-1] if newer else None,
        "penalty": penalty,
        "history": grade_history.grade_history(grade) if grade else [],
        "rubric_changed": rubric_changed,
        "can_grade": can_grade,
        "queue_url": _queue_url(submission.group_id, submission.assignment_id),
    }


# --- Feedback files -----------------------------------------------------------------------------


@login_required
@require_POST
def remove_feedback_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """A grader removes a feedback file (at any time; the row and the stored file go)."""
    row = GradeFile.objects.select_related("grade__submission__group").filter(pk=file_id).first()
    if row is None or not permissions.can_grade_group(request.user, row.grade.submission.group):
        raise Http404
    submission_id = row.grade.submission_id
    feedback_files.remove_feedback_file(row)
    messages.success(request, _("“%(name)s” removed.") % {"name": row.display_name})
    return redirect("assessments:grading_submission", submission_id=submission_id)


# --- The page's helpers: previews of the pupil's files and of the feedback ----------------------


@login_required
@require_GET
def preview_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A photo or PDF of the work, shown inside the grading page to who may grade it. Anything
    that may not be shown inline answers 404: it has its download link."""
    row = (
        SubmissionFile.objects.select_related("submission__group__school")
        .filter(pk=file_id)
        .first()
    )
    if row is None or not permissions.can_grade_group(request.user, row.submission.group):
        raise Http404
    if file_responses.inline_kind(row.content_type, has_thumbnail=bool(row.thumbnail)) is None:
        raise Http404
    return file_responses.inline(row.file, filename=row.display_name, content_type=row.content_type)


@login_required
@require_POST
def feedback_preview(request: HttpRequest, submission_id: int) -> JsonResponse:
    """The feedback as the pupil will read it: the markdown through the one sanitiser. Changes
    nothing; the same 404 as the grading page for anyone who may not grade this work."""
    _submission_or_404(request, submission_id)
    form = FeedbackPreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["text"])}, status=400)
    return JsonResponse({"html": str(_markdown(form.cleaned_data["text"]))})
