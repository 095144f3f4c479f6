"""The problems' list, the one-page problem form (create and edit), publishing and export.
Thin views: authoring.store writes (one transaction), permissions decide (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.programming import authoring, package, permissions
from assessments.programming.admin import common
from assessments.programming.admin.forms import ProblemForms, course_choices
from assessments.programming.authoring import ProblemError
from assessments.programming.models import Problem
from cms.markdown import render_markdown

PER_PAGE = 50
MORE_TESTS = 5


@require_GET
@common.authors_only
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    problems = (
        Problem.objects.filter(permissions.editable_problems_q(user))
        .select_related("course")
        .prefetch_related("languages__language")
        .annotate(test_count=Count("tests", distinct=True))
        .order_by("course__title", "title", "pk")
    )
    course = request.GET.get("course", "")
    if course == permissions.PARK:
        problems = problems.filter(course__isnull=True)
    elif course.isascii() and course.isdigit() and len(course) <= 18:
        problems = problems.filter(course_id=int(course))
    else:
        course = ""
    q = request.GET.get("q", "").strip()[:200]
    if q:
        problems = problems.filter(Q(title__icontains=q))
    page = Paginator(problems, PER_PAGE).get_page(request.GET.get("p"))
    rows = [{"problem": p, "status": common.status_label(p)} for p in page]
    return render(
        request,
        "programming/admin/index.html",
        {
            "page": page,
            "rows": rows,
            "courses": course_choices(user),
            "course": course,
            "q": q,
            "create_url": reverse("programming_admin:create"),
        },
    )


def _forms_from_post(request: HttpRequest, problem: Problem | None) -> ProblemForms:
    data = request.POST
    if request.POST.get("action") == "more":  # more empty test rows, the rest as typed
        data = data.copy()
        try:
            total = int(data.get("tests-TOTAL_FORMS", "0"))
        except ValueError:
            total = 0
        data["tests-TOTAL_FORMS"] = str(min(total + MORE_TESTS, 500))
        data["subtasks-TOTAL_FORMS"] = data.get("subtasks-TOTAL_FORMS", "0")
    return ProblemForms(request.user, data, problem=problem)


def _store(request: HttpRequest, forms: ProblemForms, problem: Problem | None) -> Problem | None:
    """Save the forms through authoring.store; None (and the reasons on the form) if refused."""
    data = forms.problem.cleaned_data
    course_key = data["course"]
    # The choices hold only the courses the user edits; checked again for the park.
    course = permissions.course_or_404(request.user, course_key)
    course_id = course.pk if course else None
    moved = problem is not None and problem.course_id != course_id and course_id is not None
    # Exercises of other courses may use only park-wide problems, never another course's.
    if moved and problem.exercises.exclude(assignment__course_id=course_id).exists():
        forms.problem.add_error(
            "course", _("Exercises of other courses use this problem: it cannot be moved.")
        )
        return None
    try:
        with transaction.atomic():  # the move and the rest, or nothing
            spec = forms.spec()
            stored = authoring.store(spec, course=course, by=request.user, problem=problem)
            if stored.course_id != course_id:
                Problem.objects.filter(pk=stored.pk).update(course_id=course_id)
    except ProblemError as error:
        forms.problem.add_error(None, str(error))
        return None
    except ValidationError as error:  # a model's own validators (limits out of range)
        for message in error.messages:
            forms.problem.add_error(None, message)
        return None
    return stored


def _render_form(request, forms: ProblemForms, problem: Problem | None, preview=None):
    context = {
        "forms": forms,
        "problem": problem,
        "preview": preview,
        "back_url": reverse("programming_admin:index"),
    }
    if problem is not None:
        problem.refresh_from_db()
        context.update(
            report=common.reference_rows(problem),
            status=common.status_label(problem),
            test_count=problem.tests.count(),
        )
    return render(request, "programming/admin/problem_form.html", context)


def _preview(forms: ProblemForms):
    statement = forms.problem.data.get(forms.problem.add_prefix("statement"), "")
    return render_markdown(statement[:200_000])


@require_http_methods(["GET", "POST"])
@common.authors_only
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        forms = _forms_from_post(request, None)
        action = request.POST.get("action", "save")
        if action == "preview":
            return _render_form(request, forms, None, preview=_preview(forms))
        if action == "save" and forms.is_valid():
            token = forms.problem.cleaned_data.get("token", "")
            first, made = common.claim_token(user.pk, token)
            if not first:  # the same form sent twice: the first one's problem, not a copy
                if made and Problem.objects.filter(pk=made).exists():
                    messages.info(request, _("This form was already saved."))
                    return redirect("programming_admin:edit", made)
                forms.problem.add_error(None, _("This form is being saved; wait a moment."))
                return _render_form(request, forms, None)
            problem = _store(request, forms, None)
            common.settle_token(user.pk, token, problem.pk if problem else None)
            if problem is not None:
                messages.success(request, _("The problem is saved; its reference is checked."))
                return redirect("programming_admin:edit", problem.pk)
        return _render_form(request, forms, None)
    forms = ProblemForms(user)
    choices = dict(forms.problem.fields["course"].choices)
    wanted = request.GET.get("course", "")
    forms.problem.initial.update(
        token=common.new_token(), course=wanted if wanted in choices else None
    )
    for row in forms.language_rows:
        row.initial = {"allowed": True}
    return _render_form(request, forms, None)


@require_http_methods(["GET", "POST"])
@common.authors_only
def edit(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = permissions.problem_or_404(request.user, problem_id)
    if request.method == "POST":
        forms = _forms_from_post(request, problem)
        action = request.POST.get("action", "save")
        if action == "preview":
            return _render_form(request, forms, problem, preview=_preview(forms))
        if action == "save" and forms.is_valid() and _store(request, forms, problem):
            messages.success(request, _("The problem is saved; its reference is checked."))
            return redirect("programming_admin:edit", problem.pk)
        return _render_form(request, forms, problem)
    spec = authoring.spec_of(problem)
    return _render_form(request, ProblemForms(request.user, problem=problem, spec=spec), problem)


@require_POST
@common.authors_only
def publish(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = permissions.problem_or_404(request.user, problem_id)
    published = request.POST.get("published") == "1"
    try:
        authoring.set_published(problem, published)
    except ProblemError as error:
        messages.error(request, _("Not published: %(reason)s") % {"reason": error})
    else:
        if published:
            messages.success(request, _("The problem is published."))
        else:
            messages.success(request, _("The problem is no longer published."))
    return redirect("programming_admin:edit", problem.pk)


@require_POST
@common.authors_only
def check(request: HttpRequest, problem_id: int) -> HttpResponse:
    """Judge the reference again (a worker that was down, a language whose compiler changed)."""
    from assessments.programming import tasks

    problem = permissions.problem_or_404(request.user, problem_id)
    Problem.objects.filter(pk=problem.pk).update(reference=Problem.Reference.UNCHECKED)
    tasks.check_reference.enqueue(problem.pk)
    messages.info(request, _("The reference solutions are being checked."))
    return redirect("programming_admin:edit", problem.pk)


@require_GET
@common.authors_only
def export(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = permissions.problem_or_404(request.user, problem_id)
    data = package.write_package(authoring.spec_of(problem))
    name = slugify(problem.title, allow_unicode=True)[:80] or f"problem-{problem.pk}"
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.zip")
    return response


__all__ = ["check", "create", "edit", "export", "index", "publish"]
