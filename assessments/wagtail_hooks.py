"""Authoring assignments and rubrics in the Wagtail admin. Who may edit which assignment is
decided by lms.permissions (methodologists: all; course authors: their courses' lessons)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import HistoryView, UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from assessments import page_guards
from assessments import permissions as assessment_permissions
from assessments.file_types import normalise_extensions
from assessments.models import Assignment, Rubric
from assessments.programming.admin.assignment_buttons import (
    CodeExerciseHeaderButton,
    CodeExerciseListButton,
)
from assessments.quiz.admin.assignment_buttons import (
    QuizBuilderHeaderButton,
    QuizBuilderListButton,
)
from courses.models import CoursePage, LessonPage
from courses.tree import parent_path
from lms import permissions
from lms.quotes import inner_quotes


class AssignmentPermissionPolicy(ModelPermissionPolicy):
    """Course authors get the assignments of their own courses, and nothing can be deleted
    once pupils have handed in work (archive it instead)."""

    def user_has_permission(self, user, action):
        if permissions.can_edit_catalogue(user):
            return True
        return action != "delete" and assessment_permissions.can_author_assignments(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        editable = Assignment.objects.filter(assessment_permissions.editable_assignments_q(user))
        if action == "delete":
            editable = editable.exclude(page_guards.assignment_has_work())
        return editable

    def user_has_permission_for_instance(self, user, action, instance):
        if not assessment_permissions.can_edit_lesson_assignments(user, instance.course_id):
            return False
        if action == "delete":
            return not page_guards.assignment_holds_work(instance)
        return True


register_permission_policy(Assignment, AssignmentPermissionPolicy(Assignment))


class LessonChooser(AdminPageChooser):
    """Wagtail's page chooser for lessons. A forged lesson id that is not a number is refused
    by the form field; when the form is shown again with that error, Wagtail's widget would
    look the id up as it is and fail (a 500), so here it shows "nothing chosen"."""

    def __init__(self, **kwargs):
        super().__init__(target_models=[LessonPage], **kwargs)

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError, OverflowError):
            return None


class LessonField(forms.ModelChoiceField):
    """A number too big for the database is "not one of the choices", not a 500."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class AssignmentForm(WagtailAdminModelForm):
    lesson = LessonField(
        queryset=LessonPage.objects.all(),
        widget=LessonChooser(),
        label=capfirst(Assignment._meta.get_field("lesson").verbose_name),
    )

    def clean_lesson(self):
        lesson = self.cleaned_data["lesson"]
        course = CoursePage.objects.ancestor_of(lesson).first()
        if course is None or not assessment_permissions.can_edit_lesson_assignments(
            self.for_user, course.pk
        ):
            raise forms.ValidationError(_("You can add assignments only to your own courses."))
        return lesson

    def clean_instructions(self):
        text = self.cleaned_data["instructions"]
        limit = settings.LMS_MARKDOWN_MAX_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                ngettext(
                    "The instructions are too long: %(length)d character, at most %(limit)d.",
                    "The instructions are too long: %(length)d characters, at most %(limit)d.",
                    len(text),
                )
                % {"length": len(text), "limit": limit}
            )
        return text

    def clean_accepted_types(self):
        known, unknown = normalise_extensions(self.cleaned_data["accepted_types"])
        if unknown:
            raise forms.ValidationError(
                _("Unknown file types: %(types)s.") % {"types": ", ".join(unknown)}
            )
        if not known:
            raise forms.ValidationError(_("Name at least one file type."))
        return ", ".join(known)


