"""The programming problems' admin: its pages under /admin/programming/ and a "Programming
problems" menu item for those who may author (assessments.programming.permissions)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from assessments.programming import permissions


class ProblemsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.may_use_problems(request.user)


@hooks.register("register_admin_urls")
def register_programming_admin_urls():
    from assessments.programming.admin import urls

    return [path("programming/", include(urls, namespace="programming_admin"))]


@hooks.register("register_admin_menu_item")
def programming_problems_menu_item():
    return ProblemsMenuItem(
        _("Programming problems"), reverse("programming_admin:index"), icon_name="code", order=243
    )
