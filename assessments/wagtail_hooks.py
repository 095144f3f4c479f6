"""Authoring assignments and rubrics in the Wagtail admin. Who may edit which assignment is
decided by lms.permissions (methodologists: all; course authors: their courses' lessons)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from assessments.models import Assignment, Rubric
from assessments.uploads import normalise_extensions
from courses.models import CoursePage
from lms import permissions


class AssignmentPermissionPolicy(ModelPermissionPolicy):
    """Course authors get the assignments of their own courses, and nothing can be deleted
    once pupils have handed in work (archive it instead)."""

    def user_has_permission(self, user, action):
        if permissions.can_edit_catalogue(user):
            return True
        return action != "delete" and permissions.can_author_assignments(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        editable = Assignment.objects.filter(permissions.editable_assignments_q(user))
        if action == "delete":
            editable = editable.filter(submissions__isnull=True)
        return editable

    def user_has_permission_for_instance(self, user, action, instance):
        if not permissions.can_edit_lesson_assignments(user, instance.course_id):
            return False
        if action == "delete":
            return not instance.submissions.exists()
        return True


register_permission_policy(Assignment, AssignmentPermissionPolicy(Assignment))


class AssignmentForm(WagtailAdminModelForm):
    def clean_lesson(self):
        lesson = self.cleaned_data["lesson"]
        course = CoursePage.objects.ancestor_of(lesson).first()
        if course is None or not permissions.can_edit_lesson_assignments(self.for_user, course.pk):
            raise forms.ValidationError(_("You can add assignments only to your own courses."))
        return lesson

    def clean_instructions(self):
        text = self.cleaned_data["instructions"]
        limit = settings.LMS_MARKDOWN_MAX_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                _("The instructions are too long: %(length)d characters, at most %(limit)d.")
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


class _OwnAssignments:
    """Every assignment view works only on assignments the user may edit (else 404)."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(permissions.editable_assignments_q(self.request.user))
        )

    def get_object(self, queryset=None):
        from django.http import Http404

        instance = super().get_object(queryset)
        if not permissions.can_edit_lesson_assignments(self.request.user, instance.course_id):
            raise Http404
        return instance


class AssignmentIndexView(_OwnAssignments, generic.IndexView):
    pass


class AssignmentEditView(_OwnAssignments, generic.EditView):
    pass


class AssignmentHistoryView(_OwnAssignments, HistoryView):
    pass


class AssignmentUsageView(_OwnAssignments, UsageView):
    pass


class AssignmentDeleteView(_OwnAssignments, generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        assignment = self.get_object()
        if assignment.submissions.exists():
            messages.error(
                request,
                _(
                    "Pupils have handed in work for “%(title)s”, so it cannot be deleted: "
                    "archive it instead (pupils keep their work and grades)."
                )
                % {"title": assignment.title},
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


def _work_below(page) -> bool:
    """Whether pupils have handed in work for an assignment of this page or a page below it."""
    from assessments.models import Submission
    from courses.models import LessonPage

    lessons = LessonPage.objects.filter(path__startswith=page.path).values("pk")
    return Submission.objects.filter(assignment__lesson__in=lessons).exists()


def _refuse(request, page, message):
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_delete_page")
def keep_pages_with_pupils_work(request, page):
    """Nothing lost: a lesson (or its module or course) holding pupils' work is not deleted."""
    if _work_below(page):
        return _refuse(
            request,
            page,
            _(
                "“%(title)s” holds pupils' submitted work, so it cannot be deleted. "
                "Archive its assignments instead."
            )
            % {"title": page.title},
        )
    return None


@hooks.register("before_unpublish_page")
def keep_pages_with_pupils_work_published(request, page):
    if _work_below(page):
        return _refuse(
            request,
            page,
            _(
                "“%(title)s” holds pupils' submitted work, so it stays published: pupils must "
                "still see their work and grades."
            )
            % {"title": page.title},
        )
    return None