class _OwnAssignmentList:
    """The index lists only assignments the user may edit."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(assessment_permissions.editable_assignments_q(self.request.user))
        )


class _OwnAssignment:
    """A view of one assignment works only on one the user may edit (else 404, also where
    Wagtail's copy view would say 403). Wagtail's views call get_object() with or without a
    queryset (History and Usage: without)."""

    def get_object(self, *args, **kwargs):
        try:
            instance = super().get_object(*args, **kwargs)
        except (ValueError, OverflowError, PermissionDenied):  # a forged or a foreign id
            raise Http404 from None
        if not assessment_permissions.can_edit_lesson_assignments(
            self.request.user, instance.course_id
        ):
            raise Http404
        return instance


class AssignmentIndexView(
    CodeExerciseListButton, QuizBuilderListButton, _OwnAssignmentList, generic.IndexView
):
    pass


class AssignmentEditView(
    CodeExerciseHeaderButton, QuizBuilderHeaderButton, _OwnAssignment, generic.EditView
):
    pass


class AssignmentCopyView(_OwnAssignment, generic.CopyView):
    pass


class AssignmentHistoryView(_OwnAssignment, HistoryView):
    pass


class AssignmentUsageView(_OwnAssignment, UsageView):
    pass


class AssignmentDeleteView(_OwnAssignment, generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        assignment = self.get_object()
        if page_guards.assignment_holds_work(assignment):
            messages.error(
                request,
                _(
                    "Pupils have handed in work for “%(title)s”, so it cannot be deleted: "
                    "archive it instead (pupils keep their work and grades)."
                )
                % {"title": inner_quotes(assignment.title)},
            )
            return redirect("assignments:edit", assignment.pk)
        return super().dispatch(request, *args, **kwargs)


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    icon = "clipboard-list"
    menu_label = gettext_lazy("Assignments")
    menu_order = 240
    add_to_admin_menu = True
    name = "assignments"
    list_display = ["title", "lesson", "course", "due_at", "is_archived"]
    list_filter = ["kind", "is_archived", "course"]
    search_fields = ["title"]
    index_view_class = AssignmentIndexView
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView
    copy_view_class = AssignmentCopyView
    history_view_class = AssignmentHistoryView
    usage_view_class = AssignmentUsageView
    edit_handler_panels = [
        FieldPanel("lesson"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("max_points"), FieldPanel("weight")]),
                FieldPanel("rubric"),
            ],
            heading=gettext_lazy("Grading"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("opens_at"), FieldPanel("due_at"), FieldPanel("cutoff_at")]
                ),
                FieldRowPanel([FieldPanel("late_penalty_per_day"), FieldPanel("late_penalty_cap")]),
            ],
            heading=gettext_lazy("Dates (in your school's time zone)"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("counts")]),
                FieldPanel("accepted_types"),
                FieldRowPanel([FieldPanel("max_file_mb"), FieldPanel("allow_text")]),
            ],
            heading=gettext_lazy("What pupils hand in"),
        ),
        FieldPanel("is_archived"),
    ]
    edit_handler = ObjectList(edit_handler_panels, base_form_class=AssignmentForm)


class RubricViewSet(ModelViewSet):
    model = Rubric
    icon = "table"
    menu_label = gettext_lazy("Rubrics")
    menu_order = 241
    add_to_admin_menu = True
    name = "rubrics"
    list_display = ["title", "updated_at"]
    search_fields = ["title"]
    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("criteria")]


@hooks.register("register_admin_viewset")
def register_viewsets():
    from assessments.blocks import assignment_chooser_viewset

    return [AssignmentViewSet(), RubricViewSet(), assignment_chooser_viewset]


def _refuse(request, page, message: str):
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_delete_page")
def keep_pages_with_pupils_work(request, page):
    """Nothing lost: a lesson (or its module or course) holding pupils' work is not deleted,
    nor one with assignments (they would go with it)."""
    message = page_guards.delete_refusal(page)
    return _refuse(request, page, message) if message else None


@hooks.register("before_unpublish_page")
def keep_pages_with_pupils_work_published(request, page):
    if page_guards.holds_work(page):
        return _refuse(request, page, page_guards.refusal(page, page_guards.UNPUBLISH))
    return None


@hooks.register("before_move_page")
def keep_pages_with_pupils_work_in_place(request, page, destination):
    if destination.path != parent_path(page.path) and page_guards.holds_work(page):
        return _refuse(request, page, page_guards.refusal(page, page_guards.MOVE))
    return None


@hooks.register("before_bulk_action")
def keep_pages_with_pupils_work_in_bulk(request, action_type, objects, action_class_instance):
    """Bulk delete, unpublish and move of pages: refuse the whole action, naming the pages."""
    if action_type not in page_guards.BULK_REFUSALS or not issubclass(
        action_class_instance.model, Page
    ):
        return None
    pages = list(objects)
    if action_type == page_guards.MOVE:
        destination = action_class_instance.cleaned_form.cleaned_data["chooser"]
        pages = [p for p in pages if parent_path(p.path) != destination.path]
    message = page_guards.BULK_REFUSALS[action_type]
    refused = page_guards.pages_holding_work(pages)
    if not refused and action_type == page_guards.DELETE:
        message = page_guards.BULK_HAS_ASSIGNMENTS
        refused = page_guards.pages_with_assignments(pages)
    if not refused:
        return None
    titles = ", ".join(f"“{page.title}”" for page in refused)
    messages.error(request, str(message) % {"titles": titles})
    return redirect(action_class_instance.next_url)
