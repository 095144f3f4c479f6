"""The teacher's grading pages: a group's queue, one attempt's grading page, and "release the
drafts of this assignment". Thin: access is decided by lms.permissions (404 for anyone without
GRADE on the group the work was made in), the rules and writes by assessments.grading (the queue:
assessments.grading_queue; feedback files: assessments.feedback_files). The files themselves are
served by assessments.file_views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import feedback_files, grade_history, grading, grading_queue, scoring
from assessments.grading_forms import GradeForm, QueueFilterForm
from assessments.group_scope import group_assignments
from assessments.models import Assignment, Grade, GradeFile, Submission
from assessments.quiz.attempts import close_overdue
from assessments.scoring import ScoreError
from cms.markdown import render_markdown
from lms import permissions
from lms.permissions import GRADE_GROUP


def _markdown(text: str) -> SafeString:
    return render_markdown(text)


def file_url(file_id: int) -> str:
    """The download link of a submitted file (assessments.file_views checks access)."""
    return reverse("assessments:submission_file", args=[file_id])


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
            _("Released %(count)d grades for “%(title)s”. The pupils can see them now.")
            % {"count": released, "title": assignment.title},
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
    files = [(f, file_url(f.pk)) for f in submission.files.all()]
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
        "rubric_rows": form.rubric_rows(),
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
        "attempts": attempts,
        "newer_attempt": newer[-1] if newer else None,
        "penalty": grading.penalty_for(submission),
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
