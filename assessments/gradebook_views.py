"""The gradebook pages: a group's grades in one course (page, CSV, XLSX), "download all" of one
assignment for one group, and the pupil's own "My grades". Thin: access is lms.permissions
(404, never 403), the rules are in assessments.gradebook, assessments.pupil_grades and
assessments.download_all; the archive leaves through assessments.file_responses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments import download_all, file_responses, gradebook_chart, pupil_grades
from assessments import gradebook as service
from assessments.group_scope import CourseScope, enrolled_courses
from assessments.models import Assignment
from assessments.quiz.attempts import close_overdue
from lms import permissions
from lms.models import StudyGroup

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Pupils per page of the gradebook: a group is 10 to 30, an event's or a region's big group
# hundreds; the totals, the "handed in nothing" list and the chart still count everyone.
GRADEBOOK_PAGE_SIZE = 100


def _book_or_404(
    request: HttpRequest, group_id: int, course_id: int
) -> tuple[StudyGroup, dict[int, CourseScope], service.Gradebook]:
    """The group (VIEW_GROUP is enough: released grades only), the courses it takes or took,
    and the gradebook of the one asked for; 404 if the group never took it."""
    group = permissions.group_or_404(request.user, group_id, permissions.VIEW_GROUP)
    scopes = enrolled_courses(group)
    scope = scopes.get(course_id)
    if scope is None:
        raise Http404
    # A quiz attempt whose time is up counts as handed in: close it before it is read.
    close_overdue(submission__group=group)
    book = service.build_gradebook(
        group,
        scope.course,
        scope=scope,
        sort=request.GET.get("sort"),
        direction=request.GET.get("dir"),
    )
    return group, scopes, book


def _direction(book: service.Gradebook) -> str:
    return "desc" if book.descending else "asc"


def _sort_links(book: service.Gradebook) -> dict[str, dict]:
    """For each sortable column: its link (clicking the current column flips the direction)
    and its aria-sort value."""
    links = {}
    keys = [service.SORT_NAME, service.SORT_TOTAL, *(c.sort_key for c in book.columns)]
    for key in keys:
        current = key == book.sort
        if current:
            direction = "asc" if book.descending else "desc"
        else:  # names A to Z; totals and points best first, the useful first click
            direction = "asc" if key == service.SORT_NAME else "desc"
        aria = ("descending" if book.descending else "ascending") if current else "none"
        links[key] = {"url": "?" + urlencode({"sort": key, "dir": direction}), "aria": aria}
    return links


@login_required
def gradebook(request: HttpRequest, group_id: int, course_id: int) -> HttpResponse:
    group, scopes, book = _book_or_404(request, group_id, course_id)
    can_grade = permissions.can_grade_group(request.user, group)
    sort_links = _sort_links(book)
    # The rows are sorted over everyone first (a sort by total ranks the whole group).
    page = Paginator(book.rows, GRADEBOOK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/gradebook/group.html",
        {
            "group": group,
            "book": book,
            "page": page,
            "courses": [scope.course for scope in scopes.values()],
            "can_grade": can_grade,
            "sort_links": sort_links,
            "columns": [(c, sort_links[c.sort_key]) for c in book.columns],
            "chart": gradebook_chart.assignments_svg(book),  # from the book: no query
            # Not "query": base.html fills the search box with that name.
            "sort_query": urlencode({"sort": book.sort, "dir": _direction(book)}),
        },
    )


@login_required
def export(request: HttpRequest, group_id: int, course_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _group, _scopes, book = _book_or_404(request, group_id, course_id)
    if fmt == "csv":
        body, content_type = service.export_csv(book), "text/csv; charset=utf-8"
    else:
        body, content_type = service.export_xlsx(book), XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = f"gradebook-{book.group.pk}-{book.course.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _assignment_or_404(group: StudyGroup, assignment_id: int) -> Assignment:
    """An assignment of a lesson the group takes or took; any other id answers 404."""
    assignment = (
        Assignment.objects.filter(pk=assignment_id).annotate(lesson_path=F("lesson__path")).first()
    )
    if assignment is None:
        raise Http404
    scope = enrolled_courses(group).get(assignment.course_id)
    if scope is None or not scope.covers(assignment.lesson_path):
        raise Http404
    return assignment


@never_cache  # pupils' work: no shared cache may keep a copy
@login_required
def download(request: HttpRequest, group_id: int, assignment_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, permissions.GRADE_GROUP)
    assignment = _assignment_or_404(group, assignment_id)
    submissions = download_all.latest_attempts(group, assignment)
    back = redirect("assessments:gradebook", group_id=group.pk, course_id=assignment.course_id)
    if not submissions:
        messages.info(request, _("Nobody in this group has handed in this assignment yet."))
        return back
    size = download_all.total_size(submissions)
    if size > download_all.max_bytes():
        messages.error(
            request,
            _("The work is too large to download at once (%(size)s, at most %(limit)s).")
            % {"size": filesizeformat(size), "limit": filesizeformat(download_all.max_bytes())},
        )
        return back
    spool, _summary = download_all.build_zip(submissions)
    return file_responses.archive(spool, filename=download_all.archive_name(group, assignment))


@login_required
def my_grades(request: HttpRequest) -> HttpResponse:
    # Own work only: the service reads request.user's submissions and nothing else.
    close_overdue(submission__pupil=request.user)
    return render(
        request,
        "assessments/gradebook/mine.html",
        {
            "courses": pupil_grades.my_grades(request.user),
            "my_work": pupil_grades.my_work(request.user),
        },
    )
