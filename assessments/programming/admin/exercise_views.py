"""A code exercise's settings, as the quiz builder is a quiz's: which published problem it
uses (the course's own or park-wide) and the penalty for wrong submissions. Reached from the
assignment's admin (assignment_buttons) and from the list of code exercises."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from assessments.models import Assignment
from assessments.programming import permissions
from assessments.programming.admin import common
from assessments.programming.models import CodeExercise, Problem
from lms.permissions import AnyUser

PER_PAGE = 100


class ProblemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Problem) -> str:
        where = obj.course.title if obj.course_id else _("park-wide")
        return f"{obj.title} ({where})"

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:  # a forged id too big for the database
            raise forms.ValidationError(self.error_messages["invalid_choice"]) from None


class ExerciseForm(forms.ModelForm):
    problem = ProblemChoice(
        queryset=Problem.objects.none(),
        required=False,
        label=gettext_lazy("Problem"),
        empty_label=gettext_lazy("— none yet —"),
        help_text=gettext_lazy("Published problems of this course and of the park-wide archive."),
    )

    class Meta:
        model = CodeExercise
        fields = ["problem", "wrong_submission_penalty"]

    def __init__(self, *args, user: AnyUser, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        usable = permissions.usable_problems_q(user, assignment.course_id)
        if self.instance.problem_id:  # the current one stays a choice, published or not
            usable |= Q(pk=self.instance.problem_id)
        self.fields["problem"].queryset = (
            Problem.objects.filter(usable).select_related("course").order_by("title", "pk")
        )

    def clean_problem(self):
        problem = self.cleaned_data["problem"]
        if problem != self.instance.problem and self.instance.submissions.exists():
            # Earlier solutions were judged on the old problem's tests.
            raise forms.ValidationError(
                _("Pupils have handed in solutions: the problem can no longer be changed.")
            )
        return problem


@require_GET
@common.authors_only
def exercise_list(request: HttpRequest) -> HttpResponse:
    assignments = (
        Assignment.objects.filter(permissions.exercise_assignments_q(request.user))
        .select_related("course", "lesson", "code_exercise__problem")
        .order_by("course__title", "title", "pk")
    )
    page = Paginator(assignments, PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "programming/admin/exercise_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@common.authors_only
def exercise(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.exercise_assignment_or_404(request.user, assignment_id)
    instance, _created = CodeExercise.objects.get_or_create(assignment=assignment)
    form = ExerciseForm(
        request.POST or None, instance=instance, user=request.user, assignment=assignment
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The exercise's settings are saved."))
        return redirect("programming_admin:exercise", assignment.pk)
    return render(
        request,
        "programming/admin/exercise_form.html",
        {
            "assignment": assignment,
            "form": form,
            "exercise": instance,
            "problem_editable": bool(instance.problem)
            and permissions.can_edit_problem(request.user, instance.problem),
            "back_url": reverse("programming_admin:exercises"),
        },
    )
