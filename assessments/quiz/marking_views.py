"""The teacher's side of one quiz attempt: every question with the pupil's answer and its mark,
a mark for each essay, an override of any automatic mark (each change recorded), releasing
the total; and regrading a group's attempts after a question was fixed. Who may: the
teachers who grade the group the attempt was made in (lms.permissions); others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import grading
from assessments.group_scope import group_assignments
from assessments.models import Grade, Submission
from assessments.quiz import pages, quiz_marks
from assessments.quiz.models import MarkChange, Quiz, QuizAttempt
from assessments.quiz.review import Shown
from assessments.scoring import ScoreError
from lms import permissions
from lms.permissions import GRADE_GROUP

EVERYTHING = Shown(attempt=True, correctness=True, marks=True, right_answer=True, feedback=True)


def _attempt_or_404(request: HttpRequest, submission_id: int) -> QuizAttempt:
    attempt = (
        QuizAttempt.objects.select_related(
            "submission__pupil", "submission__group__school", "quiz__assignment__lesson"
        )
        .filter(submission_id=submission_id)
        .first()
    )
    if attempt is None or not permissions.can_grade_group(request.user, attempt.submission.group):
        raise Http404
    return attempt


@login_required
def mark_attempt(request: HttpRequest, submission_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, submission_id)
    submission = attempt.submission
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "release":
                count = grading.release_grades([submission], request.user)
                if count:
                    messages.success(request, _("The points are released: the pupil sees them."))
                else:
                    messages.info(request, _("There was nothing to release."))
            else:
                question = attempt.questions.filter(pk=request.POST.get("question") or 0).first()
                if question is None:
                    raise Http404
                quiz_marks.set_question_mark(
                    question,
                    request.user,
                    request.POST.get("points"),
                    request.POST.get("comment", ""),
                )
                messages.success(request, _("The mark is saved."))
        except ScoreError as error:
            messages.error(request, str(error))
        return redirect("quiz:mark", submission.pk)
    questions = list(attempt.questions.select_related("version").order_by("position"))
    views = pages.reviewed(questions, EVERYTHING)
    rows = list(zip(questions, views, strict=True))
    changes = list(
        MarkChange.objects.filter(question__attempt=attempt)
        .select_related("changed_by", "question")
        .order_by("-changed_at", "-pk")[:50]
    )
    return render(
        request,
        "quiz/mark.html",
        {
            "attempt": attempt,
            "submission": submission,
            "assignment": attempt.quiz.assignment,
            "rows": rows,
            "grade": Grade.objects.filter(submission=submission).first(),
            "waiting": sum(1 for q in questions if not quiz_marks.is_marked(q)),
            "changes": changes,
            "is_open": submission.status == Submission.Status.DRAFT,
        },
    )


@login_required
@require_POST
def regrade(request: HttpRequest, assignment_id: int, group_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, GRADE_GROUP)
    if not group_assignments(group).filter(pk=assignment_id).exists():
        raise Http404
    quiz = Quiz.objects.filter(assignment_id=assignment_id).first()
    if quiz is None:
        raise Http404
    result = quiz_marks.regrade(
        quiz, request.user, groups=[group], to_latest=request.POST.get("to_latest") == "1"
    )
    moved = len({change.question.attempt_id for change in result.changed})
    messages.success(
        request,
        ngettext(
            "Regraded %(n)d attempt: %(changed)d marks changed in %(moved)d attempts.",
            "Regraded %(n)d attempts: %(changed)d marks changed in %(moved)d attempts.",
            result.regrade.attempts,
        )
        % {"n": result.regrade.attempts, "changed": len(result.changed), "moved": moved},
    )
    if result.kept_version:
        messages.warning(
            request,
            ngettext(
                "%(n)d answer stayed with its old version: the question's answers changed "
                "too much to move it.",
                "%(n)d answers stayed with their old version: the question's answers changed "
                "too much to move them.",
                result.kept_version,
            )
            % {"n": result.kept_version},
        )
    return redirect("quiz:report", assignment_id, group.pk)
