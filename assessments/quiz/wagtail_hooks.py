"""The question bank and the quiz builder in the Wagtail admin: their pages under /admin/quiz/
and a "Question bank" menu item for those who may author (assessments.quiz.permissions)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from assessments.quiz import permissions


class QuestionBankMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.may_use_question_banks(request.user)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    from assessments.quiz.admin import urls

    return [path("quiz/", include(urls, namespace="quiz_admin"))]


@hooks.register("register_admin_menu_item")
def question_bank_menu_item():
    return QuestionBankMenuItem(
        _("Question bank"), reverse("quiz_admin:index"), icon_name="help", order=242
    )
