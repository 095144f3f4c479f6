"""A quiz's reports for a group the teacher sees: the attempts overview, the item analysis with
difficult questions and answer charts, the CSV/XLSX export. Attempts whose time is up are
closed first, so the report never shows an open overdue attempt as missing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.group_scope import group_assignments
from assessments.quiz import attempts, reports
from assessments.quiz.models import Quiz
from lms import permissions
from lms.models import StudyGroup
from lms.permissions import GRADE_GROUP, VIEW_GROUP

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quiz_and_group(
    request: HttpRequest, assignment_id: int, group_id: int
) -> tuple[Quiz, StudyGroup]:
    group = permissions.group_or_404(request.user, group_id, VIEW_GROUP)
    if not group_assignments(group).filter(pk=assignment_id).exists():
        raise Http404
    quiz = (
        Quiz.objects.select_related("assignment__lesson")
        .filter(assignment_id=assignment_id)
        .first()
    )
    if quiz is None:
        raise Http404
    attempts.close_overdue(quiz=quiz, submission__group=group)
    return quiz, group


@login_required
@require_GET
def overview(request: HttpRequest, assignment_id: int, group_id: int) -> HttpResponse:
    quiz, group = _quiz_and_group(request, assignment_id, group_id)
    return render(
        request,
        "quiz/report/overview.html",
        {
            "quiz": quiz,
            "assignment": quiz.assignment,
            "group": group,
            "report": reports.overview(quiz, group),
            "last_regrade": reports.last_regrade(quiz, group),
            "can_grade": permissions.can_grade_group(request.user, group),
            "tab": "overview",
        },
    )


@login_required
@require_GET
def statistics(request: HttpRequest, assignment_id: int, group_id: int) -> HttpResponse:
    quiz, group = _quiz_and_group(request, assignment_id, group_id)
    which = "first" if request.GET.get("attempts") == "first" else "all"
    return render(
        request,
        "quiz/report/statistics.html",
        {
            "quiz": quiz,
            "assignment": quiz.assignment,
            "group": group,
            "analysis": reports.item_analysis(quiz, group, which),
            "can_grade": GRADE_GROUP in permissions.group_perms(request.user, group),
            "tab": "statistics",
        },
    )


@login_required
@require_GET
def export(request: HttpRequest, assignment_id: int, group_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    quiz, group = _quiz_and_group(request, assignment_id, group_id)
    view = reports.overview(quiz, group)
    if fmt == "csv":
        body, content_type = reports.export_csv(view), "text/csv; charset=utf-8"
    else:
        body, content_type = reports.export_xlsx(view), XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-{group.pk}.{fmt}"'
    return response
