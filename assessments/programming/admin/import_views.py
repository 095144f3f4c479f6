"""Importing a problem package (zip): the upload is read by package.read_package, which turns
every hostile archive into a message (oversized, not a zip, a zip bomb, unsafe names); a package
that reads is stored by authoring.store, else nothing is saved and the reasons are listed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments.programming import authoring, package, permissions
from assessments.programming.admin import common
from assessments.programming.admin.forms import course_choices
from assessments.programming.authoring import ProblemError
from assessments.programming.models import Problem
from lms.permissions import AnyUser


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Package (zip)"))
    course = forms.ChoiceField(label=gettext_lazy("Course"))

    def __init__(self, *args, user: AnyUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = course_choices(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.LMS_PROBLEM_PACKAGE_MAX_BYTES
        if upload.size > limit:  # before reading a byte of it
            raise forms.ValidationError(
                _("The file is too large: %(size)s, at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


def import_package(
    data, *, course, by, dry_run: bool = False
) -> tuple[Problem | None, list[str], list[str]]:
    """Read and store a package: (the problem or None, errors, warnings). Also used by
    `manage.py import_problem`; a dry run reads and checks, and saves nothing."""
    codes, extensions = common.package_languages()
    result = package.read_package(
        data,
        max_bytes=settings.LMS_PROBLEM_PACKAGE_MAX_BYTES,
        max_unpacked_bytes=settings.LMS_PROBLEM_PACKAGE_MAX_UNPACKED_BYTES,
        languages=codes,
        extensions=extensions,
    )
    errors, warnings = list(result.errors), list(result.warnings)
    if result.spec is None:
        return None, errors or [_("The package could not be read.")], warnings
    if dry_run:
        problems = authoring.spec_errors(result.spec, set(codes))
        return None, problems, warnings
    try:
        problem = authoring.store(result.spec, course=course, by=by)
    except ProblemError as error:
        return None, [str(error)], warnings
    except ValidationError as error:
        return None, list(error.messages), warnings
    return problem, [], warnings


@require_http_methods(["GET", "POST"])
@common.authors_only
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        course = permissions.course_or_404(request.user, form.cleaned_data["course"])
        file = form.cleaned_data["file"]
        problem, errors, warnings = import_package(file, course=course, by=request.user)
        if problem is not None:
            messages.success(request, _("The problem is imported; its reference is checked."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("programming_admin:edit", problem.pk)
    elif request.method == "GET":
        wanted = request.GET.get("course", "")
        if wanted in dict(form.fields["course"].choices):
            form.initial["course"] = wanted
    return render(
        request,
        "programming/admin/import.html",
        {
            "form": form,
            "errors": errors,
            "warnings": warnings,
            "back_url": reverse("programming_admin:index"),
            "max_bytes": settings.LMS_PROBLEM_PACKAGE_MAX_BYTES,
        },
        status=200,
    )
