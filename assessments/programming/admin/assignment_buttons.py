"""An "Exercise settings" button on the Assignment admin's listing rows and edit page for
assignments of kind code, linking to the exercise's settings (problem, penalty): the code
exercise's twin of assessments.quiz.admin.assignment_buttons, mixed into the Assignment
viewset's views in assessments/wagtail_hooks.py the same way."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button

from assessments.models import Assignment
from assessments.programming import permissions
from lms.permissions import AnyUser


def exercise_settings_url(user: AnyUser, assignment: Assignment) -> str | None:
    if not permissions.can_set_up_exercise(user, assignment):
        return None
    return reverse("programming_admin:exercise", args=[assignment.pk])


class CodeExerciseListButton:
    """For a ModelViewSet's IndexView: the button in a code exercise row's "more" menu."""

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        url = exercise_settings_url(self.request.user, instance)
        if url:
            buttons.append(
                MenuItem(_("Problem and settings"), url=url, icon_name="code", priority=15)
            )
        return buttons


class CodeExerciseHeaderButton:
    """For a ModelViewSet's EditView: the button in the header's "more" menu."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        url = exercise_settings_url(self.request.user, self.object)
        if url:
            buttons.append(Button(_("Problem and settings"), url=url, icon_name="code", priority=5))
        return buttons
