"""The teacher's side: one submission with its code, every test's verdict (hidden ones
included), the diff against the pupil's previous attempt, and rejudging — one submission, or
all of a group's submissions of an exercise after a test was fixed. Who may: the teachers who
grade the group the work was made in (lms.permissions); others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.models import Assignment
from assessments.programming import judging, presenting
from assessments.programming.models import CodeExercise, CodeSubmission
from lms import permissions
from lms.permissions import GRADE_GROUP


def _code_or_404(request: HttpRequest, submission_id: int) -> CodeSubmission:
    code = (
        CodeSubmission.objects.select_related(
            "submission__pupil",
            "submission__group__school",
            "submission__assignment__lesson",
            "submission__grade",
            "language",
            "exercise__problem",
        )
        .filter(submission_id=submission_id)
        .first()
    )
    if code is None or not permissions.can_grade_group(request.user, code.submission.group):
        raise Http404
    return code


@login_required
def review(request: HttpRequest, submission_id: int) -> HttpResponse:
    code = _code_or_404(request, submission_id)
    submission = code.submission
    attempts = list(
        CodeSubmission.objects.filter(
            exercise=code.exercise, submission__pupil_id=submission.pupil_id
        )
        .select_related("submission", "language")
        .order_by("submission__attempt")
    )
    earlier = [a for a in attempts if a.submission.attempt < submission.attempt]
    previous = earlier[-1] if earlier else None
    rows = list(code.tests.all())
    context = {
        "code": code,
        "submission": submission,
        "assignment": submission.assignment,
        "pupil": submission.pupil,
        "group": submission.group,
        "status": presenting.status(code, rows, for_teacher=True),
        "attempts": attempts,
        "previous": previous,
        "diff": presenting.diff_lines(previous.source, code.source) if previous else [],
        "source_lines": code.source.splitlines(),
        # Judged on tests that were changed since: the teacher may want to rejudge.
        "stale": bool(
            code.exercise.problem
            and code.problem_revision
            and code.problem_revision < code.exercise.problem.revision
        ),
    }
    return render(request, "programming/review.html", context)


@login_required
@require_POST
def rejudge_one(request: HttpRequest, submission_id: int) -> HttpResponse:
    code = _code_or_404(request, submission_id)
    judging.rejudge([code], request.user)
    messages.success(request, _("The submission is queued to be judged again."))
    return redirect("programming:review", submission_id)


@login_required
@require_POST
def rejudge_group(request: HttpRequest, assignment_id: int, group_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, GRADE_GROUP)
    exercise = CodeExercise.objects.filter(
        assignment_id=assignment_id, assignment__kind=Assignment.Kind.CODE
    ).first()
    if exercise is None:
        raise Http404
    codes = list(CodeSubmission.objects.filter(exercise=exercise, submission__group=group))
    count = judging.rejudge(codes, request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d submission is queued to be judged again.",
            "%(count)d submissions are queued to be judged again.",
            count,
        )
        % {"count": count},
    )
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("assessments:grading_queue", group.pk)
