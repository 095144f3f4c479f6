"""A "Questions and settings" button on the Assignment admin's listing rows and edit page for
assignments of kind quiz, linking to the quiz builder. Wagtail's ModelViewSet has no hook for
these buttons, so the Assignment viewset (assessments/wagtail_hooks.py) mixes these in:

    class AssignmentIndexView(QuizBuilderListButton, _OwnAssignmentList, generic.IndexView)
    class AssignmentEditView(QuizBuilderHeaderButton, _OwnAssignment, generic.EditView)
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button

from assessments.models import Assignment
from assessments.quiz import permissions
from lms.permissions import AnyUser


def quiz_builder_url(user: AnyUser, assignment: Assignment) -> str | None:
    """The builder of this assignment's quiz, if it is a quiz the user may build."""
    if not permissions.can_build_quiz(user, assignment):
        return None
    return reverse("quiz_admin:quiz", args=[assignment.pk])


class QuizBuilderListButton:
    """For a ModelViewSet's IndexView: the button in a quiz row's "more" menu."""

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        url = quiz_builder_url(self.request.user, instance)
        if url:
            buttons.append(
                MenuItem(_("Questions and settings"), url=url, icon_name="tasks", priority=15)
            )
        return buttons


class QuizBuilderHeaderButton:
    """For a ModelViewSet's EditView: the button in the header's "more" menu."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        url = quiz_builder_url(self.request.user, self.object)
        if url:
            buttons.append(
                Button(_("Questions and settings"), url=url, icon_name="tasks", priority=5)
            )
        return buttons
