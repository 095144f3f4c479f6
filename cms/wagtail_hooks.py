"""Links from the Wagtail admin back to the site's teacher and school pages, for the staff who
use both (a teacher who co-authors a course, a school admin); the page editor's live preview
of markdown (cms.preview) under /admin/cms/."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms import permissions


class _ShownWhen(MenuItem):
    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request) -> bool:
        return self.rule(request.user)


@hooks.register("register_admin_menu_item")
def my_groups_menu_item():
    return _ShownWhen(
        _("My groups"),
        reverse("teach:groups"),
        icon_name="group",
        order=50,
        rule=permissions.is_school_staff,
    )


@hooks.register("register_admin_menu_item")
def school_menu_item():
    return _ShownWhen(
        _("School"),
        reverse("school:home"),
        icon_name="home",
        order=51,
        rule=lambda user: permissions.is_school_admin(user),
    )


@hooks.register("register_admin_urls")
def register_cms_admin_urls():
    from cms import admin_urls

    return [path("cms/", include(admin_urls, namespace="cms_admin"))]
